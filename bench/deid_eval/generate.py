"""Labelled Chinese clinical notes: text plus the gold span of every identifier in it.

Each note is built piece by piece, so the offsets of what was inserted are known exactly. Note
kinds: outpatient record, admission note, discharge summary, nursing note, telephone follow-up
and a claims/reimbursement note; each picks among several phrasings per sentence and formats per
identifier (spaced and hyphenated mobiles, 021 landlines with and without the area code, grouped
bank cards, IDs grouped 6-8-4). Distractors that must not be flagged are mixed in: 18-digit
numbers with a wrong check digit, batch numbers shaped like card numbers, dates, doses, lab
values, amounts, ICD codes, departments, titles without names, and clinical phrases that open
with a name cue (患者于门诊…, 患者周身乏力…).

Notes are single lines (what ``medshare deid text`` reads).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench.deid_eval import corpus as C
from contracts.formats import luhn_complete, resident_id_check_char

RESIDENT_ID = "RESIDENT_ID"
PHONE = "PHONE"
BANK_CARD = "BANK_CARD"
MEDICAL_CARD = "MEDICAL_CARD"
HOSPITAL_RECORD_NO = "HOSPITAL_RECORD_NO"
EMAIL = "EMAIL"
PERSON = "PERSON"
ADDRESS = "ADDRESS"
INSTITUTION = "INSTITUTION"


@dataclass(frozen=True, slots=True)
class GoldSpan:
    start: int
    end: int
    entity_type: str


@dataclass(frozen=True, slots=True)
class LabelledNote:
    """A note, its gold spans, and the names its record carries (the settlement's ``name``)."""

    text: str
    spans: tuple[GoldSpan, ...]
    known_names: tuple[str, ...] = ()
    kind: str = ""
    source: str = "bench"


class _Builder:
    """Appends text and entities, recording each entity's offsets."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._spans: list[GoldSpan] = []
        self._pos = 0

    def t(self, text: str) -> _Builder:
        self._parts.append(text)
        self._pos += len(text)
        return self

    def e(self, entity_type: str, text: str) -> _Builder:
        self._spans.append(GoldSpan(self._pos, self._pos + len(text), entity_type))
        return self.t(text)

    def build(self, known_names: tuple[str, ...], kind: str) -> LabelledNote:
        text = "".join(self._parts)
        for s in self._spans:
            assert 0 <= s.start < s.end <= len(text)
        return LabelledNote(text, tuple(self._spans), known_names, kind)


# --- identifiers ----------------------------------------------------------------------------
@dataclass
class Person:
    name: str
    gender: str
    age: int
    birth: date
    resident_id: str
    mobile: str
    address: list[tuple[str, str]]  # (kind, text) pieces: "addr" parts are the gold span
    card_no: str
    person_no: str
    bank_card: str
    email: str
    family: list[tuple[str, str, str]] = field(default_factory=list)  # (relation, name, mobile)


class _Ids:
    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self._surnames = list(C.SURNAME_WEIGHTS)
        self._weights = list(C.SURNAME_WEIGHTS.values())

    # names
    def surname(self) -> str:
        if self.rng.random() < 0.04:
            return self.rng.choice(C.COMPOUND_SURNAMES)
        return self.rng.choices(self._surnames, self._weights)[0]

    def name(self, gender: str | None = None) -> str:
        gender = gender or self.rng.choice("MF")
        r = self.rng.random()
        if r < 0.55:
            given = self.rng.choice(C.GIVEN_MALE if gender == "M" else C.GIVEN_FEMALE)
        elif r < 0.8:
            given = "".join(self.rng.choices(C.GIVEN_CHARS, k=2))
        else:
            given = self.rng.choice(C.GIVEN_CHARS)
        return self.surname() + given

    # numbers
    def resident_id(self, birth: date, gender: str) -> str:
        region = self.rng.choice(C.REGION_CODES)
        seq = self.rng.randrange(0, 100) * 10 + self.rng.choice(
            [1, 3, 5, 7, 9] if gender == "M" else [0, 2, 4, 6, 8]
        )
        first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
        return first17 + resident_id_check_char(first17)

    def bad_resident_id(self) -> str:
        """ID-shaped, with a check character that does not match."""
        birth = self.today - timedelta(days=self.rng.randrange(365 * 5, 365 * 90))
        first17 = f"{self.rng.choice(C.REGION_CODES)}{birth:%Y%m%d}{self.rng.randrange(1000):03d}"
        good = resident_id_check_char(first17)
        return first17 + self.rng.choice([c for c in "0123456789X" if c != good])

    def mobile(self) -> str:
        prefix = self.rng.choice(["13", "15", "17", "18", "19", "16", "14"]) + str(self.rng.randrange(10))
        if prefix[:2] == "14":
            prefix = "14" + self.rng.choice("579")
        return prefix + f"{self.rng.randrange(10**8):08d}"

    def landline_local(self) -> str:
        return self.rng.choice("23456") + f"{self.rng.randrange(10**7):07d}"

    def bank_card(self) -> str:
        if self.rng.random() < 0.8:
            bin6, length = self.rng.choice(C.BINS_UNIONPAY), self.rng.choice([16, 19, 19, 18])
        else:
            bin6, length = self.rng.choice(C.BINS_OTHER), 16
        body = bin6 + "".join(str(self.rng.randrange(10)) for _ in range(length - 7))
        return luhn_complete(body)

    def card_no(self) -> str:
        return self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + f"{self.rng.randrange(10**8):08d}"

    def person_no(self) -> str:
        return f"3100{self.rng.randrange(10**12):012d}"

    def record_no(self) -> str:
        r = self.rng.random()
        if r < 0.6:
            return f"{self.rng.randrange(10**7, 10**9)}"
        if r < 0.8:
            return f"{self.today:%Y}{self.rng.randrange(10**5, 10**6)}"
        return self.rng.choice(["ZY", "MZ", "B", "H"]) + f"{self.rng.randrange(10**6, 10**8)}"

    def email(self, name_hint: str) -> str:
        user = self.rng.choice(C.PINYIN) + self.rng.choice(["", ".", "_"]) + self.rng.choice(C.PINYIN_GIVEN)
        if self.rng.random() < 0.5:
            user += str(self.rng.randrange(1, 9999))
        domain = self.rng.choice(C.EMAIL_DOMAINS)
        if domain == "qq.com" and self.rng.random() < 0.6:
            user = str(self.rng.randrange(10**7, 10**10))
        return f"{user}@{domain}"

    # places
    def road(self) -> str:
        if self.rng.random() < 0.7:
            return self.rng.choice(C.ROADS)
        name = "".join(self.rng.choices(C.ROAD_CHARS, k=self.rng.choice([2, 2, 3])))
        return name + self.rng.choice(["", "", "东", "西", "南", "北", "中"]) + self.rng.choice(C.ROAD_SUFFIX)

    def address(self) -> str:
        rng = self.rng
        city = rng.choice(["上海市", "上海市", "", "", "上海"])
        district = rng.choice(C.DISTRICTS)
        n = lambda a, b: str(rng.randrange(a, b))  # noqa: E731
        shape = rng.randrange(8)
        if shape == 0:
            return f"{city}{district}{self.road()}{n(1, 2000)}弄{n(1, 120)}号{n(101, 2802)}室"
        if shape == 1:
            return f"{city}{district}{self.road()}{n(1, 3000)}号"
        if shape == 2:
            return f"{city}{district}{rng.choice(C.TOWNS)}{self.road()}{n(1, 1500)}号{n(101, 1802)}室"
        if shape == 3:
            return f"{city}{district}{rng.choice(C.TOWNS)}{rng.choice(C.VILLAGES)}{n(1, 16)}组{n(1, 200)}号"
        if shape == 4:
            return f"{city}{district}{rng.choice(C.ESTATES)}{n(1, 80)}号楼{n(101, 2602)}室"
        if shape == 5:
            return f"{city}{district}{rng.choice(C.ESTATES)}{n(1, 30)}栋{n(1, 6)}单元{n(101, 1802)}室"
        if shape == 6:
            return f"{city}{district}{self.road()}{n(1, 1200)}弄{n(1, 80)}号{n(101, 602)}"
        return (
            f"{city}{district}{self.road()}{n(1, 800)}号{rng.choice(C.ESTATES)}{n(1, 40)}号{n(101, 1602)}室"
        )

    def other_province_address(self) -> str:
        province, city, county = self.rng.choice(C.OTHER_PROVINCE_PLACES)
        if self.rng.random() < 0.5:
            return f"{province}{city}{county}{self.rng.choice(C.VILLAGES)}{self.rng.randrange(1, 12)}组"
        return f"{province}{city}{county}{self.road()}{self.rng.randrange(1, 500)}号"

    def institution(self) -> str:
        r = self.rng.random()
        if r < 0.45:
            return self.rng.choice(C.HOSPITALS)
        if r < 0.6:
            return self.rng.choice(C.HOSPITAL_SHORT)
        district = self.rng.choice(C.DISTRICTS)
        if r < 0.8:
            return self.rng.choice(["", "上海市"]) + district + self.rng.choice(C.DISTRICT_HOSPITAL_KINDS)
        town = self.rng.choice(C.TOWNS)
        return self.rng.choice(["", "上海市"]) + district + town + "社区卫生服务中心"

    def date(self, back_days: int = 400) -> date:
        return self.today - timedelta(days=self.rng.randrange(0, back_days))

    def person(self) -> Person:
        gender = self.rng.choice("MF")
        age = self.rng.randrange(1, 95)
        birth = self.today - timedelta(days=age * 365 + self.rng.randrange(365))
        return Person(
            name=self.name(gender),
            gender=gender,
            age=age,
            birth=birth,
            resident_id=self.resident_id(birth, gender),
            mobile=self.mobile(),
            address=[],
            card_no=self.card_no(),
            person_no=self.person_no(),
            bank_card=self.bank_card(),
            email=self.email(""),
        )


# --- formats ----------------------------------------------------------------------------------
def _fmt_mobile(rng: random.Random, m: str) -> str:
    r = rng.random()
    if r < 0.5:
        return m
    if r < 0.7:
        return f"{m[:3]} {m[3:7]} {m[7:]}"
    if r < 0.82:
        return f"{m[:3]}-{m[3:7]}-{m[7:]}"
    if r < 0.92:
        return f"+86 {m}"
    return f"+86-{m[:3]}-{m[3:7]}-{m[7:]}"


def _fmt_landline(rng: random.Random, local: str) -> tuple[str, bool]:
    """(text, needs a phone word): bare local numbers only count beside one."""
    r = rng.random()
    if r < 0.35:
        return f"021-{local}", False
    if r < 0.5:
        return f"(021){local[:4]}-{local[4:]}", False
    if r < 0.6:
        return f"021 {local[:4]} {local[4:]}", False
    if r < 0.7:
        return f"（021）{local}", False
    if r < 0.85:
        return local, True
    return f"{local[:4]} {local[4:]}", True


def _fmt_id(rng: random.Random, rid: str) -> str:
    if rid.endswith("X") and rng.random() < 0.2:
        rid = rid[:-1] + "x"
    if rng.random() < 0.1:
        return f"{rid[:6]} {rid[6:14]} {rid[14:]}"
    return rid


def _fmt_card(rng: random.Random, card: str) -> str:
    if rng.random() < 0.35:
        return " ".join(card[i : i + 4] for i in range(0, len(card), 4))
    return card


def _fmt_date(rng: random.Random, d: date) -> str:
    r = rng.random()
    if r < 0.5:
        return f"{d:%Y-%m-%d}"
    if r < 0.8:
        return f"{d.year}年{d.month}月{d.day}日"
    if r < 0.9:
        return f"{d:%Y%m%d}"
    return f"{d:%Y/%m/%d}"


# --- note kinds -----------------------------------------------------------------------------
class _NoteWriter:
    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.ids = _Ids(rng, today)

    # small pieces
    def sep(self, b: _Builder) -> None:
        b.t(self.rng.choice(["。", "。", "；", "， ", "。 "]))

    def gender_word(self, p: Person) -> str:
        return "男" if p.gender == "M" else "女"

    def phone_sentence(self, b: _Builder, who: str, mobile: str) -> None:
        rng = self.rng
        label = rng.choice(["联系电话", "电话", "手机", "手机号", "联系方式", "手机号码", "联系电话为"])
        b.t(f"{who}{label}{rng.choice(['：', ':', '', ' '])}").e(PHONE, _fmt_mobile(rng, mobile))

    def landline_sentence(self, b: _Builder) -> None:
        text, needs_word = _fmt_landline(self.rng, self.ids.landline_local())
        if needs_word or self.rng.random() < 0.6:
            label = self.rng.choice(["宅电", "座机", "家庭电话", "办公电话", "固定电话", "联系电话"])
            b.t(f"{label}{self.rng.choice(['：', '', ' '])}").e(PHONE, text)
        else:
            b.t("亦可致电").e(PHONE, text).t("联系")

    def id_sentence(self, b: _Builder, p: Person) -> None:
        label = self.rng.choice(["身份证号", "身份证号码", "公民身份号码", "证件号", "身份证", "ID"])
        b.t(f"{label}{self.rng.choice(['：', ':', '', ' '])}").e(
            RESIDENT_ID, _fmt_id(self.rng, p.resident_id)
        )

    def address_sentence(self, b: _Builder, p: Person) -> None:
        rng = self.rng
        cue = rng.choice(["家住", "住址：", "现住", "地址：", "现住址", "居住于", "户籍地址："])
        b.t(cue)
        if rng.random() < 0.12:
            b.e(ADDRESS, self.ids.other_province_address())
        else:
            b.e(ADDRESS, self.ids.address())

    def card_sentence(self, b: _Builder, p: Person) -> None:
        rng = self.rng
        r = rng.random()
        if r < 0.4:
            b.t(rng.choice(["社保卡号：", "社保卡号", "医保卡号：", "社会保障卡卡号", "医保卡号为"])).e(
                MEDICAL_CARD, p.card_no
            )
        elif r < 0.7:
            b.t(rng.choice(["医保个人编号：", "个人编号", "医保编号：", "参保人员编号 "])).e(
                MEDICAL_CARD, p.person_no
            )
        else:
            b.t("持社保卡（卡号").e(MEDICAL_CARD, p.card_no).t("）就诊，医保个人编号").e(
                MEDICAL_CARD, p.person_no
            )

    def bank_sentence(self, b: _Builder, p: Person) -> None:
        rng = self.rng
        bank = rng.choice(C.BANKS)
        r = rng.random()
        card = _fmt_card(rng, p.bank_card)
        if r < 0.4:
            b.t(f"理赔款请转入本人{bank}借记卡，卡号").e(BANK_CARD, card)
        elif r < 0.7:
            b.t(f"收款账户：{bank} ").e(BANK_CARD, card)
        else:
            b.t("银行卡号").t(rng.choice(["：", "", " "])).e(BANK_CARD, card).t(f"（{bank}）")

    def email_sentence(self, b: _Builder, p: Person) -> None:
        b.t(self.rng.choice(["电子邮箱：", "邮箱", "Email: ", "报告发送至邮箱 "])).e(EMAIL, p.email)

    def record_no(self, b: _Builder, label: str | None = None) -> None:
        label = label or self.rng.choice(
            ["住院号", "门诊号", "病案号", "病历号", "住院号：", "门诊号：", "ID号："]
        )
        b.t(label).t(self.rng.choice(["", "：", " "]) if not label.endswith("：") else "").e(
            HOSPITAL_RECORD_NO, self.ids.record_no()
        )

    def family_sentence(self, b: _Builder, p: Person) -> None:
        rng = self.rng
        rel = rng.choice(C.RELATIONS)
        gender = C.RELATION_GENDER.get(rel)
        name = self.ids.name(gender)
        mobile = self.ids.mobile()
        p.family.append((rel, name, mobile))
        r = rng.random()
        if r < 0.22:
            b.t(f"由{rel}").e(PERSON, name).t("陪同就诊")
        elif r < 0.42:
            b.t("联系人：").e(PERSON, name).t(f"（{C.RELATION_NOUN.get(rel, rel)}）")
            b.t("，")
            self.phone_sentence(b, "", mobile)
        elif r < 0.58:
            b.t("家属").e(PERSON, name).t(rng.choice(["女士", "先生"]) if rng.random() < 0.3 else "").t(
                rng.choice(["陪护", "签字同意", "表示理解", "已知情"])
            )
        elif r < 0.7:
            other = self.ids.name()
            b.t("家属：").e(PERSON, name).t("、").e(PERSON, other)
        elif r < 0.8:
            b.t("紧急联系人").e(PERSON, name).t("，").t("电话").e(PHONE, _fmt_mobile(rng, mobile))
        elif r < 0.9:
            # no cue word before the name: only what follows it says it is a person
            b.t(rng.choice(["经与", "已与", "与"])).e(PERSON, name).t(rng.choice(["沟通", "沟通后"]))
            b.t(rng.choice(["，同意手术", "，家属表示理解", "，暂缓治疗"]))
        else:
            b.e(PERSON, name).t(rng.choice(["签字同意", "表示理解并签字", "拒绝进一步检查", "要求出院"]))

    def doctor_sign(self, b: _Builder) -> None:
        rng = self.rng
        name = self.ids.name()
        r = rng.random()
        if r < 0.35:
            b.t(f"{rng.choice(C.DOCTOR_TITLES)}：").e(PERSON, name)
        elif r < 0.6:
            b.t("医师签名：").e(PERSON, name)
        elif r < 0.8:
            b.t("记录者：").e(PERSON, name)
        else:
            b.e(PERSON, name).t(rng.choice(["主任医师", "主任", "医生"])).t("查房后指示继续当前方案")

    def distractors(self, b: _Builder, k: int) -> None:
        rng = self.rng
        pool = [
            lambda: b.t(f"检验条码{self.ids.bad_resident_id()}"),
            lambda: b.t(f"发票号{rng.randrange(10**17, 10**18)}"),
            lambda: b.t(f"药品批号{rng.choice('ABCDH')}{self.ids.date():%Y%m%d}"),
            lambda: b.t(f"批号：{self.ids.date():%y%m%d}{rng.randrange(10, 99)}"),
            lambda: b.t(f"予{rng.choice(C.DRUGS)}"),
            lambda: b.t(f"复查{rng.choice(C.LAB_VALUES)}，{rng.choice(C.LAB_VALUES)}"),
            lambda: b.t(
                f"BP {rng.randrange(100, 180)}/{rng.randrange(60, 110)}mmHg，HR {rng.randrange(55, 120)}次/分"
            ),
            lambda: b.t(f"体温{rng.randrange(360, 400) / 10}℃"),
            lambda: b.t(f"本次医疗费用总额{rng.randrange(100, 90000)}.{rng.randrange(100):02d}元"),
            lambda: b.t(
                f"统筹基金支付{rng.randrange(100, 50000)}.{rng.randrange(100):02d}元，个人自付{rng.randrange(10, 9000)}元"
            ),
            lambda: b.t(f"诊断编码{rng.choice(C.DIAGNOSES)[1]}"),
            lambda: b.t(f"于{_fmt_date(rng, self.ids.date())}复诊"),
            lambda: b.t(f"服务项目编码{rng.randrange(10**8, 10**9)}"),
            lambda: b.t(f"转{rng.choice(C.DEPARTMENTS)}继续治疗"),
            lambda: b.t(rng.choice(C.NAME_LIKE_DISTRACTORS)),
            lambda: b.t(rng.choice(C.NAME_LIKE_DISTRACTORS)),
            lambda: b.t(f"{rng.randrange(1, 60)}床"),
            lambda: b.t(f"身高{rng.randrange(150, 190)}cm，体重{rng.randrange(40, 100)}kg"),
            lambda: b.t(
                rng.choice(["建议本院随访", "外院CT提示", "我院急诊予对症处理", "当地医院予抗感染治疗"])
            ),
            lambda: b.t(f"订单号{rng.randrange(10**15, 10**16)}"),
            lambda: b.t(f"预约时间{rng.randrange(8, 17):02d}:{rng.choice(['00', '30'])}"),
        ]
        for fn in rng.sample(pool, k):
            fn()
            self.sep(b)

    # the note kinds
    def outpatient(self, p: Person) -> _Builder:
        rng, b = self.rng, _Builder()
        diag = rng.choice(C.DIAGNOSES)
        if rng.random() < 0.6:
            b.t("姓名：").e(PERSON, p.name).t(f" 性别：{self.gender_word(p)} 年龄：{p.age}岁 ")
        else:
            b.e(PERSON, p.name).t(f"，{self.gender_word(p)}，{p.age}岁")
            self.sep(b)
        self.record_no(b, rng.choice(["门诊号：", "门诊号", "就诊号："]))
        b.t(f" 科室：{rng.choice(C.DEPARTMENTS)} 就诊日期：{_fmt_date(rng, self.ids.date())} ")
        b.t(f"主诉：{rng.choice(C.SYMPTOMS)}{rng.randrange(1, 30)}天。现病史：")
        b.t(rng.choice(["患者", "患者", ""])).t(f"{rng.randrange(1, 10)}天前出现{rng.choice(C.SYMPTOMS)}")
        self.sep(b)
        self.distractors(b, rng.randrange(2, 5))
        if rng.random() < 0.5:
            b.t("既往曾于").e(INSTITUTION, self.ids.institution()).t("诊断为").t(rng.choice(C.DIAGNOSES)[0])
            self.sep(b)
        if rng.random() < 0.7:
            self.phone_sentence(b, "患者", p.mobile)
            self.sep(b)
        if rng.random() < 0.4:
            self.id_sentence(b, p)
            self.sep(b)
        if rng.random() < 0.4:
            self.address_sentence(b, p)
            self.sep(b)
        if rng.random() < 0.5:
            self.card_sentence(b, p)
            self.sep(b)
        if rng.random() < 0.35:
            self.family_sentence(b, p)
            self.sep(b)
        b.t(f"诊断：{diag[0]}（{diag[1]}）。处理：{rng.choice(C.DRUGS)}")
        self.sep(b)
        self.doctor_sign(b)
        b.t("。")
        return b

    def admission(self, p: Person) -> _Builder:
        rng, b = self.rng, _Builder()
        diag = rng.choice(C.DIAGNOSES)
        d = self.ids.date()
        b.t("入院记录 ")
        b.t(rng.choice(["患者", "患者", "病人"])).e(PERSON, p.name).t(f"，{self.gender_word(p)}，{p.age}岁，")
        b.t(f"因“{rng.choice(C.SYMPTOMS)}{rng.randrange(1, 20)}天”于{_fmt_date(rng, d)}收入")
        if rng.random() < 0.5:
            b.e(INSTITUTION, self.ids.institution())
        else:
            b.t("我院")
        b.t(rng.choice(C.DEPARTMENTS))
        self.sep(b)
        self.record_no(b, rng.choice(["住院号：", "住院号", "病案号：", "住院病案号 "]))
        self.sep(b)
        self.id_sentence(b, p)
        self.sep(b)
        self.address_sentence(b, p)
        self.sep(b)
        self.phone_sentence(b, rng.choice(["", "患者本人"]), p.mobile)
        self.sep(b)
        for _ in range(rng.choice([1, 1, 2])):
            self.family_sentence(b, p)
            self.sep(b)
        if rng.random() < 0.5:
            self.landline_sentence(b)
            self.sep(b)
        b.t(f"既往{rng.choice(C.DIAGNOSES)[0]}病史{rng.randrange(1, 20)}年")
        self.sep(b)
        self.distractors(b, rng.randrange(2, 6))
        if rng.random() < 0.3:
            spouse = self.ids.name("F" if p.gender == "M" else "M")
            b.t("婚育史：已婚，配偶").e(PERSON, spouse).t("体健")
            self.sep(b)
        if rng.random() < 0.3:
            b.t("籍贯：").e(ADDRESS, self.ids.other_province_address())
            self.sep(b)
        b.t(f"初步诊断：{diag[0]}")
        self.sep(b)
        self.doctor_sign(b)
        b.t("。")
        return b

    def discharge(self, p: Person) -> _Builder:
        rng, b = self.rng, _Builder()
        diag = rng.choice(C.DIAGNOSES)
        d_in = self.ids.date()
        d_out = d_in + timedelta(days=rng.randrange(1, 20))
        b.t("出院小结 ")
        if rng.random() < 0.5:
            b.t("姓名：").e(PERSON, p.name).t(" ")
        else:
            b.t("患者").e(PERSON, p.name).t("，")
        self.record_no(b, rng.choice(["住院号：", "病案号", "住院号"]))
        b.t(f" 入院日期：{_fmt_date(rng, d_in)} 出院日期：{_fmt_date(rng, d_out)} ")
        b.t(f"出院诊断：{diag[0]}（{diag[1]}）")
        self.sep(b)
        b.t("诊疗经过：入院后完善相关检查，").t(rng.choice(C.LAB_VALUES)).t("，予").t(rng.choice(C.DRUGS)).t(
            "治疗后好转"
        )
        self.sep(b)
        self.distractors(b, rng.randrange(2, 5))
        if rng.random() < 0.5:
            b.t("出院后转至").e(INSTITUTION, self.ids.institution()).t("康复治疗")
            self.sep(b)
        b.t("出院医嘱：").t(rng.choice(C.DRUGS))
        self.sep(b)
        if rng.random() < 0.6:
            b.t("随访电话：").e(PHONE, _fmt_mobile(rng, p.mobile))
            self.sep(b)
        if rng.random() < 0.4:
            self.family_sentence(b, p)
            self.sep(b)
        if rng.random() < 0.3:
            self.address_sentence(b, p)
            self.sep(b)
        if rng.random() < 0.3:
            self.id_sentence(b, p)
            self.sep(b)
        self.doctor_sign(b)
        b.t("。")
        return b

    def nursing(self, p: Person) -> _Builder:
        rng, b = self.rng, _Builder()
        b.t(f"护理记录 {rng.randrange(1, 60)}床 ")
        b.e(PERSON, p.name).t(f" {self.gender_word(p)} {p.age}岁 ")
        self.record_no(b, "住院号")
        b.t(f" {rng.randrange(0, 24):02d}:{rng.choice(['00', '15', '30', '45'])} ")
        b.t(rng.choice(["患者神志清，精神可", "患者安静入睡", "患者诉夜间睡眠差", "患者周身乏力"]))
        self.sep(b)
        b.t(
            f"T {rng.randrange(362, 392) / 10}℃ P {rng.randrange(60, 110)}次/分 R {rng.randrange(14, 24)}次/分"
        )
        self.sep(b)
        self.distractors(b, rng.randrange(1, 4))
        self.family_sentence(b, p)
        self.sep(b)
        if rng.random() < 0.4:
            b.t("已告知家属").e(PERSON, p.family[-1][1]).t("注意防跌倒")
            self.sep(b)
        name = self.ids.name("F")
        b.t(f"{rng.choice(C.NURSE_TITLES)}：").e(PERSON, name)
        b.t("。")
        return b

    def follow_up(self, p: Person) -> _Builder:
        rng, b = self.rng, _Builder()
        b.t("电话随访记录：")
        b.t(f"{_fmt_date(rng, self.ids.date())}致电患者").e(PERSON, p.name)
        b.t(rng.choice(["先生", "女士"]) if rng.random() < 0.4 else "").t("（")
        b.e(PHONE, _fmt_mobile(rng, p.mobile)).t("）")
        self.sep(b)
        if rng.random() < 0.6:
            rel, name, mobile = rng.choice(C.RELATIONS), self.ids.name(), self.ids.mobile()
            b.t(f"由{rel}").e(PERSON, name).t("接听，").t("其手机").e(PHONE, _fmt_mobile(rng, mobile))
            self.sep(b)
        if rng.random() < 0.5:
            self.landline_sentence(b)
            self.sep(b)
        b.t(f"患者出院后{rng.choice(['恢复良好', '仍有' + rng.choice(C.SYMPTOMS), '规律服药'])}")
        self.sep(b)
        self.distractors(b, rng.randrange(1, 4))
        b.t("建议于").e(INSTITUTION, self.ids.institution()).t("复诊")
        self.sep(b)
        if rng.random() < 0.4:
            self.email_sentence(b, p)
            self.sep(b)
        b.t("随访人：").e(PERSON, self.ids.name()).t("。")
        return b

    def claim(self, p: Person) -> _Builder:
        rng, b = self.rng, _Builder()
        b.t(rng.choice(["商保理赔说明：", "直赔申请备注：", "快赔材料说明："]))
        b.t("被保险人").e(PERSON, p.name).t("，")
        self.id_sentence(b, p)
        self.sep(b)
        self.card_sentence(b, p)
        self.sep(b)
        b.t(f"于{_fmt_date(rng, self.ids.date())}在").e(INSTITUTION, self.ids.institution()).t("住院治疗")
        self.sep(b)
        self.record_no(b, rng.choice(["住院号", "病案号：", "住院号："]))
        self.sep(b)
        self.distractors(b, rng.randrange(2, 5))
        self.bank_sentence(b, p)
        self.sep(b)
        if rng.random() < 0.7:
            self.phone_sentence(b, "", p.mobile)
            self.sep(b)
        if rng.random() < 0.6:
            self.email_sentence(b, p)
            self.sep(b)
        if rng.random() < 0.5:
            self.address_sentence(b, p)
            self.sep(b)
        if rng.random() < 0.3:
            b.t("经办人：").e(PERSON, self.ids.name())
            self.sep(b)
        b.t("申请人签字确认")
        return b


KINDS = ("outpatient", "admission", "discharge", "nursing", "follow_up", "claim")


def generate_notes(n: int, seed: int = 1, today: date = date(2026, 3, 5)) -> list[LabelledNote]:
    """``n`` labelled notes, the same for the same seed."""
    rng = random.Random(seed)
    writer = _NoteWriter(rng, today)
    notes = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)] if i < len(KINDS) else rng.choice(KINDS)
        person = writer.ids.person()
        builder = getattr(writer, kind)(person)
        notes.append(builder.build((person.name,), kind))
    return notes
