"""Medical institutions by name: hospitals, community health centres, clinics."""

from __future__ import annotations

import regex as re

from privacy.deid._common import CJK, DISTRICT, FLAGS, alternation
from privacy.deid.entities import INSTITUTION
from privacy.deid.recognizers.base import Doc, Hit, Recognizer

#: name characters: not function words (the lazy repeat ends a match at the first suffix)
_C = rf"(?:(?![的了在于是与及因从到至向往就诊转和或])[{CJK}])"
_SUFFIX = alternation(
    [
        "医院",
        "社区卫生服务中心",
        "卫生服务中心",
        "卫生服务站",
        "门诊部",
        "卫生院",
        "妇幼保健院",
        "保健院",
        "医疗中心",
        "精神卫生中心",
        "公共卫生临床中心",
        "急救中心",
        "防治中心",
        "防治院",
        "防治所",
        "医学中心",
        "诊疗中心",
        "康复中心",
        "血液中心",
        "护理院",
        "疗养院",
        "诊所",
    ]
)
#: what may follow the first suffix: a second unit (防治所门诊部) or a branch (东院, 浦东分院)
_BRANCH = rf"(?:{_C}{{0,4}}?{_SUFFIX})?(?:[（(]?(?:{_C}{{1,4}}?(?:院区|分院)|[东南西北]院)[）)]?)?"
_UNIVERSITY = alternation(
    [
        "复旦大学附属",
        "上海交通大学医学院附属",
        "上海交通大学附属",
        "同济大学附属",
        "上海中医药大学附属",
        "上海健康医学院附属",
        "海军军医大学第一附属",
        "海军军医大学第二附属",
        "海军军医大学第三附属",
        "海军军医大学附属",
    ]
)
#: well-known Shanghai hospitals named without a prefix (瑞金医院, 华山医院…)
_KNOWN = alternation(
    "瑞金 华山 中山 仁济 新华 长海 长征 曙光 龙华 岳阳 东方 同仁 华东 第十 市一 市六 市十 胸科 肿瘤 "
    "儿童 儿科 五官科 眼耳鼻喉科 国际妇婴保健 第一妇婴保健 红房子 东方肝胆 "
    "公利 浦南 周浦 光华 天佑 同济 市北 市东 市中 瑞金北".split()
)


#: every institution name ends in one of these: skip notes without any
_QUICK = re.compile(_SUFFIX)


class CnInstitutionRecognizer(Recognizer):
    """A hospital or health centre named by its full or usual name.

    A name starts at something that anchors it (a university's 附属, 上海市, a district, a known
    short name, or 第N人民医院) and runs to the first institution suffix. Generic references
    (本院, 我院, 外院, 当地医院) have no anchor and are left alone.
    """

    name = "CnInstitutionRecognizer"
    entities = (INSTITUTION,)
    PATTERNS = [
        ("university_affiliated", rf"{_UNIVERSITY}{_C}{{0,10}}?{_SUFFIX}{_BRANCH}", 0.85),
        ("shanghai", rf"(?:上海市|上海){DISTRICT}?{_C}{{0,12}}?{_SUFFIX}{_BRANCH}", 0.8),
        ("district", rf"{DISTRICT}{_C}{{0,12}}?{_SUFFIX}{_BRANCH}", 0.8),
        ("numbered_people", rf"第[一二三四五六七八九十]{{1,3}}人民医院{_BRANCH}", 0.8),
        ("known_short_name", rf"{_KNOWN}{_C}{{0,4}}?医院{_BRANCH}", 0.7),
    ]

    def __init__(self) -> None:
        self._compiled = [(name, re.compile(rx, FLAGS), score) for name, rx, score in self.PATTERNS]

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        if not _QUICK.search(text):
            return []
        hits = []
        for _name, rx, score in self._compiled:
            hits += [self.hit(m, score=score) for m in rx.finditer(text)]
        return hits
