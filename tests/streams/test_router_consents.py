"""The router takes consents in stream order: a consent published before a settlement counts for it.

No consent-sync runs here. Before, a settlement routed before consent-sync had stored the consent
published ahead of it was refused for good (nothing retries it); the router now reads
``platform.consents.v1`` co-partitioned with the settlements and aligned by time.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from pipeline_helpers import read_topic, reset_pipeline, values

from medshare import topics as t

pytestmark = pytest.mark.integration


def _consent(event_id: str, consent_id: str, action: str, settlement: dict, insurer: str = "shenlife") -> dict:
    """A consent event of the settlement's person (the platform's consents name the resident id)."""
    return {
        "event_id": event_id, "consent_id": consent_id, "action": action, "person_no": settlement["psn_no"],
        "resident_id": settlement["certno"], "insurer_code": insurer, "purpose": "claims",
        "data_categories": ["settlement", "emr"], "valid_from": "2026-01-01T00:00:00+08:00",
        "valid_to": "2027-01-01T00:00:00+08:00", "channel": "随申办",
        "event_time": "2026-03-01T08:00:00+08:00",
        **({"notice_id": _notice_id(insurer)} if action == "grant" else {}),
    }


def _notice_id(insurer: str) -> str:
    """The notice of the agreement in force on 2026-03-01 (a grant must name it: privacy.notice)."""
    from datetime import datetime

    from privacy.notice import NoticeBook

    return NoticeBook.load().current(insurer, "claims", datetime.fromisoformat("2026-03-01T08:00:00+08:00")).notice_id


def _settlements(n: int) -> list[dict]:
    """``n`` valid settlements of different persons (the simulator's)."""
    from medshare.simulate import SimConfig, Simulation

    out, persons = [], set()
    sim = Simulation(SimConfig(persons=60, days=60, seed=3, malformed_rate=0.0, start_date=date(2026, 3, 1)))
    for e in sim.events():
        r = e.record
        if e.topic == t.PLATFORM_SETTLEMENTS and "revoke" not in r and r["psn_no"] not in persons:
            out.append(r)
            persons.add(r["psn_no"])
            if len(out) == n:
                break
    return out


def _publish(cfg, messages: list[tuple[str, dict | bytes, str]]) -> None:
    """Publish in order, one at a time (each acknowledged before the next: distinct timestamps)."""
    import time

    from medshare import kafka as mk
    from medshare.envelope import Outgoing

    prod = mk.producer("platform", cfg=cfg)
    try:
        for topic, value, key in messages:
            if isinstance(value, bytes):
                prod.send(topic, value=value, key=key.encode(), headers=[("ms-event-id", b"broken-1")]).get(30)
            else:
                o = Outgoing.record(topic, value, key=key, producer="test",
                                    event_id=value.get("event_id") or value.get("setl_id"))
                prod.send(o.topic, value=o.value, key=o.key, headers=o.headers).get(30)
            time.sleep(0.005)
    finally:
        prod.close()


def _routed(cfg, insurer: str = "shenlife") -> set[str]:
    return {json.loads(m.value)["setl_id"] for m in read_topic(cfg, t.insurer_claims(insurer))}


def test_consents_take_effect_in_stream_order_without_consent_sync(kafka_broker):
    from streams.registry import factory
    from streams.runtime import Runner, RunOptions

    cfg = kafka_broker
    reset_pipeline(cfg)
    granted, revoked, never = _settlements(3)
    a, b, c = (r["psn_no"] for r in (granted, revoked, never))
    second = {**revoked, "setl_id": revoked["setl_id"][:-1] + ("0" if revoked["setl_id"][-1] != "0"
                                                                           else "1")}
    _publish(cfg, [
        (t.PLATFORM_CONSENTS, _consent("E1", "C1", "grant", granted), a),
        (t.PLATFORM_SETTLEMENTS, granted, a),             # consented just before: routed
        (t.PLATFORM_CONSENTS, _consent("E2", "C2", "grant", revoked), b),
        (t.PLATFORM_SETTLEMENTS, revoked, b),             # routed
        (t.PLATFORM_CONSENTS, _consent("E3", "C2", "revoke", revoked), b),
        (t.PLATFORM_SETTLEMENTS, second, b),              # after the revocation: not routed
        (t.PLATFORM_SETTLEMENTS, never, c),               # no consent at all
        (t.PLATFORM_CONSENTS, b"{not json", c),           # broken: consent-sync's to quarantine
    ])
    counters = Runner(factory("router")(cfg), RunOptions(until_idle=True, idle_s=1.5), cfg).run()

    # shenlife's claims grant is mode detail (hhb's is result: the router sends hhb nothing)
    assert _routed(cfg) == {granted["setl_id"], revoked["setl_id"]}
    assert _routed(cfg, "hhb") == set()
    # the router stored the consents it read (consent-sync finds them already there, idempotent)
    from privacy.consent import ConsentRegistry

    reg = ConsentRegistry.open(cfg.state_database)
    try:
        assert {e.event_id for e in reg.history(a) + reg.history(b)} == {"E1", "E2", "E3"}
        assert reg.apply_many([_consent("E1", "C1", "grant", granted)]).duplicates == 1
    finally:
        reg.close()
    # the broken consent is not the router's to quarantine; the settlements were all valid
    assert [q for q in values(read_topic(cfg, t.QUARANTINE)) if q["quarantined_by"] == "router"] == []
    assert counters.extra.get("consent.skipped") == 1
    assert counters.disclosed == 2


def test_claims_processor_takes_consents_in_stream_order_too(kafka_broker):
    """The claims processor reads consents the same way: enrol, consent, settle -> a claim result."""
    from streams.registry import factory
    from streams.runtime import Runner, RunOptions

    cfg = kafka_broker
    reset_pipeline(cfg)
    first, second = _settlements(2)
    p, q = first["psn_no"], second["psn_no"]

    def enrol(person: str, n: int) -> dict:
        return {"event_id": f"EE-T-{n}", "enrolment_id": f"EN-T-{n}", "action": "enrol", "person_no": person,
                "insurer_code": "hhb", "product_id": "hhb-huibao", "policy_no": f"HHB2026T{n:06d}",
                "valid_from": "2026-01-01T00:00:00+08:00", "valid_to": "2027-01-01T00:00:00+08:00",
                "pre_existing": [], "channel": "随申办", "event_time": "2026-02-01T12:00:00+08:00"}

    _publish(cfg, [
        (t.PLATFORM_ENROLMENTS, enrol(p, 1), p),
        (t.PLATFORM_CONSENTS, _consent("E1", "C1", "grant", first, "hhb"), p),
        (t.PLATFORM_SETTLEMENTS, first, p),               # enrolled and consented before: a claim
        (t.PLATFORM_ENROLMENTS, enrol(q, 2), q),
        (t.PLATFORM_SETTLEMENTS, second, q),              # enrolled, no consent: nothing
    ])
    counters = Runner(factory("claims")(cfg), RunOptions(until_idle=True, idle_s=1.5), cfg).run()
    from medshare.claims.state import ClaimStore, claims_database

    store = ClaimStore(claims_database(cfg))
    decided = [(e.insurer, e.settlement_id, e.total_payable) for e in store.entries()]
    store.close()
    assert [d[:2] for d in decided] == [("hhb", first["setl_id"])]  # a claim names the setl_id
    # hhb's grant is result mode: the claim result leaves only if it pays
    results = [json.loads(m.value) for m in read_topic(cfg, t.insurer_claims("hhb"))]
    assert [r["settlement_id"] for r in results] == ([first["setl_id"]] if decided[0][2] else [])
    assert all(r["record_type"] == "claim-result" for r in results)
    assert counters.extra.get("consent.grant") == 1
    assert [q for q in values(read_topic(cfg, t.QUARANTINE)) if q["quarantined_by"] == "claims"] == []
