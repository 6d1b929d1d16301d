"""The person's rights end to end on the real broker (PIPL; issue #20 parts 1-4).

One run (module fixture): simulate -> consent-sync -> router -> audit sink, plus two consent grants on
no/unknown notice; then erasure requests for the revoked consents, the insurers' acknowledgements,
and the acknowledgements into the log. Checked against what was published (simulator events,
topics), not against the code's own bookkeeping.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "streams"))
from pipeline_helpers import INSURERS, read_topic, reset_pipeline, run_until_idle  # noqa: E402

from medshare import topics as t  # noqa: E402

pytestmark = pytest.mark.integration

SIM = {"persons": 300, "days": 20, "seed": 11, "malformed_rate": 0.0, "start_date": date(2026, 3, 1)}
UNKNOWN_NOTICE = "sha256:" + "ab" * 32


def _bad_consents(person_no: str, resident_id: str) -> list[dict]:
    base = {"action": "grant", "person_no": person_no, "resident_id": resident_id, "insurer_code": "hhb",
            "purpose": "claims", "data_categories": ["settlement"], "valid_from": "2026-03-01T09:00:00+08:00",
            "valid_to": "2027-03-01T09:00:00+08:00", "channel": "随申办", "event_time": "2026-03-01T09:00:00+08:00"}
    return [{**base, "event_id": "CE-BAD-NOTICE", "consent_id": "CS-BAD-NOTICE", "notice_id": UNKNOWN_NOTICE},
            {**base, "event_id": "CE-NO-NOTICE", "consent_id": "CS-NO-NOTICE"}]


@pytest.fixture(scope="module")
def run(kafka_broker, tmp_path_factory):
    from medshare import kafka as mk
    from medshare.insurer_client import acknowledge_erasures
    from medshare.onboard import insurer_bundle
    from medshare.simulate import SimConfig, Simulation, run_simulation
    from privacy.erasure import collect_acks, issue
    from streams import audit_sink
    from streams.registry import factory

    cfg = kafka_broker
    reset_pipeline(cfg)
    sim_cfg = SimConfig(insurers=INSURERS, **SIM)
    run_simulation(sim_cfg, cfg=cfg, jsonl_dir=tmp_path_factory.mktemp("jsonl"))
    events = list(Simulation(sim_cfg).events())
    first_settlement = next(e.record for e in events if e.topic == t.PLATFORM_SETTLEMENTS
                            and e.malformed is None and "revoke" not in e.record)
    first = {"person_no": first_settlement["psn_no"], "resident_id": first_settlement["certno"]}
    producer = mk.producer("platform", cfg=cfg)
    try:
        for rec in _bad_consents(first["person_no"], first["resident_id"]):
            producer.send(t.PLATFORM_CONSENTS, key=rec["person_no"].encode(), headers=[("ms-event-id", rec["event_id"].encode())],
                          value=json.dumps(rec, ensure_ascii=False).encode())
        producer.flush()
    finally:
        producer.close()
    for name in ("consent-sync", "router"):
        run_until_idle(factory(name)(cfg), cfg)
    run_until_idle(audit_sink.build(cfg), cfg)
    # the person behind the consent with the most disclosures revokes it now
    audits = _audits(cfg)
    counts: dict[str, int] = {}
    for a in audits:
        if a.get("consent_id"):
            counts[a["consent_id"]] = counts.get(a["consent_id"], 0) + 1
    grants = {e.record["consent_id"]: e.record for e in events if e.topic == t.PLATFORM_CONSENTS and e.record
              and e.record["action"] == "grant"}
    revoked_before = {e.record["consent_id"] for e in events if e.topic == t.PLATFORM_CONSENTS and e.record
                      and e.record["action"] == "revoke"}
    target = max((c for c in counts if c in grants and c not in revoked_before), key=counts.get)
    g = grants[target]
    revoke = {**g, "event_id": "CE-REVOKE-NOW", "action": "revoke", "event_time": "2026-04-01T10:00:00+08:00"}
    revoke.pop("notice_id", None)
    producer = mk.producer("platform", cfg=cfg)
    try:
        producer.send(t.PLATFORM_CONSENTS, key=g["person_no"].encode(), headers=[("ms-event-id", b"CE-REVOKE-NOW")],
                      value=json.dumps(revoke, ensure_ascii=False).encode())
        producer.flush()
    finally:
        producer.close()
    run_until_idle(factory("consent-sync")(cfg), cfg)
    issued = issue(cfg)
    again = issue(cfg)  # nothing new: every disclosure is requested once
    acks = {code: acknowledge_erasures(insurer_bundle(code, cfg)) for code in INSURERS}
    collected = collect_acks(cfg, INSURERS)
    run_until_idle(audit_sink.build(cfg), cfg)
    return {"cfg": cfg, "events": events, "revoked_now": target, "issued": issued, "again": again, "acks": acks, "collected": collected,
            "first": first}


def _audits(cfg) -> list[dict]:  # noqa: F811 - also used by the fixture
    return [json.loads(m.value) for m in read_topic(cfg, t.AUDIT)]


def test_a_consent_with_an_unknown_notice_is_refused_with_its_reason(run):
    from privacy.consent import ConsentStore

    cfg = run["cfg"]
    quarantined = {q.get("source_event_id"): q for q in (json.loads(m.value) for m in read_topic(cfg, t.QUARANTINE))}
    bad = quarantined["CE-BAD-NOTICE"]
    assert bad["rules"] == ["consent-notice"]
    text = json.dumps(bad["violations"], ensure_ascii=False)
    assert f"unknown notice {UNKNOWN_NOTICE}" in text
    assert "must name the notice" in json.dumps(quarantined["CE-NO-NOTICE"]["violations"], ensure_ascii=False)
    store = ConsentStore(cfg.state_database)
    try:
        stored = store.events_for(run["first"]["person_no"])
    finally:
        store.close()
    assert not {"CE-BAD-NOTICE", "CE-NO-NOTICE"} & {e.event_id for e in stored}  # not by consent-sync, nor the router
    assert not any(a.get("consent_id") in ("CS-BAD-NOTICE", "CS-NO-NOTICE") for a in _audits(cfg))
    # the simulator's own consents name the notice in force and are accepted
    assert any(e.notice_id for e in stored) or stored == []


def test_insurer_topics_carry_their_agreements_retention(run):
    from medshare.retention import DAY_MS, topic_retention

    got = topic_retention([t.insurer_claims("hhb"), t.insurer_marts("hhb"), t.insurer_claims("shenlife"),
                           t.insurer_marts("shenlife")], run["cfg"])
    assert got == {t.insurer_claims("hhb"): 5 * 365 * DAY_MS, t.insurer_marts("hhb"): 3 * 365 * DAY_MS,
                   t.insurer_claims("shenlife"): 3 * 365 * DAY_MS, t.insurer_marts("shenlife"): 365 * DAY_MS}


def test_a_revocation_leads_to_an_erasure_request_naming_exactly_the_records_disclosed_under_it(run):
    cfg = run["cfg"]
    revoked = {e.record["consent_id"] for e in run["events"]
               if e.topic == t.PLATFORM_CONSENTS and e.record and e.record["action"] == "revoke"}
    revoked.add(run["revoked_now"])
    expected: dict[tuple[str, str], set[str]] = {}
    for a in _audits(cfg):
        if a.get("consent_id") in revoked and a["kind"] in ("record", "claim-result"):
            expected.setdefault((a["insurer"], a["consent_id"]), set()).add(a["audit_id"])
    assert expected, "the run should disclose something under a consent that is later revoked"
    got: dict[tuple[str, str], set[str]] = {}
    for code in INSURERS:
        for m in read_topic(cfg, t.insurer_erasure(code)):
            req = json.loads(m.value)
            assert req["insurer"] == code and req["reason"] == "revoked"
            got.setdefault((code, req["consent_id"]), set()).update(r["audit_id"] for r in req["records"])
    assert got == expected
    assert run["again"].requests == []


def test_the_acknowledgement_lands_in_the_log(run):
    from privacy.audit import AuditStore
    from privacy.erasure import ErasureLedger, overdue

    cfg = run["cfg"]
    request_ids = {r["request_id"] for r in run["issued"].requests}
    assert {a["request_id"] for acks in run["acks"].values() for a in acks} == request_ids
    assert set(run["collected"].acked) == request_ids and not run["collected"].refused
    with AuditStore.open(cfg) as store:
        logged = {e.record_id: e for e in store.entries() if e.kind == "erasure-ack"}
        assert set(logged) == request_ids
        for r in run["issued"].requests:
            assert logged[r["request_id"]].event["erased"] == sorted(x["audit_id"] for x in r["records"])
        assert store.verify().ok
        assert all(q["acked_at"] for q in ErasureLedger(store.engine).requests())
        assert overdue(store.engine) == {}


def test_the_statement_lists_exactly_the_persons_disclosures(run, tmp_path):
    from privacy import merkle
    from privacy.statement import write

    cfg = run["cfg"]
    audits = [a for a in _audits(cfg) if a["kind"] in ("record", "claim-result")]
    # whose record is what: from the simulator's published events, not from the log
    owner = {}
    resident = {}
    for e in run["events"]:
        if e.record is None:
            continue
        if e.topic == t.PLATFORM_SETTLEMENTS:
            r = e.record
            if "revoke" in r:
                owner[(t.PLATFORM_SETTLEMENTS, r["revoke"]["setl_id"] + "-R")] = r["revoke"]["psn_no"]
                continue
            owner[(t.PLATFORM_SETTLEMENTS, r["setl_id"])] = r["psn_no"]
            resident[r["psn_no"]] = r["certno"]
        elif e.topic == t.PLATFORM_EMR_NOTES:
            owner[(t.PLATFORM_EMR_NOTES, e.record["note_id"])] = e.record["person_no"]
    by_person: dict[str, set[str]] = {}
    for a in audits:
        rid = a.get("settlement_id") if a["kind"] == "claim-result" else a["record_id"]
        by_person.setdefault(owner[(a["source"], rid)], set()).add(a["audit_id"])
    person = max(by_person, key=lambda p: len(by_person[p]))
    rid = resident[person]
    data = write(rid, tmp_path, cfg)
    assert {d["audit_id"] for d in data["disclosures"]} == by_person[person]
    html = (tmp_path / "statement.html").read_text("utf-8")
    js = (tmp_path / "statement.json").read_text("utf-8")
    assert rid not in html and rid not in js and person not in html and person not in js
    assert "您" in html and data["masked_id"] in html
    for d in data["disclosures"]:
        p, sth = d["proof"], d["proof"]["signed_tree_head"]
        assert sth is not None and sth["tree_size"] == p["tree_size"] and sth["root_hash"] == p["root_hash"]
        import base64
        merkle.verify_inclusion(p["leaf_index"], p["tree_size"], merkle.leaf_hash(base64.b64decode(p["leaf_input"])),
                                [bytes.fromhex(h) for h in p["audit_path"]], bytes.fromhex(p["root_hash"]))
        assert d["fields"] and d["purpose"] == "claims" and d["consent_id"]
    # nobody else's
    other = next(p for p in by_person if p != person)
    assert not by_person[other] & {d["audit_id"] for d in data["disclosures"]}


def test_the_compliance_report_shows_notices_pias_retention_and_erasures(run):
    from medshare import rights_report

    r = rights_report.collect(run["cfg"])
    assert {(n["insurer"], n["purpose"]) for n in r["notices"]} >= {("hhb", "claims"), ("shenlife", "claims")}
    assert [(g["insurer"], g["purpose"]) for g in r["grants_without_pia"]] == [("shenlife", "actuarial")]
    assert all(x["enforced"] for x in r["retention"])
    assert r["erasure"]["requests"] == len(run["issued"].requests) == r["erasure"]["acknowledged"]
    assert r["erasure"]["overdue"] == {}
    html = rights_report.render_html(r)
    assert "grant(s) without a PIA" in html and "No overdue erasure request" in html
