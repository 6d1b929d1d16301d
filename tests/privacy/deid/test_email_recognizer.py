"""AsciiEmailRecognizer: stops at Chinese characters (Presidio's \\b\\w pattern would not)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected_len", "expected_positions"),
    [
        ("邮箱zhangwei@163.com。", 1, [(2, 18)]),
        ("报告发送至 feng.ming9587@outlook.com；", 1, [(6, 31)]),
        ("Email: 1234567@qq.com", 1, [(7, 21)]),
        ("邮箱wang_li@fudan.edu.cn，电话", 1, [(2, 22)]),
        ("患者邮箱：li-na+report@sub.example.com.cn", 1, [(5, 36)]),
        # not addresses
        ("邮箱待补充", 0, []),
        ("@163.com", 0, []),
        ("zhangwei@home", 0, []),
        # round 5: a provider everyone knows, written without its ending, is the address
        ("zhangwei@163", 1, [(0, 12)]),
        # session 9: an address a narrow form or a mail client wrapped, after or before the at-sign
        ("请邮箱 hao_mei@\nsina.com。", 1, [(4, 21)]),
        ("邮箱：zhuwu96@\r\n  qq.com", 1, [(3, 21)]),
        ("Mail: weiyan2003\n@139.com", 1, [(6, 25)]),
        # a line that ends at an at-sign with no address after it is not one
        ("随访@\n2024年复查", 0, []),
        ("小王@\n张三", 0, []),
    ],
)
def test_email(find, text, expected_len, expected_positions):
    spans = find(text, "EMAIL")
    assert len(spans) == expected_len
    assert spans == expected_positions
