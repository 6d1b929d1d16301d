"""Street addresses: Shanghai's district / town / road / lane / number / room, and other provinces'."""

from __future__ import annotations

import re as stdlib_re

import regex as re

from privacy.deid._common import (
    CJK,
    CN_DIGIT,
    DISTRICT,
    DISTRICT_NAMES,
    FLAGS,
    PROVINCE,
    PROVINCES,
)
from privacy.deid.entities import ADDRESS
from privacy.deid.recognizers.base import Doc, Hit, Recognizer
from privacy.deid.recognizers.base import alternation as trie_alternation

#: a character of a place name: not a function word, not 医 (so 徐汇区中心医院 never runs on into an
#: address), not 区 (a road never spans a district)
_C = rf"(?:(?![的了在于是与及因从到向往就诊医区住址])[{CJK}])"
_TOWN = rf"{_C}{{1,5}}?(?:[东南西北中]?路)?(?:镇|街道|乡)"
_ROAD = rf"{_C}{{1,6}}?(?:大道|公路|路|大街|街|巷)(?:[东南西北中]?[一二三四五六七八九十]?段)?(?:小区|新村|公寓|花园|大厦)?"
_ESTATE = rf"{_C}{{1,6}}?(?:新村|小区|花园|公寓|家园|新苑|苑|园|大厦|广场|天地|公馆|城|村)"
_NUM = rf"(?:\d{{1,5}}|[{CN_DIGIT}]{{1,4}})"
_UNIT = r"(?:号楼|号院|支弄|号|弄|组|幢|栋|单元|室|层|楼|座)"
_NUMBERS = rf"(?:{_NUM}(?:[\-－]{_NUM})?{_UNIT}){{1,6}}(?:\d{{2,5}}(?![\d{CJK}]))?"
_PLACE = rf"(?:{_ROAD}|{_ESTATE})"
_CITY = r"(?:上海市|上海)"
_CUES = ["住址", "地址", "家住", "住在", "现住", "居住于", "居住在", "住于", "户籍地", "户籍", "籍贯", "现居", "居住地", "现居住地", "住"]

#: an address in English (discharge summaries for foreign insurers): after an address label, the
#: rest of the clause; anywhere, a house or lane number with a street (No. 88, Lane 12, Caoxi Road)
_EN_LABELLED = stdlib_re.compile(
    r"(?<![A-Za-z])(?:Home [Aa]ddress|Residential [Aa]ddress|Mailing [Aa]ddress|Address|ADDRESS|Addr\.?|Residence|"
    r"Lives at|lives at|Resides at|resides at)[ ]?:?[ ]?"
    r"(?P<a>[A-Za-z0-9#][^\n;:]{5,100}?)(?=[ ]{2}|[;\n]|$|\.(?:[ ]|$)|,?[ ](?:Tel|Phone|Mob|Email|E-mail|ID|DOB|Contact)\b)"
)
_EN_STREET = stdlib_re.compile(
    r"(?:(?:Room|Rm\.?|Flat|Apt\.?|Unit|Suite)[ ]?[0-9]{1,5}[A-Z]?,?[ ])?(?:(?:No\.?|#)[ ]?[0-9]{1,5}[A-Z]?,?[ ])?"
    r"(?:Lane[ ][0-9]{1,5},?[ ])?(?:[0-9]{1,5}[ ])?(?:[A-Z][a-z]+[ ]){1,3}"
    r"(?:Road|Rd\.?|Street|St\.|Avenue|Ave\.?|Lu|Highway|Hwy|Boulevard|Blvd|Lane)(?![A-Za-z])"
)
_HOUSE_NUMBER = stdlib_re.compile(r"[0-9]")
#: an address field: after its label, the value up to the line end or a wide gap is the address,
#: whatever places it names (香港北角英皇道317號14樓, 台中市西屯区台湾大道三段9号, a village's 队),
#: when it holds a house number or a village's group; a value cut after its district by a line
#: break goes on on the next line (现住址：静安区⏎平型关路700弄32号)
_FIELD_LABELS = (
    "现住址 家庭住址 家庭地址 户籍地址 常住地址 居住地址 联系地址 通讯地址 通信地址 邮寄地址 现居住地 居住地 户籍地 住址 "
    "地址 Address ADDRESS Addr Addr."
).split() + ["Home address", "Home Address", "Residential address", "Residential Address"]
_FIELD_LABEL = stdlib_re.compile(trie_alternation(_FIELD_LABELS))
_FIELD_VALUE = stdlib_re.compile(
    r"[ ]?[:=]?[ \t]{0,3}"
    r"(?P<a>[^\s:;|](?:[^\n:;| ]|[ ](?! )){2,70}?(?:(?<=[区县市省镇乡])\n(?=[^\n:]{2,40}[0-9号弄室楼])[^\n:;|]{2,40}?)?)"
    r"(?=[ ]{2}|[ ]?\n|[;|]|$|[,，][ ]?(?:Tel|Phone|电话|手机))"
)
#: an address after a verb of living, in a sentence (家住香港九龍…, 现居台北市…): up to the clause's end
_LIVES = stdlib_re.compile(r"(?:家住|住在|现居住于|现居住在|现居于|现居|居住于|居住在|住于|定居于|定居在)(?P<a>[^\s，。；,;:]{4,60})")
_IN_HOSPITAL = stdlib_re.compile(r"医院|病房|病区|监护|本院|我院|科|床")
_FIELD_UNIT = stdlib_re.compile(r"[0-9一二三四五六七八九十]+[ ]?(?:号|弄|室|楼|栋|幢|层|组|队|单元|座|户)|[村组队]$|No\.|Lane|Rd|Road|Street"
    # round 4: a residential institution is where an elderly or disabled patient lives (康桥老年护理院,
    # 梅陇镇敬老院): the field's value is their address with or without a room number
    r"|护理院|敬老院|养老院|福利院|老年公寓|养老公寓|养老中心|颐养院|颐养中心|康养中心|疗养院|托老所|照护之家|养护院|"
    r"老人院|安养院|护养院|光荣院|救助站|宿舍")


#: a street address no anchor announces (a district written short or left out: ``长宁 水城路77弄26号``,
#: ``北渔路1106弄5号1902室``, ``民星新村14号楼702室``): a road or an estate, then a lane (弄, with or
#: without a 支弄) and a house number, or a house number and a room — the residential shapes; a road
#: and a number alone (a hospital's 宛平南路600号) is not enough. ``#`` stands for 号 as people
#: write it (``志丹路527弄38#105``). And a village's group: ``泥城镇公平村11组56号``.
_C_LOOSE = rf"(?:(?![的了在于是与及因从到向往就诊医区住址至寄送去来和或经沿近旁])[{CJK}])"
_HAO = r"(?:号楼|号|#楼|#|＃|幢|栋)"
_UNANCHORED = re.compile(
    rf"{_C_LOOSE}{{1,6}}?(?:大道|公路|路|大街|街|巷|新村|小区|花园|公寓|家园|新苑|苑|园|大厦)"
    rf"(?:[东南西北中]?[一二三四五六七八九十]?段)?"
    rf"(?:{_NUM}(?:[\-－]{_NUM})?弄(?:{_NUM}支弄)?{_NUM}(?:[\-－]{_NUM})?{_HAO}"
    rf"|{_NUM}{_HAO}(?:{_NUM}(?:单元|楼|层))?{_NUM}室)"
    rf"(?:{_NUMBERS}|\d{{2,5}}(?![\d{CJK}]))?",
    FLAGS,
)
_VILLAGE = re.compile(
    rf"(?:{_C_LOOSE}{{1,5}}?(?:镇|乡|街道))?{_C_LOOSE}{{1,4}}?村{_NUM}(?:组|队)(?:{_NUM}(?:号|#))?", FLAGS
)
#: the words that start the unanchored search (the cheap test first), the place words before them
_RESIDENTIAL = ("弄", "室")
_ROAD_WORD = stdlib_re.compile(r"[路街道巷村区园寓苑厦]")
_VILLAGE_GROUP = stdlib_re.compile(r"村(?=[0-9一二三四五六七八九十]{1,3}[组队])")


class CnAddressRecognizer(Recognizer):
    """An address from its district (or province, or an address word) down to the room.

    Chinese addresses run from the largest unit to the smallest with no spaces, so a match starts
    at something unmistakable: ``上海市``/a district name, a province, or a word such as ``住址：``.
    From there it takes a town (镇/街道), one or two roads or estates (路/村/小区…) and the
    numbers (号/弄/室/组…). A district alone is not flagged: the lab keeps the district.
    """

    name = "CnAddressRecognizer"
    entities = (ADDRESS,)
    #: (name, pattern matched *at* an anchor, score); the after-word pattern starts after its cue
    PATTERNS = [
        (
            "shanghai_street",
            rf"{_CITY}?{DISTRICT}(?:{_TOWN})?(?:{_PLACE}{{1,2}}(?:{_NUMBERS})?){{1,2}}",
            0.85,
        ),
        ("shanghai_town", rf"{_CITY}?{DISTRICT}{_TOWN}(?:{_NUMBERS})?", 0.6),
        (
            "after_address_word",
            rf"\s{{0,2}}[:：]?\s{{0,2}}(?P<a>{_CITY}?(?:{_TOWN})?(?:{_PLACE}{{1,2}}(?:{_NUMBERS})?){{1,2}})",
            0.75,
        ),
        (
            "province",
            rf"{PROVINCE}{_C}{{2,4}}?(?:市|州|盟)(?:{_C}{{1,4}}?(?:区|县|市|旗))?(?:{_TOWN})?"
            rf"(?:(?:{_PLACE}{{1,2}}(?:{_NUMBERS})?){{1,2}}|{_NUM}{_UNIT})",
            0.75,
        ),
    ]

    def __init__(self) -> None:
        compiled = {name: (re.compile(rx, FLAGS), score) for name, rx, score in self.PATTERNS}
        self._shanghai = [compiled["shanghai_street"], compiled["shanghai_town"]]
        self._after_word = compiled["after_address_word"]
        self._province = compiled["province"]
        # where a pattern can start, found with one pass of the standard engine (a trie of the
        # anchors); the patterns themselves are tried only there
        self._anchors = stdlib_re.compile(
            "(?P<sh>" + trie_alternation(["上海市", "上海", *DISTRICT_NAMES]) + ")|(?P<pr>"
            + trie_alternation(PROVINCES) + ")|(?P<cue>" + trie_alternation(_CUES) + ")"
        )

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        hits = []
        done = -1
        search = self._anchors.search
        anchor = search(text)
        while anchor is not None:
            pos = anchor.start()
            # the next anchor may start inside this one (现住址: 现住, then 住址)
            next_anchor = search(text, pos + 1)
            if pos < done:
                anchor = next_anchor
                continue
            if anchor.group("sh"):
                for rx, score in self._shanghai:
                    m = rx.match(text, pos)
                    if m:
                        hits.append(self.hit(m, score=score))
                        done = max(done, m.end())
            elif anchor.group("pr"):
                m = self._province[0].match(text, pos)
                if m:
                    hits.append(self.hit(m, score=self._province[1]))
                    done = max(done, m.end())
            else:
                m = self._after_word[0].match(text, anchor.end())
                if m:
                    hits.append(self.hit(*m.span("a"), score=self._after_word[1]))
                    done = max(done, m.end())
            anchor = next_anchor
        hits += self._fields(text)
        if "弄" in text or "室" in text:
            hits += self._unanchored(text)
        if "村" in text:
            hits += self._villages(text)
        if "Ad" in text or "Road" in text or "Rd" in text or "Lane" in text or "Street" in text or "es at" in text:
            hits += self._english(text)
        return hits

    def _fields(self, text: str) -> list[Hit]:
        """Addresses by their field label or a verb of living, whatever places they name."""
        hits: list[Hit] = []
        if "址" in text or "居住地" in text or "户籍地" in text or "Ad" in text or "AD" in text:
            for label in _FIELD_LABEL.finditer(text):
                m = _FIELD_VALUE.match(text, label.end())
                if m is None:
                    continue
                value = m.group("a")
                if _FIELD_UNIT.search(value) and not value.startswith(("同", "详见", "不详", "无")):
                    hits.append(self.hit(*m.span("a"), score=0.75))
        if "住" in text or "居" in text:
            for m in _LIVES.finditer(text):
                value = m.group("a")
                if _FIELD_UNIT.search(value) and not _IN_HOSPITAL.search(value):
                    hits.append(self.hit(*m.span("a"), score=0.7))
        return hits

    def _unanchored(self, text: str) -> list[Hit]:
        """A residential street address with no district, province or cue before it (``_UNANCHORED``):
        from each 弄 / 室, back to a road word (路, 街, 道, 巷) and the name before it."""
        hits: list[Hit] = []
        last = -1
        for word in _RESIDENTIAL:
            at = text.find(word)
            while at != -1:
                if at > last:
                    m = self._road_before(text, at)
                    if m is not None:
                        hits.append(self.hit(m, score=0.7))
                        last = m.end()
                at = text.find(word, at + 1)
        return hits

    def _villages(self, text: str) -> list[Hit]:
        """``泥城镇公平村11组56号``: a village's group, from its 村 back to the town (``_VILLAGE``)."""
        hits: list[Hit] = []
        for group in _VILLAGE_GROUP.finditer(text):
            for start in range(max(0, group.start() - 10), group.start()):
                m = _VILLAGE.match(text, start)
                if m is not None and m.end() > group.end():
                    hits.append(self.hit(m, score=0.7))
                    break
        return hits

    @staticmethod
    def _road_before(text: str, at: int) -> re.Match[str] | None:
        """The unanchored address that ends past ``at``, starting up to six characters before a road
        word in the 24 characters before it (the longest name first)."""
        window = max(0, at - 24)
        for road in _ROAD_WORD.finditer(text, window, at):
            for start in range(max(window, road.start() - 6), road.start()):
                m = _UNANCHORED.match(text, start)
                if m is not None and m.end() > at:
                    return m
        return None

    def _english(self, text: str) -> list[Hit]:
        hits = [self.hit(*m.span("a"), score=0.75) for m in _EN_LABELLED.finditer(text)]
        for m in _EN_STREET.finditer(text):
            if _HOUSE_NUMBER.search(m.group()):
                hits.append(self.hit(m, score=0.7))
        return hits
