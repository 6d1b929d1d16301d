"""医保结算 records in the national interface's shape (``platform.settlements.v2``).

A settlement is the 2207 ``setlinfo`` at the top of the record with its fund split
``setldetail[]``, diagnoses ``diseinfo[]`` (2203) and fee lines ``feedetail[]`` (2204); a refund is
a 2208 revocation ``{"revoke": {setl_id, mdtrt_id, psn_no}}`` (docs/platform-interface.md).

All money is computed in integer 分 and converted to 元 only when the record is written, so every
consistency rule of the contract (fee lines sum to ``medfee_sumamt``; the funds sum to
``fund_pay_sumamt``; funds and personal part sum to the total; account plus cash is the personal
part; a line's own-pay parts within its amount) holds exactly.

The split follows the shape of Shanghai's rules, simplified:

* 丙类 (``chrgitm_lv`` 03) lines are 全自费 (``fulamt_ownpay_amt``) in full;
* a 乙类 consumable may cost more than its 医保支付标准: the excess is 超限价 (``overlmt_amt``);
* other 乙类 lines carry a 10 % 先行自付 (``preselfpay_amt``); the rest is 符合政策范围 (``inscp_scp_amt``);
* outpatient visits may fall under the year's 起付线 (a chance), stays have a per-stay 起付线 by
  hospital level (``act_pay_dedc``);
* 统筹 (``hifp_pay``) pays a ratio of the in-scope amount above the 起付线 by insurance type, visit
  type, hospital level and age, up to a per-settlement ceiling (8,000 元 职工, 10,000 元 居民: a
  simulation's stand-in for the yearly 最高支付限额); above it 职工大额 (``hifob_pay``,
  insutype 310) pays 80 %; for 居民 (390) 大病保险 (``hifmi_pay``) pays 60 % of the in-scope co-pay
  above 2,000 元; 医疗救助 (``maf_pay``) pays half of what is left in scope for persons on aid;
* for 职工医保 (310) the personal account (``acct_pay``) pays some or all of the in-catalogue co-pay
  (at a pharmacy usually all of it), the rest is cash (``psn_cash_pay``); 居民医保 (390) has no account.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from medshare.simulate.catalogue import (
    DEVICES_BY_GROUP,
    SERVICE,
    SERVICES_BY_CODE,
    SPECIAL_DRUGS,
    CatalogueItem,
    Diagnosis,
    Institution,
    drugs_for,
)
from medshare.simulate.ids import sub_rng
from medshare.simulate.persons import Person

#: med_type (医疗类别) codes the simulator writes
VISIT_OUTPATIENT = "11"
VISIT_EMERGENCY = "13"
VISIT_SPECIAL = "14"
VISIT_INPATIENT = "21"
VISIT_PHARMACY = "41"
VISIT_TYPES = (VISIT_OUTPATIENT, VISIT_EMERGENCY, VISIT_SPECIAL, VISIT_INPATIENT, VISIT_PHARMACY)

_TESTS = ("血细胞分析（血常规）", "C反应蛋白测定", "血糖测定", "肝功能检测", "肾功能检测", "常规心电图", "腹部B超")
#: which special drugs suit which cancers (others get the broad-spectrum PD-1s)
_CANCER_TAG = {"C34": "lung", "C50": "breast", "C61": "prostate", "C22": "liver"}


@dataclass
class Line:
    """One fee line while amounts are still in 分."""

    item: CatalogueItem
    quantity: int
    #: 全自费 (丙类 in full)
    full_own_fen: int = 0
    #: 超限价 (a consumable above its 医保支付标准)
    over_limit_fen: int = 0

    @property
    def amount_fen(self) -> int:
        return self.item.price_fen * self.quantity

    @property
    def pre_self_fen(self) -> int:
        """先行自付: 10 % of a 乙类 line's in-catalogue part."""
        if self.item.catalogue_class != "B":
            return 0
        return (self.amount_fen - self.full_own_fen - self.over_limit_fen) // 10

    @property
    def in_scope_fen(self) -> int:
        return self.amount_fen - self.full_own_fen - self.over_limit_fen - self.pre_self_fen


def _add(lines: list[Line], item: CatalogueItem, quantity: int, rng: random.Random) -> None:
    line = Line(item, quantity)
    if item.catalogue_class == "C":
        line.full_own_fen = line.amount_fen
    elif item.category == "device" and item.catalogue_class == "B" and rng.random() < 0.3:
        # the part of a high-value consumable above the 医保支付标准 is paid by the person
        line.over_limit_fen = line.amount_fen * rng.choice((10, 20, 30)) // 100
    lines.append(line)


def _ordinary_drugs(tag: str) -> list[CatalogueItem]:
    return [d for d in drugs_for(tag) if not d.special_drug] or list(drugs_for("general"))


def _special_drugs_for(diagnosis: Diagnosis) -> list[CatalogueItem]:
    if diagnosis.tag == "heme":
        return [d for d in SPECIAL_DRUGS if "heme" in d.tags]
    specific = _CANCER_TAG.get(diagnosis.code[:3])
    fits = [d for d in SPECIAL_DRUGS if specific and specific in d.tags]
    broad = [d for d in SPECIAL_DRUGS if d.tags == ("onc",)]
    return fits + broad


def outpatient_lines(rng: random.Random, diagnosis: Diagnosis, institution: Institution,
                     long_prescription: bool) -> list[Line]:
    lines: list[Line] = []
    consult = "副主任医师门诊诊查费" if institution.level == 3 and rng.random() < 0.3 else "门诊诊查费"
    _add(lines, SERVICE[consult], 1, rng)
    if rng.random() < 0.4:
        for name in rng.sample(_TESTS, rng.randint(1, 2)):
            _add(lines, SERVICE[name], 1, rng)
    if diagnosis.tag in ("resp", "neuro") and rng.random() < 0.05:
        _add(lines, SERVICE["胸部CT平扫"], 1, rng)
    if diagnosis.tag == "msk" and rng.random() < 0.2:
        _add(lines, SERVICE["中医针灸治疗"], rng.randint(1, 3), rng)
    if diagnosis.tag != "dental" or rng.random() < 0.5:
        pool = _ordinary_drugs(diagnosis.tag)
        for drug in rng.sample(pool, min(len(pool), rng.randint(1, 3))):
            _add(lines, drug, rng.randint(2, 4) if long_prescription else rng.randint(1, 2), rng)
    return lines


def emergency_lines(rng: random.Random, diagnosis: Diagnosis) -> list[Line]:
    """急诊: a consultation, tests and often an infusion."""
    lines: list[Line] = []
    _add(lines, SERVICE["急诊诊查费"], 1, rng)
    for name in rng.sample(("血细胞分析（血常规）", "C反应蛋白测定", "常规心电图", "血糖测定"), rng.randint(1, 3)):
        _add(lines, SERVICE[name], 1, rng)
    if diagnosis.tag in ("resp", "neuro", "msk") and rng.random() < 0.3:
        _add(lines, SERVICE["胸部CT平扫"], 1, rng)
    if rng.random() < 0.6:
        _add(lines, SERVICE["静脉输液"], 1, rng)
        _add(lines, next(d for d in drugs_for("infusion") if d.name == "氯化钠注射液"), rng.randint(1, 2), rng)
        _add(lines, DEVICES_BY_GROUP["C0701"], 1, rng)
    pool = _ordinary_drugs(diagnosis.tag)
    for drug in rng.sample(pool, min(len(pool), rng.randint(1, 2))):
        _add(lines, drug, 1, rng)
    return lines


def pharmacy_lines(rng: random.Random, diagnosis: Diagnosis | None) -> list[Line]:
    """定点药店购药: drugs only (a chronic refill for a condition, else common remedies)."""
    lines: list[Line] = []
    pool = _ordinary_drugs(diagnosis.tag) if diagnosis is not None else []
    pool = [d for d in pool if "infusion" not in d.tags and "注射" not in d.name] or \
        [d for d in drugs_for("general") + drugs_for("resp") if "注射" not in d.name]
    for drug in rng.sample(pool, min(len(pool), rng.randint(1, 3))):
        _add(lines, drug, rng.randint(1, 4), rng)
    return lines


def special_outpatient_lines(rng: random.Random, diagnosis: Diagnosis) -> list[Line]:
    """门诊慢特病: dialysis, cancer treatment, severe mental illness, …"""
    lines: list[Line] = []
    _add(lines, SERVICE["门诊诊查费"], 1, rng)
    if diagnosis.code.startswith("N18"):
        sessions = rng.randint(1, 3)
        _add(lines, SERVICE["血液透析"], sessions, rng)
        _add(lines, DEVICES_BY_GROUP["C0702"], sessions, rng)
        if rng.random() < 0.5:
            _add(lines, SERVICE["肾功能检测"], 1, rng)
        _add(lines, next(d for d in drugs_for("renal") if d.name == "重组人促红素注射液"), rng.randint(1, 4), rng)
    elif diagnosis.kind == "cancer":
        _add(lines, SERVICE["肿瘤标志物检测"], 1, rng)
        _add(lines, SERVICE["血细胞分析（血常规）"], 1, rng)
        specials = _special_drugs_for(diagnosis)
        if specials and rng.random() < 0.6:
            _add(lines, rng.choice(specials), rng.randint(1, 2), rng)
        else:
            chemo = _ordinary_drugs("onc")
            for drug in rng.sample(chemo, min(len(chemo), rng.randint(1, 2))):
                _add(lines, drug, rng.randint(1, 3), rng)
            _add(lines, SERVICE["静脉输液"], 1, rng)
    else:
        pool = _ordinary_drugs(diagnosis.tag)
        for drug in rng.sample(pool, min(len(pool), rng.randint(1, 3))):
            _add(lines, drug, rng.randint(2, 6), rng)
        if diagnosis.tag == "heme":
            _add(lines, SERVICE["血细胞分析（血常规）"], 1, rng)
    return lines


def inpatient_lines(rng: random.Random, diagnosis: Diagnosis, los: int) -> list[Line]:
    lines: list[Line] = []
    days = max(1, los)
    bed = "特需病房床位费" if rng.random() < 0.05 else "普通病房床位费"
    _add(lines, SERVICE[bed], days, rng)
    _add(lines, SERVICE["二级护理"], days, rng)
    _add(lines, SERVICE["血细胞分析（血常规）"], rng.randint(1, 3), rng)
    for name in ("肝功能检测", "肾功能检测", "C反应蛋白测定", "常规心电图"):
        if rng.random() < 0.7:
            _add(lines, SERVICE[name], 1, rng)
    if rng.random() < 0.5:
        _add(lines, SERVICE["胸部CT平扫" if rng.random() < 0.7 else "磁共振平扫"], 1, rng)
    infusion_days = rng.randint(1, days)
    _add(lines, SERVICE["静脉输液"], infusion_days, rng)
    _add(lines, next(d for d in drugs_for("infusion") if d.name == "氯化钠注射液"), infusion_days * 2, rng)
    _add(lines, DEVICES_BY_GROUP["C0701"], infusion_days, rng)
    if diagnosis.tag in ("resp", "surg", "uro", "ortho") or rng.random() < 0.2:
        antibiotic = rng.choice([d for d in drugs_for("infusion") if d.name.startswith("注射用头孢")])
        _add(lines, antibiotic, infusion_days * rng.randint(1, 2), rng)
    for code in diagnosis.procedure:
        _add(lines, SERVICES_BY_CODE[code], 1, rng)
    for group in diagnosis.devices:
        _add(lines, DEVICES_BY_GROUP[group], rng.randint(1, 2) if group in ("C0201", "C0502", "C0302") else 1, rng)
    if diagnosis.procedure and diagnosis.tag in ("surg", "gyn"):
        _add(lines, SERVICE["病理检查"], 1, rng)
    pool = _ordinary_drugs(diagnosis.tag)
    for drug in rng.sample(pool, min(len(pool), rng.randint(1, 3))):
        _add(lines, drug, rng.randint(1, 4), rng)
    if diagnosis.kind == "cancer":
        specials = _special_drugs_for(diagnosis)
        if specials and rng.random() < 0.5:
            _add(lines, rng.choice(specials), 1, rng)
        if diagnosis.tag == "heme" and rng.random() < 0.03:
            # CAR-T: out of catalogue, the case 商保 innovative-drug cover exists for
            _add(lines, next(d for d in SPECIAL_DRUGS if "heme_cart" in d.tags), 1, rng)
    if diagnosis.tag in ("surg", "liver", "onc") and rng.random() < 0.1:
        _add(lines, next(d for d in drugs_for("liver") if d.name == "人血白蛋白"), rng.randint(2, 6), rng)
    if diagnosis.tag in ("ortho", "neuro") and rng.random() < 0.5:
        _add(lines, SERVICE["康复评定"], rng.randint(1, 3), rng)
    return lines


# --- the split -----------------------------------------------------------------------------

#: 统筹 pays at most this much in-scope amount per settlement (above it: 大额 for 职工)
_POOL_CEILING_FEN = {"310": 800_000, "390": 1_000_000}
#: 居民大病保险 starts above this in-scope co-pay of one settlement
_BIG_ILLNESS_FROM_FEN = 200_000
#: the share of persons on 医疗救助 (低保/特困)
MEDICAL_AID_RATE = 0.03


@dataclass(frozen=True)
class Split:
    """The bill shared out, in 分; every share whole and the sums exact."""

    total: int
    full_own: int
    over_limit: int
    pre_self: int
    in_scope: int
    deductible: int
    ratio: float
    hifp: int
    hifmi: int
    hifob: int
    maf: int
    oth: int
    acct: int
    cash: int

    @property
    def funds(self) -> int:
        return self.hifp + self.hifmi + self.hifob + self.maf + self.oth

    @property
    def personal(self) -> int:
        return self.acct + self.cash


def on_medical_aid(person: Person) -> bool:
    """Whether the person is on 医疗救助 (its own random stream: nothing else shifts)."""
    return sub_rng(person.seed, "medical-aid", person.index).random() < MEDICAL_AID_RATE


def _fund_ratio(person: Person, med_type: str, level: int) -> float:
    employee = person.insurance_type == "310"
    if med_type in (VISIT_OUTPATIENT, VISIT_EMERGENCY):
        ratio = {1: 0.70, 2: 0.60, 3: 0.50}[level] + (0.15 if employee and person.age >= 60 else 0.0)
    elif med_type == VISIT_SPECIAL:
        ratio = 0.85 if employee else 0.70
    elif med_type == VISIT_PHARMACY:
        ratio = 0.0  # a pharmacy purchase is paid from the account or in cash
    else:
        ratio = ({1: 0.92, 2: 0.90, 3: 0.85} if employee else {1: 0.80, 2: 0.75, 3: 0.60})[level]
        ratio += 0.05 if person.age >= 70 else 0.0
    return min(ratio, 0.95)


def split_amounts(rng: random.Random, person: Person, med_type: str, level: int, lines: list[Line]) -> Split:
    """Share the bill out; every share is whole 分 and every sum of the contract holds exactly."""
    total = sum(line.amount_fen for line in lines)
    full_own = sum(line.full_own_fen for line in lines)
    over_limit = sum(line.over_limit_fen for line in lines)
    pre_self = sum(line.pre_self_fen for line in lines)
    in_scope = total - full_own - over_limit - pre_self
    deductible = 0
    if med_type == VISIT_INPATIENT:
        deductible = min(in_scope, {1: 50_000, 2: 100_000, 3: 150_000}[level])
    elif med_type in (VISIT_OUTPATIENT, VISIT_EMERGENCY) and rng.random() < 0.35:
        deductible = in_scope  # the year's 起付线 is not reached yet
    eligible = in_scope - deductible
    ratio = _fund_ratio(person, med_type, level)
    ceiling = _POOL_CEILING_FEN[person.insurance_type]
    hifp = round(min(eligible, ceiling) * ratio)
    hifob = hifmi = maf = 0
    if person.insurance_type == "310" and eligible > ceiling:
        hifob = (eligible - ceiling) * 80 // 100
    copay = in_scope - hifp - hifob
    if person.insurance_type == "390" and copay > _BIG_ILLNESS_FROM_FEN:
        hifmi = (copay - _BIG_ILLNESS_FROM_FEN) * 60 // 100
        copay -= hifmi
    if copay > 0 and med_type != VISIT_PHARMACY and on_medical_aid(person):
        maf = copay // 2
        copay -= maf
    acct = 0
    if person.insurance_type == "310":
        # the account pays the in-catalogue co-pay (先行自付 included), never 自费 or 超限价
        in_catalogue_copay = copay + pre_self
        weights = (10, 10, 80) if med_type == VISIT_PHARMACY else (35, 15, 50)
        acct = in_catalogue_copay * rng.choices((0, 50, 100), weights=weights)[0] // 100
    personal = total - (hifp + hifmi + hifob + maf)
    return Split(total, full_own, over_limit, pre_self, in_scope, deductible, ratio, hifp, hifmi, hifob, maf,
                 0, acct, personal - acct)


def yuan(fen: int) -> float:
    """分 -> 元 with at most two decimals (``12345`` -> ``123.45``)."""
    return round(fen / 100, 2)


def interface_time(ts: datetime) -> str:
    """The interface's 日期时间型, China Standard Time without offset: ``2026-03-05 10:21:07``."""
    return ts.strftime("%Y-%m-%d %H:%M:%S")


def gend(gender: str) -> str:
    """性别 (GB/T 2261.1): 1 男, 2 女."""
    return "1" if gender == "M" else "2"


def psn_type(person: Person) -> str:
    """人员类别: 11 在职, 12 退休 (职工); 1601 城乡居民 (a Shanghai extension of the national table)."""
    if person.insurance_type == "310":
        return "12" if person.age >= 60 else "11"
    return "1601"


@dataclass(frozen=True)
class Visit:
    """Who, where and when of one settlement (the 2207 header part)."""

    setl_id: str
    mdtrt_id: str
    settled: datetime
    person: Person
    institution: Institution
    med_type: str
    #: doctor code (开单医生/诊断医生 编码) and department
    doctor: str
    dept: str
    #: a fee line's time: spread over the visit (a stay's first day to its settlement)
    first_fee: datetime


def person_fields(person: Person) -> dict[str, Any]:
    """The person's part of ``setlinfo`` (identity as the platform holds it at settlement)."""
    return {
        "psn_no": person.person_no,
        "psn_name": person.name,
        "psn_cert_type": "01",
        "certno": person.resident_id,
        "gend": gend(person.gender),
        "naty": "01",
        "brdy": person.birth_date.isoformat(),
        "age": float(person.age),
        "insutype": person.insurance_type,
        "psn_type": psn_type(person),
        "cvlserv_flag": "0",
    }


def diagnoses(rng: random.Random, person: Person, main: Diagnosis | None, visit: Visit) -> list[dict[str, Any]]:
    """diseinfo: the main diagnosis first (maindiag_flag 1), then the person's condition and
    comorbidities an older patient's record lists; none at a pharmacy."""
    if main is None:
        return []
    from medshare.simulate.catalogue import COMORBIDITIES, DIAGNOSES_BY_CODE

    codes = [main.code]
    if person.condition and person.condition not in codes:
        codes.append(person.condition)
    if person.age >= 55:
        for code in rng.sample(COMORBIDITIES, rng.randint(0, 2)):
            dx = DIAGNOSES_BY_CODE[code]
            if code not in codes and person.age >= dx.min_age and dx.sex in (None, person.gender):
                codes.append(code)
    out = []
    when = interface_time(visit.first_fee)
    for n, code in enumerate(codes, start=1):
        dx_code, dx_name = chs_code(rng, DIAGNOSES_BY_CODE[code])
        out.append({
            "diag_type": "1", "diag_srt_no": n, "diag_code": dx_code, "diag_name": dx_name,
            "maindiag_flag": "1" if n == 1 else "0", "diag_dept": visit.dept, "dise_dor_no": visit.doctor,
            "diag_time": when, "vali_flag": "1",
        })
    return out


def chs_code(rng: random.Random, dx: Diagnosis) -> tuple[str, str]:
    """The 医保版 code a diagnosis is written with (an ``x`` extension where the catalogue has one)."""
    from medshare.simulate.catalogue import CHS_VARIANTS

    variants = CHS_VARIANTS.get(dx.code)
    return rng.choice(variants) if variants else (dx.code, dx.name)


def fee_lines(rng: random.Random, visit: Visit, lines: list[Line]) -> list[dict[str, Any]]:
    """feedetail (2204 input with its output's split per line)."""
    out = []
    span = max(0, int((visit.settled - visit.first_fee).total_seconds()))
    for n, line in enumerate(lines, start=1):
        item = line.item
        at_ = visit.first_fee + timedelta(seconds=rng.randint(0, span) if span else 0)
        out.append({
            "feedetl_sn": f"{visit.setl_id[-8:]}{n:04d}",
            "med_list_codg": item.code,
            "medins_list_codg": item.local_code or item.code,
            "medins_list_name": item.name,
            "fee_ocur_time": interface_time(min(at_, visit.settled)),
            "cnt": float(line.quantity),
            "pric": yuan(item.price_fen),
            "det_item_fee_sumamt": yuan(line.amount_fen),
            "med_chrgitm_type": item.med_chrgitm_type,
            "chrgitm_lv": item.chrgitm_lv,
            "selfpay_prop": 1.0 if item.catalogue_class == "C" else 0.1 if item.catalogue_class == "B" else 0.0,
            "fulamt_ownpay_amt": yuan(line.full_own_fen),
            "overlmt_amt": yuan(line.over_limit_fen),
            "preselfpay_amt": yuan(line.pre_self_fen),
            "inscp_scp_amt": yuan(line.in_scope_fen),
            "list_sp_item_flag": "1" if item.special_drug else "0",
            "hi_nego_drug_flag": "1" if item.special_drug and item.catalogue_class == "B" else "0",
            "bas_medn_flag": "1" if item.category == "drug" and item.catalogue_class == "A" else "0",
            "bilg_dept_name": visit.dept,
            "bilg_dr_codg": visit.doctor,
        })
    return out


_FUND_TYPES = (  # setldetail: (field, fund_pay_type by insutype, name)
    ("hifp", {"310": "310100", "390": "390100"}, {"310": "职工基本医疗保险统筹基金", "390": "城乡居民基本医疗保险基金"}),
    ("hifob", {"310": "330200"}, {"310": "职工大额医疗费用补助基金"}),
    ("hifmi", {"390": "390200"}, {"390": "城乡居民大病医疗保险资金"}),
    ("maf", {"310": "610100", "390": "610100"}, {"310": "医疗救助基金", "390": "医疗救助基金"}),
)


def settlement_record(rng: random.Random, visit: Visit, main: Diagnosis | None, lines: list[Line],
                      split: Split) -> dict[str, Any]:
    """A ``platform.settlements.v2`` settlement (docs/platform-interface.md)."""
    person, inst = visit.person, visit.institution
    insutype = person.insurance_type
    setldetail = [
        {"fund_pay_type": types[insutype], "fund_pay_type_name": names[insutype],
         "inscp_scp_amt": yuan(split.in_scope), "fund_payamt": yuan(getattr(split, name))}
        for name, types, names in _FUND_TYPES if getattr(split, name) and insutype in types
    ]
    clr_type = "41" if visit.med_type == VISIT_PHARMACY else "21" if visit.med_type == VISIT_INPATIENT else "11"
    return {
        "setl_id": visit.setl_id,
        "mdtrt_id": visit.mdtrt_id,
        **person_fields(person),
        "mdtrt_cert_type": rng.choice(("01", "01", "03")),
        "med_type": visit.med_type,
        "fixmedins_code": inst.code,
        "fixmedins_name": inst.name,
        "setl_time": interface_time(visit.settled),
        "medfee_sumamt": yuan(split.total),
        "fulamt_ownpay_amt": yuan(split.full_own),
        "overlmt_selfpay": yuan(split.over_limit),
        "preselfpay_amt": yuan(split.pre_self),
        "inscp_scp_amt": yuan(split.in_scope),
        "act_pay_dedc": yuan(split.deductible),
        "hifp_pay": yuan(split.hifp),
        "pool_prop_selfpay": round(split.ratio, 4),
        "cvlserv_pay": 0.0,
        "hifes_pay": 0.0,
        "hifmi_pay": yuan(split.hifmi),
        "hifob_pay": yuan(split.hifob),
        "maf_pay": yuan(split.maf),
        "oth_pay": yuan(split.oth),
        "fund_pay_sumamt": yuan(split.funds),
        "psn_part_amt": yuan(split.personal),
        "acct_pay": yuan(split.acct),
        "acct_mulaid_pay": 0.0,
        "psn_cash_pay": yuan(split.cash),
        "hosp_part_amt": 0.0,
        "medins_setl_id": f"{inst.code[-6:]}{visit.setl_id[2:]}",
        "clr_optins": inst.district_code,
        "clr_way": "1",
        "clr_type": clr_type,
        "setldetail": setldetail,
        "diseinfo": diagnoses(rng, person, main, visit),
        "feedetail": fee_lines(rng, visit, lines),
    }


def revocation_record(original: dict[str, Any]) -> dict[str, Any]:
    """The 2208 结算撤销 that revokes ``original`` in full."""
    return {"revoke": {"setl_id": original["setl_id"], "mdtrt_id": original["mdtrt_id"],
                       "psn_no": original["psn_no"]}}


def is_revocation(record: dict[str, Any]) -> bool:
    return "revoke" in record
