"""An independent reading of the platform contracts (docs/conventions.md, docs/platform-interface.md), to judge simulated events.

``problems(topic, value)`` names every way a message value breaks its topic's rules, using the
kinds of the simulator's sidecar; a valid message has none.
"""

from __future__ import annotations

import json
from typing import Any

from contracts import formats as f
from medshare.topics import PLATFORM_CONSENTS, PLATFORM_EMR_NOTES, PLATFORM_ENROLMENTS, PLATFORM_SETTLEMENTS

S, N, L, B, SN = "str", "num", "list", "bool", "str|null"

FIELDS: dict[str, dict[str, str]] = {
    # platform.settlements.v2 (docs/platform-interface.md): the 2207 fields every settlement carries
    PLATFORM_SETTLEMENTS: {
        "setl_id": S, "mdtrt_id": S, "psn_no": S, "psn_name": S, "psn_cert_type": S, "certno": S, "gend": S,
        "brdy": S, "age": N, "insutype": S, "psn_type": S, "med_type": S, "fixmedins_code": S,
        "fixmedins_name": S, "setl_time": S, "medfee_sumamt": N, "fulamt_ownpay_amt": N, "overlmt_selfpay": N,
        "preselfpay_amt": N, "inscp_scp_amt": N, "hifp_pay": N, "hifmi_pay": N, "hifob_pay": N, "maf_pay": N,
        "oth_pay": N, "fund_pay_sumamt": N, "psn_part_amt": N, "acct_pay": N, "acct_mulaid_pay": N,
        "psn_cash_pay": N, "clr_type": S, "diseinfo": L, "feedetail": L,
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
FEE_FIELDS = {"feedetl_sn": S, "med_list_codg": S, "medins_list_codg": S, "fee_ocur_time": S, "cnt": N, "pric": N,
              "det_item_fee_sumamt": N, "med_chrgitm_type": S, "chrgitm_lv": S, "fulamt_ownpay_amt": N,
              "overlmt_amt": N, "preselfpay_amt": N, "inscp_scp_amt": N, "list_sp_item_flag": S,
              "hi_nego_drug_flag": S, "bilg_dr_codg": S}
DIAG_FIELDS = {"diag_type": S, "diag_srt_no": N, "diag_code": S, "diag_name": S, "maindiag_flag": S}
#: the 医保版 ICD-10 with x extensions, drug/service/consumable codes by fee type (independent of contracts/)
ICD10_CHS = r"[A-Z][0-9]{2}(\.[0-9x][0-9x]{0,2}(x[0-9]{3})?)?"
FEE_CODE = {"09": r"X[A-Z0-9]{22}", "11": r"Z[A-Z0-9]{19,22}", "08": r"C[0-9]{19}", **{
    t: r"[0-9]{15}" for t in ("01", "02", "03", "04", "05", "06", "07")}}

ENUMS: dict[str, set[str]] = {
    "insutype": {"310", "390"},
    "med_type": {"11", "13", "14", "21", "41"},
    "gend": {"1", "2"},
    "note_type": {"outpatient", "admission", "discharge"},
    "action": {"grant", "revoke"},
    "purpose": {"claims", "actuarial", "supervision"},
    "channel": {"随申办", "insurer_app", "counter"},
}
#: where a topic's values differ from ENUMS
TOPIC_ENUMS: dict[str, dict[str, set[str]]] = {PLATFORM_ENROLMENTS: {"action": {"enrol", "cancel"}}}


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
    if topic == PLATFORM_SETTLEMENTS and "revoke" in rec:
        rev = rec["revoke"]
        if not isinstance(rev, dict):
            return {"wrong_type"}
        return set() if all(isinstance(rev.get(k), str) for k in ("setl_id", "mdtrt_id", "psn_no")) \
            else {"missing_field"}
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
    found |= _check_digit_problems(typed)
    if topic == PLATFORM_SETTLEMENTS:
        found |= _settlement_problems(typed)
    if topic == PLATFORM_CONSENTS and "data_categories" in typed:
        if not set(typed["data_categories"]) <= {"settlement", "emr"}:
            found.add("unknown_code")
    return found


def _check_digit_problems(typed: dict[str, Any]) -> set[str]:
    for name in ("resident_id", "certno"):
        rid = typed.get(name)
        if rid is not None and f.fullmatch(f.RESIDENT_ID, rid) and not f.is_valid_resident_id(rid):
            return {"bad_check_digit"}
    return set()


def _fee_problems(fees: list[Any]) -> set[str]:
    import re

    found: set[str] = set()
    for fee in fees:
        if not all(_type_ok(k, fee.get(n)) for n, k in FEE_FIELDS.items()):
            found.add("wrong_type")
            continue
        pattern = FEE_CODE.get(fee["med_chrgitm_type"])
        if pattern is None or fee["chrgitm_lv"] not in {"01", "02", "03"} \
                or not re.fullmatch(pattern, fee["med_list_codg"]):
            found.add("unknown_code")
        parts = fen(fee["fulamt_ownpay_amt"]) + fen(fee["overlmt_amt"]) + fen(fee["preselfpay_amt"])
        if parts + fen(fee["inscp_scp_amt"]) != fen(fee["det_item_fee_sumamt"]):
            found.add("amounts_mismatch")
    return found


def _settlement_problems(rec: dict[str, Any]) -> set[str]:
    import re

    found: set[str] = set()
    code = rec.get("fixmedins_code")
    if code is not None:
        if not re.fullmatch(r"[HP]31[0-9]{9}", code):
            found.add("unknown_code")
        elif rec.get("med_type") == "41" and code[0] != "P" or rec.get("med_type") in ("11", "13", "21") \
                and code[0] != "H":
            found.add("wrong_institution")
    diags = rec.get("diseinfo")
    if diags is not None:
        for d in diags:
            if not all(_type_ok(k, d.get(n)) for n, k in DIAG_FIELDS.items()):
                found.add("wrong_type")
            elif not re.fullmatch(ICD10_CHS, d["diag_code"]):
                found.add("unknown_code")
    fees = rec.get("feedetail")
    if fees is not None:
        found |= _fee_problems(fees)
    funds = ("hifp_pay", "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay")
    money = (*funds, "medfee_sumamt", "fund_pay_sumamt", "psn_part_amt", "acct_pay", "psn_cash_pay")
    if all(m in rec for m in money):
        if sum(fen(rec[x]) for x in funds) != fen(rec["fund_pay_sumamt"]) \
                or fen(rec["fund_pay_sumamt"]) + fen(rec["psn_part_amt"]) != fen(rec["medfee_sumamt"]) \
                or fen(rec["acct_pay"]) + fen(rec["psn_cash_pay"]) != fen(rec["psn_part_amt"]) \
                or any(rec[x] < 0 for x in money):
            found.add("amounts_mismatch")
        if fees is not None and "wrong_type" not in found \
                and sum(fen(x["det_item_fee_sumamt"]) for x in fees) != fen(rec["medfee_sumamt"]):
            found.add("amounts_mismatch")
    return found
