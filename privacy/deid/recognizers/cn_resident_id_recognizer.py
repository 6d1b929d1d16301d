"""居民身份证号码 (resident identity card number), validated with the GB 11643 check digit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex as re
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult

from contracts.formats import RESIDENT_ID, is_valid_resident_id
from privacy.deid._common import FLAGS, NO_ALNUM_AFTER, NO_DIGIT_BEFORE, alternation, digits_only
from privacy.deid.entities import LANGUAGE

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts

#: labels after which an ID-shaped number is the person's ID even if mistyped
LABELS = ["身份证号码", "身份证号", "身份证", "公民身份号码", "证件号码", "证件号", "身份证件号"]
_LABELLED = re.compile(
    rf"(?<={alternation(LABELS)}\s{{0,2}}[:：]?\s{{0,2}}){NO_DIGIT_BEFORE}{RESIDENT_ID}{NO_ALNUM_AFTER}",
    FLAGS,
)
#: score of a labelled ID whose check digit is wrong
LABELLED_UNCHECKED_SCORE = 0.6


class CnResidentIdRecognizer(PatternRecognizer):
    """An 18-character resident ID, contiguous or grouped 6-8-4 as people type it.

    The shape alone (region, birth date, sequence) is only a candidate: ``validate_result`` keeps
    it when the birth date is a real date and the GB 11643 check character matches, so an order
    number or a barcode that happens to have 18 digits is not flagged (1 in 11 would pass the
    check by chance, and fewer still have a valid date). One exception: right after an ID label
    (``身份证号：``) an ID-shaped number is kept even with a wrong check digit, at a lower score —
    a mistyped ID still points at its owner.
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
            # self-anchored patterns (a label or cue lookbehind, a suffix, a checksum) set the score
            # themselves: CONTEXT documents the words, the enhancer would only spend time (~25 %)
            context=None,
            global_regex_flags=FLAGS,
        )

    def validate_result(self, pattern_text: str) -> bool:
        """True when the birth date and the GB 11643 check character are right."""
        return is_valid_resident_id(digits_only(pattern_text))

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Checksum-valid IDs anywhere, plus ID-shaped numbers right after an ID label."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        found = {(r.start, r.end) for r in results}
        for match in _LABELLED.finditer(text):
            if match.span() not in found:
                results.append(
                    RecognizerResult(
                        self.supported_entities[0],
                        match.start(),
                        match.end(),
                        LABELLED_UNCHECKED_SCORE,
                        analysis_explanation=self.build_regex_explanation(
                            self.name,
                            "labelled_unchecked",
                            _LABELLED.pattern,
                            LABELLED_UNCHECKED_SCORE,
                            False,
                            FLAGS,
                        ),
                        recognition_metadata={
                            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        },
                    )
                )
        return EntityRecognizer.remove_duplicates(results)
