"""Names whose clue is the slot a message layout puts them in, not their surname.

A name with a surname no list has (a rare or a minority surname, a homophone a speech recogniser
wrote) is still found where the layout of a machine-written message says a person stands:

* the **sender of a chat-export line**: a time stamp, an optional display name in brackets, then
  ``name：`` (``2024-03-01 08:10:02 【5床家属】郑凯：…``);
* the **addressee of a notification**: after an SMS signature in ``【】`` or at a line start, a name
  before ``您好`` (``【某医院】王芳您好，…``), with an optional 先生 / 女士;
* the **patient of a bed** in a round or a handover: ``12床的王芳，65岁`` / ``12床王芳，女`` — between
  the bed number and the age or sex; and a bedside card or a handover line written bed / name /
  number (``32床/王芳/30220129``, ``+5床｜王芳｜77692481``): the name and, after it, the patient's
  record number;
* the **person told to act**: ``已通知王芳重新登记`` — after 通知 / 告知 / 提醒 / 转告 and before what
  they are to do;
* the **holder of a phone**: ``，王芳 手机 139…`` — a two-to-four-character name standing alone in
  its clause before a phone label and a number;
* an English-style header's patient: ``Pt 王芳, 66y F``.

Each slot excludes the role words that fill it as often as a name does (患者, 家属, 护士站…).
"""

from __future__ import annotations

import re

from privacy.deid.entities import HOSPITAL_RECORD_NO, PERSON
from privacy.deid.recognizers.base import CJK, Doc, Hit, Recognizer

_N = rf"(?P<n>[{CJK}]{{2,4}}?)"
_STAMP = r"(?:[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}[ T])?[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?"
#: (words one of which the note must hold, the slot's pattern): the words are the cheap test first
_SLOTS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    # chat export: stamp, display name, sender
    ((":",), re.compile(rf"(?m)^\[?{_STAMP}\]?[ ]{{0,2}}(?:【[^】\n]{{1,24}}】|\[[^\]\n]{{1,24}}\])?[ ]{{0,2}}{_N}[:：]")),
    # notification: 【signature】 or a line start, name, 您好
    (("您好", "你好"), re.compile(rf"(?m)(?:】|^|[:：][ ]?){_N}(?:先生|女士|老师)?(?:您好|你好)")),
    # told to act
    (("通知", "告知", "提醒", "转告"),
     re.compile(rf"(?:通知|告知|提醒|转告)(?:了)?{_N}(?=重新|尽快|补|前来|到院|来院|携带|办理|及时|于|到)")),
)
#: a chat line's time stamp (the cheap test before reading chat senders)
_STAMP_CUE = re.compile(r"[0-9]:[0-9]{2}")
#: after a bed number: the patient's name, then the age or the sex (12床的王芳，65岁)
_AFTER_BED = re.compile(rf"(?:的|[ ])?{_N}[ ]?[,，、 ](?:[0-9]{{1,3}}岁|男|女)")
#: a bed card after a bed number: / name / record number (the same separator twice)
_BED_CARD = re.compile(rf"[ ]?(?P<s>[/／|｜])[ ]?{_N}[ ]?(?P=s)[ ]?(?P<no>[A-Za-z]{{0,3}}[0-9]{{5,12}})(?![0-9A-Za-z])")
#: a phone label with a number after it, and the name alone in its clause before it
_PHONE_LABEL = re.compile(r"(?:手机号?|联系电话|电话|Tel|TEL|tel)[ ]?[:：]?[ ]?(?=\+?[0-9])")
_HOLDER = re.compile(rf"(?P<p>[，,。；;\n])?[ ]?{_N}[ ]$")
#: an English header's patient (Pt 王芳, 66y)
_PT = re.compile(rf"(?:Pt|PT|Patient)\.?[ ]{_N}[ ]?[,，]")
#: words that fill these slots as often as names do
_NOT_NAMES = frozenset(
    "患者 病人 家属 亲属 本人 病友 用户 客户 家长 各位 大家 亲爱的 护士 医生 医师 护士长 主任 系统 群主 管理员 "
    "助手 客服 说话人 值班 值班医生 科室 病区 病房 护士站 办公室 门诊 急诊 住院部 前台 其子 其女 儿子 女儿 丈夫 "
    "妻子 老伴 母亲 父亲 单位 紧急 联系人 监护人 陪护 护工 朋友 邻居 同事 患儿 孕妇 产妇 您 我 他 她 "
    "重新 尽快 及时 携带 办理".split()
)
_NOT_NAME_END = tuple("站室房科院部处台心所组区楼")


class MessageLayoutRecognizer(Recognizer):
    """A name in a message layout's person slot (module docstring)."""

    name = "MessageLayoutRecognizer"
    entities = (PERSON, HOSPITAL_RECORD_NO)

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        found: list[tuple[int, int]] = []
        for cues, pattern in _SLOTS:
            if not any(cue in text for cue in cues) or (pattern is _SLOTS[0][1] and not _STAMP_CUE.search(text)):
                continue
            found.extend(m.span("n") for m in pattern.finditer(text))
        records: list[tuple[int, int]] = []
        if "床" in text:
            found.extend(self._beds(text, records))
        if "电话" in text or "手机" in text or "Tel" in text or "TEL" in text or "tel" in text:
            found.extend(self._holders(text))
        if "Pt" in text or "PT" in text or "Patient" in text:
            found.extend(m.span("n") for m in _PT.finditer(text) if not _ascii_letter_before(text, m.start()))
        hits = []
        for start, end in found:
            if not _may_be_name(text[start:end]):
                continue
            hits.append(self.hit(start, end, score=0.85, labelled=True))
        hits.extend(self.hit(start, end, entity=HOSPITAL_RECORD_NO, score=0.85, labelled=True) for start, end in records)
        return hits

    @staticmethod
    def _beds(text: str, records: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """``12床的王芳，65岁``, ``32床/王芳/30220129``: from each 床 after a bed number (a bed card's
        record number goes to ``records``)."""
        out = []
        at = text.find("床")
        while at != -1:
            if at > 0 and text[at - 1].isdigit():
                m = _AFTER_BED.match(text, at + 1)
                if m is not None:
                    out.append(m.span("n"))
                else:
                    card = _BED_CARD.match(text, at + 1)
                    if card is not None and _may_be_name(card.group("n")):
                        out.append(card.span("n"))
                        records.append(card.span("no"))
            at = text.find("床", at + 1)
        return out

    @staticmethod
    def _holders(text: str) -> list[tuple[int, int]]:
        """``，王芳 手机 139…``: the name alone in its clause before a phone label and a number."""
        out = []
        for label in _PHONE_LABEL.finditer(text):
            start = max(0, label.start() - 8)
            m = _HOLDER.search(text, start, label.start())
            if m is not None and (m.group("p") is not None or m.start() == 0):
                out.append(m.span("n"))
        return out


def _may_be_name(word: str) -> bool:
    """Whether a word in a person slot may be a name: not a role word, not a place's (…站, …室)."""
    return not (word in _NOT_NAMES or word.endswith(_NOT_NAME_END) or word[:2] in _NOT_NAMES)


def _ascii_letter_before(text: str, pos: int) -> bool:
    return pos > 0 and text[pos - 1].isascii() and text[pos - 1].isalpha()
