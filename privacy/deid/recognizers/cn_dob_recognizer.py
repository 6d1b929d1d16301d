"""Dates of birth (DATE_OF_BIRTH), in every common written form, next to their labels.

A date is only a date of birth by what surrounds it: a label before it (``出生日期：``, ``生于``,
``DOB``) or a birth word after it (``1985年3月12日生``, ``1985-03-12出生``). The date itself may be
ISO (``1985-03-12``), slashed or dotted (``1985/3/12``, ``1985.03.12``), 8 digits (``19850312``),
Chinese (``1985年3月12日``; Chinese numerals were turned into Arabic by normalisation), year and
month only (``1985年3月``, ``1985-03``), day first (``12/03/1985``, ``12.03.1985``), or a month and
day before ``生日`` (``4月18号生日``, ``12月9日过生日``). Visit dates, report dates and ages are left
alone, and so is **a year of birth alone** (``1956年生``, ``生于1956年``, ``YOB: 1956``): a date of birth
carries at least the month. The year is what the project keeps when an agreement generalises a
date of birth (``privacy.generalise.birth_year``), and HIPAA's Safe Harbor keeps it too.
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
#: a month in Chinese as a lunar date writes it (正月, 冬月, 腊月) or as digits left by normalisation
_CN_MONTH = r"(?:闰)?(?:0?[1-9]|1[0-2]|正|冬|腊|十一|十二|十|[一二三四五六七八九])[ ]?月"
#: a day: digits, or a lunar day (初七, 十五, 廿三, 三十)
_CN_DAY = r"(?:(?:0?[1-9]|[12][0-9]|3[01])[ ]?[日号]?|[一二三四五六七八九十]{1,3}[日号]|初[一二三四五六七八九十]|十[一二三四五六七八九]|廿[一二三四五六七八九]?|二十[一二三四五六七八九]?|三十)"
#: a year of the sexagenary cycle (丙申年): lunar dates of birth are often written so
_GANZHI = r"[甲乙丙丁戊己庚辛壬癸][子丑寅卯辰巳午未申酉戌亥]"
_MON = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)(?![a-z])\.?"
)
#: a month in capitals, as passports, visas and airline forms print a date (12MAR1985, 12 MAR 85):
#: after a birth label only (an inline case-insensitive month in every date pattern slowed them all)
_MON_CAPS = r"(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]{0,6}"
#: a month in Roman numerals, as European and Russian forms write a date (12.III.1985, 12-XI-85)
_ROMAN = r"(?:XII|XI|IX|X|VIII|VII|VI|IV|V|III|II|I)(?![A-Za-z])"
_EN_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?"
_EN_SEP = r"[ ]?[-/ ,.][ ]?"
_DATE = (
    rf"(?:{_Y}(?:{_S}{_M}(?:{_S}{_D})?|[ ]?年[ ]?{_CN_MONTH}(?:[ ]?{_CN_DAY})?)"
    rf"|{_Y}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    rf"|{_D}{_S}{_M}{_S}{_Y}|{_M}{_S}{_D}{_S}{_Y}"
    rf"|(?:[0-9]{{2}}|{_GANZHI})[ ]?年[ ]?{_CN_MONTH}(?:[ ]?{_CN_DAY})?"
    rf"|{_EN_DAY}(?:[ ]of)?{_EN_SEP}{_MON}{_EN_SEP}(?:{_Y}|[0-9]{{2}})"
    rf"|{_MON}{_EN_SEP}{_EN_DAY}(?:{_EN_SEP}|,[ ]?)(?:{_Y}|[0-9]{{2}})"
    rf"|{_Y}{_EN_SEP}{_MON}{_EN_SEP}{_EN_DAY}|{_MON}{_EN_SEP}{_Y})"
)
#: after a birth label anything date-shaped is the date of birth, down to a month and day
#: (生日：3月7日), a lunar one (农历五月初五), two-digit years (03/07/56), a Roman month (12.III.1985)
#: — not a year alone (YOB 1956: see the module docstring)
_LABELLED_DATE = (
    rf"(?:{_DATE}|{_D}{_S}{_M}{_S}[0-9]{{2}}|{_M}{_S}{_D}{_S}[0-9]{{2}}|[0-9]{{2}}{_S}{_M}{_S}{_D}"
    rf"|{_CN_MONTH}[ ]?{_CN_DAY}|{_EN_DAY}{_EN_SEP}{_MON}|{_MON}{_EN_SEP}{_EN_DAY}"
    rf"|{_D}{_S}{_ROMAN}{_S}(?:{_Y}|[0-9]{{2}})|{_EN_DAY}[ \-]?{_MON_CAPS}[ \-]?(?:{_Y}|[0-9]{{2}})(?![0-9])"
    # a month and day in digits (生日：3.12, 03/12), not a measurement (出生：3.2kg)
    rf"|{_M}[./\-]{_D}(?![0-9./\-]|[ ]?(?:kg|Kg|KG|g|斤|cm|周|天|分|%|℃|次))"
    rf"|[0-9]{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])(?![0-9])"
    # a year and month in six digits, as 出生年月 boxes on a case front page are filled (195307)
    rf"|{_Y}(?:0[1-9]|1[0-2])(?![0-9]))"
)
#: what may stand between a label and its date: a colon, 为/是/于, spaces, a table cell's bar, one
#: line break, a remark in brackets (（农历）) and a calendar word (农历, 阴历, 公历)
_LABEL_SEP = (
    r"(?:/[\u4e00-\u9fff]{1,4})?[ \t|]{0,3}(?:[:=\-]|为|是|于|在|on|in)?[ \t|]{0,3}\n?[ \t|]{0,3}(?:the[ ])?"
    r"(?:[男女][ ]?/[ ]?|[0-9]{1,3}[ ]?(?:岁|y|Y|yrs|yo)?[ ]?/[ ]?)?"
    r"(?:\([^()]{1,6}\)[ \t]{0,2}:?[ \t]{0,2})?(?:(?:农历|阴历|旧历|公历|阳历|新历)[ ]?:?[ ]?)?"
)
#: the labels in the cases notes write them (no IGNORECASE: it slows the search of every note)
_CASED_LABELS = sorted({v for w in DOB_LABELS for v in (w, w.lower(), w.upper(), w.capitalize(), w.title())})
_AFTER_LABEL = re.compile(rf"(?:{alternation(_CASED_LABELS)}){_LABEL_SEP}(?P<d>{_LABELLED_DATE})(?![0-9])")
#: a full date a few words after a birth label (出生：上海，1956年3月7日; 出生于上海市，1956-03-07)
_NEAR_LABEL = re.compile(rf"(?P<l>{alternation([w for w in DOB_LABELS if not w.isascii()])})[^0-9\n]{{1,8}}?(?P<d>{_DATE})(?![0-9])")
#: session 10: another date's label between (1948/10/24出生  植入日期 2024.05.17): that date is the other's
_OTHER_DATE_LABEL = re.compile(r"日期|时间|日[ ]期")
#: a second writing of the date right after it: 1956年3月7日（农历二月初五）, 1956-03-07 / 7 Mar 1956
_ALSO = re.compile(
    rf"[ ]?[(/,]?[ ]?(?:农历|阴历|旧历|公历|阳历|新历|lunar|Lunar)?[ ]?:?[ ]?(?P<d>{_LABELLED_DATE})(?![0-9])"
)
#: a birth word right after the date: 生, 出生, 生人 — not 生活, 生病, 生长, 生化…
_BIRTH_WORD = re.compile(r"(?:出生|生人|出世|生(?![活病长命气效理殖成产化物存育日前后]))")
#: the date that ends right before a birth word (searched in the 20 characters before it)
_DATE_BEFORE = re.compile(rf"(?P<d>{_DATE}|{_CN_MONTH}[ ]?{_CN_DAY})[ ]?$")
#: a calendar word before a date (农历1956年三月初七生): redacted with it
_CALENDAR = ("农历", "阴历", "旧历")
#: what stands between a date and 生日 (4月18号生日, 12月9日过生日, 3月7日是他的生日): the date before it
#: is then read by _DATE_BEFORE (one compiled copy of the date patterns is enough: each costs
#: ~15 ms of start-up to compile)
#: the last character of a date (a day or month unit, a digit, a lunar day's numeral)
_DATE_ENDS = frozenset("日号月0123456789一二三四五六七八九十廿")
_BEFORE_BIRTHDAY = re.compile(r"(?:是|为)?(?:我|他|她|患者|病人|本人|患儿|孩子)?的?(?:阳历|农历|公历|阴历|新历|旧历)?过?$")
#: 生日 as a label (生日：…, 生日是…, 生日 1956-03-07, 生日 三月七日), not after its date
_BIRTHDAY_LABEL = re.compile(
    r"[ \t|]{0,3}(?:[:=|(/]|是|为|[0-9]|[一二三四五六七八九十〇零正冬腊]{1,4}[年月]|农历|阴历|旧历|公历|阳历|新历|"
    r"[甲乙丙丁戊己庚辛壬癸][子丑寅卯辰巳午未申酉戌亥])"
)


class CnDateOfBirthRecognizer(Recognizer):
    name = "CnDateOfBirthRecognizer"
    entities = (DATE_OF_BIRTH,)

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        if "月" not in text and not any(ch.isdigit() for ch in text) and not any(w in text for w in _CALENDAR):
            return []
        hits = [
            self.hit(*m.span("d"), score=0.9, labelled=True)
            for m in _AFTER_LABEL.finditer(text)
            if not (m.group()[0].isascii() and m.start() > 0 and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha())
        ]
        hits += [self.hit(*m.span("d"), score=0.8, labelled=True) for m in _NEAR_LABEL.finditer(text)
                 if not any(h.start <= m.start("d") < h.end for h in hits)
                 and _OTHER_DATE_LABEL.search(text, m.end("l"), m.start("d")) is None]
        for h in list(hits):
            also = _ALSO.match(text, h.end)
            if also is not None and also.group("d") and also.end() > h.end:
                hits.append(self.hit(*also.span("d"), score=0.85, labelled=True))
        for w in _BIRTH_WORD.finditer(text):
            if w.start() == 0 or text[w.start() - 1] not in "0123456789年月日号 一二三四五六七八九十初廿":
                continue
            for back in (20, 16, 12, 10, 8, 5):
                m = _DATE_BEFORE.search(text, max(0, w.start() - back), w.start())
                if m is not None and (m.start() == 0 or not text[m.start() - 1].isdigit()):
                    if m.group("d")[:1].isdigit() or text[max(0, m.start() - 2) : m.start()] in _CALENDAR:
                        hits.append(self.hit(*m.span("d"), score=0.85, labelled=True))
                        break
        if "生日" in text:
            hits += self._before_birthday(text)
        return hits

    def _before_birthday(self, text: str) -> list[Hit]:
        """The date, or the month and day, right before 生日 (4月18号生日, 12月9日过生日)."""
        hits = []
        pos = text.find("生日")
        while pos != -1:
            # (出生日期 holds 生日 too; 生日：… is the label, its date after it)
            if pos > 0 and text[pos - 1] != "出" and not _BIRTHDAY_LABEL.match(text, pos + 2):
                hit = self._date_ending(text, pos)
                if hit is not None:
                    hits.append(hit)
            pos = text.find("生日", pos + 2)
        return hits

    def _date_ending(self, text: str, pos: int) -> Hit | None:
        """The date that ends at ``pos``, or before 是/的/过… that link it to 生日 there."""
        link = _BEFORE_BIRTHDAY.search(text, max(0, pos - 8), pos)
        end = link.start() if link is not None else pos
        if end == 0 or text[end - 1] not in _DATE_ENDS:
            return None  # no date ends here
        for back in (24, 16, 12, 8):
            m = _DATE_BEFORE.search(text, max(0, end - back), end)
            if m is not None and (m.start() == 0 or not text[m.start() - 1].isdigit()):
                return self.hit(*m.span("d"), score=0.85, labelled=True)
        return None
