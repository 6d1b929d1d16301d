"""E-medical-record notes (电子病历) in Chinese free text, with gold spans of every identifier.

Real notes are full of identifiers: the patient's name, ID number, phone and address in the
header, the 住院号, the 社保卡号, relatives (家属) and their phones, now and then a bank card for a
refund or a direct claim payment, an e-mail for reports, the hospital's name. The simulator writes
such notes into ``platform.emr-notes.v1``; the de-identifier is evaluated against the spans
:func:`compose_note` returns, which mark exactly where each identifier was put.

Templates are ``str.format`` strings. A placeholder named in :data:`ENTITY_FIELDS` is an identifier
and gets a :class:`Span`; every other placeholder is clinical text with no identifier in it.

For evaluation without running the simulator::

    from medshare.simulate.notes import sample_notes
    for note in sample_notes(200, seed=7):
        note.text, note.spans          # spans: Span(start, end, entity_type, text)
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from medshare.simulate.catalogue import (
    DEPARTMENTS,
    DIAGNOSES,
    INSTITUTIONS,
    Diagnosis,
    Institution,
    drugs_for,
)
from medshare.simulate.persons import Person, full_name, make_person

# --- entity types (the labels the de-identifier must find) ---------------------------------
RESIDENT_ID = "RESIDENT_ID"
PHONE = "PHONE"
PERSON = "PERSON"
ADDRESS = "ADDRESS"
BANK_CARD = "BANK_CARD"
MEDICAL_CARD = "MEDICAL_CARD"
HOSPITAL_RECORD_NO = "HOSPITAL_RECORD_NO"
EMAIL = "EMAIL"
INSTITUTION = "INSTITUTION"
ENTITY_TYPES = (RESIDENT_ID, PHONE, PERSON, ADDRESS, BANK_CARD, MEDICAL_CARD, HOSPITAL_RECORD_NO, EMAIL,
                INSTITUTION)

#: template placeholder -> entity type
ENTITY_FIELDS: dict[str, str] = {
    "name": PERSON,
    "family_name": PERSON,
    "doctor": PERSON,
    "resident_id": RESIDENT_ID,
    "phone": PHONE,
    "family_phone": PHONE,
    "landline": PHONE,
    "address": ADDRESS,
    "bank_card": BANK_CARD,
    "card_no": MEDICAL_CARD,
    "person_no": MEDICAL_CARD,
    "record_no": HOSPITAL_RECORD_NO,
    "email": EMAIL,
    "hospital": INSTITUTION,
    "referral_hospital": INSTITUTION,
}

NOTE_TYPES = ("outpatient", "admission", "discharge")


@dataclass(frozen=True)
class Span:
    """``text[start:end]`` is an identifier of type ``entity_type`` (``text`` repeats it for convenience)."""

    start: int
    end: int
    entity_type: str
    text: str


@dataclass(frozen=True)
class LabelledNote:
    text: str
    spans: tuple[Span, ...]
    note_type: str
    person_no: str


# --- templates -----------------------------------------------------------------------------
TEMPLATES: dict[str, tuple[str, ...]] = {
    "outpatient": (
        "{hospital}门诊病历\n姓名：{name}  性别：{gender_cn}  年龄：{age}岁  科别：{dept}\n"
        "身份证号：{resident_id}  联系电话：{phone}\n医保卡号：{card_no}  门诊号：{record_no}\n"
        "住址：{address}\n就诊日期：{visit_date}\n主诉：{complaint}\n现病史：{history}\n查体：{exam}\n"
        "诊断：{diagnosis}\n处理：{plan}\n医师：{doctor}",
        "患者{name}，{gender_cn}，{age}岁，因“{complaint}”于{visit_date}至我院（{hospital}）{dept}门诊就诊。"
        "身份证号{resident_id}，现住{address}，手机{phone}。{history}查体：{exam}。初步诊断：{diagnosis}。"
        "予{plan}。嘱不适随诊。接诊医生：{doctor}",
        "【门诊记录】{hospital} {dept}\n患者：{name}（{gender_cn}/{age}岁） 社保卡号{card_no} 个人编号{person_no}\n"
        "证件号码：{resident_id}\n电话：{phone}\n主诉：{complaint}。\n诊断：{diagnosis}\n处方：{drugs}\n"
        "医生签名：{doctor} {visit_date}",
        "{dept}门诊 {visit_date}\n{name} {gender_cn} {age}岁 门诊号{record_no}\n"
        "ID：{resident_id} Tel：{phone}\n地址：{address}\n{complaint}。{history}\nP：{plan}\n"
        "Dx：{diagnosis}\n{hospital} {doctor}",
    ),
    "admission": (
        "入院记录\n{hospital} {dept}  住院号：{record_no}\n姓名：{name}  性别：{gender_cn}  年龄：{age}岁\n"
        "身份证号：{resident_id}\n现住址：{address}\n联系电话：{phone}\n入院日期：{admission_date}\n"
        "主诉：{complaint}\n现病史：{history}\n体格检查：T {temp}℃，P {pulse}次/分，BP {bp}mmHg。{exam}\n"
        "入院诊断：{diagnosis}\n诊疗计划：{plan}\n记录医师：{doctor}",
        "患者{name}，{gender_cn}，{age}岁，住院号{record_no}，于{admission_date}因“{complaint}”收入{hospital}{dept}。"
        "身份证：{resident_id}；医保个人编号：{person_no}。家住{address}，本人电话{phone}。{history}"
        "入院查体：体温{temp}℃，血压{bp}mmHg。初步诊断：{diagnosis}。拟{plan}。",
        "{hospital}\n住院病案首页（摘要）\n病案号：{record_no}  医保卡号：{card_no}\n"
        "姓名：{name}  {gender_cn}  出生年龄：{age}岁  身份证件号：{resident_id}\n"
        "常住地址：{address}  电话：{phone}\n入院科室：{dept}  入院时间：{admission_date}\n"
        "门（急）诊诊断：{diagnosis}\n主诉：{complaint}\n经治医师：{doctor}",
    ),
    "discharge": (
        "出院小结\n医院：{hospital}  科室：{dept}  住院号：{record_no}\n"
        "患者姓名：{name}  性别：{gender_cn}  年龄：{age}岁  身份证号：{resident_id}  联系电话：{phone}\n"
        "入院日期：{admission_date}  出院日期：{discharge_date}  住院天数：{los}天\n入院诊断：{diagnosis}\n"
        "诊疗经过：{course}\n出院诊断：{diagnosis}\n出院情况：{outcome}\n出院带药：{drugs}\n出院医嘱：{advice}\n"
        "主治医师：{doctor}",
        "{name}（住院号{record_no}），{gender_cn}，{age}岁，因{diagnosis}于{admission_date}入住{hospital}{dept}，"
        "经{course_short}，于{discharge_date}出院，共住院{los}天。身份证号码{resident_id}，联系地址{address}，"
        "联系电话{phone}。出院带药：{drugs}。{advice}",
        "出院记录  {hospital}\n{dept} 住院号{record_no} 个人编号{person_no}\n{name}，{gender_cn}，{age}岁，"
        "证件号{resident_id}，手机{phone}，住{address}。\n入院：{admission_date}；出院：{discharge_date}。\n"
        "诊断：{diagnosis}。\n{course}\n{outcome}。\n医嘱：{advice}\n医师：{doctor}",
    ),
}

EXTRAS: dict[str, tuple[str, ...]] = {
    "family": (
        "家属{family_name}（{relation}）陪同就诊，联系电话{family_phone}。",
        "紧急联系人：{family_name}（{relation}），{family_phone}。",
        "病史由患者{relation}{family_name}提供，可靠。联系方式：{family_phone}。",
    ),
    "landline": ("家庭电话：{landline}。", "另留座机{landline}。"),
    "bank_card": (
        "患者已授权商业保险直赔，理赔款账户：{bank_card}（本人借记卡）。",
        "退费请原路退回至银行卡{bank_card}。",
        "患者申请商保快赔，收款卡号{bank_card}。",
    ),
    "email": ("检查报告电子版发送至{email}。", "患者邮箱：{email}。"),
    "referral": ("建议转诊至{referral_hospital}进一步诊治。", "已联系{referral_hospital}会诊。"),
    "card": ("持社保卡{card_no}结算。", "医保个人编号{person_no}，已实时结算。"),
    "footer": ("（本记录由{hospital}电子病历系统生成）", "{hospital}·{dept}"),
}

#: chance that a note carries each extra sentence
EXTRA_RATES = {"family": 0.45, "landline": 0.2, "bank_card": 0.12, "email": 0.1, "referral": 0.08,
               "card": 0.25, "footer": 0.3}

# --- clinical wording, by area -------------------------------------------------------------
COMPLAINTS: dict[str, tuple[str, ...]] = {
    "resp": ("咳嗽、咳痰{n}天", "发热伴咽痛{n}天", "鼻塞、流涕{n}天，伴低热", "反复咳嗽气喘{y}年，加重{n}天"),
    "allergy": ("反复鼻痒、喷嚏{y}年，加重{n}天", "晨起鼻塞流清涕{n}周"),
    "gi": ("上腹部不适{n}天", "腹泻{n}次/日，伴腹痛", "反酸、烧心{n}月", "恶心呕吐{n}天"),
    "cv": ("反复头晕{y}年，加重{n}天", "胸闷、心悸{n}天", "活动后胸痛{n}月", "双下肢水肿{n}周"),
    "dm": ("口干、多饮{y}年，血糖控制欠佳", "发现血糖升高{y}年，复诊配药"),
    "endo": ("乏力、怕冷{n}月", "甲状腺功能减退复诊"),
    "renal": ("规律血液透析{y}年", "发现肌酐升高{y}年，乏力{n}天"),
    "onc": ("确诊{dx}{m}月，返院行第{k}周期治疗", "{dx}术后{m}月，复查", "{dx}综合治疗后，拟行靶向治疗"),
    "heme": ("确诊{dx}{m}月，返院化疗", "乏力、面色苍白{n}周", "{dx}维持治疗"),
    "psych": ("情绪低落、失眠{n}月", "精神分裂症病史{y}年，复诊配药", "紧张、担心{n}月"),
    "neuro": ("头痛{n}天", "入睡困难{n}月", "突发左侧肢体无力{h}小时", "四肢震颤{y}年"),
    "msk": ("腰痛{n}天", "双膝关节疼痛{y}年，加重{n}周", "颈肩部疼痛伴手麻{n}月", "扭伤后踝部肿痛{n}天"),
    "ortho": ("跌倒后髋部疼痛、活动受限{h}小时", "右髋疼痛{y}年，行走困难"),
    "eye": ("双眼视物模糊{y}年", "眼红、眼痒{n}天", "视力下降{n}月"),
    "derm": ("全身散在皮疹伴瘙痒{n}天", "双手皮肤红斑{n}周"),
    "uro": ("尿频、尿急、尿痛{n}天", "突发右侧腰腹部绞痛{h}小时", "排尿困难{y}年"),
    "obst": ("停经{w}周，下腹阵痛{h}小时",),
    "gyn": ("体检发现子宫肌瘤{y}年，经量增多{n}月",),
    "surg": ("转移性右下腹痛{h}小时", "右上腹痛{n}天，进食油腻后加重", "右侧腹股沟可复性包块{y}年",
             "腹胀、停止排气排便{n}天"),
    "liver": ("乙肝病史{y}年，复诊", "乏力、腹胀{n}周"),
    "dental": ("右下后牙疼痛{n}天",),
    "general": ("体检异常复诊",),
}
HISTORY_ONSET = (
    "患者自述{n}天前受凉后出现上述症状，未予特殊处理。",
    "外院曾予对症治疗，效果欠佳。",
    "近期饮食睡眠尚可，大小便无殊。",
    "病程中无畏寒寒战，无胸痛咯血。",
)
HISTORY_PAST = (
    "既往体健，否认药物过敏史。",
    "既往有高血压病史{y}年，规律服药。",
    "否认手术外伤史，否认输血史。",
    "有青霉素过敏史。",
)
EXAMS = (
    "神清，精神可，心肺听诊无殊", "咽部充血，双肺呼吸音粗", "腹软，右下腹压痛（+），反跳痛（+）",
    "心率齐，未闻及病理性杂音", "双下肢无水肿", "局部皮肤无红肿", "生命体征平稳",
)
#: what happens in a stay, by treatment: ``surgery`` (the diagnosis has a procedure), ``chemo``
#: (cancer), ``medical`` (everything else)
PLANS = {
    "outpatient": ("对症治疗，口服药物", "完善相关检查，药物治疗，1周后复诊", "继续原方案治疗，定期复查",
                   "健康宣教，门诊随访"),
    "surgery": ("完善术前检查，择期手术治疗", "急诊手术", "完善血常规、凝血功能、影像学检查后手术"),
    "chemo": ("按计划行化疗/靶向治疗", "完善肿瘤标志物及影像学评估后行下一周期治疗"),
    "medical": ("完善血常规、肝肾功能、影像学检查", "抗感染、对症支持治疗", "心电监护，抗血小板聚集治疗",
                "控制血压血糖，对症支持治疗"),
}
COURSES = {
    "surgery": ("入院后完善术前检查，于入院第{k}天在全麻下行手术，术程顺利，术后恢复可。",
                "入院后急诊手术，术后予抗感染、补液治疗，恢复顺利。"),
    "chemo": ("入院后予规范化疗，过程顺利，未见明显不良反应。", "入院后予靶向联合免疫治疗，耐受可。"),
    "medical": ("入院后完善相关检查，予抗感染、补液等对症支持治疗，症状明显好转。",
                "入院后予改善循环、营养神经及康复治疗，病情稳定。"),
}
COURSES_SHORT = {"surgery": ("手术治疗",), "chemo": ("规范化疗", "靶向治疗"),
                 "medical": ("抗感染、对症支持治疗", "药物治疗及康复训练")}
OUTCOMES = {"surgery": ("伤口愈合良好，无发热", "一般情况可，生命体征平稳"),
            "chemo": ("一般情况可，无明显不良反应", "病情稳定，准予出院"),
            "medical": ("症状明显缓解，饮食睡眠可", "病情稳定，准予出院", "一般情况可，生命体征平稳")}
ADVICES = {"surgery": ("伤口保持清洁干燥，1周后拆线。", "注意休息，避免剧烈活动，2周后门诊复查。"),
           "chemo": ("定期复查血常规、肝肾功能，如有不适及时就诊。", "按期返院行下一周期治疗。"),
           "medical": ("注意休息，清淡饮食，按时服药，2周后门诊复查。", "低盐低脂饮食，监测血压血糖，门诊随访。")}


def treatment(diagnosis: Diagnosis) -> str:
    """``surgery``, ``chemo`` or ``medical``: what a stay for ``diagnosis`` is about."""
    if diagnosis.procedure:
        return "surgery"
    return "chemo" if diagnosis.kind == "cancer" else "medical"

# --- rendering with spans -------------------------------------------------------------------
_FORMATTER = string.Formatter()


def render(template: str, values: Mapping[str, object]) -> tuple[str, list[Span]]:
    """Fill ``template`` and return the text with a span for every identifier placeholder."""
    parts: list[str] = []
    spans: list[Span] = []
    pos = 0
    for literal, field_name, _spec, _conv in _FORMATTER.parse(template):
        parts.append(literal)
        pos += len(literal)
        if field_name is None:
            continue
        value = str(values[field_name])
        entity = ENTITY_FIELDS.get(field_name)
        if entity is not None:
            spans.append(Span(pos, pos + len(value), entity, value))
        parts.append(value)
        pos += len(value)
    return "".join(parts), spans


def _fill_numbers(rng: random.Random, text: str, dx: str = "") -> str:
    """Durations and counts inside clinical phrases (never identifiers)."""
    return (text.replace("{n}", str(rng.randint(1, 14))).replace("{y}", str(rng.randint(1, 15)))
            .replace("{m}", str(rng.randint(2, 30))).replace("{k}", str(rng.randint(2, 8)))
            .replace("{h}", str(rng.randint(2, 20))).replace("{w}", str(rng.randint(37, 41)))
            .replace("{dx}", dx))


def _date_cn(rng: random.Random, d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if rng.random() < 0.6 else d.isoformat()


def _phone_display(rng: random.Random, phone: str) -> str:
    """Mobiles are mostly written plain, sometimes grouped as ``138 1234 5678`` or with dashes."""
    roll = rng.random()
    if roll < 0.08:
        return f"{phone[:3]} {phone[3:7]} {phone[7:]}"
    if roll < 0.14:
        return f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
    return phone


def _landline_display(rng: random.Random, number: str) -> str:
    local = number.removeprefix("021-")
    return rng.choice((number, "021" + local, local, f"(021){local}"))


def _some_drugs(rng: random.Random, diagnosis: Diagnosis) -> list[str]:
    pool = [d for d in drugs_for(diagnosis.tag) if not d.special_drug] or list(drugs_for("general"))
    return [d.name for d in rng.sample(pool, min(len(pool), rng.randint(1, 3)))]


def record_no(rng: random.Random, note_type: str, day: date) -> str:
    """门诊号 for outpatient visits, 住院号/病案号 for stays."""
    if note_type == "outpatient":
        if rng.random() < 0.5:
            return f"MZ{day:%Y%m%d}{rng.randrange(10**4):04d}"
        return f"{rng.randrange(10**9, 10**10)}"
    if rng.random() < 0.5:
        return f"ZY{day.year}{rng.randrange(10**6):06d}"
    return f"{rng.randrange(10**7, 10**8)}"


def compose_note(
    rng: random.Random,
    note_type: str,
    person: Person,
    institution: Institution,
    diagnosis: Diagnosis,
    *,
    visit_date: date,
    admission_date: date | None = None,
    discharge_date: date | None = None,
    record_number: str | None = None,
    drug_names: Sequence[str] = (),
    referral: Institution | None = None,
) -> tuple[str, list[Span]]:
    """A note of ``note_type`` about ``person`` at ``institution``, and the gold spans of its identifiers.

    ``text[s.start:s.end] == s.text`` for every span; spans are sorted and never overlap. Any
    identifier in the text is covered by a span (clinical wording never contains one).
    """
    if note_type not in TEMPLATES:
        raise ValueError(f"note_type {note_type!r} is not one of {', '.join(TEMPLATES)}")
    admission_date = admission_date or visit_date
    discharge_date = discharge_date or visit_date
    template = rng.choice(TEMPLATES[note_type])
    extras = [rng.choice(EXTRAS[k]) for k, p in EXTRA_RATES.items() if rng.random() < p]
    if not person.family:
        extras = [e for e in extras if "{family_name}" not in e]
    if person.email is None:
        extras = [e for e in extras if "{email}" not in e]
    if person.landline is None:
        extras = [e for e in extras if "{landline}" not in e]
    if "{referral_hospital}" in "".join(extras) and referral is None:
        referral = rng.choice([i for i in INSTITUTIONS if i.level == 3 and i.code != institution.code])
    relative = rng.choice(person.family) if person.family else None
    dx = diagnosis.name
    care = treatment(diagnosis)
    # each value is made only if the chosen template or extras use it (a bank card costs a Luhn search)
    producers: dict[str, Callable[[], object]] = {
        "name": lambda: person.name,
        "gender_cn": lambda: "男" if person.gender == "M" else "女",
        "age": lambda: person.age,
        "resident_id": lambda: person.resident_id,
        "phone": lambda: _phone_display(rng, person.phone),
        "address": lambda: person.address,
        "card_no": lambda: person.card_no,
        "person_no": lambda: person.person_no,
        "record_no": lambda: record_number or record_no(rng, note_type, admission_date),
        "hospital": lambda: institution.name,
        "dept": lambda: DEPARTMENTS.get(diagnosis.tag, "全科医学科"),
        "doctor": lambda: full_name(rng, rng.choice("MF")),
        "visit_date": lambda: _date_cn(rng, visit_date),
        "admission_date": lambda: _date_cn(rng, admission_date),
        "discharge_date": lambda: _date_cn(rng, discharge_date),
        "los": lambda: max(1, (discharge_date - admission_date).days),
        "complaint": lambda: _fill_numbers(rng, rng.choice(COMPLAINTS.get(diagnosis.tag, COMPLAINTS["general"])), dx),
        "history": lambda: _fill_numbers(rng, rng.choice(HISTORY_ONSET) + rng.choice(HISTORY_PAST)),
        "exam": lambda: rng.choice(EXAMS),
        "plan": lambda: rng.choice(PLANS["outpatient" if note_type == "outpatient" else care]),
        "diagnosis": lambda: f"{dx}（{diagnosis.code}）" if rng.random() < 0.4 else dx,
        "drugs": lambda: "、".join(drug_names or _some_drugs(rng, diagnosis)),
        "course": lambda: _fill_numbers(rng, rng.choice(COURSES[care])),
        "course_short": lambda: rng.choice(COURSES_SHORT[care]),
        "outcome": lambda: rng.choice(OUTCOMES[care]),
        "advice": lambda: rng.choice(ADVICES[care]),
        "temp": lambda: f"{rng.uniform(36.2, 38.9):.1f}",
        "pulse": lambda: rng.randint(62, 112),
        "bp": lambda: f"{rng.randint(105, 175)}/{rng.randint(62, 102)}",
        "family_name": lambda: relative.name if relative else "",
        "relation": lambda: relative.relation if relative else "",
        "family_phone": lambda: _phone_display(rng, relative.phone) if relative else "",
        "landline": lambda: _landline_display(rng, person.landline) if person.landline else "",
        "bank_card": lambda: person.bank_card,
        "email": lambda: person.email or "",
        "referral_hospital": lambda: referral.name if referral else "",
    }
    used = {f for t in (template, *extras) for _, f, _, _ in _FORMATTER.parse(t) if f}
    values = {name: make() for name, make in producers.items() if name in used}
    text, spans = render(template, values)
    for extra in extras:
        sep = "\n" if "\n" in template else ""
        more, more_spans = render(extra, values)
        offset = len(text) + len(sep)
        text = text + sep + more
        spans.extend(Span(s.start + offset, s.end + offset, s.entity_type, s.text) for s in more_spans)
    return text, spans


# --- stand-alone samples for evaluating the de-identifier ----------------------------------


def sample_note(seed: int, index: int, note_type: str | None = None,
                start_date: date = date(2026, 1, 1)) -> LabelledNote:
    """One labelled note, a pure function of ``(seed, index)``."""
    from medshare.simulate.ids import sub_rng

    rng = sub_rng(seed, "sample-note", index)
    person = make_person(seed, index, start_date)
    note_type = note_type or rng.choice(NOTE_TYPES)
    kinds = ("acute", "chronic", "cancer") if note_type == "outpatient" else ("inpatient", "cancer")
    fits = [d for d in DIAGNOSES if d.kind in kinds and person.age >= d.min_age and d.sex in (None, person.gender)]
    diagnosis = rng.choice(fits)
    places = [i for i in INSTITUTIONS if note_type == "outpatient" or i.level >= 2]
    institution = rng.choice(places)
    visit = start_date + timedelta(days=rng.randrange(365))
    admission = visit - timedelta(days=rng.randint(*diagnosis.los)) if note_type == "discharge" else visit
    text, spans = compose_note(rng, note_type, person, institution, diagnosis, visit_date=visit,
                               admission_date=admission, discharge_date=visit)
    return LabelledNote(text, tuple(spans), note_type, person.person_no)


def sample_notes(n: int, seed: int = 0, note_type: str | None = None) -> Iterator[LabelledNote]:
    """``n`` labelled notes of ``note_type`` (all types mixed when ``None``)."""
    for i in range(n):
        yield sample_note(seed, i, note_type)
