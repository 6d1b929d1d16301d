"""CnPhoneRecognizer: mobiles in several formats, 021 landlines, bare local numbers only with context."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected_len", "expected_positions"),
    [
        ("联系电话13812345678。", 1, [(4, 15)]),
        ("手机：138 1234 5678，", 1, [(3, 16)]),
        ("手机138-1234-5678", 1, [(2, 15)]),
        ("电话+86 13812345678", 1, [(2, 17)]),
        ("电话+86-138-1234-5678", 1, [(2, 19)]),
        ("其子（19912345678）", 1, [(3, 14)]),
        ("宅电021-64041990", 1, [(2, 14)]),
        ("座机(021)6404-1990", 1, [(2, 16)]),
        ("办公电话 021 6404 1990", 1, [(5, 18)]),
        ("（021）64041990", 1, [(0, 13)]),
        # bare 8-digit local numbers count only beside a phone word
        ("宅电：64041990", 1, [(3, 11)]),
        ("家庭电话 6404 1990", 1, [(5, 14)]),
        ("检验编号64041990", 0, []),
        ("批号：25090330", 0, []),
        # full-width, Chinese numerals, a country code glued on
        ("电话１３８１２３４５６７８", 1, [(2, 13)]),
        ("电话一三八一二三四五六七八", 1, [(2, 13)]),
        ("（外甥女）+8618394852754", 1, [(5, 19)]),
        # a bare local number after a relative's role in brackets
        ("紧急联系人：王芳（妻子）64041990", 1, [(12, 20)]),
        # after a phone label any number of 7 digits or more is the phone (the label decides)
        ("联系电话 20240315", 1, [(5, 13)]),
        ("电话12345678901", 1, [(2, 13)]),
        # service numbers after a phone label are not a person's
        ("咨询电话：962218", 0, []),
        ("电话：400-700-2075", 0, []),
        # never: longer numbers, mobiles inside longer digit runs, lab values, masked numbers
        ("复诊 20240315", 0, []),
        ("身份核验：182****7760", 0, []),
        ("账号6222021234567890128", 0, []),
        ("订单号213812345678", 0, []),
        ("WBC 12.5×10^9/L，血压135/85mmHg", 0, []),
    ],
)
def test_phone(find, text, expected_len, expected_positions):
    spans = find(text, "PHONE")
    assert len(spans) == expected_len
    assert spans == expected_positions
