"""Dates of birth (DATE_OF_BIRTH), in every common written form, next to their labels.

A date is only a date of birth by what surrounds it: a label before it (``出生日期：``, ``生于``,
``DOB``) or a birth word after it (``1985年3月12日生``, ``1985-03-12出生``). The date itself may be
ISO (``1985-03-12``), slashed or dotted (``1985/3/12``, ``1985.03.12``), 8 digits (``19850312``),
Chinese (``1985年3月12日``; Chinese numerals were turned into Arabic by normalisation), year and
month only (``1985年3月``, ``1985-03``), day first (``12/03/1985``, ``12.03.1985``), or a year alone
before a birth word (``1985年生``). Visit dates, report dates and ages are left alone.
"""

from __future__ import annotations

import re

from privacy.deid.entities import DATE_OF_BIRTH
from privacy.deid.labels import DOB_LABELS
from privacy.deid.recognizers.base import Doc, Hit, Recognizer, alternation

_Y = r"(?:1[89][0-9]{2}|20[0-9]{2})"
_M = r"(?:0?[1-9]|1[0-2])"
_D = r"(?:0?[1-9]|[12][0-9]|3[01])"
_S = r"[ ]?[-/.][ ]?"
_DATE = (
    rf"(?:{_Y}(?:{_S}{_M}(?:{_S}{_D})?|[ ]?年[ ]?{_M}[ ]?月(?:[ ]?{_D}[ ]?[日号]?)?|[ ]?年)"
    rf"|{_Y}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    rf"|{_D}{_S}{_M}{_S}{_Y}"
    rf"|[0-9]{{2}}[ ]?年[ ]?{_M}[ ]?月(?:[ ]?{_D}[ ]?[日号]?)?)"
)
_LABEL_SEP = r"[ \t]{0,2}(?:[:=]|为|是|于|在)?[ \t]{0,2}(?:\([^()]{1,6}\)[ \t]{0,2}:?[ \t]{0,2})?"
_AFTER_LABEL = re.compile(
    rf"(?:{alternation(DOB_LABELS)}){_LABEL_SEP}(?P<d>{_DATE})(?![0-9])", re.IGNORECASE
)
#: a birth word right after the date: 生, 出生, 生人 — not 生活, 生病, 生化, 生长…
_BIRTH_WORD = re.compile(r"(?:出生|生人|出世|生(?![活病长命气效理殖成产化物存育日前后]))")
#: the date that ends right before a birth word (searched in the 16 characters before it)
_DATE_BEFORE = re.compile(rf"(?P<d>{_DATE})[ ]?$")


class CnDateOfBirthRecognizer(Recognizer):
    name = "CnDateOfBirthRecognizer"
    entities = (DATE_OF_BIRTH,)

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        if not any(ch.isdigit() for ch in text):
            return []
        hits = [
            self.hit(*m.span("d"), score=0.9, labelled=True)
            for m in _AFTER_LABEL.finditer(text)
            if not (m.group()[0].isascii() and m.start() > 0 and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha())
        ]
        for w in _BIRTH_WORD.finditer(text):
            if w.start() == 0 or text[w.start() - 1] not in "0123456789年月日号 ":
                continue
            for back in (16, 12, 10, 8):
                m = _DATE_BEFORE.search(text, max(0, w.start() - back), w.start())
                if m is not None and (m.start() == 0 or not text[m.start() - 1].isdigit()):
                    hits.append(self.hit(*m.span("d"), score=0.85, labelled=True))
                    break
        return hits
