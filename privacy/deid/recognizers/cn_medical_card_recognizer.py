"""社保卡号 (social-security card number) and 医保个人编号 (platform person number)."""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from contracts.formats import CARD_NO, PERSON_NO
from privacy.deid._common import FLAGS, NO_ALNUM_AFTER, NO_ALNUM_BEFORE, NO_DIGIT_AFTER, NO_DIGIT_BEFORE
from privacy.deid.entities import LANGUAGE


class CnMedicalCardRecognizer(PatternRecognizer):
    """Card and person numbers of the medical-insurance platform (one entity, MEDICAL_CARD).

    A letter plus eight digits is also the shape of a drug batch number (``批号B20240315``), so a
    card number needs a card word before it; the 16-digit ``3100…`` person number is specific to
    the platform and counts by itself.
    """

    PATTERNS = [
        Pattern("card_no", rf"{NO_ALNUM_BEFORE}{CARD_NO}{NO_ALNUM_AFTER}", 0.25),
        Pattern("person_no", rf"{NO_DIGIT_BEFORE}{PERSON_NO}{NO_DIGIT_AFTER}", 0.6),
    ]
    CONTEXT = [
        "社保卡",
        "医保卡",
        "社会保障卡",
        "社会保障",
        "保障卡",
        "卡号",
        "个人编号",
        "医保号",
        "医保编号",
        "参保号",
        "社保号",
        "医保",
        "社保",
    ]

    def __init__(self, supported_language: str = LANGUAGE) -> None:
        super().__init__(
            supported_entity="MEDICAL_CARD",
            name="CnMedicalCardRecognizer",
            supported_language=supported_language,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            global_regex_flags=FLAGS,
        )
