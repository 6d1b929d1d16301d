"""Medical cards: any number after a card label (formats differ between issuers), the platform's shapes."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "expected_len", "expected_positions"),
    [
        ("社保卡号：A12345678", 1, [(5, 14)]),
        ("医保卡号为K87654321，", 1, [(5, 14)]),
        ("持社保卡（卡号C15833335）就诊", 1, [(7, 16)]),
        ("社会保障卡卡号P47618140。", 1, [(7, 16)]),
        ("医保个人编号：3100741649912244", 1, [(7, 23)]),
        ("个人编号3100288160704632，已实时结算", 1, [(4, 20)]),
        # the platform number is specific enough alone
        ("编号3100288160704632", 1, [(2, 18)]),
        # a letter and 8 digits without a card word is a batch number
        ("药品批号B20240315", 0, []),
        # after a card label, any format (issuers and years print their own)
        ("社保卡号：a12345678", 1, [(5, 14)]),
        ("社保卡号A123456789", 1, [(4, 14)]),
        ("卡号3100741649912", 1, [(2, 15)]),
        ("社保电脑号 9523622382，", 1, [(6, 16)]),
        ("医保个人编码：SH-0012-3456", 1, [(7, 19)]),
        ("参保号 1280675075", 1, [(4, 14)]),
        ("人员编号：31012011761682504353", 1, [(5, 25)]),
        ("市民卡号 ＳＭ１２３４５６７８", 1, [(5, 15)]),
        # a card word before a number that is not one: too few digits
        ("社保卡号：见附件", 0, []),
        ("卡号12", 0, []),
    ],
)
def test_medical_card(find, text, expected_len, expected_positions):
    spans = find(text, "MEDICAL_CARD")
    assert len(spans) == expected_len
    assert spans == expected_positions
