"""居民身份证号码 (resident identity card number), validated with the GB 11643 check digit."""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from contracts.formats import RESIDENT_ID, is_valid_resident_id
from privacy.deid._common import FLAGS, NO_ALNUM_AFTER, NO_DIGIT_BEFORE, digits_only
from privacy.deid.entities import LANGUAGE


class CnResidentIdRecognizer(PatternRecognizer):
    """An 18-character resident ID, contiguous or grouped 6-8-4 as people type it.

    The shape alone (region, birth date, sequence) is only a candidate: ``validate_result`` keeps
    it when the birth date is a real date and the GB 11643 check character matches, so an order
    number or a barcode that happens to have 18 digits is not flagged (1 in 11 would pass the
    check by chance, and fewer still have a valid date).
    """

    PATTERNS = [
        Pattern("resident_id", rf"{NO_DIGIT_BEFORE}{RESIDENT_ID}{NO_ALNUM_AFTER}", 0.5),
        Pattern(
            "resident_id_grouped",
            rf"{NO_DIGIT_BEFORE}[1-9]\d{{5}}[ \-](?:18|19|20)\d{{6}}[ \-]\d{{3}}[\dXx]{NO_ALNUM_AFTER}",
            0.5,
        ),
    ]
    CONTEXT = ["身份证", "身份证号", "身份证号码", "公民身份号码", "证件号", "证件号码", "证号", "身份"]

    def __init__(self, supported_language: str = LANGUAGE) -> None:
        super().__init__(
            supported_entity="RESIDENT_ID",
            name="CnResidentIdRecognizer",
            supported_language=supported_language,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            global_regex_flags=FLAGS,
        )

    def validate_result(self, pattern_text: str) -> bool:
        """True when the birth date and the GB 11643 check character are right."""
        return is_valid_resident_id(digits_only(pattern_text))
