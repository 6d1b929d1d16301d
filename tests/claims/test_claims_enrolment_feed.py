"""Enrolment events through the claims processor's handler (in-process, real stores, no broker).

The order of the stream is the order of effect: a settlement before the enrolment makes no claim,
one after it does, one after a cancel does not. Bad events are quarantined with the field and the
rule; a redelivered event changes nothing; a batch replayed after its database commit republishes
its claims even when a cancel applied since would refuse them now.

What a claim decided is read from the ledger (:func:`_decided`): hhb's grant is ``result`` mode,
so a zero claim is decided and kept but not published; shenlife's is ``detail``, every claim of it
is published (:func:`_claims`).
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from claims_helpers import PRODUCT_OF, Feed, engine, run_batch, settlements

from medshare import topics as t


def enrol(person_no: str, code: str = "hhb", n: int = 1, **over) -> dict:
    rec = {"event_id": f"EE-T-{code}-{n}", "enrolment_id": f"EN-T-{code}-{person_no}", "action": "enrol",
           "person_no": person_no, "insurer_code": code, "product_id": PRODUCT_OF[code],
           "policy_no": f"{code.upper()}2026T{n:06d}", "valid_from": "2026-01-01T00:00:00+08:00",
           "valid_to": "2027-01-01T00:00:00+08:00", "pre_existing": [], "channel": "随申办",
           "event_time": "2026-03-01T06:00:00+08:00"}
    rec.update(over)
    return rec


def cancel(person_no: str, code: str = "hhb", n: int = 2, **over) -> dict:
    rec = {**enrol(person_no, code, n), "action": "cancel", "product_id": None, "policy_no": None,
           "valid_from": None, "valid_to": None, "event_time": "2026-03-10T12:00:00+08:00"}
    rec.update(over)
    return rec


@pytest.fixture
def cfg(tmp_path):
    from medshare.config import Settings

    return Settings(home=tmp_path / "home")


@pytest.fixture(scope="module")
def records():
    """A person with at least four settlements (no refunds) in the simulated run, and those settlements."""
    from collections import defaultdict

    by_person = defaultdict(list)
    for r in settlements():
        if r["event_type"] == "settlement":
            by_person[r["person_no"]].append(r)
    person, rs = max(by_person.items(), key=lambda kv: len(kv[1]))
    assert len(rs) >= 4
    return person, rs


def _handler(cfg, person, consent=True):
    from streams.claims import ClaimsHandler

    return ClaimsHandler(cfg, engine(cfg, [person], enrol=False, consent=consent))


def _claims(outs, code="hhb") -> list[dict]:
    return [json.loads(o.value) for o in outs if o.topic == t.insurer_claims(code)]


def _decided(h, code="hhb") -> list[str]:
    """The settlement ids the engine applied for ``code`` (published or not), sorted."""
    return sorted(e.settlement_id for e in h.engine.store.entries(insurer=code) if e.kind == "settlement")


def _quarantined(outs) -> list[dict]:
    return [json.loads(o.value) for o in outs if o.topic == t.QUARANTINE]


def _s(feed, r):
    return feed.msg(t.PLATFORM_SETTLEMENTS, r, r["settlement_id"], r["person_no"])


def _e(feed, r):
    return feed.msg(t.PLATFORM_ENROLMENTS, r, r["event_id"], r.get("person_no"))


def test_a_settlement_sees_the_enrolments_before_it_only(cfg, records):
    person, (s1, s2, s3, *_) = records
    h = _handler(cfg, person)
    feed = Feed()
    outs = run_batch(h, [_s(feed, s1), _e(feed, enrol(person, "shenlife", 7)), _s(feed, s2)])
    assert [c["settlement_id"] for c in _claims(outs, "shenlife")] == [s2["settlement_id"]]
    assert _claims(outs) == [] and _decided(h) == []  # enrolled with shenlife only
    # the next batch still sees it (durable), and a cancel published before s3 stops s3
    outs = run_batch(h, [_e(feed, cancel(person, "shenlife", 8)), _s(feed, s3)])
    assert _claims(outs, "shenlife") == []
    assert _decided(h, "shenlife") == [s2["settlement_id"]]
    assert run_batch.counters.extra["enrolment.cancel"] == 1
    h.close()


def test_a_cancel_stops_later_claims_within_one_batch(cfg, records):
    person, (s1, s2, s3, s4, *_) = records
    h = _handler(cfg, person)
    feed = Feed()
    outs = run_batch(h, [_e(feed, enrol(person)), _e(feed, enrol(person, "shenlife", 7)), _s(feed, s1),
                         _e(feed, cancel(person, "shenlife", 8)), _s(feed, s2)])
    assert [c["settlement_id"] for c in _claims(outs, "shenlife")] == [s1["settlement_id"]]
    # hhb's enrolment is not cancelled by shenlife's cancel (both decided; hhb publishes only what pays)
    assert _decided(h) == sorted([s1["settlement_id"], s2["settlement_id"]])
    assert all(c["total_payable"] > 0 for c in _claims(outs))
    h.close()


def test_enrolled_without_consent_gets_no_claim(cfg, records):
    person, (s1, *_) = records
    h = _handler(cfg, person, consent=False)
    feed = Feed()
    outs = run_batch(h, [_e(feed, enrol(person)), _s(feed, s1)])
    assert _claims(outs) == [] and _quarantined(outs) == [] and _decided(h) == []
    assert h.engine.enrolments.active(person, "hhb", datetime.fromisoformat(s1["event_time"])) is not None
    h.close()


@pytest.mark.parametrize("record, field, rule", [
    # the contract: an enrol without its product (rule enrol-terms), an unknown action, no person
    (lambda p: {k: v for k, v in enrol(p).items() if k != "product_id"}, "product_id", "enrol-terms"),
    (lambda p: enrol(p, action="suspend"), "action", "enum"),
    (lambda p: {k: v for k, v in enrol(p).items() if k != "person_no"}, "person_no", "required"),
    (lambda p: enrol(p, valid_to="2025-06-01T00:00:00+08:00"), "valid_to", "validity-order"),
    # beyond the contract: a product the insurer does not sell, an empty period, an id rebound
    (lambda p: enrol(p, product_id="shenlife-plus"), "product_id", "enrolment-product"),
    (lambda p: enrol(p, valid_to="2026-01-01T00:00:00+08:00"), "event", "enrolment-event"),
    (lambda p: enrol("3100000000000009", n=5, enrolment_id=f"EN-T-hhb-{p}"), "enrolment_id",
     "enrolment-conflict"),
])
def test_a_bad_enrolment_is_quarantined_with_field_and_rule(cfg, records, record, field, rule):
    person, (s1, *_) = records
    h = _handler(cfg, person)
    feed = Feed()
    first = [_e(feed, enrol(person))] if rule == "enrolment-conflict" else []
    bad = record(person)
    outs = run_batch(h, [*first, _e(feed, bad), _s(feed, s1)])
    [q] = _quarantined(outs)
    assert q["source_topic"] == t.PLATFORM_ENROLMENTS and q["source_event_id"] == bad.get("event_id")
    assert (field, rule) in {(v["field"], v["rule"]) for v in q["violations"]}, q["violations"]
    assert person not in json.dumps(q, ensure_ascii=False)  # the reason never shows the person
    # nothing of the bad event took effect
    assert _decided(h) == ([s1["settlement_id"]] if first else [])
    h.close()


def test_redelivered_enrolments_and_settlements_change_nothing(cfg, records):
    from medshare.claims.enrolment import enrolment_table

    person, (s1, s2, *_) = records
    h = _handler(cfg, person)
    feed = Feed()
    e = enrol(person, "shenlife", 7)
    outs = run_batch(h, [_e(feed, e), _s(feed, s1), _e(feed, e)])  # the platform sent it twice
    outs += run_batch(h, [_e(feed, e), _s(feed, s1), _s(feed, s2)])  # and again, with s1 again
    assert [c["settlement_id"] for c in _claims(outs, "shenlife")] == [s1["settlement_id"], s2["settlement_id"]]
    with h.engine.enrolments.engine.connect() as c:
        assert len(c.execute(enrolment_table.select()).fetchall()) == 1
    assert h.engine.enrolments.count() == 1
    h.close()


def test_a_replayed_batch_republishes_even_after_a_cancel(cfg, records):
    """The database committed, the Kafka transaction did not: the same messages come again."""
    person, (s1, *_) = records
    h = _handler(cfg, person)
    feed = Feed()
    batch = [_e(feed, enrol(person, "shenlife", 7)), _s(feed, s1), _e(feed, cancel(person, "shenlife", 8))]
    first = _claims(run_batch(h, batch), "shenlife")
    again = _claims(run_batch(h, batch), "shenlife")  # same offsets: a replay
    assert [c["claim_id"] for c in first] == [c["claim_id"] for c in again] == [f"shenlife-{s1['settlement_id']}"]
    assert first == again  # the stored result, byte for byte
    # met at another position (the platform resent it) after the cancel: nothing
    assert _claims(run_batch(h, [_s(feed, s1)]), "shenlife") == []
    h.close()


def test_file_backfill_rejects_a_rebound_enrolment_id(cfg):
    from medshare.claims.enrolment import EnrolmentRegistry
    from medshare.claims.state import claims_database

    reg = EnrolmentRegistry(claims_database(cfg))
    a = enrol("3100000000000001", n=1, enrolment_id="EN-X")
    b = enrol("3100000000000002", n=2, enrolment_id="EN-X")
    out = reg.apply_many([a, b])
    assert out["applied"] == 1 and out["rejected"] == [("EE-T-hhb-2", "enrolment_id EN-X belongs to another "
                                                                       "person or insurer")]
    assert reg.apply_many([cancel("3100000000000002", n=3, enrolment_id="EN-X")])["rejected"]
    reg.close()
