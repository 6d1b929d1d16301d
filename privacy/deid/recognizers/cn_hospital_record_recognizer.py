"""住院号 / 门诊号 / 病案号: a hospital's record number, recognised after its label."""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from privacy.deid._common import FLAGS, NO_ALNUM_AFTER, alternation
from privacy.deid.entities import LANGUAGE

LABELS = [
    "住院号",
    "门诊号",
    "病案号",
    "病历号",
    "住院病案号",
    "门诊病历号",
    "就诊号",
    "就诊卡号",
    "登记号",
    "患者ID",
    "病人ID",
    "ID号",
]


class CnHospitalRecordRecognizer(PatternRecognizer):
    """The number after a record label (``住院号：20240315``); the label itself is kept.

    Bare 6–12 digit numbers are everywhere in notes (service codes, amounts, lab values), so this
    recogniser only looks right after a label, within a lookbehind: the span is the number alone.
    """

    PATTERNS = [
        Pattern(
            "labelled_record_no",
            rf"(?<={alternation(LABELS)}\s{{0,2}}(?:[:：]|为|是)?\s{{0,2}})[A-Z]{{0,2}}\d{{5,12}}{NO_ALNUM_AFTER}",
            0.85,
        ),
    ]
    CONTEXT = ["住院号", "门诊号", "病案号", "病历号", "就诊号", "登记号"]

    def __init__(self, supported_language: str = LANGUAGE) -> None:
        super().__init__(
            supported_entity="HOSPITAL_RECORD_NO",
            name="CnHospitalRecordRecognizer",
            supported_language=supported_language,
            patterns=self.PATTERNS,
            # self-anchored patterns (a label or cue lookbehind, a suffix, a checksum) set the score
            # themselves: CONTEXT documents the words, the enhancer would only spend time (~25 %)
            context=None,
            global_regex_flags=FLAGS,
        )
