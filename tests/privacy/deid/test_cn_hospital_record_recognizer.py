"""CnHospitalRecordRecognizer: the number after 住院号/门诊号/病案号, label kept."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected_len", "expected_positions"),
    [
        ("住院号：20240315", 1, [(4, 12)]),
        ("住院号 735871286。", 1, [(4, 13)]),
        ("门诊号MZ202603050123", 1, [(3, 17)]),
        ("病案号为ZY2026123456，", 1, [(4, 16)]),
        ("住院病案号 B92057108", 1, [(6, 15)]),
        ("（住院号74306579）", 1, [(4, 12)]),
        # no label, no record number
        ("服务项目编码310100001", 0, []),
        ("本次费用12345678元", 0, []),
        ("住院号：见首页", 0, []),
        ("住院号1234", 0, []),
    ],
)
def test_hospital_record(find, text, expected_len, expected_positions):
    spans = find(text, "HOSPITAL_RECORD_NO")
    assert len(spans) == expected_len
    assert spans == expected_positions
