"""Mainland mobile numbers and landlines, contiguous or grouped (joined by normalisation).

A masked number (``138****5678``) is left alone: what is left of it identifies no one (the
pipeline still redacts the masked form of a number it knows is the person's, privacy.deid.known)."""

from __future__ import annotations

import re

from privacy.deid.entities import PHONE
from privacy.deid.recognizers.base import (
    AFTER_FIRST_NO_DIGIT,
    NO_DIGIT_AFTER,
    Doc,
    Hit,
    Recognizer,
)

#: a country code right before a mobile (taken into the span)
_COUNTRY = re.compile(r"(?:\+ ?86|0086|\(\+?86\)) ?-?$")
#: a 1[3-9] mobile (normalisation joined 138 1234 5678 and 138-1234-5678), after a non-digit or +86
_MOBILE = re.compile(rf"1(?:(?<![0-9A-Za-z].)|(?<=86.)|(?<=86 .)|(?<=86-.))[3-9][0-9]{{9}}{NO_DIGIT_AFTER}")
#: a landline with its area code: 02164041990 (joined), (021)64041990, 021-6404 1990 …, an extension
_AREA = r"0(?:10|2[0-9]|[3-9][0-9]{2})"  # (the code after its 0: _AREA[1:])
_LANDLINE = re.compile(
    rf"(?:0{AFTER_FIRST_NO_DIGIT}{_AREA[1:]}-?|\({_AREA}\) ?)[2-9][0-9]{{6,7}}(?:(?:-|转|ext\.?)[0-9]{{1,5}})?{NO_DIGIT_AFTER}"
)
#: a bare local number, 8 digits (Shanghai) or 7, beside a phone word within the few characters before
_LOCAL = re.compile(rf"[2-9]{AFTER_FIRST_NO_DIGIT}[0-9]{{6,7}}{NO_DIGIT_AFTER}")
#: a phone word, or a relative's role in brackets (紧急联系人：王芳（妻子）64041990)
_PHONE_WORDS = re.compile(
    r"电话|手机|座机|宅电|固话|来电|致电|号码|联系|[Tt]el|TEL|[Pp]hone|[Cc]ontact|拨打|打|"
    r"[(（](?:丈夫|妻子|爱人|儿子|女儿|母亲|父亲|孙子|孙女|外孙女?|儿媳|女婿|哥哥|姐姐|弟弟|妹妹|侄子|侄女|"
    r"外甥女?|祖父|祖母|外公|外婆|爷爷|奶奶|配偶|本人|家属|朋友|同事)[)）] ?$"
)
#: an international number: + and a country code, then groups as that country writes them
#: (+852 9123 4567, +1 646-555-0134, +7 912 443-58-95, +81 90-1234-5678, +44 (0)20 7946 0958)
_INTL = re.compile(r"\+[1-9][0-9]{0,3}[ \-.]?(?:\([0-9]{1,4}\)[ ]?)?[0-9]+(?:[ \-.][0-9]+){0,5}(?![0-9])")
#: a landline written for callers from abroad: +86 / 0086 / (86-21), the area code without its 0
#: (+86-21-59176371, 0086-21-…, +86 (21) 68591246, (86-21)41141209), an extension after it
_LANDLINE_INTL = re.compile(
    rf"86(?:[ \-]?(?:\({_AREA[1:]}\)|{_AREA[1:]})|[ \-]?{_AREA[1:]}\))[ \-]?[2-9][0-9]{{6,7}}"
    rf"(?:(?:-|转|ext\.?|分机)[0-9]{{1,5}})?{NO_DIGIT_AFTER}"
)
#: what stands before the 86 of such a number (+86, + 86, 0086, (86, (+86)
_INTL_PREFIX = re.compile(r"(?:\+ ?|00|\(\+?|\(\+ ?)$")
#: the letters OCR reads for digits in a scanned number (O/o/D for 0, l/I for 1, Z for 2, S for 5,
#: b for 6, B for 8, q/g for 9)
OCR_DIGITS = str.maketrans("OoDlIZSbBqg", "00011256899")
_OCR_CHARS = "OoDlIZSbBqg"
#: where a phone number is expected (a phone label, a relative's role in brackets), then the value
#: whatever its shape: an extension, an international or OCR'd form, digits one per box
_CUE_TAIL = r"(?:\([^()0-9]{1,6}\))?[ ]{0,2}[:：]?[ ]{0,2}"
_PHONE_CUE_WORD = re.compile(r"(?:电话|手机|座机|宅电|固话|联系方式|Tel|TEL|tel|Phone|phone|Mobile|Mob)\.?" + _CUE_TAIL)
_PHONE_CUE_ROLE = re.compile(
    r"\((?:丈夫|妻子|爱人|儿子|女儿|母亲|父亲|孙子|孙女|外孙女?|儿媳|女婿|哥哥|姐姐|弟弟|妹妹|侄子|侄女|"
    r"外甥女?|祖父|祖母|外公|外婆|爷爷|奶奶|配偶|本人|家属|朋友|同事|监护人)\)" + _CUE_TAIL
)
_CUED_VALUE = re.compile(
    rf"[+(]?[0-9{_OCR_CHARS}](?:[0-9{_OCR_CHARS}()\-+]|[ ]{{1,2}}(?=[0-9(]|[{_OCR_CHARS}][0-9])"
    rf"|[ ]?(?:转|分机|ext\.?)[ ]?(?=[0-9]))*"
)
_DATE_LIKE = re.compile(r"(?:19|20)[0-9]{2}[-/.](?:0?[1-9]|1[0-2])(?:[-/.][0-9]{1,2})?$")
_DATE8 = re.compile(r"(?:19[0-9]{2}|20[0-3][0-9])(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")


class CnPhoneRecognizer(Recognizer):
    """Phone numbers as Chinese notes write them.

    A mobile (1[3-9], 11 digits) or a landline with its area code is distinctive
    on its own; a bare 7–8 digit local number (lab values, sample numbers share the shape) counts
    only with a phone word in the ten characters before it, and never when it reads as a date.
    """

    name = "CnPhoneRecognizer"
    entities = (PHONE,)

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        hits = []
        for m in _MOBILE.finditer(text):
            start = m.start()
            country = _COUNTRY.search(text, max(0, start - 7), start)
            if country is not None:
                start = country.start()
            elif start > 0 and text[start - 1].isalnum() and text[start - 1].isascii():
                continue  # 86 was part of a longer number
            hits.append(self.hit(start, m.end(), score=0.85))
        hits += [self.hit(m, score=0.8) for m in _LANDLINE.finditer(text)]
        if "+" in text:
            for m in _INTL.finditer(text):
                if 8 <= sum(ch.isdigit() for ch in m.group()) <= 16:
                    hits.append(self.hit(m, score=0.8, labelled=True))
        if "86" in text:
            for m in _LANDLINE_INTL.finditer(text):
                prefix = _INTL_PREFIX.search(text, max(0, m.start() - 3), m.start())
                if prefix is not None:
                    hits.append(self.hit(prefix.start(), m.end(), score=0.8))
        hits += self._cued(text)
        for m in _LOCAL.finditer(text):
            if _DATE8.fullmatch(m.group()):
                continue
            if _PHONE_WORDS.search(text[max(0, m.start() - 10) : m.start()]):
                hits.append(self.hit(m, score=0.6))
        return hits

    def _cued(self, text: str) -> list[Hit]:
        """The value right after a phone label or a relative's role in brackets, whatever its
        shape (021-36660222-422, (86-21)41141209, 1  3  9  2 …, 15630125b97): 7 to 16 digits,
        OCR letters read as digits, not a date."""
        hits = []
        cues = [m.end() for m in _PHONE_CUE_WORD.finditer(text)]
        if "(" in text:
            cues += [m.end() for m in _PHONE_CUE_ROLE.finditer(text)]
        for cue_end in cues:
            m = _CUED_VALUE.match(text, cue_end)
            if m is None:
                continue
            value = m.group().rstrip(" -+(")
            if m.start() + len(value) < len(text) and text[m.start() + len(value)] in "年月岁" and " " in value:
                value = value.rsplit(" ", 1)[0].rstrip(" -+(")  # the last group is a year or an age (… 1973年出生)
            end = m.start() + len(value)
            if end < len(text) and (text[end].isascii() and text[end].isalpha() or text[end] == "@"):
                continue  # a word or an e-mail address goes on
            letters = sum(ch in _OCR_CHARS for ch in value)
            digits = sum(ch.isdigit() for ch in value)
            if not 7 <= digits + letters <= 16 or letters > 3 or (letters and (digits < 6 or digits + letters < 8)):
                continue
            if _DATE_LIKE.match(value) or _DATE8.fullmatch(value):
                continue
            if value.lstrip("(").startswith(("400", "800", "95", "12")) and digits + letters <= 10:
                continue  # a service line, not a person's
            hits.append(self.hit(m.start(), end, score=0.75))
        return hits
