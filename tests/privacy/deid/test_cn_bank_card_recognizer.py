"""CnBankCardRecognizer: 16-19 digits with a valid Luhn digit anywhere; any number after a bank label."""

from __future__ import annotations

import pytest

from contracts.formats import luhn_complete

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
        # other card families too, with or without a bank word; not after a look-alike label
        (f"收款账户：交通银行 {VISA}", 1, [(10, 26)]),
        (f"退款至{VISA}。", 1, [(3, 19)]),
        (f"订单号{VISA}", 0, []),
        (f"发票号码：{VISA}", 0, []),
        # grouped in fours
        (f"卡号 {' '.join(UNIONPAY_19[i : i + 4] for i in range(0, 19, 4))}", 1, [(3, 26)]),
        # after a bank label any number is the card, whatever its check digit
        (f"银行卡号{BAD_LUHN}", 1, [(4, 23)]),
        (f"账号：{BAD_LUHN[:12]}", 1, [(3, 15)]),
        # without a label: Luhn fails, platform person number (a medical card), too short
        (f"退款至{BAD_LUHN}", 0, []),
        ("卡号3100123456789012", 0, []),
        ("卡号622202123456", 0, []),
    ],
)
def test_bank_card(find, text, expected_len, expected_positions):
    spans = find(text, "BANK_CARD")
    assert len(spans) == expected_len
    assert spans == expected_positions


def test_full_width_and_dashed_cards_are_found(find):
    full = UNIONPAY_19.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
    assert find(f"退费至{full}", "BANK_CARD") == [(3, 22)]
    dashed = "-".join(UNIONPAY_19[i : i + 4] for i in range(0, 19, 4))
    assert find(f"退费至{dashed}。", "BANK_CARD") == [(3, 26)]


@pytest.mark.parametrize(("text", "card"), [
    ("信用卡（Diners）：3619 038068 1178", "3619 038068 1178"),
    ("信用卡（Diners）：30198296869593", "30198296869593"),
])
def test_diners_club_cards_are_found(deidentifier, text, card):
    """Session 9 (heldout8's Diners Club form, 0.54): 14 digits from 300–305, 36, 38, 39, Luhn-valid."""
    assert card not in deidentifier.redact(text).text


def test_a_fourteen_digit_number_failing_luhn_is_kept(deidentifier):
    assert "30198296869594" in deidentifier.redact("批号 30198296869594").text
    assert "36190380681179" in deidentifier.redact("编码 36190380681179").text
