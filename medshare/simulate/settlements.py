"""医保结算 records: line items from the catalogue and the split of the bill between fund and person.

All money is computed in integer 分 and converted to 元 only when the record is written, so
``fund_paid + account_paid + self_pay + self_expense == total_amount`` holds exactly and every
amount has at most two decimals.

The split follows the shape of Shanghai's rules, simplified:

* 丙类 (class C, out of catalogue) items are 自费 (``self_expense``) in full;
* 乙类 (class B) items carry a 10 % 先行自付 share before the fund applies;
* outpatient visits may fall under the year's 起付线 (deductible; modelled as a chance), stays have a
  per-stay deductible by hospital level;
* the fund pays a ratio by insurance type, visit type, hospital level and age;
* for 职工医保 (310) the personal account (个人账户) pays some or all of the co-pay, the rest is
  ``self_pay``; 居民医保 (390) has no personal account.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime
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
from medshare.simulate.ids import iso
from medshare.simulate.persons import Person

VISIT_OUTPATIENT = "11"
VISIT_SPECIAL = "14"
VISIT_INPATIENT = "21"
VISIT_TYPES = (VISIT_OUTPATIENT, VISIT_SPECIAL, VISIT_INPATIENT)

_TESTS = ("血细胞分析（血常规）", "C反应蛋白测定", "血糖测定", "肝功能检测", "肾功能检测", "常规心电图", "腹部B超")
#: which special drugs suit which cancers (others get the broad-spectrum PD-1s)
_CANCER_TAG = {"C34": "lung", "C50": "breast", "C61": "prostate", "C22": "liver"}


@dataclass
class Line:
    """One line item while amounts are still in 分."""

    item: CatalogueItem
    quantity: int
    self_expense_fen: int = 0

    @property
    def amount_fen(self) -> int:
        return self.item.price_fen * self.quantity


def _add(lines: list[Line], item: CatalogueItem, quantity: int, rng: random.Random) -> None:
    line = Line(item, quantity)
    if item.catalogue_class == "C":
        line.self_expense_fen = line.amount_fen
    elif item.category == "device" and item.catalogue_class == "B" and rng.random() < 0.3:
        # the part of a high-value consumable above the 医保支付标准 is paid by the person
        line.self_expense_fen = line.amount_fen * rng.choice((10, 20, 30)) // 100
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


@dataclass(frozen=True)
class Split:
    total: int
    fund: int
    account: int
    self_pay: int
    self_expense: int


def _fund_ratio(person: Person, visit_type: str, level: int) -> float:
    employee = person.insurance_type == "310"
    if visit_type == VISIT_OUTPATIENT:
        ratio = {1: 0.70, 2: 0.60, 3: 0.50}[level] + (0.15 if employee and person.age >= 60 else 0.0)
    elif visit_type == VISIT_SPECIAL:
        ratio = 0.85 if employee else 0.70
    else:
        ratio = ({1: 0.92, 2: 0.90, 3: 0.85} if employee else {1: 0.80, 2: 0.75, 3: 0.60})[level]
        ratio += 0.05 if person.age >= 70 else 0.0
    return min(ratio, 0.95)


def split_amounts(rng: random.Random, person: Person, visit_type: str, level: int, lines: list[Line]) -> Split:
    """Share the bill out; every share is whole 分 and the four shares sum to the total exactly."""
    total = sum(line.amount_fen for line in lines)
    self_expense = sum(line.self_expense_fen for line in lines)
    in_catalogue = total - self_expense
    b_first = sum((line.amount_fen - line.self_expense_fen) // 10 for line in lines
                  if line.item.catalogue_class == "B")
    eligible = in_catalogue - b_first
    if visit_type == VISIT_INPATIENT:
        deductible = {1: 50_000, 2: 100_000, 3: 150_000}[level]
        eligible = max(0, eligible - deductible)
    elif visit_type == VISIT_OUTPATIENT and rng.random() < 0.35:
        eligible = 0  # the year's 起付线 is not reached yet
    fund = round(eligible * _fund_ratio(person, visit_type, level))
    copay = in_catalogue - fund
    account = 0
    if person.insurance_type == "310":
        account = copay * rng.choices((0, 50, 100), weights=(35, 15, 50))[0] // 100
    return Split(total, fund, account, copay - account, self_expense)


def yuan(fen: int) -> float:
    """分 -> 元 with at most two decimals (``12345`` -> ``123.45``)."""
    return round(fen / 100, 2)


def item_record(line: Line) -> dict[str, Any]:
    return {
        "item_code": line.item.code,
        "item_name": line.item.name,
        "category": line.item.category,
        "catalogue_class": line.item.catalogue_class,
        "special_drug": line.item.special_drug,
        "quantity": line.quantity,
        "unit_price": yuan(line.item.price_fen),
        "amount": yuan(line.amount_fen),
        "self_expense": yuan(line.self_expense_fen),
    }


def settlement_record(
    settlement_id: str,
    event_time: datetime,
    person: Person,
    institution: Institution,
    diagnosis: Diagnosis,
    visit_type: str,
    admission: date,
    discharge: date,
    lines: list[Line],
    split: Split,
) -> dict[str, Any]:
    """A ``platform.settlements.v1`` record (fields exactly as docs/conventions.md)."""
    return {
        "settlement_id": settlement_id,
        "event_type": "settlement",
        "refund_of": None,
        "event_time": iso(event_time),
        "person_no": person.person_no,
        "name": person.name,
        "resident_id": person.resident_id,
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat(),
        "phone": person.phone,
        "address": person.address,
        "card_no": person.card_no,
        "insurance_type": person.insurance_type,
        "visit_type": visit_type,
        "institution_code": institution.code,
        "institution_name": institution.name,
        "admission_date": admission.isoformat(),
        "discharge_date": discharge.isoformat(),
        "diagnosis_code": diagnosis.code,
        "diagnosis_name": diagnosis.name,
        "items": [item_record(line) for line in lines],
        "total_amount": yuan(split.total),
        "fund_paid": yuan(split.fund),
        "account_paid": yuan(split.account),
        "self_pay": yuan(split.self_pay),
        "self_expense": yuan(split.self_expense),
    }


_NEGATED_ITEM_FIELDS = ("quantity", "amount", "self_expense")
_NEGATED_FIELDS = ("total_amount", "fund_paid", "account_paid", "self_pay", "self_expense")


def refund_record(original: dict[str, Any], settlement_id: str, event_time: datetime) -> dict[str, Any]:
    """The refund (退费) that reverses ``original`` in full: same visit, amounts negated."""
    refund = dict(original)
    refund["settlement_id"] = settlement_id
    refund["event_type"] = "refund"
    refund["refund_of"] = original["settlement_id"]
    refund["event_time"] = iso(event_time)
    # ``0 - x`` rather than ``-x``: a refund of 0.0 is 0.0, not -0.0
    refund["items"] = [{**item, **{k: 0 - item[k] for k in _NEGATED_ITEM_FIELDS}} for item in original["items"]]
    for key in _NEGATED_FIELDS:
        refund[key] = 0 - original[key]
    return refund
