"""What work-group chat and ward talk write about people, a Singapore NRIC / FIN, and two look-alikes
of herbal-pharmacy paperwork (session 10, heldout10's misses; issue #15).

Each pattern is the way such things are written, not a value:

* **An @-mention in a work group** (企业微信 / 钉钉 / 微信群 messages pasted into a note: ``@王芳 17床
  家属到了``): these apps show members under their real names (WeCom and DingTalk accounts carry
  the employee's name), so the Han characters right after ``@`` — two or three, four with a
  compound surname — are a colleague's name. Not ``@所有人`` / ``@全体成员`` (the apps' mention of
  everyone), not a handle with 的 in it (a nickname, the social-account recogniser's). The name found
  is then redacted wherever the note writes it again (the engine's name-elsewhere step), which
  covers the speaker at the start of a chat line (``王芳：收到``).
* **A surname and 老 / 导 / 博 / 师兄 / 师姐** (``经王老会诊``, ``已请示王导``, ``跟王博查房``): 老 after a
  surname is how a 名老中医 or a retired chief is addressed; 导 (导师), 博 (博士) and 师兄 / 师姐 are how
  residents and students name a supervisor or a senior. The surname is taken when a verb or a
  boundary stands before it (经, 请, 汇报, 请示, 跟, a line's start, a comma…) and what a person does
  follows the title (会诊, 看过, 查房, 审方, 同意…, or punctuation) — and the surname is not the first
  half of a word with that character (指导, 引导, 衰老, 养老, 渊博, 赌博…). 老师 is the name
  recogniser's title and is left to it.
* **A patient named right after the bed number** in a handover or a group message (``+2床 王芳今晚
  发热``, ``12床王芳血压偏低``): two to four Han characters up to what a handover says next about
  the patient (家属, 今晚, 血压, 发热, 诉…); not when the run itself opens with a state or a time
  (``12床 夜间血压偏低``, ``8床术后发热``), nor with 患 / 新 / 老… (``3床 患者…``, ``新病人``).
* **A Singapore NRIC / FIN** (``S1234567D``): a prefix (S, T: citizens and permanent residents born
  before / from 2000; F, G: foreigners' FIN, M: FINs issued from 2022), seven digits and a check
  letter. The check letter of S / T / F / G is the published one: digits weighted 2 7 6 5 4 3 2,
  4 added for T and G, the sum mod 11 indexing ``JZIHGFEDCBA`` (S, T) or ``XWUTRQPNMLK`` (F, G)
  (e.g. https://en.wikipedia.org/wiki/National_Registration_Identity_Card, "Structure of the NRIC
  number/FIN"; S1234567D, T1234567J, F1234567N, G1234567X are the usual worked examples). Taken
  anywhere when the check letter is right; taken with any letter (and for M, whose table was not
  checked here) after an NRIC / FIN label or 新加坡 on the same line shortly before.
* Look-alikes: **an old herbal pharmacy's name** (童涵春堂, 蔡同德堂, 徐重道: houses named after the
  founder) where the note names it as one — the value of a processing field (加工：, 代煎：, 煎药：,
  加工单位：: the pharmacy that boils the herbs, not a person), or a 堂 name followed by its trade
  (…堂国药号, …堂药店) — recorded on the :class:`Doc` so that the founder's name inside (童涵春,
  徐重道) is not redacted as a person. A 堂 name alone is not taken: 堂 is a given name's character
  too (王锦堂), and a person's name after a name label stays a name (labelled hits outrank
  look-alikes).
"""

from __future__ import annotations

import re

from privacy.deid.entities import PERSON, RESIDENT_ID
from privacy.deid.recognizers.base import Doc, Hit, Recognizer, alternation
from privacy.deid.surnames import all_compound

_HAN = "\u4e00-\u9fff"

# --- @-mentions ---------------------------------------------------------------------------------
_AT = re.compile(rf"@(?P<n>[{_HAN}]{{2,6}})")
_NOT_MENTIONS = ("所有人", "全体", "全员", "大家", "群主", "管理员", "值班", "各位", "我", "你", "他", "她")

# --- surname + 老 / 导 / 博 / 师兄 / 师姐 ------------------------------------------------------------
_CAMPUS_TITLE = re.compile(r"(?P<t>老|导|博|师兄|师姐)")
_BEFORE_CUE = (
    "经 请 已请 请示 已请示 汇报 已汇报 报告 已报告 跟 跟随 随 由 与 和 同 向 问 找 联系 通知 告知 等 让 带 给 及 "
    "已与 已经 已向 已通知 已联系 明早 明日 今日 今晚 上午 下午 晚上 明天 今天 收到"
).split()
_BEFORE_CUE_RE = re.compile(rf"(?:{alternation(_BEFORE_CUE)})$")
_BOUNDARY_BEFORE = frozenset(" \t\n:：,，、;；。(（[【\"'“‘/|!！?？")
_AFTER_CUE = (
    "会诊 看过 看了 查房 审方 审阅 同意 指示 意见 说 建议 认为 交代 嘱 会看 阅片 看 查看 复核 签字 批准 门诊 手术 "
    "开方 处方 主刀 决定 要求 安排 带教 指导 讲 来 到 在 的 已 也 亲自 今天 明天 明早 上午 下午 已经 刚 回复 确认"
).split()
_AFTER_CUE_RE = re.compile(rf"(?:{alternation(_AFTER_CUE)}|[ \t\n,，。、;；:：(（)）!！?？]|$)")
#: characters that make a word with the title (指导, 衰老, 渊博…): never a surname there
_NOT_BEFORE = {
    "老": frozenset(
        "古衰养防终敬尊元父遗耆长变早偏苍显易催抗到年不未太最很较更越偕白送扶告月姥阿小大家村寨元"
    ),
    "导": frozenset("指引诱疏主领向传倡辅督教训开前先误劝制报编执宣利因输通热光半超波"),
    "博": frozenset("渊广赌微淹该"),
    "师兄": frozenset("大二三小"),
    "师姐": frozenset("大二三小"),
}
_NOT_AFTER = {
    "老": re.compile(r"师|年|人|化|伴|家|板|婆|公|头|乡|总|爷|奶|太|大|二|三"),
    "导": re.compile(r"尿|管|丝|致|入|航|向|电|联|诊|师|引|流|数|体|线|演|游|购|读|热|出|语|图"),
    "博": re.compile(r"士|物|览|客|弈|导|爱|大|学"),
}

# --- a patient named after the bed number in ward talk ----------------------------------------------
_NAME_RUN = re.compile(rf"[ ]?(?P<n>[{_HAN}]{{2,8}})")
#: what a handover says next about the patient (the name ends where one of these starts)
_STATE_AFTER = re.compile(
    r"家属|今晚|今日|今天|昨晚|昨夜|夜间|凌晨|刚才|刚刚|血压|血糖|体温|发热|高热|心率|呼吸|神志|意识|诉|主诉|"
    r"术后|出院|入院|转科|病情|情况|突发|突然|出现|要求|拒绝|已|明日|明天|明早|需|准备|呕吐|腹痛|胸闷|气促|咳"
)
_NOT_NAME_CHARS = frozenset("患病者儿童的了在是和与及或无未已不请见同号床科室院部区男女新老")
_NOT_NAME_START = re.compile(
    r"上午|下午|中午|晚间|白天|目前|现在|当前|今|昨|明|午夜|半夜|深夜|早上|晚上|清晨|傍晚|仍|又|再|再次|持续|间断|偶有|无|未|已|予|给予|经|行|左|右|双"
)
_NOT_PATIENT = frozenset("本人 患者 病人 家属 新病人 新入 加床".split())

# --- Singapore NRIC / FIN -------------------------------------------------------------------------
_NRIC = re.compile(r"[STFGM](?<![A-Za-z0-9].)[0-9]{7}[A-Z](?![A-Za-z0-9])")
_NRIC_LABEL = re.compile(r"NRIC|FIN|新加坡|准证|IC[ ]?No|Singapore")
_NRIC_W = (2, 7, 6, 5, 4, 3, 2)


def nric_check_letter(prefix: str, digits7: str) -> str | None:
    """The check letter of a Singapore NRIC (S, T) or FIN (F, G); None for another prefix (M's table
    was not checked against a published source here)."""
    if prefix not in "STFG" or len(digits7) != 7 or not digits7.isdigit():
        return None
    total = sum(int(d) * w for d, w in zip(digits7, _NRIC_W, strict=True)) + (4 if prefix in "TG" else 0)
    table = "JZIHGFEDCBA" if prefix in "ST" else "XWUTRQPNMLK"
    return table[total % 11]


# --- look-alikes: herbal pharmacies -------------------------------------------------------------
#: a 堂 house named as a pharmacy (童涵春堂国药号, 蔡同德堂药号): 堂 is also a given name's character
#: (王锦堂), so 堂 alone names no pharmacy — only with the trade after it, or as a processing field's value
_HOUSE = re.compile(rf"(?P<h>[{_HAN}]{{2,3}}堂)(?:国药号|国药馆|药号|药店|药房|中药房|参药号|药行|中药店)")
_PROCESS_FIELD = re.compile(
    rf"(?:加工单位|加工药房|代煎药房|煎药药房|加工|代煎|煎药|代加工)[ ]?[:：][ ]?(?P<h>[{_HAN}]{{2,6}})(?![{_HAN}])"
)


class ChatRecognizer(Recognizer):
    """Work-group mentions, surnames with 老 / 导 / 博 / 师兄, patients after a bed number, Singapore
    NRIC / FIN, pharmacy houses (see the module docstring)."""

    name = "ChatRecognizer"
    entities = (PERSON, RESIDENT_ID)

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        hits: list[Hit] = []
        if "药" in text or "加工" in text or "煎" in text:
            self._houses(doc)
        if "@" in text:
            self._mentions(text, hits)
        if "床" in text:
            self._handover(text, hits)
        if "老" in text or "导" in text or "博" in text or "师兄" in text or "师姐" in text:
            self._campus(text, hits)
        self._nric(text, hits)
        return hits

    def _mentions(self, text: str, hits: list[Hit]) -> None:
        for m in _AT.finditer(text):
            if m.start() > 0 and text[m.start() - 1].isascii() and text[m.start() - 1].isalnum():
                continue  # an e-mail address
            run = m.group("n")
            if run.startswith(_NOT_MENTIONS) or "的" in run:
                continue
            size = 4 if run[:2] in all_compound() else 3  # (a longer run: the name and what follows)
            end = m.start("n") + min(len(run), size)
            hits.append(self.hit(m.start("n"), end, entity=PERSON, score=0.85, labelled=True))

    def _campus(self, text: str, hits: list[Hit]) -> None:
        for m in _CAMPUS_TITLE.finditer(text):
            i = m.start()
            if i == 0:
                continue
            title = m.group("t")
            ch = text[i - 1]
            if not "\u4e00" <= ch <= "\u9fff" or ch in _NOT_BEFORE[title]:
                continue
            after = m.end()
            not_after = _NOT_AFTER.get(title)
            if not_after is not None and not_after.match(text, after):
                continue
            if not _AFTER_CUE_RE.match(text, after):
                continue
            start = self._surname_start(text, i)
            if start is not None:
                hits.append(self.hit(start, i, entity=PERSON, score=0.8, labelled=True))

    @staticmethod
    def _surname_start(text: str, i: int) -> int | None:
        """Where the surname before the title at ``i`` starts: one character after a boundary or a
        cue (经王老), or two (a compound surname: 经欧阳老, 已请示东方师兄); None without either."""
        for size in (1, 2):
            s = i - size
            if s < 0 or not all("\u4e00" <= ch <= "\u9fff" for ch in text[s:i]):
                return None
            if (
                s == 0
                or text[s - 1] in _BOUNDARY_BEFORE
                or _BEFORE_CUE_RE.search(text, max(0, s - 4), s) is not None
            ):
                return s
        return None

    def _handover(self, text: str, hits: list[Hit]) -> None:
        """A patient named right after the bed number in ward talk (+2床 王芳今晚发热, 17床王芳家属到了)."""
        pos = text.find("床")
        while (
            pos != -1
        ):  # (from each 床 back to its number: a pattern tried at every digit cost ~20 us a note)
            bed = pos
            pos = text.find("床", pos + 1)
            k = bed
            while k > 0 and bed - k < 3 and text[k - 1].isdigit():
                k -= 1
            if k == bed or (k > 0 and text[k - 1].isascii() and text[k - 1].isalnum()):
                continue
            m = _NAME_RUN.match(text, bed + 1)
            if m is None:
                continue
            run = m.group("n")
            if _STATE_AFTER.match(run) or _NOT_NAME_START.match(run):
                continue  # (12床 夜间血压偏低, 3床 术后发热: the state, no name)
            for size in (2, 3, 4):
                if size > len(run):
                    break
                if _STATE_AFTER.match(run, size) or (
                    size == len(run) and _STATE_AFTER.match(text, m.end("n"))
                ):
                    name = run[:size]
                    if _NOT_NAME_CHARS.isdisjoint(name[:1]) and name not in _NOT_PATIENT:
                        hits.append(
                            self.hit(
                                m.start("n"), m.start("n") + size, entity=PERSON, score=0.8, labelled=True
                            )
                        )
                    break

    def _nric(self, text: str, hits: list[Hit]) -> None:
        for m in _NRIC.finditer(text):
            value = m.group()
            if nric_check_letter(value[0], value[1:8]) == value[8]:
                hits.append(self.hit(m, entity=RESIDENT_ID, score=0.85, labelled=True))
                continue
            line_start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 24)
            if _NRIC_LABEL.search(text, line_start, m.start()) is not None:
                hits.append(self.hit(m, entity=RESIDENT_ID, score=0.85, labelled=True))

    @staticmethod
    def _houses(doc: Doc) -> None:
        text = doc.text
        if "堂" in text:
            for m in _HOUSE.finditer(text):
                doc.decoys.append(m.span())
        for m in _PROCESS_FIELD.finditer(text):
            doc.decoys.append(m.span("h"))
