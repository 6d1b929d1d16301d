"""Realistic valid records for every contract, built by hand (the simulator makes more).

Each builder returns a fresh dict, so a test can break one field without touching the others.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

from contracts.formats import luhn_complete, resident_id_check_char


def resident_id(region: str = "310104", birth: str = "19850312", seq: str = "123") -> str:
    """A resident ID with a correct GB 11643 check character (odd sequence digit: male)."""
    first17 = f"{region}{birth}{seq}"
    return first17 + resident_id_check_char(first17)


RID_MALE = resident_id()  # 310104198503121235-ish, born 1985-03-12, male
RID_FEMALE = resident_id(region="310115", birth="19620704", seq="046")

DRUG = "XA10BAA010A001010100433"  # X + 22
DEVICE = "C" + "1" * 19
SERVICE = "120100001"


def _item(code: str, category: str, amount: float, cls: str = "A", self_expense: float = 0.0,
          special: bool = False, name: str = "项目") -> dict[str, Any]:
    return {"item_code": code, "item_name": name, "category": category, "catalogue_class": cls,
            "special_drug": special, "quantity": 1, "unit_price": amount, "amount": amount,
            "self_expense": self_expense}


def settlement(**overrides: Any) -> dict[str, Any]:
    """An inpatient settlement: 3 items adding up to 1260.50, payments adding up likewise."""
    rec: dict[str, Any] = {
        "settlement_id": "ST2026030500012345",
        "event_type": "settlement",
        "refund_of": None,
        "event_time": "2026-03-05T10:21:07+08:00",
        "person_no": "3100" + "000012345678",
        "name": "张伟",
        "resident_id": RID_MALE,
        "gender": "M",
        "birth_date": "1985-03-12",
        "phone": "13812345678",
        "address": "上海市徐汇区漕溪北路100弄5号301室",
        "card_no": "A12345678",
        "insurance_type": "310",
        "visit_type": "21",
        "institution_code": "H31010400001",
        "institution_name": "上海市第六人民医院",
        "admission_date": "2026-03-01",
        "discharge_date": "2026-03-05",
        "diagnosis_code": "E11.9",
        "diagnosis_name": "2型糖尿病",
        "items": [
            _item(DRUG, "drug", 860.50, cls="B", name="二甲双胍缓释片"),
            _item(DEVICE, "device", 200.00, cls="C", self_expense=200.00, name="一次性输液器"),
            _item(SERVICE, "service", 200.00, name="住院诊查费"),
        ],
        "total_amount": 1260.50,
        "fund_paid": 800.00,
        "account_paid": 160.50,
        "self_pay": 100.00,
        "self_expense": 200.00,
    }
    rec.update(overrides)
    return rec


def refund(**overrides: Any) -> dict[str, Any]:
    """The refund of :func:`settlement`: amounts negated, refund_of set."""
    rec = settlement(settlement_id="ST2026030600000001", event_type="refund",
                     refund_of="ST2026030500012345", event_time="2026-03-06T09:00:00+08:00")
    for k in ("total_amount", "fund_paid", "account_paid", "self_pay", "self_expense"):
        rec[k] = -rec[k]
    for it in rec["items"]:
        for k in ("quantity", "amount", "self_expense"):
            it[k] = -it[k]
    rec.update(overrides)
    return rec


def emr_note(**overrides: Any) -> dict[str, Any]:
    rec = {
        "note_id": "N2026030500012345",
        "settlement_id": "ST2026030500012345",
        "person_no": "3100000012345678",
        "event_time": "2026-03-05T09:00:00+08:00",
        "institution_code": "H31010400001",
        "note_type": "discharge",
        "text": f"患者张伟，男，身份证号{RID_MALE}，电话13812345678，因2型糖尿病入院，血糖控制后出院。",
    }
    rec.update(overrides)
    return rec


def consent(**overrides: Any) -> dict[str, Any]:
    rec = {
        "event_id": "ce-0001",
        "consent_id": "c-0001",
        "action": "grant",
        "person_no": "3100000012345678",
        "resident_id": RID_MALE,
        "insurer_code": "hhb",
        "purpose": "claims",
        "data_categories": ["settlement", "emr"],
        "valid_from": "2026-01-01T00:00:00+08:00",
        "valid_to": "2027-01-01T00:00:00+08:00",
        "channel": "随申办",
        "event_time": "2026-01-01T08:30:00+08:00",
    }
    rec.update(overrides)
    return rec


def enrolment(**overrides: Any) -> dict[str, Any]:
    rec = {
        "event_id": "EE2026030100000001",
        "enrolment_id": "EN-hhb-2026-0001",
        "action": "enrol",
        "person_no": "3100000012345678",
        "insurer_code": "hhb",
        "product_id": "hhb-huibao",
        "policy_no": "HHB202600000001",
        "valid_from": "2026-01-01T00:00:00+08:00",
        "valid_to": "2027-01-01T00:00:00+08:00",
        "pre_existing": ["C50"],
        "channel": "随申办",
        "event_time": "2026-03-01T06:10:00+08:00",
    }
    rec.update(overrides)
    return rec


def enrolment_cancel(**overrides: Any) -> dict[str, Any]:
    rec = {k: v for k, v in enrolment().items()
           if k in ("enrolment_id", "person_no", "insurer_code", "channel")}
    rec.update(event_id="EE2026031500000002", action="cancel", event_time="2026-03-15T10:00:00+08:00")
    rec.update(overrides)
    return rec


def lab_settlement(i: int = 0, now: datetime | None = None, **overrides: Any) -> dict[str, Any]:
    """A de-identified settlement; ``now`` sets event_hour (freshness) — default: this hour."""
    now = now or datetime.now(UTC).astimezone()
    hour = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=i % 24)
    rec = {
        "settlement_id": f"ST20260305{i:08d}",
        "event_type": "settlement",
        "refund_of": None,
        "person_key": f"{i:032x}",
        "event_hour": hour.isoformat(timespec="seconds"),
        "event_month": hour.strftime("%Y-%m"),
        "gender": "MF"[i % 2],
        "age_band": "40-44",
        "district": "徐汇区",
        "insurance_type": "310",
        "visit_type": "11",
        "institution_code": "H31010400001",
        "admission_month": hour.strftime("%Y-%m"),
        "length_of_stay": 0,
        "diagnosis_code": "E11.9",
        "items": [
            {"item_code": DRUG, "category": "drug", "catalogue_class": "A", "special_drug": False,
             "quantity": 2, "amount": 100.00, "self_expense": 0.0},
            {"item_code": SERVICE, "category": "service", "catalogue_class": "A", "special_drug": False,
             "quantity": 1, "amount": 20.50, "self_expense": 0.0},
        ],
        "total_amount": 120.50,
        "fund_paid": 90.00,
        "account_paid": 20.50,
        "self_pay": 10.00,
        "self_expense": 0.0,
    }
    rec.update(overrides)
    return rec


def lab_note(**overrides: Any) -> dict[str, Any]:
    rec = {
        "note_id": "N2026030500012345",
        "settlement_id": "ST2026030500012345",
        "person_key": "0" * 32,
        "event_month": "2026-03",
        "institution_code": "H31010400001",
        "note_type": "discharge",
        "text_redacted": "患者<PERSON>，男，身份证号<CN_RESIDENT_ID>，因2型糖尿病入院。",
        "entities": {"PERSON": 1, "CN_RESIDENT_ID": 1},
    }
    rec.update(overrides)
    return rec


def settlements_v2() -> list[dict[str, Any]]:
    """platform.settlements.v2 records built from the public-example-shaped interface lines
    (tests/platform/interface_examples.py): five settlements, then the 2208 revocation."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "platform"))
    import interface_examples

    from medshare.ingest import to_record

    return [to_record(line)[1] for line in interface_examples.lines()]


VALID: dict[str, list[dict[str, Any]]] = {
    "platform.settlements.v2": settlements_v2(),
    "platform.settlements.v1": [settlement(), refund(),
                                settlement(settlement_id="ST2026030500000002", visit_type="11",
                                           resident_id=RID_FEMALE, gender="F", birth_date="1962-07-04",
                                           admission_date="2026-03-05", discharge_date="2026-03-05")],
    "platform.emr-notes.v1": [emr_note(), emr_note(note_id="N2", note_type="outpatient")],
    "platform.consents.v1": [consent(), consent(event_id="ce-0002", action="revoke", valid_to=None,
                                                data_categories=["settlement"], channel="insurer_app")],
    "platform.enrolments.v1": [enrolment(), enrolment_cancel(),
                               enrolment(event_id="EE2", enrolment_id="EN-2", pre_existing=[], channel="insurer_app",
                                         insurer_code="shenlife", product_id="shenlife-plus")],
    "lab.settlements.v1": [lab_settlement(1), lab_settlement(2, district=None)],
    "lab.emr-notes.v1": [lab_note(), lab_note(note_id="N3", entities={})],
}


def fresh(contract_id: str, index: int = 0) -> dict[str, Any]:
    """A deep copy of a valid record of ``contract_id``."""
    return copy.deepcopy(VALID[contract_id][index])


def bank_card() -> str:
    return luhn_complete("622202100000000000")


#: resident IDs of the right shape whose check character is wrong
BAD_RID_CASES = [RID_MALE[:17] + ("0" if RID_MALE[17] != "0" else "1"),
                 RID_FEMALE[:17] + ("X" if RID_FEMALE[17] != "X" else "1")]
