"""The rights_erasure DAG really run with ``airflow dags test`` (issue #20 part 3, scheduled).

A small pipeline run (simulate -> consent-sync -> router -> audit sink); the person behind the
consent with the most disclosures revokes it. The first DAG run issues the erasure requests:
checked against the disclosure log's topic (every record/claim-result entry under a revoked
consent is requested, once). The insurers acknowledge with the SDK; the second DAG run logs the
acknowledgements in the disclosure log, issues nothing new, and records the run for the report.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest
from airflow_helpers import dags_test

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "streams"))
from pipeline_helpers import INSURERS, read_topic, reset_pipeline, run_until_idle  # noqa: E402

from medshare import topics as t  # noqa: E402

pytestmark = pytest.mark.integration

SIM = {"persons": 60, "days": 10, "seed": 23, "malformed_rate": 0.0, "start_date": date(2026, 3, 1)}
RUN_1 = "2026-04-02T10:31:00+08:00"
RUN_2 = "2026-04-02T11:31:00+08:00"


def _audits(cfg) -> list[dict]:
    return [json.loads(m.value) for m in read_topic(cfg, t.AUDIT)]


@pytest.fixture
def revoked(kafka_broker, airflow_db, tmp_path):
    """The pipeline after one more revocation: (cfg, consent ids revoked, simulator events)."""
    from medshare import kafka as mk
    from medshare.simulate import SimConfig, Simulation, run_simulation
    from streams import audit_sink
    from streams.registry import factory

    cfg = kafka_broker
    reset_pipeline(cfg)
    sim_cfg = SimConfig(insurers=INSURERS, **SIM)
    run_simulation(sim_cfg, cfg=cfg, jsonl_dir=tmp_path / "jsonl")
    events = list(Simulation(sim_cfg).events())
    for name in ("consent-sync", "router"):
        run_until_idle(factory(name)(cfg), cfg)
    run_until_idle(audit_sink.build(cfg), cfg)
    counts: dict[str, int] = {}
    for a in _audits(cfg):
        if a.get("consent_id") and a.get("kind") in ("record", "claim-result"):
            counts[a["consent_id"]] = counts.get(a["consent_id"], 0) + 1
    consents = [e.record for e in events if e.topic == t.PLATFORM_CONSENTS and e.record]
    grants = {c["consent_id"]: c for c in consents if c["action"] == "grant"}
    revoked = {c["consent_id"] for c in consents if c["action"] == "revoke"}
    target = max((c for c in counts if c in grants and c not in revoked), key=counts.get)
    revoke = {**grants[target], "event_id": "CE-DAG-REVOKE", "action": "revoke",
              "event_time": "2026-04-01T10:00:00+08:00"}
    revoke.pop("notice_id", None)
    key = str(next(v for k, v in revoke.items() if k in ("psn_no", "person_no")))
    producer = mk.producer("platform", cfg=cfg)
    try:
        producer.send(t.PLATFORM_CONSENTS, key=key.encode(), headers=[("ms-event-id", b"CE-DAG-REVOKE")],
                      value=json.dumps(revoke, ensure_ascii=False).encode())
        producer.flush()
    finally:
        producer.close()
    run_until_idle(factory("consent-sync")(cfg), cfg)
    runs = cfg.state_dir / "retention-runs.json"
    if runs.exists():
        runs.unlink()
    return cfg, revoked | {target}


def test_the_dag_issues_requests_collects_acknowledgements_and_records_the_run(revoked):
    from medshare.insurer_client import acknowledge_erasures
    from medshare.onboard import insurer_bundle
    from privacy.audit import AuditStore
    from privacy.erasure import ErasureLedger
    from streams import audit_sink

    cfg, revoked_ids = revoked
    # what must be requested, from the log's topic: every disclosure of a person under a revoked consent
    wanted = {(a["insurer"], a["audit_id"]) for a in _audits(cfg)
              if a.get("kind") in ("record", "claim-result") and a.get("consent_id") in revoked_ids}
    assert wanted, "the revoked consents had disclosures"

    proc, seconds = dags_test("rights_erasure", RUN_1)
    print(f"airflow dags test rights_erasure (issue): {seconds:.1f} s")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    requests = [json.loads(m.value) for code in INSURERS for m in read_topic(cfg, t.insurer_erasure(code))]
    requested = [(r["insurer"], rec["audit_id"]) for r in requests for rec in r["records"]]
    assert sorted(requested) == sorted(wanted)  # each exactly once, nothing else
    assert {r["consent_id"] for r in requests} <= revoked_ids

    acks = {code: acknowledge_erasures(insurer_bundle(code, cfg)) for code in INSURERS}
    assert sorted(a["request_id"] for sent in acks.values() for a in sent) == sorted(r["request_id"] for r in requests)

    proc, _ = dags_test("rights_erasure", RUN_2)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    again = [json.loads(m.value) for code in INSURERS for m in read_topic(cfg, t.insurer_erasure(code))]
    assert len(again) == len(requests), "the second run issued nothing new"

    logged = {a["record_id"]: a for a in _audits(cfg) if a.get("kind") == "erasure-ack"}
    assert set(logged) == {r["request_id"] for r in requests}
    for r in requests:
        assert sorted(logged[r["request_id"]]["erased"]) == sorted(x["audit_id"] for x in r["records"])

    run_until_idle(audit_sink.build(cfg), cfg)
    store = AuditStore.open(cfg)
    try:
        ledger = ErasureLedger(store.engine)
        assert all(req["acked_us"] for req in ledger.requests())
        assert {e.record_id for e in store.entries() if e.kind == "erasure-ack"} == set(logged)
    finally:
        store.close()
    run = json.loads((cfg.state_dir / "retention-runs.json").read_text())["erasure"]
    assert run["acked"] == len(requests) and run["issued"] == 0 and run["overdue"] == {}
