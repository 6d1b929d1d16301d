"""Session 10 (heldout11's misses, as shapes): what a traffic-claim, an ER rescue or a 长护险 form
writes about a police officer, a signer who cannot sign, and a patient or a family from Malaysia
or Thailand.

* **An officer named by role** — 交警 / 民警 / 辅警 / 巡警 / 社区民警 / 派出所民警 / 警官 and the name
  right after it (an accident report, an escort to the ER: ``交警王芳（警号012345）出具``,
  ``民警王芳协助送医``): 2–3 Han characters (4 with a compound surname) up to a badge number, what
  the officer does (协助, 护送, 到场, 出具, 陪同…) or punctuation; never a run that opens with what an
  officer does (民警协助送医, 民警到场: no name).
* **A name signed for someone else or beside a fingerprint** — ``王芳代签``, ``王芳（代签）``,
  ``王芳代（儿子）``, ``王芳（指印）``, ``王芳（按手印）``, ``王芳（捺指印）``: consent forms record who
  signed for the patient and, for a signer who cannot write, staff write the name beside the print.
  The name starts after a colon, a space or a line start; a role word (家属, 本人, 患者…) is no name.
* **A Malaysian MyKad** — YYMMDD-PB-###G (Jabatan Pendaftaran Negara; Wikipedia, *Malaysian
  identity card*, "Identity card number"): a valid birth date, a place-of-birth code, four digits;
  dashed anywhere, twelve digits after MyKad / IC / 马来西亚 on the line shortly before.
* **A Thai citizen ID** — 13 digits, the last a check digit: the first twelve weighted 13 … 2,
  check = (11 − sum mod 11) mod 10 (Wikipedia, *Thai identity card*, "Identification number"),
  printed 1-2345-67890-12-3 or with spaces; taken in that layout anywhere when the check holds.
* **A Buddhist-era date of birth** — Thai documents count years from 543 BC (佛历 2499 = 1956;
  B.E.): ``佛历2499年3月7日``, ``07/03/2499``, ``07/03/B.E.2499`` after a birth label.
* **Local Malaysian and Thai mobiles** — 01X-XXX XXXX / 01X-XXXXXXX(X) (Malaysia's 01 mobile
  prefixes) and 0[689]X-XXX-XXXX (Thailand's 06 / 08 / 09), dashed, with no country code.
* **A Maybank / KBank account** — the digits after a bank's name or ``A/C`` (12 digits in fours;
  Thai xxx-x-xxxxx-x).
"""

from __future__ import annotations

import re

from privacy.deid.entities import BANK_CARD, DATE_OF_BIRTH, PERSON, PHONE, RESIDENT_ID
from privacy.deid.recognizers.base import Doc, Hit, Recognizer
from privacy.deid.surnames import all_compound

_HAN = "\u4e00-\u9fff"

# --- officers ---------------------------------------------------------------------------------
_OFFICER = re.compile(rf"(?:社区民警|派出所民警|交警|民警|辅警|巡警|特警|警官)[ ]?(?P<n>[{_HAN}]{{2,5}})")
#: what an officer does next (the name ends where one of these starts; a run opening with one has no name)
_OFFICER_NEXT = re.compile(
    r"警号|协助|护送|到场|到院|出具|陪同|送|赶到|处理|询问|调查|现场|介入|告知|称|说|表示|要求|带|将|把|对|"
    r"一同|同行|陪|等|已|在|及|和|与|同志|来院|联系|出警|勘查|认定|记录|签|负责|电话|手机|核实|调解|确认|离开|办理"
)
#: what an officer's run opens with when no name follows the role (民警接警后到场, 交警现场勘查)
_OFFICER_NOT_START = re.compile(
    r"接警|接到|接报|赶赴|立即|随即|迅速|及时|已经|当场|依法|经过|经查|查看|初步|现场|正在|也|又|再|均|都|前来|上门|"
    r"入户|电话|口头|同意|建议|指出|认为|了解|告|通知|去|到|予|给|让|请|为|是|的|了"
    # (not 于 向 查 经 从 来 正: surnames as well)
)
_NOT_OFFICER = frozenset("同志 大队 中队 支队 部门 值班 执勤 队长 警长 一名 二名 两名 多名 人员 同事".split())

# --- proxy signatures and fingerprints ----------------------------------------------------------
#: (found from the mark, then the name read backwards to a colon, a space or a line start)
_SIGNED = re.compile(r"代签|[（(](?:代签|代|指印|按手印|捺指印|手印|指模|摁手印)[)）]|代(?=[（(])")
_SIGN_BOUNDARY = frozenset("\n :：|")
_NOT_SIGNER = frozenset(
    "家属 本人 患者 病人 亲属 监护人 委托人 代理人 其子 其女 儿子 女儿 丈夫 妻子 父亲 母亲 老伴 护工 "
    "医生 护士 签字 签名 签收 见证人 他人 子女 家人 同意 拒绝 已由 由其".split()
)

# --- Malaysian MyKad ----------------------------------------------------------------------------
#: (the look-behind after the first digit: a pattern that opens with a digit class is scanned fast)
_MYKAD_DASHED = re.compile(r"\d(?<![0-9-]\d)(\d)(\d{2})(\d{2})-(\d{2})-\d{4}(?![0-9-])")
_MYKAD_PLAIN = re.compile(r"\d(?<![0-9]\d)(\d)(\d{2})(\d{2})(\d{2})\d{4}(?![0-9])")
_MY_LABEL = re.compile(r"MyKad|MYKAD|mykad|IC|马来西亚|大马|马籍")
#: place-of-birth codes a MyKad can carry (states 01–16, 21–59, 60–68, 71–72, 74–79, 82–93, 98–99)
_MY_PB = frozenset(
    [f"{i:02d}" for i in range(1, 17)]
    + [str(i) for i in range(21, 69)]
    + ["71", "72", "74", "75", "76", "77", "78", "79"]
    + [str(i) for i in range(82, 94)]
    + ["98", "99"]
)

#: a run that may hold a MyKad or a Thai ID: 12 or more digits, spaces and dashes (a character class: fast)
_LONG_NUMBER = re.compile(r"[0-9][0-9 -]{10,}[0-9]")

# --- Thai citizen ID ----------------------------------------------------------------------------
#: a 1-4-5-2-1 layout in the original note (the normalised text joins some of its groups)
_TH_GROUPED = re.compile(r"(?<![0-9])(\d)([- ])(\d{4})\2(\d{5})\2(\d{2})\2(\d)(?![0-9])")
_TH_RUN = re.compile(r"\d(?<![0-9]\d)(?:[- ]?\d){12}(?![0-9])")
_TH_LABEL = re.compile(r"泰国|泰籍|Thai|THAI")


def thai_check_digit(d12: str) -> str:
    """The check digit of a Thai citizen ID: weights 13 … 2 on the first twelve digits,
    (11 − sum mod 11) mod 10."""
    total = sum(int(d) * w for d, w in zip(d12, range(13, 1, -1), strict=True))
    return str((11 - total % 11) % 10)


# --- Buddhist-era dates of birth ----------------------------------------------------------------
_BE_DOB = re.compile(
    r"(?:出生日期|出生年月日|出生|生日|DOB|D\.O\.B\.?|Date of birth|Birthday)[ ]?[:：]?[ ]?"
    r"(?P<d>佛历[ ]?(?:2[45]\d\d)年\d{1,2}月\d{1,2}日?|\d{1,2}/\d{1,2}/(?:B\.?E\.?[ ]?)?2[45]\d\d|"
    r"B\.?E\.?[ ]?2[45]\d\d[-/.]\d{1,2}[-/.]\d{1,2})"
)

# --- Malaysian and Thai mobiles -------------------------------------------------------------------
#: (matched on the original layout: the normalised text joins the groups)
_MOBILE = re.compile(r"(?<![0-9-])(?:01[0-9]-\d{3,4}[ ]\d{4}|01[0-9]-\d{7,8}|0[689]\d-\d{3}-\d{4})(?![0-9-])")
_MOBILE_NORM = re.compile(r"0(?<![0-9]0)(?:1[0-9]\d{7,8}|[689]\d{8})(?![0-9])")

# --- Malaysian / Thai bank accounts ---------------------------------------------------------------
_BANK = re.compile(
    r"(?:Maybank|MAYBANK|KBank|KBANK|Kasikorn|CIMB|Public Bank|Bangkok Bank|SCB)[^\n0-9]{0,8}?"
    r"(?P<a>\d{4}[ ]\d{4}[ ]\d{4}|\d{3}-\d-\d{5}-\d|\d{10,16})(?![0-9])"
)


class AbroadRecognizer(Recognizer):
    """Officers by role, proxy and fingerprint signatures, MyKad, Thai IDs, Buddhist-era dates of
    birth, local Malaysian / Thai mobiles and accounts (see the module docstring)."""

    name = "AbroadRecognizer"
    entities = (PERSON, RESIDENT_ID, DATE_OF_BIRTH, PHONE, BANK_CARD)

    def find(self, doc: Doc) -> list[Hit]:
        text = doc.text
        hits: list[Hit] = []
        if "警" in text:
            self._officers(text, hits)
        if "代" in text or "印" in text or "指模" in text:
            for m in _SIGNED.finditer(text):
                end = m.start()
                start = end
                while start > 0 and end - start < 5 and "\u4e00" <= text[start - 1] <= "\u9fff":
                    start -= 1
                if not 2 <= end - start <= 4 or (start > 0 and text[start - 1] not in _SIGN_BOUNDARY):
                    continue
                name = text[start:end]
                if name in _NOT_SIGNER or name[-1] in "由的和与及":
                    continue
                hits.append(self.hit(start, end, entity=PERSON, score=0.8, labelled=True))
        # one scan for runs of 12 or more digits (spaces and dashes between), then each shape inside
        # (three scans of the whole note cost ~35 us a note)
        runs = [m.span() for m in _LONG_NUMBER.finditer(text)]
        if runs:
            self._mykad(text, runs, hits)
            self._thai(doc, runs, hits)
        if "佛历" in text or "/24" in text or "/25" in text or "B.E" in text or "BE" in text:
            for m in _BE_DOB.finditer(text):
                hits.append(
                    self.hit(m.start("d"), m.end("d"), entity=DATE_OF_BIRTH, score=0.85, labelled=True)
                )
        for m in _MOBILE_NORM.finditer(text) if "-" in doc.norm.original else ():
            o_start, o_end = doc.norm.to_original(m.start(), m.end())
            if _MOBILE.fullmatch(doc.norm.original, o_start, o_end):
                hits.append(self.hit(m, entity=PHONE, score=0.75, labelled=True))
        if "ank" in text or "ANK" in text or "CIMB" in text or "SCB" in text or "Kasikorn" in text:
            for m in _BANK.finditer(text):
                hits.append(self.hit(m.start("a"), m.end("a"), entity=BANK_CARD, score=0.85, labelled=True))
        return hits

    def _officers(self, text: str, hits: list[Hit]) -> None:
        for m in _OFFICER.finditer(text):
            run, s = m.group("n"), m.start("n")
            if _OFFICER_NEXT.match(text, s) or _OFFICER_NOT_START.match(text, s) or run[:2] in _NOT_OFFICER:
                continue
            # a compound surname outside the inventory: four characters, when the badge or an action
            # follows at once (交警东郭子明（警号…）)
            top = 4 if run[:2] in all_compound() or _OFFICER_NEXT.match(text, s + 4) else 3
            for size in range(2, min(top, len(run)) + 1):
                if size == len(run) or _OFFICER_NEXT.match(text, s + size):
                    hits.append(self.hit(s, s + size, entity=PERSON, score=0.8, labelled=True))
                    break

    def _mykad(self, text: str, runs: list[tuple[int, int]], hits: list[Hit]) -> None:
        for m in _within(_MYKAD_DASHED, text, runs):
            if _valid_ymd(m.group(2), m.group(3)) and m.group(4) in _MY_PB:
                hits.append(self.hit(m, entity=RESIDENT_ID, score=0.85, labelled=True))
        if _MY_LABEL.search(text) is None:
            return
        for m in _within(_MYKAD_PLAIN, text, runs):
            if not (_valid_ymd(m.group(2), m.group(3)) and m.group(4) in _MY_PB):
                continue
            line_start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 24)
            if _MY_LABEL.search(text, line_start, m.start()) is not None:
                hits.append(self.hit(m, entity=RESIDENT_ID, score=0.85, labelled=True))

    def _thai(self, doc: Doc, runs: list[tuple[int, int]], hits: list[Hit]) -> None:
        text = doc.text
        for m in _within(_TH_RUN, text, runs):
            digits = re.sub(r"[- ]", "", m.group())
            if digits[0] == "0" or thai_check_digit(digits[:12]) != digits[12]:
                continue
            o_start, o_end = doc.norm.to_original(m.start(), m.end())
            if _TH_GROUPED.fullmatch(doc.norm.original, o_start, o_end):
                hits.append(self.hit(m, entity=RESIDENT_ID, score=0.85, labelled=True))
        if "泰" in text or "Thai" in text or "THAI" in text:
            for m in _within(_TH_RUN, text, runs):
                digits = re.sub(r"[- ]", "", m.group())
                if thai_check_digit(digits[:12]) != digits[12]:
                    continue
                line_start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 24)
                if _TH_LABEL.search(text, line_start, m.start()) is not None:
                    hits.append(self.hit(m, entity=RESIDENT_ID, score=0.85, labelled=True))


def _within(pattern: re.Pattern[str], text: str, runs: list[tuple[int, int]]):
    """Every match of ``pattern`` inside one of ``runs`` (the look-arounds see the whole text)."""
    for start, end in runs:
        pos = start
        while True:
            m = pattern.search(text, pos, end)
            if m is None:
                break
            if m.end() == end or not text[m.end()].isdigit():
                yield m
            pos = m.end()


def _valid_ymd(month: str, day: str) -> bool:
    return 1 <= int(month) <= 12 and 1 <= int(day) <= 31
