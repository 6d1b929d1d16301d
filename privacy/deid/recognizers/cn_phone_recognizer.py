"""Mainland mobile numbers and landlines, contiguous, grouped (joined by normalisation) or masked."""

from __future__ import annotations

import re

from privacy.deid.entities import PHONE
from privacy.deid.recognizers.base import MASK, NO_ALNUM_BEFORE, NO_DIGIT_AFTER, NO_DIGIT_BEFORE, Doc, Hit, Recognizer

_COUNTRY = r"(?:(?:\+ ?86|0086|\(\+?86\)) ?-?)?"
#: a 1[3-9] mobile (normalisation joined 138 1234 5678 and 138-1234-5678)
_MOBILE = re.compile(rf"{NO_ALNUM_BEFORE}{_COUNTRY}1[3-9][0-9]{{9}}{NO_DIGIT_AFTER}")
#: a masked mobile: 138****5678, 138*****678, 1381234****
_MOBILE_MASKED = re.compile(rf"{NO_ALNUM_BEFORE}1[3-9][0-9]{{1,5}}{MASK}{{3,8}}[0-9]{{0,5}}{NO_DIGIT_AFTER}")
#: a landline with its area code: 02164041990 (joined), (021)64041990, 021-6404 1990 …, an extension
_AREA = r"0(?:10|2[0-9]|[3-9][0-9]{2})"
_LANDLINE = re.compile(
    rf"{NO_DIGIT_BEFORE}(?:{_AREA}-?|\({_AREA}\) ?)[2-9][0-9]{{6,7}}(?:(?:-|转|ext\.?)[0-9]{{1,5}})?{NO_DIGIT_AFTER}"
)
#: a bare local number, 8 digits (Shanghai) or 7, beside a phone word within the few characters before
_LOCAL = re.compile(rf"{NO_DIGIT_BEFORE}[2-9][0-9]{{6,7}}{NO_DIGIT_AFTER}")
_PHONE_WORDS = re.compile(r"电话|手机|座机|宅电|固话|来电|致电|热线|传真|号码|联系|[Tt]el|TEL|拨打|打")
_DATE8 = re.compile(r"(?:19[0-9]{2}|20[0-3][0-9])(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")


class CnPhoneRecognizer(Recognizer):
    """Phone numbers as Chinese notes write them.

    A mobile (1[3-9], 11 digits), a masked mobile, or a landline with its area code is distinctive
    on its own; a bare 7–8 digit local number (lab values, sample numbers share the shape) counts
    only with a phone word in the ten characters before it, and never when it reads as a date.
    """

    name = "CnPhoneRecognizer"
    entities = (PHONE,)

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        hits = [self.hit(m, score=0.85) for m in _MOBILE.finditer(text)]
        for m in _MOBILE_MASKED.finditer(text):
            if len(m.group()) == 11:
                hits.append(self.hit(m, score=0.8))
        hits += [self.hit(m, score=0.8) for m in _LANDLINE.finditer(text)]
        for m in _LOCAL.finditer(text):
            if _DATE8.fullmatch(m.group()):
                continue
            if _PHONE_WORDS.search(text, max(0, m.start() - 10), m.start()):
                hits.append(self.hit(m, score=0.6))
        return hits
