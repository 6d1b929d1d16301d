"""An independent reading of the platform contracts (docs/conventions.md), to judge simulated events.

``problems(topic, value)`` names every way a message value breaks its topic's rules, using the
kinds of the simulator's sidecar; a valid message has none.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from contracts import formats as f
from medshare.topics import PLATFORM_CONSENTS, PLATFORM_EMR_NOTES, PLATFORM_ENROLMENTS, PLATFORM_SETTLEMENTS

S, N, L, B, SN = "str", "num", "list", "bool", "str|null"

FIELDS: dict[str, dict[str, str]] = {
    PLATFORM_SETTLEMENTS: {
        "settlement_id": S, "event_type": S, "refund_of": SN, "event_time": S, "person_no": S, "name": S,
        "resident_id": S, "gender": S, "birth_date": S, "phone": S, "address": S, "card_no": S,
        "insurance_type": S, "visit_type": S, "institution_code": S, "institution_name": S,
        "admission_date": S, "discharge_date": S, "diagnosis_code": S, "diagnosis_name": S, "items": L,
        "total_amount": N, "fund_paid": N, "account_paid": N, "self_pay": N, "self_expense": N,
    },
    PLATFORM_EMR_NOTES: {
        "note_id": S, "settlement_id": S, "person_no": S, "event_time": S, "institution_code": S,
        "note_type": S, "text": S,
    },
    PLATFORM_CONSENTS: {
        "event_id": S, "consent_id": S, "action": S, "person_no": S, "resident_id": S, "insurer_code": S,
        "purpose": S, "data_categories": L, "valid_from": S, "valid_to": S, "channel": S, "event_time": S,
    },
    PLATFORM_ENROLMENTS: {
        "event_id": S, "enrolment_id": S, "action": S, "person_no": S, "insurer_code": S, "product_id": SN,
        "policy_no": SN, "valid_from": SN, "valid_to": SN, "pre_existing": L, "channel": S, "event_time": S,
    },
}
ITEM_FIELDS = {"item_code": S, "item_name": S, "category": S, "catalogue_class": S, "special_drug": B,
               "quantity": N, "unit_price": N, "amount": N, "self_expense": N}

ENUMS: dict[str, set[str]] = {
    "event_type": {"settlement", "refund"},
    "insurance_type": {"310", "390"},
    "visit_type": {"11", "14", "21"},
    "gender": {"M", "F"},
    "note_type": {"outpatient", "admission", "discharge"},
    "action": {"grant", "revoke"},
    "purpose": {"claims", "actuarial", "supervision"},
    "channel": {"随申办", "insurer_app", "counter"},
}
#: where a topic's values differ from ENUMS
TOPIC_ENUMS: dict[str, dict[str, set[str]]] = {PLATFORM_ENROLMENTS: {"action": {"enrol", "cancel"}}}
ITEM_CODE = {"drug": f.DRUG_CODE, "device": f.DEVICE_CODE, "service": f.SERVICE_CODE}


def _type_ok(kind: str, value: Any) -> bool:
    if kind == S:
        return isinstance(value, str)
    if kind == SN:
        return value is None or isinstance(value, str)
    if kind == N:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == B:
        return isinstance(value, bool)
    return isinstance(value, list)


def fen(x: float) -> int:
    return round(x * 100)


def problems(topic: str, value: bytes) -> set[str]:
    try:
        rec = json.loads(value.decode("utf-8"))
    except ValueError:
        return {"broken_json"}
    found: set[str] = set()
    fields = FIELDS[topic]
    typed: dict[str, Any] = {}
    for name, kind in fields.items():
        if name not in rec:
            found.add("missing_field")
        elif not _type_ok(kind, rec[name]):
            found.add("wrong_type")
        else:
            typed[name] = rec[name]
    for name, allowed in {**ENUMS, **TOPIC_ENUMS.get(topic, {})}.items():
        if name in typed and typed[name] not in allowed:
            found.add("unknown_code")
    if "institution_code" in typed and not f.fullmatch(f.INSTITUTION_CODE, typed["institution_code"]):
        found.add("unknown_code")
    if "resident_id" in typed:
        rid = typed["resident_id"]
        if f.fullmatch(f.RESIDENT_ID, rid) and not f.is_valid_resident_id(rid):
            found.add("bad_check_digit")
    if topic == PLATFORM_SETTLEMENTS:
        found |= _settlement_problems(typed)
    if topic == PLATFORM_CONSENTS and "data_categories" in typed:
        if not set(typed["data_categories"]) <= {"settlement", "emr"}:
            found.add("unknown_code")
    return found


def _settlement_problems(rec: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    if "diagnosis_code" in rec and not f.fullmatch(f.ICD10, rec["diagnosis_code"]):
        found.add("unknown_code")
    items = rec.get("items")
    if items is not None:
        for item in items:
            if not all(_type_ok(k, item.get(n)) for n, k in ITEM_FIELDS.items()):
                found.add("wrong_type")
                continue
            if item["category"] not in ITEM_CODE or item["catalogue_class"] not in {"A", "B", "C"}:
                found.add("unknown_code")
            elif not f.fullmatch(ITEM_CODE[item["category"]], item["item_code"]):
                found.add("unknown_code")
    shares = ("fund_paid", "account_paid", "self_pay", "self_expense")
    if "total_amount" in rec and all(s in rec for s in shares):
        if sum(fen(rec[s]) for s in shares) != fen(rec["total_amount"]):
            found.add("amounts_mismatch")
        if items is not None and "wrong_type" not in found:
            if sum(fen(i["amount"]) for i in items) != fen(rec["total_amount"]):
                found.add("amounts_mismatch")
    if "admission_date" in rec and "discharge_date" in rec:
        if date.fromisoformat(rec["discharge_date"]) < date.fromisoformat(rec["admission_date"]):
            found.add("discharge_before_admission")
    return found
