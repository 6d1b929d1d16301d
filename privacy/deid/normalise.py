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
from functools import lru_cache

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
#: str.translate looks every character of a note up in that table (a dict: ~0.1 µs a character,
#: the costliest step of normalising). Most notes are written in GB 2312's characters; in such a
#: note only the table's 112 characters GB 2312 has can occur (full-width ASCII, 　, ・, ― and a
#: few Traditional forms such as 於 後 乾): the commonest are replaced with str.replace (C speed), the
#: others found by one small class. A note with a character outside GB 2312 (a rare name
#: character, a Traditional one, a Unicode space or dash) is translated as before.
_FREQUENT = tuple((ch, chr(_WIDTH[ord(ch)])) for ch in "：，（）；？！\u3000" + "".join(chr(0xFF10 + i) for i in range(10)))


def _gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


_GB_WIDTH = re.compile(
    "[" + "".join(re.escape(chr(k)) for k in sorted(_WIDTH) if _gb2312(chr(k)) and chr(k) not in dict(_FREQUENT)) + "]"
)


def _fold_char(m: re.Match[str]) -> str:
    return chr(_WIDTH[ord(m.group())])


def fold_width(text: str) -> str:
    """``text.translate(_WIDTH)``, quicker: the same characters out."""
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return text.translate(_WIDTH)
    for wide, narrow in _FREQUENT:
        text = text.replace(wide, narrow)
    if _GB_WIDTH.search(text):
        text = _GB_WIDTH.sub(_fold_char, text)
    return text


_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH}]")

#: digits as Chinese writes and says them: numerals, financial numerals (大写), and the words for
#: digits read out over a phone or a radio (幺 1, 两 2, 拐 7, 勾 9, 洞 0; 么 is how 幺 gets typed)
CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "洞": "0", "一": "1", "幺": "1", "么": "1",
             "二": "2", "两": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "拐": "7",
             "八": "8", "九": "9", "勾": "9",
             "壹": "1", "贰": "2", "叁": "3", "肆": "4", "伍": "5", "陆": "6", "柒": "7", "捌": "8", "玖": "9"}  # fmt: skip
_CN_D = "〇零○一二三四五六七八九"
#: the digits of a number read out (a card, a record number, a phone in a call transcript)
_SPOKEN_D = "〇零○一二三四五六七八九幺两洞拐勾么"
#: a digit group: a run of digits, a final ``X`` allowed on the last group (resident IDs); a group
#: that is a year, a month or an age (…5652  2013年生, 4051 1931年) is not part of the number
_GROUPS = re.compile(r"[0-9](?<![0-9].)[0-9]{2,}(?:(?: {1,2}|-| - |\.)[0-9]{3,}[Xx]?)+(?![0-9A-Za-z年月岁]|[\-./:][0-9])")
#: short groups (3101 0419 9003 0742 11, 1 3 8 1 2 3 4 5 6 7 8): one separator throughout, and as
#: many digits as a phone, an ID or a card has (11 to 19)
_SHORT_GROUPS = re.compile(r"[0-9](?<![0-9.].)[0-9]{0,3}(?P<sep>[ ]{1,2}|[\-.])[0-9]{1,4}(?:(?P=sep)[0-9]{1,4})+[Xx]?(?![0-9A-Za-z年月岁]|\.[0-9])")
#: a decimal number, not a number in groups: one run, a dot, one run
_DECIMAL = re.compile(r"[0-9]{1,3}\.[0-9]+")
_CN_RUN = re.compile(rf"[{_SPOKEN_D}壹贰叁肆伍陆柒捌玖]{{6,}}")
#: between the groups of a number read out or typed from dictation: spaces, a dash or 杠 (how a
#: dash is said), a comma or 、 (幺三八，幺二三四，五六七八; 九〇〇、三九五、四三一)
_SPOKEN_SEP = r"(?:[ ]{0,2}[,、][ ]{0,2}|[ ]{1,2}|[ ]?(?:-|杠)[ ]?)"
#: Arabic and Chinese digits mixed in one number (138一二三四五六七八, 幺八幺14768862), or Chinese
#: digits in groups (幺三八 幺二三四 五六七八, 一三八-一二三四-五六七八, 六二幺六，六幺二九，…): seven
#: digits or more with a Chinese one among them (a pure unbroken Chinese run is _CN_RUN's); groups of
#: two or more, the last may be shorter (六三三，九一九，二八七，四); the separators are dropped
_MIXED_RUN = re.compile(
    rf"[0-9{_SPOKEN_D}](?<![0-9{_SPOKEN_D}].)(?:[0-9{_SPOKEN_D}]{{6,}}|[0-9{_SPOKEN_D}]{{2,}}"
    rf"(?:{_SPOKEN_SEP}[0-9{_SPOKEN_D}]{{2,}})+(?:{_SPOKEN_SEP}[0-9{_SPOKEN_D}])?)(?![0-9{_SPOKEN_D}])"
)
#: a Chinese digit next to another digit: the cheap test before _MIXED_RUN (character classes only:
#: an alternation of separators at every Chinese digit doubled its cost)
_CN_DIGIT_PAIR = re.compile(
    rf"[{_SPOKEN_D}壹贰叁肆伍陆柒捌玖][ ,、\-杠]{{0,5}}[0-9{_SPOKEN_D}壹贰叁肆伍陆柒捌玖]|[0-9][ ,、\-杠]{{0,5}}[{_SPOKEN_D}]"
)
#: seventeen digits and ×, which an input method offers for X (31010419900307421×)
_TIMES_X = re.compile(r"(?<![0-9])[0-9]{17}×(?![0-9A-Za-z])")
#: a digit at the end of a line and one at the start of the next: the cheap test before _WRAPPED
_WRAP_GUARD = re.compile(r"[0-9][ \t\-]{0,3}\r?\n[ \t]{0,3}[0-9]")
_SPOKEN_SEPARATORS = frozenset(" ,、-杠")
#: a number whose groups are cut by other punctuation (156_1512_6930, 138·1234·5678, (139)9373.0583,
#: 340822/1936/0519/2150, 370102_19610716_606X): joined only when the whole is a mobile, a landline
#: with its area code, a valid resident ID or a Luhn card (_punct_number) — dates, ratios and
#: decimals share the separators
_PUNCT_NUMBER = re.compile(
    r"[(0-9](?<![0-9A-Za-z_.].)(?:(?<=\()[0-9]{2,4}\)[ ]?|[0-9]{2,7}[ ]?[/_·.,、\-][ ]?)"
    r"(?:[0-9]{3,8}[ ]?[/_·.,、\-][ ]?)*[0-9]{2,8}[Xx]?(?![0-9A-Za-z])"
)
#: a date in Japanese era years as Japanese forms abbreviate them: S52.1.28 (昭和52年), H13.8.2 (平成),
#: R3.5.1 (令和), T14 (大正), M45 (明治); the last year of each era bounds the number
_ERA_ABBR = re.compile(
    r"[MTSHR](?<![0-9A-Za-z].)(?P<y>[0-9]{1,2})(?P<sep>[./\-])(?:0?[1-9]|1[0-2])(?P=sep)(?:0?[1-9]|[12][0-9]|3[01])(?![0-9A-Za-z])"
)
_DIGIT_GROUP = re.compile(r"[0-9]+[Xx]?")
_PUNCT_GUARD = re.compile(r"[0-9][ ]?[/_·,、.][ ]?[0-9]{3}|\([0-9]{2,4}\)[ ]?[0-9]")
_ERA_LETTERS = {"M": (1867, 45), "T": (1911, 15), "S": (1925, 64), "H": (1988, 31), "R": (2018, 40)}
#: a date with Chinese numerals in some parts and Arabic in others (1937年八月十二日, 一九九一年5月15日,
#: 1946年9月二十六日; 廿 and 卅 for twenty and thirty, 一九四三年十一月廿一日): found from its 年, the
#: year read back from there
_MIXED_DATE = re.compile(
    r"年(?P<m>[一二三四五六七八九十]{1,3}|[0-9]{1,2})月(?:(?P<d>[一二三四五六七八九十廿卅]{1,3}|[0-9]{1,2})(?P<u>[日号]))?"
)
#: digits in form boxes or spaced one by one (3|1|0|1|…, 3 | 1 | 0 …): seven single digits or more
#: with one separator throughout, a final X allowed
_BOXES = re.compile(r"[0-9](?<![0-9A-Za-z].)(?P<sep>[ ]?\|[ ]?)[0-9](?:(?P=sep)[0-9]){5,}(?:(?P=sep)[0-9Xx])*(?![0-9A-Za-z])")
#: (digits spaced one by one, 3 1 0 1 …, are _SHORT_GROUPS')
#: digits in drawn boxes, one per box, typed out: [1][3][8]…, 【1】【3】…, 1□3□8… (seven or more)
_DRAWN_BOXES = re.compile(
    r"(?:[\[【][0-9Xx][\]】][ ]?){7,}|[0-9](?<![0-9A-Za-z].)(?:[ ]?□[ ]?[0-9Xx]){6,}(?![0-9A-Za-z])"
)
#: a number cut by a line break (a wrapped table cell or header line): the two parts are joined
#: only when together they make a mobile, a valid resident ID or a Luhn card (checked below)
_WRAPPED = re.compile(
    r"[0-9](?<![0-9A-Za-z\-].)(?:[0-9]{0,5}[ \-])*[0-9]{0,17}[ \t]?\r?\n[ \t]{0,3}[0-9]{1,17}(?:[ \-][0-9]{1,6})*[Xx]?(?![0-9A-Za-z])"
)
#: dates in an era's years: the Republic of China's (民国72年3月2日, 民國六十三年一月二十一日: year 1
#: is 1912) and Japan's (昭和60年, 平成3年, 令和2年, 大正14年; 元年 is year 1), for Taiwanese and
#: Japanese patients' documents
_CN_NUM = "一二三四五六七八九十〇零"
_ERAS = {"民国": 1911, "昭和": 1925, "平成": 1988, "令和": 2018, "大正": 1911, "明治": 1867}
_MINGUO = re.compile(
    rf"(民国|昭和|平成|令和|大正|明治)([0-9]{{1,3}}|[{_CN_NUM}]{{1,4}}|元)年(?:([0-9]{{1,2}}|[{_CN_NUM}]{{1,3}})月(?:([0-9]{{1,2}}|[{_CN_NUM}]{{1,3}})([日号]))?)?"
)
#: Chinese characters written apart (OCR of a spaced form, labels padded to line up): runs of
#: single characters separated by one to three spaces (住 院 号, 姓  名, 出 生) — only the part of a
#: run that spells a label is joined (in 任 重  关  系, 关系) — and a surname, then one space before
#: one or two characters standing alone (王 芳) or two or three spaces before anything (萧  瑞英住院
#: 医师): a two-character name padded to line up with three-character ones. Only the spaces are
#: dropped; the name recogniser decides. Found from the gaps between two Chinese characters
_GAP = re.compile(r"[\u4e00-\u9fff]( {1,3})(?=[\u4e00-\u9fff])")
#: a name cut by a line break (a narrow table cell or a PDF column: 姓名：庞⏎然, 巡回护士：牧⏎月珍,
#: XM=井振⏎东, 患者王⏎芳，女): one to three characters at the start of a field (after a colon, ``=``,
#: a quote, a cell's bar or tab, two spaces, ``/``, a person word such as 患者, or at a line's
#: start), the break, then one to three characters that end at a field's end (two spaces, a bar, a
#: tab, ``;``, a comma or 、, a bracket, a quote, ``/``, a digit, a line end). Joined only when the whole is two to four characters, opens with a
#: surname and neither part is a label; the name recognisers then read it as any other name.
#: Found from the break (few notes have one between two characters)
_HAN_BREAK = re.compile(r"\n(?P<b>[\u4e00-\u9fff]{1,3})(?=  |[ ]?[|\t;,、/()0-9+\"'<]|\r?\n|[ ]?$)", re.MULTILINE)
_NAME_PART_BEFORE = re.compile(
    r"(?:^|(?<=[:=|\t\n/\"'])|(?<=  )|(?<=患者|病人|患儿|家属|病员|老人))[ ]?([\u4e00-\u9fff]{1,3})$"
)
#: the digits of a date of birth one per box of a paper form, typed with a space between boxes:
#: 1 9 3 6 年 0 3 月 1 0 日, 1 9 3 9 1 0 0 3 (eight boxes); joined when they make a date
_SPACED_DATE = re.compile(
    r"[12](?: [0-9]){3}(?:(?P<cn> ?年 ?[0-9](?: [0-9])? ?月 ?[0-9](?: [0-9])? ?[日号])"
    r"|(?P<sep> ?[\-/.] ?)[0-9](?: [0-9])?(?P=sep)[0-9](?: [0-9])?|(?: [0-9]){4})(?![ ]?[0-9A-Za-z])"
)


def _cn_small_number(text: str) -> str | None:
    """``三`` → 3, ``十二`` → 12, ``二十`` → 20, ``三十一`` → 31, ``廿一`` → 21, ``卅`` → 30 (months and
    days only)."""
    if text[:1] in ("廿", "卅"):
        tail = text[1:]
        if len(tail) > 1 or (tail and tail not in CN_DIGITS) or tail in ("〇", "零", "○", "Ｏ", "洞"):
            return None
        return str((20 if text[0] == "廿" else 30) + (int(CN_DIGITS[tail]) if tail else 0))
    if "十" not in text:
        return CN_DIGITS.get(text) if len(text) == 1 else None
    head, _, tail = text.partition("十")
    tens = int(CN_DIGITS[head]) if head else 1
    units = int(CN_DIGITS[tail]) if tail else 0
    if len(head) > 1 or len(tail) > 1 or (head and head not in CN_DIGITS) or (tail and tail not in CN_DIGITS):
        return None
    return str(tens * 10 + units)


def _cn_year(text: str) -> int | None:
    """``六十三`` → 63, ``九十三`` → 93, ``七`` → 7, ``一〇三`` → 103 (a 民国 year)."""
    small = _cn_small_number(text)
    if small is not None:
        return int(small)
    if all(ch in CN_DIGITS for ch in text):
        return int("".join(CN_DIGITS[ch] for ch in text))
    return None


def _minguo(m: re.Match[str]) -> list[tuple[str, int, int]] | None:
    """The 民国 date of ``m`` in the common era, Arabic (民国六十三年一月二十一日 → 1974年1月21日)."""
    year = m.group(2)
    number = 1 if year == "元" else int(year) if year.isdigit() else _cn_year(year)
    if number is None or not 1 <= number <= 120:
        return None
    parts = [(ch, m.start(), m.end(2)) for ch in str(_ERAS[m.group(1)] + number)] + [("年", m.end(2), m.end(2) + 1)]
    for group, unit_group in ((3, None), (4, 5)):
        value = m.group(group)
        if value is None:
            break
        arabic = value if value.isdigit() else _cn_small_number(value)
        if arabic is None:
            return None
        parts += [(ch, m.start(group), m.end(group)) for ch in arabic]
        unit_end = m.end(group) + 1
        parts.append((m.group(unit_group) if unit_group else "月", m.end(group), unit_end))
    return parts


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _spaced_han(folded: str) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """Joins spaced labels (住 院 号 → 住院号) and spaced two-character names (萧  瑞英).

    Found from the gaps (one to three spaces between two Chinese characters), which are few: a
    pattern starting at every Chinese character cost more than the rest of normalisation."""
    edits: list[tuple[int, int, list[tuple[str, int, int]]]] = []
    n = len(folded)
    gaps = [m.span(1) for m in _GAP.finditer(folded)]
    if not gaps:
        return edits
    # runs of single characters: X gap Y gap Z, each of X, Y, Z standing alone
    labels = _spaced_labels()
    runs: list[tuple[int, int]] = []
    chars: list[int] = []
    for gs, ge in gaps:
        left_single = gs < 2 or not _is_han(folded[gs - 2])
        right_single = ge + 1 >= n or not _is_han(folded[ge + 1])
        if chars and chars[-1] == gs - 1 and right_single:
            chars.append(ge)
            continue
        runs.extend(_join_labels(folded, chars, labels, edits))
        chars = [gs - 1, ge] if left_single and right_single else []
    runs.extend(_join_labels(folded, chars, labels, edits))
    surnames = _surnames()
    given_end = -1
    for gs, ge in gaps:
        start = gs - 1
        if start < given_end or folded[start] not in surnames or (start > 0 and _is_han(folded[start - 1])):
            continue  # (the given name of the name before: 章 程 床号 is 章程, then 床号)
        given = 1 + (ge + 1 < n and _is_han(folded[ge + 1]))
        if ge - gs == 1 and (given == 2 and ge + 2 < n and _is_han(folded[ge + 2])):
            continue  # one space, then three characters or more: not a padded name
        if any(s < ge and start < e for s, e in runs):
            continue
        given_end = ge + given
        edits.append((start, ge, [(folded[start], start, start + 1)]))
    return edits


def _join_labels(
    folded: str, chars: list[int], labels: frozenset[str], edits: list[tuple[int, int, list[tuple[str, int, int]]]]
) -> list[tuple[int, int]]:
    """The parts of a run of spaced single characters that spell a label, joined (edits added)."""
    joined: list[tuple[int, int]] = []
    i = 0
    while i < len(chars) - 1:
        for j in range(min(len(chars), i + 7), i + 1, -1):
            if "".join(folded[p] for p in chars[i:j]) in labels:
                start, end = chars[i], chars[j - 1] + 1
                edits.append((start, end, [(folded[p], p, p + 1) for p in chars[i:j]]))
                joined.append((start, end))
                i = j
                break
        else:
            i += 1
    return joined


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    from privacy.deid.surnames import all_single

    return all_single()


@lru_cache(maxsize=1)
def _spaced_labels() -> frozenset[str]:
    """Every label a form spaces out: the identifier, look-alike and birth labels, and form fields."""
    from privacy.deid.labels import DECOY_LABELS, DOB_LABELS, IDENTIFIER_LABELS

    fields = (
        "姓名 名字 性别 年龄 民族 职业 婚姻 婚否 籍贯 国籍 关系 与患者关系 住址 现住址 地址 家庭住址 户籍地址 "
        "联系人 联系地址 紧急联系人 科室 入院科室 出院科室 病区 日期 入院日期 出院日期 签名 经办人 主诉 现病史 "
        "既往史 过敏史 体重 身高 血型 出生地 工作单位 单位 邮编 文化程度 宗教 监护人 家属 患者 就诊人 参保人 "
        "被保险人 申请人 医师 医生 护士 主治医师 住院医师 记录人 陪护人 代理人 委托人 工作 电话号码 手机号码"
    ).split()
    return frozenset(w for w in (*IDENTIFIER_LABELS, *DOB_LABELS, *DECOY_LABELS, *fields) if len(w) >= 2 and "\u4e00" <= w[0] <= "\u9fff")


def _wrapped_number(digits: str) -> bool:
    """Two parts of a number cut by a line break that together are a mobile, a resident ID
    (valid check character) or a bank card (Luhn)."""
    from contracts.formats import is_valid_resident_id, luhn_ok

    n = len(digits)
    if n == 11:
        return digits[0] == "1" and digits[1] in "3456789" and digits.isdigit()
    if n == 18:
        return is_valid_resident_id(digits)
    if 16 <= n <= 19:
        return digits.isdigit() and luhn_ok(digits)
    return False


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
    folded = fold_width(text)
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
        if digits < 7 or _DECIMAL.fullmatch(m.group()):
            continue  # (one dot between two runs is a decimal number: a coordinate, 121.48195)
        edits.append((m.start(), m.end(), _kept(m, " -.")))
    for m in _SHORT_GROUPS.finditer(folded):
        digits = sum(ch.isdigit() for ch in m.group())
        if not 11 <= digits <= 19:
            continue
        edits.append((m.start(), m.end(), _kept(m, " -.")))
    if "," in folded:
        edits += _thousands_edits(folded)
    if "_" in folded and "年" in folded:
        edits += _blank_date_edits(folded)
    if "年" in folded and "月" in folded:
        edits += _date_edits(folded)
    pair = _CN_DIGIT_PAIR.search(folded) is not None  # (a run of six Chinese digits holds a pair)
    if pair:
        for m in _CN_RUN.finditer(folded):
            parts = [(CN_DIGITS[ch], m.start() + i, m.start() + i + 1) for i, ch in enumerate(m.group())]
            end = _check_x(folded, m.end(), parts)
            edits.append((m.start(), end, parts))
    edits += _layout_edits(folded, pair)
    for m in _ZERO_WIDTH_RE.finditer(folded):
        edits.append((m.start(), m.end(), []))
    if "×" in folded:  # a resident ID's check character typed as the multiplication sign
        edits += [(m.end() - 1, m.end(), [("X", m.end() - 1, m.end())]) for m in _TIMES_X.finditer(folded)]
    return edits


#: a number printed with thousands separators (an export's number format: 339,919,604,
#: 17,636,286,459): seven digits or more, every group after the first of three, no decimals after
#: it and no currency around it (¥1,234,567 and 1,234,567.00 are amounts and stay as they are)
_THOUSANDS = re.compile(r"[0-9](?<![0-9A-Za-z.¥$￥].)(?<![0-9],.)[0-9]{0,2}(?:,[0-9]{3}){2,5}(?![0-9]|[.,][0-9]|[ ]?(?:元|万|¥|RMB|CNY|USD))")
#: a date written into the blanks of a paper form (出生：___1964___年___8___月___19___日)
_BLANK_DATE = re.compile(r"_{1,6}(?P<y>[0-9]{4})_{1,6}年_{1,6}(?P<m>[0-9]{1,2})_{1,6}月_{1,6}(?P<d>[0-9]{1,2})_{1,6}日")


def _kept(m: re.Match[str], drop: str) -> list[tuple[str, int, int]]:
    """A rewrite of match ``m`` that drops the characters in ``drop`` (group separators, a form's
    blanks) and keeps every other one at its own original offset."""
    start = m.start()
    return [(ch, start + i, start + i + 1) for i, ch in enumerate(m.group()) if ch not in drop]


def _thousands_edits(folded: str) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """339,919,604 → 339919604 (``_THOUSANDS``): the recognisers then read the number by its label
    or its shape like any other (the pattern's lookbehind leaves ¥1,234,567)."""
    return [(m.start(), m.end(), _kept(m, ",")) for m in _THOUSANDS.finditer(folded)]


def _blank_date_edits(folded: str) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """___1964___年___8___月___19___日 → 1964年8月19日: the form's blanks dropped."""
    return [(m.start(), m.end(), _kept(m, "_")) for m in _BLANK_DATE.finditer(folded)]


def _layout_edits(folded: str, pair: bool) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """Round 3's rewrites: era years, mixed and grouped Chinese digits, form boxes, numbers cut by
    a line break, spaced labels and names (see the patterns' comments). Each rewrite has a cheap
    test of the note first (most notes have no era, no box, no Chinese digit beside a digit)."""
    edits: list[tuple[int, int, list[tuple[str, int, int]]]] = []
    if "民国" in folded or "昭和" in folded or "平成" in folded or "令和" in folded or "大正" in folded or "明治" in folded:
        edits += _era_edits(folded)
    if pair:
        edits += _mixed_edits(folded)
    if "|" in folded or "□" in folded or "][" in folded or "】【" in folded:
        edits += _box_edits(folded)
    if "\n" in folded and _WRAP_GUARD.search(folded):
        edits += _wrapped_edits(folded)
    if " " in folded:
        edits += _spaced_han(folded)
        if "1 9 " in folded or "2 0 " in folded:  # a year in boxes (1 9 3 6, 2 0 0 1)
            edits += _spaced_date_edits(folded)
    if "\n" in folded:
        edits += _wrapped_name_edits(folded)
    edits += _punct_edits(folded)
    edits += _era_abbr_edits(folded)
    return edits


def _punct_edits(folded: str) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """A number cut by ``/ _ · . , 、`` or an area code in brackets, joined when the whole is a
    mobile, a landline with its area code, a valid resident ID or a Luhn card."""
    edits = []
    done = 0
    for g in _PUNCT_GUARD.finditer(folded):
        if g.start() < done:
            continue
        start = g.start()  # the number the guard saw starts where its digits (or its bracket) do
        while start > 0 and folded[start - 1].isdigit():
            start -= 1
        m = _PUNCT_NUMBER.match(folded, start)
        if m is None:
            continue
        done = m.end()
        groups = _DIGIT_GROUP.findall(m.group())
        if min(len(grp) for grp in groups[1:]) < 3 or (len(groups[0]) < 3 and m.group()[0] != "("):
            continue  # groups of one or two digits: decimals, ratios and dates in a row (13.5,14.2)
        if _punct_number(groups):
            parts = [(ch, m.start() + i, m.start() + i + 1) for i, ch in enumerate(m.group()) if ch.isalnum()]
            if m.group()[0] == "(":  # the bracket goes with the area code: redacted with the number
                parts[0] = (parts[0][0], m.start(), parts[0][2])
            edits.append((m.start(), m.end(), parts))
    return edits


def _punct_number(groups: list[str]) -> bool:
    """A mobile, a landline with its area code (0 + 10–11 digits), a valid 18- or 15-digit
    resident ID, or a Luhn card of 16–19 digits printed in groups of four."""
    from contracts.formats import is_valid_resident_id, luhn_ok

    digits = "".join(groups)
    n = len(digits)
    if not digits[:17].isdigit():
        return False
    if n == 11 and digits[0] == "1":
        return digits[1] in "3456789"
    if n in (11, 12) and digits[0] == "0":
        return digits[1] != "0"
    if n == 18:
        return is_valid_resident_id(digits.upper())
    if n == 15:
        from privacy.deid.recognizers.cn_resident_id_recognizer import valid_15

        return valid_15(digits)
    if len(groups) > 2 and any(len(g) != 4 for g in groups[:-1]):
        return False  # a card number is printed in groups of four
    return 16 <= n <= 19 and digits.isdigit() and luhn_ok(digits)


def _date_edits(folded: str) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """Dates with Chinese numerals in some parts or all, in Arabic (一九八五年三月十二日 → 1985年3月12日,
    1937年八月十二日 → 1937年8月12日; 一九九一年5月15日 → 1991年5月15日). Found from their 年 (a
    pattern starting at every Chinese digit cost more): the year, two or four digits of one kind,
    is read back from there."""
    edits = []
    for m in _MIXED_DATE.finditer(folded):
        y_end = m.start()
        y_start = y_end
        while y_start > 0 and y_end - y_start < 5 and (folded[y_start - 1] in _CN_D or folded[y_start - 1].isdigit()):
            y_start -= 1
        year = folded[y_start:y_end]
        if len(year) not in (2, 4):
            continue
        cn_year = all(ch in _CN_D for ch in year)
        if not cn_year and not year.isdigit():
            continue
        month, day = m.group("m"), m.group("d")
        chinese = [cn_year, not month.isdigit(), day is not None and not day.isdigit()]
        if not any(chinese):
            continue  # all Arabic: nothing to do
        parts = [(CN_DIGITS[ch] if cn_year else ch, y_start + i, y_start + i + 1) for i, ch in enumerate(year)]
        parts.append(("年", m.start(), m.start() + 1))
        for group, unit in (("m", None), ("d", "u")):
            value = m.group(group)
            if value is None:
                break
            arabic = value if value.isdigit() else _cn_small_number(value)
            if arabic is None:
                break
            parts += [(ch, m.start(group), m.end(group)) for ch in arabic]
            unit_start = m.end(group)
            parts.append((folded[unit_start] if unit else "月", unit_start, unit_start + 1))
        else:
            edits.append((y_start, parts[-1][2], parts))
            continue
        if m.group("d") is None and len(parts) > len(year) + 1:
            edits.append((y_start, parts[-1][2], parts))
    return edits


def _era_abbr_edits(folded: str) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """S52.1.28 → 1977.1.28: the era letter and its year become the common-era year."""
    edits = []
    for m in _ERA_ABBR.finditer(folded):
        base, last = _ERA_LETTERS[m.group()[0]]
        year = int(m.group("y"))
        if not 1 <= year <= last:
            continue
        parts = [(ch, m.start(), m.end("y")) for ch in str(base + year)]
        parts += [(ch, m.end("y") + i, m.end("y") + i + 1) for i, ch in enumerate(folded[m.end("y") : m.end()])]
        edits.append((m.start(), m.end(), parts))
    return edits


def _era_edits(folded: str) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """民国72年3月2日, 昭和60年 … in the common era."""
    edits = []
    for m in _MINGUO.finditer(folded):
        parts = _minguo(m)
        if parts:
            edits.append((m.start(), m.end(), parts))
    return edits


def _check_x(folded: str, end: int, parts: list[tuple[str, int, int]]) -> int:
    """Seventeen digits read out, then the check character X (spoken 叉, typed X): the X joins
    them (a resident ID); the new end of the run."""
    if len(parts) == 17:
        gap = 1 if folded[end : end + 1] in (" ", ",", "、") else 0
        if folded[end + gap : end + gap + 1] in ("X", "x", "叉"):
            parts.append(("X", end + gap, end + gap + 1))
            return end + gap + 1
    return end


def _mixed_edits(folded: str) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """Arabic and Chinese digits in one number, or Chinese digits in groups (seven or more)."""
    edits = []
    for m in _MIXED_RUN.finditer(folded):
        run = m.group()
        digits = sum(ch not in _SPOKEN_SEPARATORS for ch in run)
        if digits < 7 or all(ch.isdigit() or ch in _SPOKEN_SEPARATORS for ch in run):
            continue
        if _SPOKEN_SEPARATORS.isdisjoint(run) and not any(ch.isdigit() for ch in run):
            continue  # an unbroken Chinese run: _CN_RUN's
        parts = [(CN_DIGITS.get(ch, ch), m.start() + i, m.start() + i + 1) for i, ch in enumerate(run) if ch not in _SPOKEN_SEPARATORS]
        end = _check_x(folded, m.end(), parts)
        edits.append((m.start(), end, parts))
    return edits


def _box_edits(folded: str) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """Digits one per form box (3|1|0|…) or per drawn box ([1][3]…, 1□3□…), joined."""
    edits = []
    if "|" in folded:
        for m in _BOXES.finditer(folded):
            parts = [(ch, m.start() + i, m.start() + i + 1) for i, ch in enumerate(m.group()) if ch not in " |"]
            edits.append((m.start(), m.end(), parts))
    if "□" in folded or "][" in folded or "】【" in folded:
        for m in _DRAWN_BOXES.finditer(folded):
            parts = [(ch, m.start() + i, m.start() + i + 1) for i, ch in enumerate(m.group()) if ch.isalnum()]
            end = m.end() - (m.group().endswith(" "))
            edits.append((m.start(), end, parts))
    return edits


def _wrapped_edits(folded: str) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """A number cut by a line break, joined when the whole is a mobile, a valid ID or a Luhn card."""
    edits = []
    for m in _WRAPPED.finditer(folded):
        digits = "".join(ch for ch in m.group() if ch.isalnum())
        groups = re.split(r"[ \t\r\n\-]+", m.group().strip())
        if len(groups) > 2 and min(len(g) for g in groups) < 3:
            continue  # lab values in a row (130 80 72⏎36 5), not a number in groups
        if len(digits) <= 19 and _wrapped_number(digits):
            parts = [(ch, m.start() + i, m.start() + i + 1) for i, ch in enumerate(m.group()) if ch.isalnum()]
            edits.append((m.start(), m.end(), parts))
    return edits


def _wrapped_name_edits(folded: str) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """A name cut by a line break, the break dropped (see _HAN_BREAK)."""
    from privacy.deid.surnames import all_compound

    edits: list[tuple[int, int, list[tuple[str, int, int]]]] = []
    surnames, compound, labels = _surnames(), all_compound(), _spaced_labels()
    for m in _HAN_BREAK.finditer(folded):
        br_start, br_end = m.start() - (folded[m.start() - 1 : m.start()] == "\r"), m.end() - len(m.group("b"))
        if br_start == 0 or not "\u4e00" <= folded[br_start - 1] <= "\u9fff":
            continue
        before = _NAME_PART_BEFORE.search(folded, max(0, br_start - 6), br_start)
        if before is None:
            continue
        a, b = before.group(1), m.group("b")
        name = a + b
        if not 2 <= len(name) <= 4 or (name[0] not in surnames and name[:2] not in compound) or a in labels or b in labels:
            continue
        start = before.start(1)
        parts = [(ch, start + i, start + i + 1) for i, ch in enumerate(a)]
        parts += [(ch, br_end + i, br_end + i + 1) for i, ch in enumerate(b)]
        edits.append((start, m.end(), parts))
    return edits


def _boxed_date(m: re.Match[str]) -> bool:
    """The digits of a date in boxes make a date (1 9 3 9 1 0 0 3, 1 9 3 9 - 1 0 - 3)."""
    groups = re.split(r"[\-/.]", m.group().replace(" ", ""))
    if len(groups) == 1:
        digits = groups[0]
        groups = [digits[:4], digits[4:6], digits[6:8]]
    year, month, day = groups
    return year[:2] in ("19", "20") and 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _spaced_date_edits(folded: str) -> list[tuple[int, int, list[tuple[str, int, int]]]]:
    """A date's digits one per box (1 9 3 6 年 0 3 月 1 0 日, 1 9 3 9 1 0 0 3), the spaces dropped;
    eight bare digits only when they make a date (19391003)."""
    edits = []
    for m in _SPACED_DATE.finditer(folded):
        before = folded[max(0, m.start() - 2) : m.start()]
        if before[-1:].isalnum() and before[-1:].isascii() or (before[-1:] == " " and before[:1].isalnum() and before[:1].isascii()):
            continue  # inside a longer run of digits or words (a lookbehind at the pattern's start is slow)
        if m.group("cn") is None and not _boxed_date(m):
            continue
        parts = [(ch, m.start() + i, m.start() + i + 1) for i, ch in enumerate(m.group()) if ch != " "]
        edits.append((m.start(), m.end(), parts))
    return edits


def fold(text: str) -> str:
    """Widths folded and every space and dash dropped: how a leak is compared (the issue's rule)."""
    return re.sub(r"[\s\-]", "", fold_width(text))
