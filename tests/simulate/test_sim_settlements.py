"""Settlements: valid formats, an exact split of every bill, stays, refunds, the catalogue."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sim_checks import fen, problems
from sim_helpers import Run

from contracts import formats as f
from medshare.simulate import catalogue as cat
from medshare.topics import PLATFORM_SETTLEMENTS

FUNDS = ("hifp_pay", "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay")


def _settlements(run: Run) -> list[dict]:
    return [e.record for e in run.of(PLATFORM_SETTLEMENTS, valid=True) if "revoke" not in e.record]


def test_valid_settlements_have_no_problem(small_run: Run) -> None:
    valid = small_run.of(PLATFORM_SETTLEMENTS, valid=True)
    assert len(valid) > 700
    for ev in valid:
        assert problems(ev.topic, ev.value) == set(), ev.record


def test_valid_settlements_pass_the_v2_contract(small_run: Run) -> None:
    from contracts import registry

    validator = registry.validator(PLATFORM_SETTLEMENTS)
    for ev in small_run.of(PLATFORM_SETTLEMENTS, valid=True):
        assert validator.validate_bytes(ev.value)[1] == [], ev.record


def test_amounts_add_up_exactly(small_run: Run) -> None:
    for rec in _settlements(small_run):
        total = fen(rec["medfee_sumamt"])
        assert sum(fen(rec[x]) for x in FUNDS) == fen(rec["fund_pay_sumamt"])
        assert fen(rec["fund_pay_sumamt"]) + fen(rec["psn_part_amt"]) == total
        assert fen(rec["acct_pay"]) + fen(rec["psn_cash_pay"]) == fen(rec["psn_part_amt"])
        assert sum(fen(x["det_item_fee_sumamt"]) for x in rec["feedetail"]) == total
        for part in ("fulamt_ownpay_amt", "preselfpay_amt", "inscp_scp_amt"):
            assert sum(fen(x[part]) for x in rec["feedetail"]) == fen(rec[part])
        assert sum(fen(x["overlmt_amt"]) for x in rec["feedetail"]) == fen(rec["overlmt_selfpay"])
        assert sum(fen(d["fund_payamt"]) for d in rec["setldetail"]) == fen(rec["fund_pay_sumamt"])
        for fee in rec["feedetail"]:
            assert fen(fee["det_item_fee_sumamt"]) == fen(fee["pric"]) * round(fee["cnt"])
            if fee["chrgitm_lv"] == "03":
                assert fee["fulamt_ownpay_amt"] == fee["det_item_fee_sumamt"]
        for key in ("medfee_sumamt", *FUNDS, "acct_pay", "psn_cash_pay"):
            assert round(rec[key], 2) == rec[key] >= 0, "at most two decimals, never negative"
        if rec["insutype"] == "390":
            assert rec["acct_pay"] == 0 and rec["hifob_pay"] == 0, "居民医保: no account, no 职工大额"
        else:
            assert rec["hifmi_pay"] == 0, "职工: no 居民大病"
        # the account never pays 自费 or 超限价
        assert fen(rec["acct_pay"]) <= total - fen(rec["fulamt_ownpay_amt"]) - fen(rec["overlmt_selfpay"])


def test_identity_fields_agree(small_run: Run) -> None:
    from medshare.ingest import event_id

    for ev in small_run.of(PLATFORM_SETTLEMENTS, valid=True):
        rec = ev.record
        if "revoke" in rec:
            assert ev.key == rec["revoke"]["psn_no"] and ev.event_id == event_id("revoke", rec)
            continue
        assert f.is_valid_resident_id(rec["certno"]) and rec["psn_cert_type"] == "01"
        assert f.resident_id_gender(rec["certno"]) == {"1": "M", "2": "F"}[rec["gend"]]
        assert f.resident_id_birth_date(rec["certno"]).isoformat() == rec["brdy"]
        assert ev.key == rec["psn_no"] and ev.event_id == event_id("settlement", rec)
        assert rec["setl_id"].startswith("ST") and len(rec["setl_id"]) == 18
        assert rec["setl_id"][2:10] == rec["setl_time"][:10].replace("-", "")
        assert datetime.strptime(rec["setl_time"], "%Y-%m-%d %H:%M:%S")
        assert cat.FIXMEDINS_BY_CODE[rec["fixmedins_code"]].name == rec["fixmedins_name"]
        assert rec["fixmedins_code"][0] == ("P" if rec["med_type"] == "41" else "H")
        main = [d for d in rec["diseinfo"] if d["maindiag_flag"] == "1"]
        assert len(main) == (1 if rec["diseinfo"] else 0)
        if rec["diseinfo"]:
            assert rec["diseinfo"][0]["maindiag_flag"] == "1" and rec["diseinfo"][0]["diag_srt_no"] == 1
        else:
            assert rec["med_type"] == "41", "only a pharmacy purchase may come without a diagnosis"


def test_ids_are_unique(small_run: Run) -> None:
    ids = [e.event_id for e in small_run.events]
    assert len(ids) == len(set(ids))


def test_visit_mix_funds_and_special_drugs(small_run: Run) -> None:
    valid = _settlements(small_run)
    visits = Counter(r["med_type"] for r in valid)
    assert visits["11"] > visits["14"] > 0 and visits["21"] > 0 and visits["13"] > 0 and visits["41"] > 0
    fees = [x for r in valid for x in r["feedetail"]]
    assert {x["med_chrgitm_type"] for x in fees} >= {"01", "02", "03", "04", "05", "07", "08", "09", "11"}
    assert {x["chrgitm_lv"] for x in fees} == {"01", "02", "03"}
    assert any(x["list_sp_item_flag"] == "1" for x in fees)
    assert any(fen(x["overlmt_amt"]) > 0 for x in fees)
    assert len({r["fixmedins_code"] for r in valid}) >= 20
    assert any(r["fixmedins_code"].startswith("P") for r in valid)
    assert any(r["hifp_pay"] > 0 for r in valid) and any(r["acct_pay"] > 0 for r in valid)
    assert max(len(r["diseinfo"]) for r in valid) >= 3
    assert any("x" in d["diag_code"][4:] for r in valid for d in r["diseinfo"]), "医保版 x extensions"
    pharmacy = [r for r in valid if r["med_type"] == "41"]
    assert all(x["med_chrgitm_type"] in ("09", "11") for r in pharmacy for x in r["feedetail"])


def test_big_funds_and_aid_appear_on_a_larger_run() -> None:
    from sim_helpers import simulate

    from medshare.simulate.run import SimConfig

    run = simulate(SimConfig(persons=4000, days=30, seed=5, malformed_rate=0.0))
    valid = _settlements(run)
    for fund in ("hifmi_pay", "hifob_pay", "maf_pay"):
        assert any(r[fund] > 0 for r in valid), fund


def test_revocations_follow_their_settlement() -> None:
    from sim_helpers import simulate

    from medshare.simulate.run import SimConfig

    run = simulate(SimConfig(persons=3000, days=30, seed=5, malformed_rate=0.0))
    events = run.of(PLATFORM_SETTLEMENTS)
    position = {e.record["setl_id"]: n for n, e in enumerate(events) if "revoke" not in e.record}
    revocations = [(n, e) for n, e in enumerate(events) if "revoke" in e.record]
    assert revocations
    for n, ev in revocations:
        rev = ev.record["revoke"]
        original = events[position[rev["setl_id"]]].record
        assert position[rev["setl_id"]] < n, "a revocation comes after the settlement it revokes"
        assert rev == {"setl_id": original["setl_id"], "mdtrt_id": original["mdtrt_id"], "psn_no": original["psn_no"]}
        assert ev.key == original["psn_no"] and ev.trace == original["setl_id"]
    assert len({e.record["revoke"]["setl_id"] for _, e in revocations}) == len(revocations)


def test_catalogue_codes_follow_the_formats() -> None:
    assert 25 <= len(cat.INSTITUTIONS) <= 35
    for inst in cat.INSTITUTIONS:
        assert f.fullmatch(f.HOSPITAL_CODE, inst.code) and inst.code[1:7] in f.SHANGHAI_DISTRICTS
    for inst in cat.PHARMACIES:
        assert f.fullmatch(f.PHARMACY_CODE, inst.code) and inst.code[1:7] in f.SHANGHAI_DISTRICTS
    assert len(cat.FIXMEDINS_BY_CODE) == len(cat.INSTITUTIONS) + len(cat.PHARMACIES)
    assert len(cat.DIAGNOSES) >= 60
    assert all(f.fullmatch(f.ICD10_CHS, d.code) for d in cat.DIAGNOSES)
    assert all(f.fullmatch(f.ICD10_CHS, code) for variants in cat.CHS_VARIANTS.values() for code, _ in variants)
    assert {d.kind for d in cat.DIAGNOSES} == {"acute", "chronic", "cancer", "inpatient"}
    assert all(f.fullmatch(f.WEST_DRUG_CODE if d.code[0] == "X" else f.TCM_PATENT_CODE, d.code) for d in cat.DRUGS)
    assert all(f.fullmatch(f.CONSUMABLE_CODE, d.code) for d in cat.DEVICES)
    assert all(f.fullmatch(f.SERVICE_CODE_15, s.code) for s in cat.SERVICES)
    codes = [i.code for i in (*cat.DRUGS, *cat.DEVICES, *cat.SERVICES)]
    assert len(codes) == len(set(codes))
    assert len(cat.SPECIAL_DRUGS) >= 5
    for d in cat.DIAGNOSES:
        assert all(s in cat.SERVICES_BY_CODE for s in d.procedure)
        assert all(g in cat.DEVICES_BY_GROUP for g in d.devices)
