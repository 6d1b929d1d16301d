"""Normalise a note before recognising, and map what was found back to the original text.

Notes write one identifier many ways: ``３１０１０４…`` (full-width digits), ``138 1234 5678`` or
``310104-19900307-4211`` (digits in groups), ``一九八五年三月十二日`` (Chinese numerals). The
recognisers see one canonical copy (:attr:`Normalised.text`) and every span they find there is
mapped back to the characters of the original note (:meth:`Normalised.to_original`), so the
original span is what gets redacted — full-width, spaced or not.

What changes (everything else is copied as it is):

* full-width ASCII (U+FF01–FF5E) and the ideographic space become ASCII; other dashes
  (``—–‐‑−﹣``) become ``-``; no-break and other Unicode spaces become a space; the middle dots
  that join the parts of a transliterated or minority name (``•・‧∙``) become ``·``; Traditional
  characters become Simplified (:mod:`privacy.deid.t2s`, OpenCC's one-character table: ``陳志強``
  is read as ``陈志强``, ``醫師`` as ``医师``) — all one character for one, so offsets do not move;
* zero-width characters (U+200B–U+200D, U+2060, U+FEFF) are dropped;
* the separators inside a number written in groups of three or more digits (``138 1234 5678``,
  ``6222-0212-3456-7890``, ``310104 19900307 421X``) are dropped when the groups add up to seven
  digits or more; a date (``2024-03-15``, groups of two) and lab values (``130 80``) are left alone;
* a date in Chinese numerals (``一九八五年三月十二日``, ``二〇〇一年十月``, ``五六年三月七日``) becomes
  Arabic (``1985年3月12日``, ``56年3月7日``), and so does a run of six or more Chinese digits read one by one
  (``一三八一二三四五六七八`` → ``13812345678``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from privacy.deid.t2s import SIMPLIFIED, TRADITIONAL

#: one character for one: full-width ASCII, the ideographic space, dashes and Unicode spaces
_WIDTH = str.maketrans(
    {
        **{0xFF01 + i: 0x21 + i for i in range(94)},
        0x3000: 0x20,
        0x00A0: 0x20,
        **{c: 0x20 for c in range(0x2000, 0x200B)},
        0x202F: 0x20,
        0x205F: 0x20,
        **{c: 0x2D for c in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE63, 0xFE58)},
        **{c: 0xB7 for c in (0x2022, 0x30FB, 0x2027, 0x2219, 0xFF65, 0x22C5)},
        **{ord(t): ord(s) for t, s in zip(TRADITIONAL, SIMPLIFIED, strict=True)},
    }
)
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH}]")

CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "一": "1", "幺": "1", "二": "2", "两": "2",
             "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9",
             "壹": "1", "贰": "2", "叁": "3", "肆": "4", "伍": "5", "陆": "6", "柒": "7", "捌": "8", "玖": "9"}  # fmt: skip
_CN_D = "〇零○一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"
#: a digit group: a run of digits, a final ``X`` allowed on the last group (resident IDs)
_GROUPS = re.compile(r"[0-9](?<![0-9].)[0-9]{2,}(?:(?: {1,2}|-| - |\.)[0-9]{3,}[Xx]?)+(?![0-9A-Za-z]|[\-./:][0-9])")
#: short groups (3101 0419 9003 0742 11, 1 3 8 1 2 3 4 5 6 7 8): one separator throughout, and as
#: many digits as a phone, an ID or a card has (11 to 19)
_SHORT_GROUPS = re.compile(r"[0-9](?<![0-9.].)[0-9]{0,3}(?P<sep>[ \-.])[0-9]{1,4}(?:(?P=sep)[0-9]{1,4})+[Xx]?(?![0-9A-Za-z]|\.[0-9])")
_CN_DATE = re.compile(
    rf"([{_CN_D}]{{4}}|[{_CN_D}]{{2}})(年)([{_CN_SMALL}]{{1,3}})(月)(?:([{_CN_SMALL}]{{1,3}})([日号]))?"
)
_CN_RUN = re.compile(rf"[{_CN_D}幺壹贰叁肆伍陆柒捌玖]{{6,}}")


def _cn_small_number(text: str) -> str | None:
    """``三`` → 3, ``十二`` → 12, ``二十`` → 20, ``三十一`` → 31 (months and days only)."""
    if "十" not in text:
        return CN_DIGITS.get(text) if len(text) == 1 else None
    head, _, tail = text.partition("十")
    tens = int(CN_DIGITS[head]) if head else 1
    units = int(CN_DIGITS[tail]) if tail else 0
    if len(head) > 1 or len(tail) > 1 or (head and head not in CN_DIGITS) or (tail and tail not in CN_DIGITS):
        return None
    return str(tens * 10 + units)


@dataclass(frozen=True, slots=True)
class Normalised:
    """The canonical copy of ``original`` and, where it differs in length, the offset map.

    ``segments`` (None when the two texts align one for one) are ``(norm_start, orig_start,
    parts)`` in order: ``parts`` is None for a run copied as it is (offsets move together), or
    the original ``(start, end)`` of each character of a rewritten run.
    """

    original: str
    text: str
    segments: tuple[tuple[int, int, tuple[tuple[int, int], ...] | None], ...] | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``text[start:end]`` (everything the characters came from)."""
        if self.segments is None:
            return start, end
        if end <= start:
            return self._char(start)[0], self._char(start)[0]
        return self._char(start)[0], self._char(end - 1)[1]

    def _char(self, pos: int) -> tuple[int, int]:
        segments = self.segments
        assert segments is not None
        if pos >= len(self.text):
            return len(self.original), len(self.original)
        i = bisect_right(segments, pos, key=lambda seg: seg[0]) - 1
        norm_start, orig_start, parts = segments[i]
        if parts is None:
            o = orig_start + pos - norm_start
            return o, o + 1
        return parts[pos - norm_start]


def normalise(text: str) -> Normalised:
    """The canonical copy of ``text`` with its offset map (see the module docstring)."""
    folded = text.translate(_WIDTH)
    edits = _edits(folded)
    if not edits:
        return Normalised(text, folded)
    edits.sort(key=lambda e: (e[0], -e[1]))
    out: list[str] = []
    segments: list[tuple[int, int, tuple[tuple[int, int], ...] | None]] = []
    length = 0
    pos = 0
    for start, end, parts in edits:
        if start < pos:  # overlaps an earlier edit (a date inside a digit run): the first wins
            continue
        if start > pos:
            segments.append((length, pos, None))
            out.append(folded[pos:start])
            length += start - pos
        if parts:
            segments.append((length, start, tuple((s, e) for _, s, e in parts)))
            out.append("".join(ch for ch, _, _ in parts))
            length += len(parts)
        pos = end
    if pos < len(folded):
        segments.append((length, pos, None))
        out.append(folded[pos:])
    return Normalised(text, "".join(out), tuple(segments))


def _edits(folded: str) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """(start, end, [(character, original start, original end), ...]) of every rewrite."""
    edits: list[tuple[int, int, list[tuple[str, int, int]]]] = []
    for m in _GROUPS.finditer(folded):
        digits = sum(ch.isdigit() for ch in m.group())
        if digits < 7:
            continue
        parts = [(ch, m.start() + i, m.start() + i + 1) for i, ch in enumerate(m.group()) if ch not in " -."]
        edits.append((m.start(), m.end(), parts))
    for m in _SHORT_GROUPS.finditer(folded):
        digits = sum(ch.isdigit() for ch in m.group())
        if not 11 <= digits <= 19:
            continue
        parts = [(ch, m.start() + i, m.start() + i + 1) for i, ch in enumerate(m.group()) if ch not in " -."]
        edits.append((m.start(), m.end(), parts))
    for m in _CN_DATE.finditer(folded):
        if m.start() and folded[m.start() - 1] in _CN_D:
            continue  # (three digits and more before 年: not a year; no lookbehind, it slows the search)
        parts = [(CN_DIGITS[ch], m.start(1) + i, m.start(1) + i + 1) for i, ch in enumerate(m.group(1))]
        parts.append(("年", m.start(2), m.end(2)))
        month = _cn_small_number(m.group(3))
        if month is None:
            continue
        parts += [(ch, m.start(3), m.end(3)) for ch in month] + [("月", m.start(4), m.end(4))]
        if m.group(5):
            day = _cn_small_number(m.group(5))
            if day is None:
                continue
            parts += [(ch, m.start(5), m.end(5)) for ch in day] + [(m.group(6), m.start(6), m.end(6))]
        edits.append((m.start(), m.end(), parts))
    for m in _CN_RUN.finditer(folded):
        parts = [(CN_DIGITS[ch], m.start() + i, m.start() + i + 1) for i, ch in enumerate(m.group())]
        edits.append((m.start(), m.end(), parts))
    for m in _ZERO_WIDTH_RE.finditer(folded):
        edits.append((m.start(), m.end(), []))
    return edits


def fold(text: str) -> str:
    """Widths folded and every space and dash dropped: how a leak is compared (the issue's rule)."""
    return re.sub(r"[\s\-]", "", text.translate(_WIDTH))
