"""No consented disclosure lost on a backlog or in the revocation window (issue #16), on the real broker.

* Backlog: consents, settlements and notes of many persons are all published first; then the
  router runs alone over them (no consent-sync before it, nothing killed), at small and large
  batch sizes. Every disclosure the published streams call for arrives, once — the expected set is
  recomputed from the topics' own publish times (``pipeline_helpers.expected_disclosures``), not
  from the router. Before the fix whole partitions lost every record when their consents were
  fetched after a 1 s alignment wait ran out.
* Revocation window: grant → S1 → revoke → S2…S400 of one person; the processor is killed at the
  exact moment the revocation is in the consent store and the batch's Kafka transaction is not
  committed (a failpoint, ``MEDSHARE_FAILPOINTS``). On restart S1 is still disclosed, as an
  un-killed run discloses it. The same for the claims processor, and for an enrolment cancel.

``MEDSHARE_BACKLOG_RUNS=20`` repeats the backlog case with 20 seeds (docs/streams.md has the figures).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pipeline_helpers import INSURERS, disclosed, expected_disclosures, read_topic, reset_pipeline, values

from medshare import topics as t

pytestmark = pytest.mark.integration

MEDSHARE = str(Path(sys.executable).with_name("medshare"))
RUNS = int(os.environ.get("MEDSHARE_BACKLOG_RUNS", "0"))
CASES = [(11, 10), (12, 500), (13, 500)] + [(100 + i, (10, 500)[i % 2]) for i in range(RUNS)]


def _run(name: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([MEDSHARE, "run", name, "--until-idle", *args], capture_output=True, text=True,
                          timeout=900, env={**os.environ, **(env or {})})


@pytest.mark.parametrize(("seed", "batch"), CASES, ids=[f"seed{s}-batch{b}" for s, b in CASES])
def test_router_alone_over_a_backlog_loses_nothing(kafka_broker, seed, batch):
    from medshare.simulate import SimConfig, Simulation, run_simulation

    cfg = kafka_broker
    reset_pipeline(cfg)
    sim_cfg = SimConfig(insurers=INSURERS, persons=1500, days=20, seed=seed, malformed_rate=0.005,
                        start_date=date(2026, 3, 1))
    run_simulation(sim_cfg, cfg=cfg, batch=False)
    events = list(Simulation(sim_cfg).events())
    proc = _run("router", "--batch-size", str(batch))
    assert proc.returncode == 0, proc.stderr[-3000:]

    expected = expected_disclosures(cfg, events)
    got = disclosed(cfg)
    # shenlife only: hhb's claims grant is mode result (the router sends it nothing)
    assert len(expected) > 100, "the backlog should call for a hundred or more disclosures"
    missing, extra = expected - set(got), set(got) - expected
    assert not missing, f"{len(missing)} of {len(expected)} consented disclosures missing, e.g. {sorted(missing)[:3]}"
    assert not extra, f"{len(extra)} disclosures without a consent in force, e.g. {sorted(extra)[:3]}"
    assert max(got.values()) == 1, "a disclosure arrived twice"


# --- the revocation window -------------------------------------------------------------------


def _person_settlements(n: int) -> list[dict]:
    """``n`` valid settlements of one person (the simulator's first settlement, copied with new ids)."""
    from medshare.simulate import SimConfig, Simulation

    sim = Simulation(SimConfig(persons=20, days=30, seed=5, malformed_rate=0.0, start_date=date(2026, 3, 1)))
    first = next(e.record for e in sim.events()
                 if e.topic == t.PLATFORM_SETTLEMENTS and "revoke" not in e.record)
    return [{**first, "setl_id": f"{first['setl_id'][:-4]}{i:04d}"} for i in range(n)]


def _consent(eid: str, cid: str, action: str, s: dict, insurer: str = "hhb") -> dict:
    from datetime import datetime

    from privacy.notice import NoticeBook

    when = "2026-03-01T08:00:00+08:00"
    # a grant names the notice of the agreement in force (privacy.notice refuses one that does not)
    notice = ({"notice_id": NoticeBook.load().current(insurer, "claims", datetime.fromisoformat(when)).notice_id}
              if action == "grant" else {})
    return {"event_id": eid, "consent_id": cid, "action": action, "person_no": s["psn_no"],
            "resident_id": s["certno"], "insurer_code": insurer, "purpose": "claims",
            "data_categories": ["settlement", "emr"], "valid_from": "2026-01-01T00:00:00+08:00",
            "valid_to": "2027-01-01T00:00:00+08:00", "channel": "随申办", "event_time": when, **notice}


def _enrolment(eid: str, action: str, s: dict) -> dict:
    return {"event_id": eid, "enrolment_id": "EN-WINDOW-1", "action": action, "person_no": s["psn_no"],
            "insurer_code": "hhb", "product_id": "hhb-huibao", "policy_no": "HHB2026W000001",
            "valid_from": "2026-01-01T00:00:00+08:00", "valid_to": "2027-01-01T00:00:00+08:00",
            "pre_existing": [], "channel": "随申办", "event_time": "2026-02-01T12:00:00+08:00"}


def _publish(cfg, messages: list[tuple[str, dict]]) -> None:
    """Publish in order, each acknowledged before the next (publish times in this order)."""
    import time

    from medshare import kafka as mk
    from medshare.envelope import Outgoing

    prod = mk.producer("platform", cfg=cfg)
    try:
        for topic, value in messages:
            o = Outgoing.record(topic, value, key=value.get("psn_no") or value["person_no"], producer="test",
                                event_id=value.get("event_id") or value.get("setl_id"))
            prod.send(o.topic, value=o.value, key=o.key, headers=o.headers).get(30)
            if topic != t.PLATFORM_SETTLEMENTS:
                time.sleep(0.003)  # a distinct millisecond on each side of a consent or enrolment event
    finally:
        prod.close()


def _killed_at(failpoint: str, processor: str) -> None:
    proc = _run(processor, "--batch-size", "500", env={"MEDSHARE_FAILPOINTS": failpoint})
    assert proc.returncode == -signal.SIGKILL, f"{processor} was not killed at {failpoint}: {proc.stderr[-2000:]}"


def test_router_killed_after_storing_a_revocation_still_discloses_what_came_before(kafka_broker):
    cfg = kafka_broker
    reset_pipeline(cfg)
    s = _person_settlements(400)
    # shenlife: its claims grant is mode detail, the router's to disclose (hhb's is result)
    _publish(cfg, [(t.PLATFORM_CONSENTS, _consent("W-G", "W-C", "grant", s[0], "shenlife")),
                   (t.PLATFORM_SETTLEMENTS, s[0]),
                   (t.PLATFORM_CONSENTS, _consent("W-R", "W-C", "revoke", s[0], "shenlife")),
                   *[(t.PLATFORM_SETTLEMENTS, x) for x in s[1:]]])
    _killed_at("consents-stored-revoke", "router")
    # killed inside the transaction: nothing of the batch is visible, the revocation is stored
    assert disclosed(cfg) == {}
    from privacy.consent import ConsentRegistry

    with ConsentRegistry.open(cfg.state_database) as reg:
        assert {e.event_id for e in reg.history(s[0]["psn_no"])} == {"W-G", "W-R"}

    proc = _run("router", "--batch-size", "500")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert dict(disclosed(cfg)) == {("shenlife", t.PLATFORM_SETTLEMENTS, s[0]["setl_id"]): 1}
    audits = [a for a in values(read_topic(cfg, t.AUDIT)) if a.get("kind") == "record"]
    assert [(a["record_id"], a["consent_id"]) for a in audits] == [(s[0]["setl_id"], "W-C")]


@pytest.mark.parametrize("cut", ["revoke", "cancel"])
def test_claims_killed_after_storing_a_revocation_or_cancel_still_pays_what_came_before(kafka_broker, cut):
    cfg = kafka_broker
    reset_pipeline(cfg)
    s = _person_settlements(400)
    stop = ((t.PLATFORM_CONSENTS, _consent("W-R", "W-C", "revoke", s[0])) if cut == "revoke"
            else (t.PLATFORM_ENROLMENTS, _enrolment("W-X", "cancel", s[0])))
    _publish(cfg, [(t.PLATFORM_ENROLMENTS, _enrolment("W-E", "enrol", s[0])),
                   (t.PLATFORM_CONSENTS, _consent("W-G", "W-C", "grant", s[0])), (t.PLATFORM_SETTLEMENTS, s[0]),
                   stop, *[(t.PLATFORM_SETTLEMENTS, x) for x in s[1:]]])
    _killed_at("consents-stored-revoke" if cut == "revoke" else "enrolments-stored-cancel", "claims")
    assert disclosed(cfg) == {}

    proc = _run("claims", "--batch-size", "500")
    assert proc.returncode == 0, proc.stderr[-2000:]
    from medshare.claims.state import ClaimStore, claims_database

    store = ClaimStore(claims_database(cfg))
    decided = [(e.insurer, e.settlement_id, e.total_payable) for e in store.entries()]
    store.close()
    assert [d[:2] for d in decided] == [("hhb", s[0]["setl_id"])]
    # hhb's grant is result mode: the claim result leaves only if it pays (docs/claims.md)
    results = [json.loads(m.value) for m in read_topic(cfg, t.insurer_claims("hhb"))]
    assert [r["settlement_id"] for r in results] == ([s[0]["setl_id"]] if decided[0][2] else [])
