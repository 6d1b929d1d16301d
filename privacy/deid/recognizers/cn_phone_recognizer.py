"""Mainland mobile numbers and Shanghai landlines (021-xxxxxxxx, or 8 digits beside a phone word)."""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from privacy.deid._common import (
    FLAGS,
    NO_ALNUM_BEFORE,
    NO_DIGIT_AFTER,
    NO_DIGIT_BEFORE,
    NO_DIGIT_GROUP_AFTER,
    NO_DIGIT_GROUP_BEFORE,
)
from privacy.deid.entities import LANGUAGE

_SEP = r"[ \-]?"
_COUNTRY = r"(?:(?:\+86|0086|\(\+86\)|（\+86）)[ \-]?)?"
_AREA = r"(?:\(021\)|（021）|021)[ \-]?"
#: a 1[3-9] mobile written 11 contiguous, 3-4-4 with spaces or hyphens
_MOBILE = rf"1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}"
_LOCAL = rf"[2-9]\d{{3}}{_SEP}\d{{4}}"
#: an 8-digit date of the last century or this one so far (20240315) is not a local number;
#: 20440128 is (no note dates from 2044)
_DATE8 = r"(?:19\d{2}|20[0-3]\d)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"


class CnPhoneRecognizer(PatternRecognizer):
    """Phone numbers as Chinese notes write them.

    A mobile number or a landline with its 021 area code is distinctive enough on its own; a bare
    8-digit local number is not (lab values, sample numbers), so it scores below the analyzer's
    threshold and only counts when a phone word (``电话``, ``座机``…) precedes it.
    """

    PATTERNS = [
        Pattern("mobile", rf"{NO_ALNUM_BEFORE}{_COUNTRY}{_MOBILE}{NO_DIGIT_AFTER}", 0.75),
        Pattern("landline_021", rf"{NO_DIGIT_BEFORE}{_AREA}{_LOCAL}{NO_DIGIT_AFTER}", 0.75),
        Pattern(
            "landline_local", rf"{NO_DIGIT_GROUP_BEFORE}(?<![(（A-Za-z]){_LOCAL}{NO_DIGIT_GROUP_AFTER}", 0.2
        ),
    ]
    CONTEXT = [
        "电话",
        "手机",
        "联系电话",
        "联系方式",
        "座机",
        "宅电",
        "固话",
        "来电",
        "致电",
        "号码",
        "热线",
        "传真",
        "tel",
    ]

    def __init__(self, supported_language: str = LANGUAGE) -> None:
        super().__init__(
            supported_entity="PHONE",
            name="CnPhoneRecognizer",
            supported_language=supported_language,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            global_regex_flags=FLAGS,
        )

    def invalidate_result(self, pattern_text: str) -> bool:
        """A bare 8-digit date (``20240315``) is not a phone number; ``2024 0315`` may be one."""
        import regex as re

        return re.fullmatch(_DATE8, pattern_text) is not None
