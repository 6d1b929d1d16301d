"""Bank card numbers (银行卡号): 16–19 digits that pass the Luhn check."""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from contracts.formats import PERSON_NO, fullmatch, luhn_ok
from privacy.deid._common import FLAGS, NO_DIGIT_GROUP_AFTER, NO_DIGIT_GROUP_BEFORE, digits_only
from privacy.deid.entities import LANGUAGE


class CnBankCardRecognizer(PatternRecognizer):
    """A bank card number, contiguous or in groups of four.

    Luhn passes one random number in ten, so a bare 16–19 digit run is only a candidate that a
    bank word (``银行卡``, ``账号``…) must confirm. A UnionPay number (``62`` BIN) or a number
    printed in groups of four is convincing by itself. ``validate_result`` rejects numbers that
    fail Luhn and the platform's 16-digit person numbers (``3100…``), but never returns True:
    a passing check leaves the pattern's score alone, so the context rule still applies.
    """

    PATTERNS = [
        Pattern("card_digits", rf"{NO_DIGIT_GROUP_BEFORE}[3-6]\d{{15,18}}{NO_DIGIT_GROUP_AFTER}", 0.3),
        Pattern("unionpay", rf"{NO_DIGIT_GROUP_BEFORE}62\d{{14,17}}{NO_DIGIT_GROUP_AFTER}", 0.6),
        Pattern(
            "card_grouped",
            rf"{NO_DIGIT_GROUP_BEFORE}[3-6]\d{{3}}(?:[ \-]\d{{4}}){{3}}(?:[ \-]\d{{1,3}})?(?![0-9])",
            0.6,
        ),
    ]
    CONTEXT = [
        "银行卡",
        "银行",
        "卡号",
        "账号",
        "帐号",
        "账户",
        "帐户",
        "借记卡",
        "储蓄卡",
        "信用卡",
        "工资卡",
        "开户",
        "转账",
        "汇入",
        "打入",
    ]

    def __init__(self, supported_language: str = LANGUAGE) -> None:
        super().__init__(
            supported_entity="BANK_CARD",
            name="CnBankCardRecognizer",
            supported_language=supported_language,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            global_regex_flags=FLAGS,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """False for a failed Luhn check or a platform person number; otherwise no verdict."""
        digits = digits_only(pattern_text)
        if not 16 <= len(digits) <= 19 or not luhn_ok(digits) or fullmatch(PERSON_NO, digits):
            return False
        return None
