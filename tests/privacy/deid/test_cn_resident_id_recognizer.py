"""CnResidentIdRecognizer: GB 11643 check digit, real birth date, lookarounds instead of \\b."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.formats import resident_id_check_char
from privacy.deid.recognizers.cn_resident_id_recognizer import valid_15

VALID = "11010519491231002X"  # the standard's own example
VALID_SH = "310104199003074211"
WRONG_CHECK = "310104199003074216"


@pytest.mark.parametrize(
    ("text", "expected_len", "expected_positions"),
    [
        # valid, in Chinese text with no separator before or after
        (f"身份证号{VALID_SH}，男", 1, [(4, 22)]),
        (f"公民身份号码：{VALID}", 1, [(7, 25)]),
        (f"证件号{VALID.lower()}。", 1, [(3, 21)]),
        (f"{VALID_SH}", 1, [(0, 18)]),
        # grouped 6-8-4 as people type it
        ("身份证 310104 19900307 4211 已核验", 1, [(4, 24)]),
        # two in one note
        (f"患者{VALID_SH}，其子{VALID}", 2, [(2, 20), (23, 41)]),
        # a wrong check digit right after an ID label is still the person's (mistyped) ID
        (f"身份证号：{WRONG_CHECK}，", 1, [(5, 23)]),
        # invalid: wrong check digit, impossible date, too long, too short, inside a longer number
        (f"检验条码{WRONG_CHECK}", 0, []),
        ("身份证号310104199002304213", 1, [(4, 22)]),
        ("检验条码310104199002304213", 0, []),
        (f"流水号{VALID_SH}9", 0, []),
        # after an ID label any number is the ID (a digit lost or added by hand still identifies)
        (f"身份证号{VALID_SH[:17]}", 1, [(4, 21)]),
        # full-width, dashed, pre-1999 15-digit form
        ("身份证号３１０１０４１９９００３０７４２１１", 1, [(4, 22)]),
        ("ID:310104-19900307-4211，", 1, [(3, 23)]),
        ("身份证310118750922704，", 1, [(3, 18)]),
        ("310118750922704", 1, [(0, 15)]),
        # a 15-digit number with no province code or no real date is not an old ID
        ("流水号990118750922704", 0, []),
        ("单号310118751322704", 0, []),
        # masked IDs identify no one and are left
        ("身份核验：310120********5371", 0, []),
        (f"订单9{VALID_SH}", 0, []),
        ("发票号123456789012345678", 0, []),
    ],
)
def test_resident_id(find, text, expected_len, expected_positions):
    spans = find(text, "RESIDENT_ID")
    assert len(spans) == expected_len
    assert spans == expected_positions


def test_fifteen_digit_ids_need_a_province_and_a_date():
    assert valid_15("310118750922704")
    assert not valid_15("990118750922704")  # no province 99
    assert not valid_15("310118751322704")  # month 13
    assert not valid_15("31011875092270")


_first17 = st.builds(
    lambda region, year, month, day, seq: f"{region}{year:04d}{month:02d}{day:02d}{seq:03d}",
    st.sampled_from(["310101", "310104", "310115", "320602", "110105"]),
    st.integers(1930, 2020),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 999),
)


@settings(max_examples=40, deadline=None)
@given(first17=_first17, prefix=st.sampled_from(["患者", "ID:", "条码 ", "（"]))
def test_every_valid_id_is_found_and_every_wrong_check_digit_is_not(find, first17, prefix):
    """Away from an ID label, only the check digit decides."""
    good = first17 + resident_id_check_char(first17)
    bad = first17 + next(c for c in "0123456789X" if c != resident_id_check_char(first17))
    assert find(f"{prefix}{good}，", "RESIDENT_ID") == [(len(prefix), len(prefix) + 18)]
    assert find(f"{prefix}{bad}，", "RESIDENT_ID") == []
