"""The leak guard finds checkable direct identifiers at any depth and names only the path."""

from __future__ import annotations

import pytest

from contracts.formats import luhn_complete, resident_id_check_char
from privacy.leakguard import find_identifiers

VALID_ID = "31010419800101001" + resident_id_check_char("31010419800101001")
WRONG_ID = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")
CARD = luhn_complete("622848001234567890")


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"a": VALID_ID}, ["a:resident_id"]),
        ({"a": f"患者身份证{VALID_ID}，"}, ["a:resident_id"]),
        ({"a": WRONG_ID}, []),
        ({"n": {"t": ["x", "电话13812345678"]}}, ["n.t[1]:mobile"]),
        ({"a": "23813812345678"}, []),  # a longer number is not a phone
        ({"c": CARD}, ["c:bank_card"]),
        ({"c": CARD[:-1] + str((int(CARD[-1]) + 1) % 10)}, []),
        ({"k": "a3f9" * 8, "amount": 138.5, "code": "XA10BAE054A001010101445"}, []),
    ],
)
def test_find_identifiers(record, expected):
    assert find_identifiers(record) == expected


def test_value_never_in_report():
    report = " ".join(find_identifiers({"x": VALID_ID, "y": "13812345678"}))
    assert VALID_ID not in report and "13812345678" not in report


FULL_WIDTH = VALID_ID.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"}).replace("X", "Ｘ")


@pytest.mark.parametrize(
    "text",
    [
        f"身份证号{FULL_WIDTH}",  # the case: a full-width resident ID passed the guard
        f"身份证号 {VALID_ID[:6]} {VALID_ID[6:14]} {VALID_ID[14:]}",
        f"身份证号{VALID_ID[:6]}-{VALID_ID[6:14]}-{VALID_ID[14:]}",
    ],
)
def test_resident_ids_written_any_way_are_found(text):
    assert find_identifiers({"text_redacted": text}) == ["text_redacted:resident_id"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("电话１３８１２３４５６７８", "mobile"),
        ("电话138 1234 5678", "mobile"),
        ("电话138-1234-5678", "mobile"),
        ("电话一三八一二三四五六七八", "mobile"),
        (f"卡号{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}", "bank_card"),
    ],
)
def test_other_identifiers_written_any_way_are_found(text, kind):
    assert find_identifiers({"t": text}) == [f"t:{kind}"]


def test_dates_and_amounts_in_groups_stay_clean():
    assert find_identifiers({"t": "2024-03-15 复诊，费用 1 234.56 元，血压 130 80 mmHg"}) == []


def test_uuid_ids_are_not_read_as_card_numbers():
    """Audit ids are uuid5s; one whose first groups are 16 Luhn-valid digits is still no card."""
    import uuid

    from contracts.formats import luhn_ok
    from privacy.leakguard import find_identifiers

    assert luhn_ok("5563297692215981")
    assert find_identifiers({"audit_id": "55632976-9221-5981-8a2b-6c1d2e3f4a5b"}) == []
    ids = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"audit-{i}")) for i in range(20000)]
    assert [i for i in ids if find_identifiers({"audit_id": i})] == []
    # a real card number next to an id is still found
    assert luhn_ok("6222021234567890128")
    assert find_identifiers({"x": "55632976-9221-5981-8a2b-6c1d2e3f4a5b 卡号6222021234567890128"}) == ["x:bank_card"]
