"""Card and person numbers of the medical-insurance platform by shape (MEDICAL_CARD).

Labelled numbers of any format are the labelled-number recogniser's; here are the shapes the
platform itself issues: the 16-digit ``3100…`` person number (specific enough alone), and the
social-security card number ``[A-Z]`` + 8 digits, which is also the shape of a drug batch number
(``批号B20240315``), so it needs a card word in the twelve characters before it.
"""

from __future__ import annotations

import re

from contracts.formats import CARD_NO, PERSON_NO
from privacy.deid.entities import MEDICAL_CARD
from privacy.deid.recognizers.base import (
    AFTER_FIRST_NO_ALNUM,
    AFTER_FIRST_NO_DIGIT,
    NO_ALNUM_AFTER,
    NO_DIGIT_AFTER,
    Doc,
    Hit,
    Recognizer,
)

_PERSON_NO = re.compile(rf"3{AFTER_FIRST_NO_DIGIT}{PERSON_NO[1:]}{NO_DIGIT_AFTER}")
_CARD_NO = re.compile(rf"[A-Z]{AFTER_FIRST_NO_ALNUM}{CARD_NO[5:]}{NO_ALNUM_AFTER}")
_CARD_WORDS = re.compile(r"社保|医保|保障卡|卡号|参保|个人编号|编码|卡")


class CnMedicalCardRecognizer(Recognizer):
    name = "CnMedicalCardRecognizer"
    entities = (MEDICAL_CARD,)

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        hits = [self.hit(m, score=0.8) for m in _PERSON_NO.finditer(text)]
        for m in _CARD_NO.finditer(text):
            if _CARD_WORDS.search(text, max(0, m.start() - 12), m.start()):
                hits.append(self.hit(m, score=0.7))
        return hits
