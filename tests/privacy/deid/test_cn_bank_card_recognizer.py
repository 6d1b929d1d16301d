"""CnBankCardRecognizer: Luhn, UnionPay BIN or a bank word, grouped digits."""

from __future__ import annotations

import pytest

from contracts.formats import luhn_complete
from privacy.deid.recognizers.cn_bank_card_recognizer import CnBankCardRecognizer

UNIONPAY_19 = luhn_complete("622202123456789012")
UNIONPAY_16 = luhn_complete("621700123456789")
VISA = luhn_complete("436742123456789")
BAD_LUHN = UNIONPAY_19[:-1] + str((int(UNIONPAY_19[-1]) + 1) % 10)


@pytest.mark.parametrize(
    ("text", "expected_len", "expected_positions"),
    [
        (f"理赔款请转入本人借记卡，卡号{UNIONPAY_19}", 1, [(14, 33)]),
        (f"银行卡号：{UNIONPAY_16}（工商银行）", 1, [(5, 21)]),
        # UnionPay BIN is convincing without a bank word
        (f"退费至{UNIONPAY_19}", 1, [(3, 22)]),
        # other card families need a bank word
        (f"收款账户：交通银行 {VISA}", 1, [(10, 26)]),
        (f"订单号{VISA}", 0, []),
        # grouped in fours
        (f"卡号 {' '.join(UNIONPAY_19[i : i + 4] for i in range(0, 19, 4))}", 1, [(3, 26)]),
        # invalid: Luhn fails, platform person number, too short
        (f"银行卡号{BAD_LUHN}", 0, []),
        ("卡号3100123456789012", 0, []),
        ("卡号622202123456", 0, []),
    ],
)
def test_bank_card(find, text, expected_len, expected_positions):
    spans = find(text, "BANK_CARD")
    assert len(spans) == expected_len
    assert spans == expected_positions


def test_validate_never_confirms_only_rejects():
    recognizer = CnBankCardRecognizer()
    assert recognizer.validate_result(UNIONPAY_19) is None  # the context rule still applies
    assert recognizer.validate_result(BAD_LUHN) is False
    assert recognizer.validate_result("3100123456789012") is False
