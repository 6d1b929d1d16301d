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
