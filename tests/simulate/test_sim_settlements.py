"""Settlements: valid formats, an exact split of every bill, stays, refunds, the catalogue."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from sim_checks import fen, problems
from sim_helpers import Run

from contracts import formats as f
from medshare.simulate import catalogue as cat
from medshare.topics import PLATFORM_SETTLEMENTS

SHARES = ("fund_paid", "account_paid", "self_pay", "self_expense")


def test_valid_settlements_have_no_problem(small_run: Run) -> None:
    valid = small_run.of(PLATFORM_SETTLEMENTS, valid=True)
    assert len(valid) > 700
    for ev in valid:
        assert problems(ev.topic, ev.value) == set(), ev.record


def test_amounts_add_up_exactly(small_run: Run) -> None:
    for ev in small_run.of(PLATFORM_SETTLEMENTS, valid=True):
        rec = ev.record
        assert sum(fen(rec[s]) for s in SHARES) == fen(rec["total_amount"])
        assert sum(fen(i["amount"]) for i in rec["items"]) == fen(rec["total_amount"])
        assert sum(fen(i["self_expense"]) for i in rec["items"]) == fen(rec["self_expense"])
        for item in rec["items"]:
            assert fen(item["amount"]) == fen(item["unit_price"]) * item["quantity"]
            if item["catalogue_class"] == "C":
                assert item["self_expense"] == item["amount"]
            assert abs(item["amount"]) >= abs(item["self_expense"])
        for key in ("total_amount", *SHARES):
            assert round(rec[key], 2) == rec[key], "at most two decimals"
        sign = -1 if rec["event_type"] == "refund" else 1
        assert all(sign * rec[s] >= 0 for s in SHARES)
        if rec["insurance_type"] == "390":
            assert rec["account_paid"] == 0, "居民医保 has no personal account"


def test_identity_fields_agree(small_run: Run) -> None:
    for ev in small_run.of(PLATFORM_SETTLEMENTS, valid=True):
        rec = ev.record
        assert f.is_valid_resident_id(rec["resident_id"])
        assert f.resident_id_gender(rec["resident_id"]) == rec["gender"]
        assert f.resident_id_birth_date(rec["resident_id"]).isoformat() == rec["birth_date"]
        assert ev.key == rec["person_no"] and ev.event_id == rec["settlement_id"]
        assert rec["settlement_id"].startswith("ST") and len(rec["settlement_id"]) == 18
        assert rec["settlement_id"][2:10] == datetime.fromisoformat(rec["event_time"]).strftime("%Y%m%d")
        assert rec["event_time"].endswith("+08:00")
        assert cat.INSTITUTIONS_BY_CODE[rec["institution_code"]].name == rec["institution_name"]
        assert cat.DIAGNOSES_BY_CODE[rec["diagnosis_code"]].name == rec["diagnosis_name"]


def test_ids_are_unique(small_run: Run) -> None:
    ids = [e.event_id for e in small_run.events]
    assert len(ids) == len(set(ids))


def test_visit_mix_stays_and_special_drugs(small_run: Run) -> None:
    valid = [e.record for e in small_run.of(PLATFORM_SETTLEMENTS, valid=True) if e.record["event_type"] == "settlement"]
    visits = Counter(r["visit_type"] for r in valid)
    assert visits["11"] > visits["14"] > 0 and visits["21"] > 0
    stays = [r for r in valid if r["visit_type"] == "21"]
    assert all(date.fromisoformat(r["discharge_date"]) > date.fromisoformat(r["admission_date"]) for r in stays)
    assert max((date.fromisoformat(r["discharge_date"]) - date.fromisoformat(r["admission_date"])).days
               for r in stays) >= 5
    outpatient = [r for r in valid if r["visit_type"] != "21"]
    assert all(r["admission_date"] == r["discharge_date"] == r["event_time"][:10] for r in outpatient)
    items = [i for r in valid for i in r["items"]]
    assert {i["category"] for i in items} == {"drug", "device", "service"}
    assert {i["catalogue_class"] for i in items} == {"A", "B", "C"}
    assert any(i["special_drug"] for i in items)
    assert len({r["institution_code"] for r in valid}) >= 20


def test_refunds_reverse_their_settlement() -> None:
    from sim_helpers import simulate

    from medshare.simulate.run import SimConfig

    run = simulate(SimConfig(persons=3000, days=30, seed=5, malformed_rate=0.0))
    by_id = {e.record["settlement_id"]: e.record for e in run.of(PLATFORM_SETTLEMENTS)}
    refunds = [r for r in by_id.values() if r["event_type"] == "refund"]
    assert refunds
    for refund in refunds:
        original = by_id[refund["refund_of"]]
        assert original["event_type"] == "settlement" and original["refund_of"] is None
        assert refund["event_time"] > original["event_time"]
        for key in ("total_amount", *SHARES):
            assert refund[key] == -original[key] or refund[key] == original[key] == 0
        assert [i["amount"] for i in refund["items"]] == [-i["amount"] for i in original["items"]]
        same = {k: v for k, v in refund.items() if k not in ("settlement_id", "event_type", "refund_of",
                                                              "event_time", "items", "total_amount", *SHARES)}
        assert same == {k: original[k] for k in same}


def test_catalogue_codes_follow_the_formats() -> None:
    assert 25 <= len(cat.INSTITUTIONS) <= 35
    for inst in cat.INSTITUTIONS:
        assert f.fullmatch(f.INSTITUTION_CODE, inst.code) and inst.code[1:7] in f.SHANGHAI_DISTRICTS
    assert len({i.code for i in cat.INSTITUTIONS}) == len(cat.INSTITUTIONS)
    assert len(cat.DIAGNOSES) >= 60
    assert all(f.fullmatch(f.ICD10, d.code) for d in cat.DIAGNOSES)
    assert {d.kind for d in cat.DIAGNOSES} == {"acute", "chronic", "cancer", "inpatient"}
    assert all(f.fullmatch(f.DRUG_CODE, d.code) for d in cat.DRUGS)
    assert all(f.fullmatch(f.DEVICE_CODE, d.code) for d in cat.DEVICES)
    assert all(f.fullmatch(f.SERVICE_CODE, s.code) for s in cat.SERVICES)
    codes = [i.code for i in (*cat.DRUGS, *cat.DEVICES, *cat.SERVICES)]
    assert len(codes) == len(set(codes))
    assert len(cat.SPECIAL_DRUGS) >= 5
    for d in cat.DIAGNOSES:
        assert all(s in cat.SERVICES_BY_CODE for s in d.procedure)
        assert all(g in cat.DEVICES_BY_GROUP for g in d.devices)
