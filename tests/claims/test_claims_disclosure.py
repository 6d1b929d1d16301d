"""Which claims leave: every claim to a ``detail`` grant, only what pays to a ``result`` grant.

hhb's claims grant is ``result`` (主动赔, rules inside): a zero claim would tell hhb that the person
was treated, and where their deductible stands, without paying anything (PIPL Art. 6, minimum
necessary), so it is decided and kept in the ledger but neither published nor logged as a
disclosure. A claim that pays is published with its audit event, and so is the reversal (2208) of
a claim hhb received; the reversal of a claim it never received is applied (the deductible comes
back) and kept, unpublished. shenlife's grant is ``detail`` (直赔): it receives every claim, zero
ones too. A replayed batch republishes exactly what the first run published, nothing more.
"""

from __future__ import annotations

import json

import pytest
from claims_helpers import Feed, crafted, engine, fee, revocation, run_batch, settlements

from medshare import topics as t


@pytest.fixture
def cfg(tmp_path):
    from medshare.config import Settings

    return Settings(home=tmp_path / "home")


@pytest.fixture(scope="module")
def person_records():
    """One simulated person's first settlement (pays nothing under either product's deductible)
    and two hand-made inpatient stays of that person that cross both deductibles."""
    rs = [r for r in settlements() if r["event_type"] == "settlement"]
    small = rs[0]
    bed = fee("001202000010000", "特需病房床位费", "01", "03", 50, 600.0, True)
    op = fee("003310050080000", "腹腔镜胆囊切除术", "06", "01", 1, 2100.0, False)
    big = crafted(small, "ST2026061500000902", "2026-06-15", "21", "H31010110021", "K80.200", [bed, op], 2100.0)
    bed2 = fee("001202000010000", "特需病房床位费", "01", "03", 5, 600.0, True)
    more = crafted(small, "ST2026062000000903", "2026-06-20", "21", "H31010110021", "K80.200", [bed2], 0.0)
    return small, big, more


def _out(outs, topic):
    return [json.loads(o.value) for o in outs if o.topic == topic]


def _results(outs, code):
    return _out(outs, t.insurer_claims(code))


def _audits(outs, code):
    return [a for a in _out(outs, t.AUDIT) if a["insurer"] == code]


def _handler(cfg, person):
    from streams.claims import ClaimsHandler

    return ClaimsHandler(cfg, engine(cfg, [person]))


def _s(feed, r):
    return feed.msg(t.PLATFORM_SETTLEMENTS, r, r["settlement_id"], r["person_no"])


def test_the_modes_of_the_demo_grants():
    from privacy.agreements import load_agreements

    a = load_agreements()
    assert a.grant("hhb", "claims", t.PLATFORM_SETTLEMENTS).mode == "result"
    assert a.grant("shenlife", "claims", t.PLATFORM_SETTLEMENTS).mode == "detail"


def test_a_zero_claim_is_kept_but_not_disclosed_to_a_result_grant(cfg, person_records):
    small, _, _ = person_records
    h = _handler(cfg, small["person_no"])
    feed = Feed()
    outs = run_batch(h, [_s(feed, small)])
    counters = run_batch.counters.extra
    sid = small["settlement_id"]
    # hhb: decided (in the ledger, with its explanation), nothing published, nothing logged
    entry = h.engine.store.entry("hhb", sid)
    assert entry is not None and entry.total_payable == 0 and entry.explanation
    assert entry.result is None and entry.audit is None
    assert _results(outs, "hhb") == [] and _audits(outs, "hhb") == []
    assert counters["claims.withheld.hhb"] == 1 and "disclosed.hhb" not in counters
    assert "hhb" not in h.consents_relied
    # shenlife (detail): the zero claim is published with its audit event
    [r] = _results(outs, "shenlife")
    assert r["settlement_id"] == sid and r["total_payable"] == 0
    [a] = _audits(outs, "shenlife")
    assert a["record_id"] == r["claim_id"] and a["kind"] == "claim-result"
    # a replay of the batch (same input positions) publishes exactly that again: nothing for hhb
    again = run_batch(h, [Feed().msg(t.PLATFORM_SETTLEMENTS, small, sid, small["person_no"])])
    assert _results(again, "hhb") == [] and _results(again, "shenlife") == [r]
    h.close()


def test_a_paying_claim_and_its_reversal_are_disclosed(cfg, person_records):
    small, big, _ = person_records
    h = _handler(cfg, small["person_no"])
    feed = Feed()
    outs = run_batch(h, [_s(feed, small), _s(feed, big)])
    [r] = _results(outs, "hhb")
    assert r["settlement_id"] == big["settlement_id"] and r["total_payable"] == 12600.0  # (30000 - 12000) x 0.7
    [a] = _audits(outs, "hhb")
    assert a["record_id"] == r["claim_id"] and a["total_payable"] == 12600.0 and a["mode"] == "result"
    refund = revocation(big)
    back = run_batch(h, [_s(feed, refund)])
    [rr] = _results(back, "hhb")
    assert rr["event_type"] == "refund" and rr["reverses"] == big["settlement_id"] and rr["total_payable"] == -12600.0
    assert len(_audits(back, "hhb")) == 1
    h.close()


def test_a_reversal_reports_the_deductible_of_the_enrolments_plan(cfg, person_records):
    """The refund result's deductible and caps are those of the plan the reversed claim was computed
    under (here 新市民: a 20,000 inpatient deductible, not the standard 12,000)."""
    from medshare.claims.enrolment import enrolment_events

    small, big, _ = person_records
    h = ClaimsHandler_for(cfg, small["person_no"])
    events = enrolment_events([small["person_no"]], "hhb", "hhb-huibao", 2026)
    events[0]["plan"] = "new-citizen"
    h.engine.enrolments.apply_many(events)
    feed = Feed()
    [r] = _results(run_batch(h, [_s(feed, big)]), "hhb")
    assert r["total_payable"] == 7000.0  # (30,000 - 20,000) x 0.7
    assert r["deductible"] == {"amount": 20000.0, "used": 20000.0, "remaining": 0.0}
    [rr] = _results(run_batch(h, [_s(feed, revocation(big))]), "hhb")
    assert rr["total_payable"] == -7000.0
    assert rr["deductible"] == {"amount": 20000.0, "used": 0.0, "remaining": 20000.0}
    assert rr["caps"] == {k: {**v, "used": 0.0, "remaining": v["cap"]} for k, v in r["caps"].items()}
    h.close()


def ClaimsHandler_for(cfg, person):  # noqa: N802 - reads as the handler it builds
    """A handler whose person consents to both insurers and is enrolled with shenlife only."""
    from medshare.claims.enrolment import enrolment_events
    from streams.claims import ClaimsHandler

    h = ClaimsHandler(cfg, engine(cfg, [person], enrol=False))
    h.engine.enrolments.apply_many(enrolment_events([person], "shenlife", "shenlife-plus", 2026))
    return h


def test_the_reversal_of_an_undisclosed_claim_is_applied_but_not_disclosed(cfg, person_records):
    from medshare.claims.products import load_products

    small, big, more = person_records
    h = _handler(cfg, small["person_no"])
    feed = Feed()
    # `more` alone (3,000 of 自费) pays nothing under hhb: it only takes from the deductible
    outs = run_batch(h, [_s(feed, more)])
    assert _results(outs, "hhb") == []
    entry = h.engine.store.entry("hhb", more["settlement_id"])
    product = load_products().version(entry.product_id, entry.product_version)
    duty = next(d.id for d in product.duties if d.deductible)
    used = lambda: h.engine.store.accumulator(entry.key).ded_used(duty)  # noqa: E731
    assert used() == 300000  # 3,000 元 of the 12,000 deductible, in 分
    back = run_batch(h, [_s(feed, revocation(more))])
    assert _results(back, "hhb") == [] and _audits(back, "hhb") == []
    assert h.engine.store.entry("hhb", more["settlement_id"] + "-R").total_payable == 0
    assert used() == 0  # the deductible came back all the same
    # so the big stay then pays on the full deductible: (30,000 - 12,000) x 0.7
    [r] = _results(run_batch(h, [_s(feed, big)]), "hhb")
    assert r["total_payable"] == 12600.0
    # shenlife (detail) received the claim and its reversal
    assert [x["settlement_id"] for x in _results(outs + back, "shenlife")] == [
        more["settlement_id"], more["settlement_id"] + "-R"]
    h.close()
