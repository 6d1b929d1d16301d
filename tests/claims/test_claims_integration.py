"""The claims processor on the real broker: a simulated year, a SIGKILL mid-run, a restart.

The expected claims are recomputed here in plain Python from the simulated events and the product
files read as plain YAML — none of ``medshare.claims``' evaluator or accumulator code is used — and
the persons who should get claims are those the test enrolled and who hold a claims consent.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml
from pipeline_helpers import INSURERS, read_topic, reset_pipeline

from medshare import topics as t

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
#: enrolments come from the registry here (the backfill path, ``EnrolmentRegistry.apply_many``); the
#: event feed on platform.enrolments.v1 is tests/claims/test_claims_enrolment_stream.py's
SIM = {"persons": 400, "days": 365, "seed": 31, "malformed_rate": 0.01, "start_date": date(2026, 1, 1),
       "visit_rate": 0.03, "enrolments": False}
PRODUCT_OF = {"hhb": "hhb-huibao", "shenlife": "shenlife-plus"}
PRODUCT_FILE = {"hhb": "hhb-2026.yaml", "shenlife": "shenlife-plus.yaml"}


def _bucket(person_no: str, salt: str) -> int:
    return hashlib.sha256(f"{salt}:{person_no}".encode()).digest()[0]


def _enrolled(person_no: str, code: str) -> bool:
    return _bucket(person_no, code) < (180 if code == "hhb" else 130)


# --- independent recomputation ----------------------------------------------------------------


def _fen(x) -> int:
    return int((Decimal(str(x)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _levels() -> dict[str, int]:
    from medshare.simulate.catalogue import INSTITUTIONS  # the synthetic 定点机构 directory

    return {i.code: i.level for i in INSTITUTIONS}


LEVELS = _levels()


def _cond(when: dict, rec: dict, item: dict | None, pre: bool, product: dict) -> bool:
    drugs = {d["code"]: d for d in product.get("special_drugs", [])}
    for k, v in (when or {}).items():
        code = str(item.get("item_code")) if item else ""
        if k == "med_type" and rec["visit_type"] not in v:
            return False
        if k == "settlement" and "basic-insurance" not in v:  # every platform settlement is one
            return False
        if k == "institution_level_min" and LEVELS.get(rec["institution_code"], 0) < v:
            return False
        if k == "designated_channel" and (rec["institution_code"] in product.get("designated_institutions", [])) != v:
            return False
        if k == "diagnosis_prefix" and not any(d.startswith(p) for p in v for d in rec["diagnoses"]):
            return False
        if k == "pre_existing" and pre != v:
            return False
        if k == "med_list_codg" and (item is None or code not in v):
            return False
        if k == "med_list_codg_prefix" and (item is None or not code.startswith(tuple(v))):
            return False
        if k == "special_drug_list" and (item is None or (code in drugs) != v):
            return False
        if k == "indication" and (item is None or (code in drugs and any(
                d.startswith(p) for p in drugs[code].get("indications", []) for d in rec["diagnoses"])) != v):
            return False
        if k == "max_supply_days" and (item is None or code not in drugs or
                                       abs(item["quantity"]) * drugs[code]["days_per_unit"] > v):
            return False
        if k in ("med_chrgitm_type", "chrgitm_lv", "institution_type"):
            raise AssertionError(f"the recomputation does not know {k}")
    return True


def _recompute(product: dict, rec: dict, ded_used: dict, paid: dict, others: int) -> tuple[dict, dict]:
    """(payable per duty in fen, deductible used per duty after) for one settlement.

    No settlement here is pre-existing: the simulated year starts on the enrolments' start, so the
    window before it holds no history. ``others``: what payers before this one paid (fen).
    """
    pre = False
    items = rec["items"]
    own = [max(0, _fen(it["self_expense"])) for it in items]
    weights = [max(0, _fen(it["amount"]) - own[i]) for i, it in enumerate(items)]
    sp, w = max(0, _fen(rec["self_pay"])), sum(weights)
    shares = [sp * x // w if w else 0 for x in weights]
    if w and sp:
        order = sorted(range(len(items)), key=lambda i: (-(sp * weights[i] % w), i))
        for i in order[: sp - sum(shares)]:
            shares[i] += 1
    eligible = defaultdict(int)
    for i, it in enumerate(items):
        if any(_cond(e["when"], rec, it, pre, product) for e in product.get("exclusions", [])):
            continue
        for part, amount in (("self_pay", shares[i]), ("self_expense", own[i])):
            if amount <= 0:
                continue
            for b in product["duties"]:
                if part in b["parts"] and _cond(b.get("when", {}), rec, it, pre, product):
                    eligible[b["id"]] += amount
                    break
    out, ded_after = {}, dict(ded_used)
    for b in product["duties"]:
        amount = eligible[b["id"]]
        if b.get("deductible"):
            take = min(amount, max(0, _fen(b["deductible"]["amount"]) - ded_used.get(b["id"], 0)))
            ded_after[b["id"]] = ded_used.get(b["id"], 0) + take
            amount -= take
        ratio = Decimal(str(b.get("pre_existing_ratio", b["ratio"]) if pre else b["ratio"]))
        gross = int((Decimal(amount) * ratio).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        out[b["id"]] = min(gross, max(0, _fen(b["annual_cap"]) - paid.get(b["id"], 0)))
    own_share = _fen(rec["total_amount"]) - _fen(rec["fund_paid"])
    excess = max(0, sum(out.values()) - max(0, own_share - others))
    for b in reversed(product["duties"]):  # coordination: off the last duty first
        cut = min(excess, out[b["id"]])
        out[b["id"]] -= cut
        excess -= cut
    return out, ded_after


def _reading(r: dict) -> dict:
    """What the recomputation reads of a platform.settlements.v2 record, written from the interface's
    meaning (docs/platform-interface.md), not from the claims adapter: 目录外自费 = 全自费 + 超限价;
    目录内自付 = the personal part less the account and 目录外自费; every diagnosis counts."""
    if "revoke" in r:
        return {"event_type": "refund", "refund_of": r["revoke"]["setl_id"],
                "settlement_id": r["revoke"]["setl_id"] + "-R", "person_no": r["revoke"]["psn_no"]}
    items = [{"item_code": f["med_list_codg"], "amount": f["det_item_fee_sumamt"], "quantity": f["cnt"],
              "self_expense": round(f["fulamt_ownpay_amt"] + f["overlmt_amt"], 2)} for f in r["feedetail"]]
    own = _fen(r["fulamt_ownpay_amt"]) + _fen(r["overlmt_selfpay"])
    return {"event_type": "settlement", "refund_of": None, "settlement_id": r["setl_id"], "person_no": r["psn_no"],
            "event_time": r["setl_time"].replace(" ", "T") + "+08:00", "visit_type": r["med_type"],
            "institution_code": r["fixmedins_code"], "diagnoses": [d["diag_code"] for d in r["diseinfo"]],
            "items": items, "total_amount": r["medfee_sumamt"], "fund_paid": r["fund_pay_sumamt"],
            "self_pay": (_fen(r["psn_part_amt"]) - _fen(r["acct_pay"]) - own) / 100}


def _expected(events, consents, pre_existing, published: dict[str, int]) -> dict:
    """(insurer, settlement_id) -> (total fen, deductible used after fen) for every claim result expected.

    ``published``: settlement id -> its Kafka timestamp (ms); a consent counts for a settlement as of
    that publish time (stream order: a revocation published later does not stop it).
    """
    products = {c: yaml.safe_load((ROOT / "contracts" / "products" / f).read_text()) for c, f in PRODUCT_FILE.items()}
    # the insurer's sharing agreement must be in effect too (shenlife's starts on 2026-03-01)
    agreements = {c: yaml.safe_load((ROOT / "contracts" / "agreements" / f"{c}.yaml").read_text()) for c in INSURERS}
    ded: dict = defaultdict(dict)
    paid: dict = defaultdict(lambda: defaultdict(int))
    paid_on: dict = defaultdict(int)  # settlement id -> paid by the payers before (hhb before shenlife)
    applied: dict = {}
    out = {}
    for ev in events:
        if ev.topic != t.PLATFORM_SETTLEMENTS or ev.malformed is not None:
            continue
        rec = _reading(ev.record)
        for code in INSURERS:
            if rec["event_type"] == "refund":
                orig = applied.pop((code, rec["refund_of"]), None)
                if orig is None:
                    continue
                key, d_ded, d_paid = orig
                for b, v in d_ded.items():
                    ded[key][b] -= v
                for b, v in d_paid.items():
                    paid[key][b] -= v
                out[(code, rec["settlement_id"])] = (-sum(d_paid.values()), sum(ded[key].values()))
                continue
            at = datetime.fromisoformat(rec["event_time"])
            if not _enrolled(rec["person_no"], code) or at.year != 2026:
                continue
            ag = agreements[code]
            if not ag["effective_from"] <= at.date() < (ag.get("effective_to") or date.max):
                continue
            if not consents.check(rec["person_no"], code, "claims", at, categories=("settlement",),
                                  asof_us=published[rec["settlement_id"]] * 1000):
                continue
            key = (code, rec["person_no"], at.year)
            before = ded[key]
            payable, ded[key] = _recompute(products[code], rec, before, paid[key], paid_on[rec["settlement_id"]])
            for b, v in payable.items():
                paid[key][b] += v
            paid_on[rec["settlement_id"]] += sum(payable.values())
            applied[(code, rec["settlement_id"])] = (key, {b: v - before.get(b, 0) for b, v in ded[key].items()},
                                                     payable)
            out[(code, rec["settlement_id"])] = (sum(payable.values()), sum(ded[key].values()))
    return out


def _disclosed(expected: dict) -> dict:
    """The claims of ``expected`` the insurers receive: every one under a ``detail`` grant; under a
    ``result`` grant (hhb) a claim that pays and the reversal of one received (docs/claims.md)."""
    modes = {}
    for c in INSURERS:
        ag = yaml.safe_load((ROOT / "contracts" / "agreements" / f"{c}.yaml").read_text())
        [modes[c]] = [g["mode"] for g in ag["grants"] if g["purpose"] == "claims"]
    assert modes == {"hhb": "result", "shenlife": "detail"}
    out: dict = {}
    for (code, sid), v in expected.items():  # in stream order: a reversal after its original
        if modes[code] == "result":
            original = sid[:-2] if sid.endswith("-R") else None
            if not ((code, original) in out if original else v[0] != 0):
                continue
        out[(code, sid)] = v
    return out


# --- the run ------------------------------------------------------------------------------------


def _env(cfg) -> dict:
    env = os.environ.copy()
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _status(cfg) -> dict:
    try:
        return json.loads((cfg.state_dir / "processors" / "claims-0.json").read_text())
    except (OSError, ValueError):
        return {}


def _run_inline(cfg, build) -> None:
    from streams.runtime import Runner, RunOptions

    Runner(build(cfg), RunOptions(until_idle=True, idle_s=2.0), cfg).run()


@pytest.fixture(scope="module")
def claims_run(kafka_broker):
    from medshare.claims.enrolment import EnrolmentRegistry, enrolment_events
    from medshare.claims.state import claims_database
    from medshare.simulate import SimConfig, Simulation, run_simulation
    from privacy.consent import ConsentRegistry
    from streams import consent_sync

    cfg = kafka_broker
    reset_pipeline(cfg)
    sim_cfg = SimConfig(insurers=INSURERS, **SIM)
    run_simulation(sim_cfg, cfg=cfg, batch=False)
    events = list(Simulation(sim_cfg).events())
    _run_inline(cfg, consent_sync.build)

    persons = sorted({e.record["psn_no"] for e in events if e.topic == t.PLATFORM_SETTLEMENTS and e.record
                      and isinstance(e.record.get("psn_no"), str)})
    # one enrolled person in four declares the main diagnosis of their first settlement as pre-existing
    first_dx = {}
    for e in events:
        if e.topic == t.PLATFORM_SETTLEMENTS and e.malformed is None and e.record.get("diseinfo"):
            first_dx.setdefault(e.record["psn_no"], e.record["diseinfo"][0]["diag_code"][:3])
    pre = {p: (first_dx[p],) for p in persons if p in first_dx and _bucket(p, "pre") < 64}
    reg = EnrolmentRegistry(claims_database(cfg))
    for code in INSURERS:
        reg.apply_many(enrolment_events([p for p in persons if _enrolled(p, code)], code, PRODUCT_OF[code], 2026,
                                        pre_existing=pre))
    reg.close()

    # the processor as a real process, killed with SIGKILL after a few committed batches
    cmd = [sys.executable, "-m", "streams.claims", "--batch-size", "20"]
    (cfg.state_dir / "processors").mkdir(parents=True, exist_ok=True)
    (cfg.state_dir / "processors" / "claims-0.json").unlink(missing_ok=True)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=_env(cfg), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and _status(cfg).get("batches", 0) < 5:
        assert proc.poll() is None, proc.stderr.read().decode()[-3000:]
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    rc = proc.wait(timeout=60)
    killed = {"rc": rc, "status": _status(cfg)}
    done = subprocess.run([*cmd[:-2], "--until-idle", "--batch-size", "50"], cwd=ROOT, env=_env(cfg),
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]

    consents = ConsentRegistry.open(cfg.state_database)
    published = {json.loads(m.value)["setl_id"]: m.timestamp for m in read_topic(cfg, t.PLATFORM_SETTLEMENTS)
                 if _json_ok(m.value)}
    expected = _expected(events, consents, pre, published)
    consents.close()
    return {"cfg": cfg, "events": events, "killed": killed, "expected": expected, "pre": pre}


def _json_ok(value: bytes) -> bool:
    try:
        return isinstance(json.loads(value).get("setl_id"), str)
    except ValueError:
        return False


def _results(cfg) -> list[tuple[str, dict, dict]]:
    out = []
    for code in INSURERS:
        for m in read_topic(cfg, t.insurer_claims(code)):
            headers = {k: v.decode() for k, v in m.headers}
            if headers.get("ms-source") == "claims-engine":
                out.append((code, json.loads(m.value), headers))
    return out


def test_killed_mid_run(claims_run):
    k = claims_run["killed"]
    settlements = sum(1 for e in claims_run["events"] if e.topic == t.PLATFORM_SETTLEMENTS)
    assert k["rc"] == -signal.SIGKILL
    assert 0 < k["status"]["consumed"] < settlements


def test_claim_results_equal_the_independent_recomputation(claims_run):
    expected = _disclosed(claims_run["expected"])
    assert 0 < len(expected) < len(claims_run["expected"])  # hhb's zero claims are kept, not sent
    results = _results(claims_run["cfg"])
    got = Counter((code, r["settlement_id"]) for code, r, _ in results)
    assert max(got.values()) == 1, "a claim result was published twice"
    assert set(got) == set(expected)
    for code, r, _ in results:
        total, ded_after = expected[(code, r["settlement_id"])]
        assert round(r["total_payable"] * 100) == total, (code, r["settlement_id"])
        assert round(r["deductible"]["used"] * 100) == ded_after, (code, r["settlement_id"])
    # the year's totals per insurer (what the insurer pays) agree too
    for code in INSURERS:
        assert sum(round(r["total_payable"] * 100) for c, r, _ in results if c == code) == \
            sum(v[0] for (c, _), v in expected.items() if c == code)
    # the run is not trivial: claims paid by both products, with refunds, deductibles met
    assert {code for code, r, _ in results if r["total_payable"] > 0} == set(INSURERS)
    assert any(r["event_type"] == "refund" for _, r, _ in results)


def test_only_enrolled_and_consenting_persons_get_claims(claims_run):
    from privacy.sdk import InsurerDecryptor

    cfg = claims_run["cfg"]
    results = _results(cfg)
    settlements = {r["settlement_id"]: r for r in (_reading(e.record) for e in claims_run["events"]
                                                   if e.topic == t.PLATFORM_SETTLEMENTS and e.malformed is None)}
    for code in INSURERS:
        dec = InsurerDecryptor.from_dir(cfg.insurers_dir / code)
        mine = [r for c, r, _ in results if c == code]
        assert mine
        for r in mine[:50]:
            person = dec.decrypt_value(r["person_no"], t.insurer_claims(code), r["claim_id"], "person_no")
            assert person == settlements[r["settlement_id"]]["person_no"]
            assert _enrolled(person, code)
            assert dec.decrypt_value(r["policy_no"], t.insurer_claims(code), r["claim_id"], "policy_no") \
                .startswith(code.upper())
    # some settlements of enrolled persons got no claim (no consent), and vice versa
    enrolled_no_claim = [s for s in settlements.values() if s["event_type"] == "settlement"
                         and _enrolled(s["person_no"], "hhb") and ("hhb", s["settlement_id"]) not in
                         claims_run["expected"]]
    assert enrolled_no_claim


def test_results_carry_no_diagnosis_or_items_and_are_audited(claims_run):
    cfg = claims_run["cfg"]
    results = _results(cfg)
    forbidden = {"diagnosis_code", "diagnosis_name", "items", "name", "resident_id", "phone", "address",
                 "diseinfo", "feedetail", "psn_name", "certno", "brdy", "psn_no"}
    for _code, r, h in results:
        assert not forbidden & set(r)
        assert r["record_type"] == "claim-result" and r["claim_id"] and r["rule_ids"] is not None
        assert r["person_no"].startswith("mse1.") and r["policy_no"].startswith("mse1.")
        assert h["ms-producer"] == "claims-engine"
    audits = [json.loads(m.value) for m in read_topic(cfg, t.AUDIT)]
    claim_audits = Counter(a["record_id"] for a in audits if a["kind"] == "claim-result")
    assert set(claim_audits) == {r["claim_id"] for _, r, _ in results}
    assert max(claim_audits.values()) == 1
    a = next(a for a in audits if a["kind"] == "claim-result")
    assert a["product_version"] and a["rule_ids"] is not None and a["consent_id"]


def test_ledger_and_explain_agree_with_results(claims_run):
    from medshare.claims.state import ClaimStore, claims_database

    cfg = claims_run["cfg"]
    store = ClaimStore(claims_database(cfg))
    try:
        entries = {(e.insurer, e.settlement_id): e for e in store.entries()}
        assert set(entries) == set(claims_run["expected"])
        for key, (total, _) in claims_run["expected"].items():
            assert entries[key].total_payable == total
    finally:
        store.close()
