"""Consent events: grants and revokes per insurer and purpose, mostly before the care they cover."""

from __future__ import annotations

from collections import Counter, defaultdict

from sim_helpers import Run, simulate

from medshare.simulate.consents import CHANNELS
from medshare.simulate.run import SimConfig
from medshare.topics import PLATFORM_CONSENTS, PLATFORM_SETTLEMENTS


def test_consent_records(small_run: Run) -> None:
    consents = [e.record for e in small_run.of(PLATFORM_CONSENTS, valid=True)]
    assert consents
    for c in consents:
        assert c["insurer_code"] in small_run.cfg.insurers
        assert c["purpose"] in ("claims", "actuarial")
        assert c["channel"] in CHANNELS
        assert c["valid_from"] < c["valid_to"]
        assert set(c["data_categories"]) <= {"settlement", "emr"} and c["data_categories"]
        if c["purpose"] == "actuarial":
            assert c["data_categories"] == ["settlement"]
    actions = Counter(c["action"] for c in consents)
    assert actions["grant"] > actions["revoke"] > 0


def test_consenting_persons_per_insurer(small_run: Run) -> None:
    grants = [e.record for e in small_run.of(PLATFORM_CONSENTS, valid=True) if e.record["action"] == "grant"]
    counted: dict[str, Counter] = defaultdict(Counter)
    for g in grants:
        counted[g["insurer_code"]][g["purpose"]] += 1
    summary = small_run.summary["consents"]["consenting_persons"]
    assert {i: dict(c) for i, c in counted.items()} == summary
    persons = small_run.cfg.persons
    assert 0.3 * persons < summary["hhb"]["claims"] < 0.5 * persons
    assert summary["hhb"]["claims"] > summary["shenlife"]["claims"] > 0
    both = defaultdict(set)
    for g in grants:
        both[g["person_no"]].add((g["insurer_code"], g["purpose"]))
    assert any({("hhb", "claims"), ("shenlife", "claims")} <= s for s in both.values())
    # at most one grant per person, insurer and purpose
    assert len({(g["person_no"], g["insurer_code"], g["purpose"]) for g in grants}) == len(grants)


def test_revokes_follow_grants_except_the_flagged_ones() -> None:
    run = simulate(SimConfig(persons=4000, days=20, seed=21, malformed_rate=0.0))
    order = {}
    grants, revokes = {}, {}
    for n, ev in enumerate(run.of(PLATFORM_CONSENTS)):
        rec = ev.record
        order[(rec["consent_id"], rec["action"])] = n
        (grants if rec["action"] == "grant" else revokes)[rec["consent_id"]] = rec
    assert revokes and set(revokes) <= set(grants), "a revoke names the grant it revokes"
    flagged = set(run.summary["consents"]["out_of_order_consent_ids"])
    assert flagged and run.summary["consents"]["out_of_order"] == len(flagged)
    for cid, revoke in revokes.items():
        grant = grants[cid]
        assert grant["event_time"] < revoke["event_time"], "in event time the grant comes first"
        assert (grant["insurer_code"], grant["purpose"], grant["person_no"]) == \
            (revoke["insurer_code"], revoke["purpose"], revoke["person_no"])
        published_late = order[(cid, "grant")] > order[(cid, "revoke")]
        assert published_late == (cid in flagged)


def _iso(setl_time: str) -> str:
    """The interface's ``yyyy-MM-dd HH:mm:ss`` (China Standard Time) as the other topics write times."""
    return setl_time.replace(" ", "T") + "+08:00"


def test_consent_usually_precedes_later_settlements(small_run: Run) -> None:
    first_grant: dict[str, str] = {}
    for ev in small_run.of(PLATFORM_CONSENTS, valid=True):
        rec = ev.record
        if rec["action"] == "grant" and rec["purpose"] == "claims":
            first_grant.setdefault(rec["person_no"], rec["event_time"])
    settled = [e.record for e in small_run.of(PLATFORM_SETTLEMENTS, valid=True) if "revoke" not in e.record]
    covered = [r for r in settled if r["psn_no"] in first_grant]
    assert covered
    after = sum(_iso(r["setl_time"]) > first_grant[r["psn_no"]] for r in covered)
    assert after / len(covered) > 0.6
    # most first-day grants are made in the early morning, before the first settlement of the run
    first_settlement = min(_iso(r["setl_time"]) for r in settled)
    day0 = [t for t in first_grant.values() if t[:10] == first_settlement[:10]]
    assert sum(t < first_settlement for t in day0) > 0.8 * len(day0)
