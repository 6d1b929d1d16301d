"""Consent registry: grant, revoke, expiry, re-grant, out-of-order events, idempotency, rebuild,
history — and the speed of ``check`` on the router's hot path."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta, timezone

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from typer.testing import CliRunner

from medshare.cli import consent as consent_cli
from privacy.consent import (
    CATEGORIES_NOT_COVERED,
    EXPIRED,
    IN_FORCE,
    NO_CONSENT,
    NOT_YET_VALID,
    REVOKED,
    ConsentEvent,
    ConsentEventError,
    ConsentRegistry,
    ConsentStore,
    consent_events,
)

SH = timezone(timedelta(hours=8))
PERSON = "3100000000012345"
OTHER = "3100000000099999"


def t(day: str, hour: int = 0) -> datetime:
    """A Shanghai time on 2026-MM-DD."""
    return datetime.fromisoformat(f"2026-{day}T{hour:02d}:00:00+08:00")


class Clock:
    """A settable clock: what the registry stamps as applied_at and uses as default 'now'."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now


def grant(cid="C1", eid=None, person=PERSON, insurer="hhb", purpose="claims", cats=("settlement",), **kw):
    return {
        "event_id": eid or f"g-{cid}",
        "consent_id": cid,
        "action": "grant",
        "person_no": person,
        "resident_id": "310101199001011234",
        "insurer_code": insurer,
        "purpose": purpose,
        "data_categories": list(cats),
        "valid_from": kw.get("valid_from", "2026-01-01T00:00:00+08:00"),
        "valid_to": kw.get("valid_to", "2027-01-01T00:00:00+08:00"),
        "channel": kw.get("channel", "随申办"),
        "event_time": kw.get("event_time", "2026-01-01T09:00:00+08:00"),
    }


def revoke(cid="C1", eid=None, person=PERSON, insurer="hhb", purpose="claims", **kw):
    return {
        "event_id": eid or f"r-{cid}",
        "consent_id": cid,
        "action": "revoke",
        "person_no": person,
        "resident_id": "310101199001011234",
        "insurer_code": insurer,
        "purpose": purpose,
        "data_categories": [],
        "valid_from": None,
        "valid_to": None,
        "channel": "随申办",
        "event_time": kw.get("event_time", "2026-06-01T09:00:00+08:00"),
    }


@pytest.fixture
def clock():
    return Clock(t("03-01"))


@pytest.fixture
def reg(clock):
    r = ConsentRegistry.in_memory(clock=clock)
    yield r
    r.close()


def ok(reg, at, person=PERSON, insurer="hhb", purpose="claims", cats=(), now=None):
    return reg.check(person, insurer, purpose, at, cats, now=now)


# --- grant, window, expiry -------------------------------------------------------------------


def test_no_events_no_consent(reg):
    assert ok(reg, t("03-01")) == (False, None, NO_CONSENT)


def test_grant_allows_inside_its_window_only(reg):
    assert reg.apply(grant()).applied == 1
    assert ok(reg, t("03-01")) == (True, "C1", IN_FORCE)
    assert ok(reg, datetime(2026, 1, 1, tzinfo=SH))  # valid_from is inclusive
    assert ok(reg, datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=SH)).reason == NOT_YET_VALID
    # the same instant in another offset is the same instant
    assert ok(reg, datetime(2025, 12, 31, 16, 0, tzinfo=UTC)).allowed


def test_grant_is_exactly_that_person_insurer_and_purpose(reg):
    reg.apply(grant())
    assert ok(reg, t("03-01"), person=OTHER).reason == NO_CONSENT
    assert ok(reg, t("03-01"), insurer="shenlife").reason == NO_CONSENT
    assert ok(reg, t("03-01"), purpose="actuarial").reason == NO_CONSENT


def test_expiry_valid_to_is_exclusive(reg):
    reg.apply(grant(valid_to="2026-07-01T00:00:00+08:00"))
    now = t("06-01")
    assert ok(reg, datetime(2026, 6, 30, 23, 59, 59, 999999, tzinfo=SH), now=now).allowed
    assert ok(reg, t("07-01"), now=now).reason == EXPIRED


def test_expiry_is_judged_at_the_record_time_unless_now_is_given(reg, clock):
    reg.apply(grant(valid_to="2026-07-01T00:00:00+08:00"))
    record_time = t("05-01")
    clock.now = t("08-01")  # the clock does not matter to check(): it is deterministic
    assert ok(reg, record_time).allowed  # a May settlement routed in August: covered
    # strict expiry: with the decision time, an expired consent allows nothing
    assert ok(reg, record_time, now=t("06-30", 23)).allowed
    assert ok(reg, record_time, now=t("07-01")).reason == EXPIRED


def test_categories_must_be_covered(reg):
    reg.apply(grant(cats=("settlement",)))
    assert ok(reg, t("03-01"), cats=("settlement",)).allowed
    assert ok(reg, t("03-01"), cats=("settlement", "emr")).reason == CATEGORIES_NOT_COVERED
    reg.apply(grant("C2", cats=("settlement", "emr")))
    assert ok(reg, t("03-01"), cats=("emr",)) == (True, "C2", IN_FORCE)


def test_naive_times_are_refused(reg):
    reg.apply(grant())
    with pytest.raises(ValueError, match="timezone-aware"):
        ok(reg, datetime(2026, 3, 1))


# --- revoke ---------------------------------------------------------------------------------


def test_revoke_blocks_every_later_check_even_for_earlier_records(reg):
    reg.apply(grant())
    assert ok(reg, t("03-01")).allowed
    # the person revokes on 06-01; the revoke is applied now
    reg.apply(revoke(event_time="2026-06-01T09:00:00+08:00"))
    assert ok(reg, t("03-01")) == (False, None, REVOKED)  # a March settlement routed late: blocked
    assert ok(reg, t("07-01")).reason == REVOKED


def test_regrant_after_revoke_is_a_new_consent(reg):
    reg.apply(grant("C1"))
    reg.apply(revoke("C1"))
    assert not ok(reg, t("08-01"))
    reg.apply(grant("C2", valid_from="2026-07-01T00:00:00+08:00", event_time="2026-07-01T09:00:00+08:00"))
    assert ok(reg, t("08-01")) == (True, "C2", IN_FORCE)
    assert ok(reg, t("03-01")).reason == NOT_YET_VALID  # C1 revoked, C2 not valid yet: closest reason


def test_revoke_before_grant_still_wins(reg):
    """Out of order: the revoke is applied first, its grant later (a tombstone by consent_id)."""
    reg.apply(revoke("C1"))
    assert reg.stats()["tombstones"] == 1
    reg.apply(grant("C1"))
    assert ok(reg, t("03-01")) == (False, None, REVOKED)
    # a grant replayed with a fresh event id cannot resurrect it either
    reg.apply(grant("C1", eid="g-C1-replayed"))
    assert not ok(reg, t("03-01"))


def test_revoke_leaves_other_consents_alone(reg):
    reg.apply(grant("C1"))
    reg.apply(grant("C2", insurer="shenlife"))
    reg.apply(grant("C3", purpose="actuarial"))
    reg.apply(revoke("C1"))
    assert not ok(reg, t("03-01"))
    assert ok(reg, t("03-01"), insurer="shenlife").consent_id == "C2"
    assert ok(reg, t("03-01"), purpose="actuarial").consent_id == "C3"


# --- idempotency, amendments, rejections ------------------------------------------------------


def test_applying_the_same_event_twice_changes_nothing(reg):
    first = reg.apply(grant())
    before = (reg.store.count(), reg.stats(), ok(reg, t("03-01")))
    again = reg.apply(grant())
    assert (first.applied, first.duplicates) == (1, 0)
    assert (again.applied, again.duplicates) == (0, 1)
    assert (reg.store.count(), reg.stats(), ok(reg, t("03-01"))) == before
    # also inside one batch, and after a revoke: the re-sent grant stays a duplicate
    res = reg.apply_many([revoke(), revoke(), grant()])
    assert (res.applied, res.duplicates) == (1, 2)
    assert not ok(reg, t("03-01"))


def test_a_grant_for_a_known_consent_id_amends_its_terms(reg):
    reg.apply(grant(valid_to="2026-07-01T00:00:00+08:00"))
    reg.apply(grant(eid="g-C1-extended", valid_to="2027-07-01T00:00:00+08:00"))
    assert ok(reg, t("12-01"), now=t("12-01")).allowed
    assert reg.stats()["consents"] == 1


def test_a_grant_may_not_move_a_consent_to_another_person(reg):
    reg.apply(grant())
    res = reg.apply(grant(eid="g-C1-b", person=OTHER))
    assert res.applied == 0 and "belongs to" in res.rejected[0][1]
    assert not ok(reg, t("03-01"), person=OTHER)
    res = reg.apply_many([grant("C9"), grant("C9", eid="g-C9-b", insurer="shenlife")])  # within a batch
    assert res.applied == 1 and res.rejected[0][0] == "g-C9-b"


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda e: e.update(valid_to=None), "valid_from and valid_to"),
        (lambda e: e.update(valid_to="2025-01-01T00:00:00+08:00"), "valid_to must be after"),
        (lambda e: e.update(data_categories=[]), "data category"),
        (lambda e: e.update(data_categories=["genome"]), "data_categories"),
        (lambda e: e.update(action="pause"), "action"),
        (lambda e: e.update(purpose="marketing"), "purpose"),
        (lambda e: e.update(event_time="2026-01-01T09:00:00"), "timezone"),
        (lambda e: e.update(insurer_code="HHB!"), "insurer_code"),
        (lambda e: e.pop("person_no"), "person_no"),
        (lambda e: e.update(event_id=""), "event_id"),
    ],
)
def test_invalid_events_are_rejected_not_stored(reg, mutate, fragment):
    e = grant()
    mutate(e)
    res = reg.apply(e)
    assert res.applied == 0 and len(res.rejected) == 1
    assert fragment in res.rejected[0][1]
    assert reg.store.count() == 0
    with pytest.raises(ConsentEventError):
        ConsentEvent.parse(e)


def test_resident_id_is_neither_stored_nor_indexed(reg):
    reg.apply(grant())
    assert "resident_id" not in consent_events.c
    with reg.store.engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(select(consent_events))]
    assert rows and not any("310101199001011234" in str(v) for row in rows for v in row)
    assert "resident_id" not in ConsentEvent.model_fields


# --- the store: rebuild, refresh, batches ------------------------------------------------------


def _grid(reg, now):
    people = [PERSON, OTHER]
    times = [t("01-01"), t("03-01"), t("06-15"), t("09-01"), t("12-31", 23)]
    return [
        tuple(reg.check(p, i, pu, at, c, now=now))
        for p in people
        for i in ("hhb", "shenlife")
        for pu in ("claims", "actuarial")
        for at in times
        for c in ((), ("settlement",), ("emr",))
    ]


SCENARIO = [
    grant("C1"),
    grant("C2", insurer="shenlife", cats=("settlement", "emr"), valid_to="2026-09-01T00:00:00+08:00"),
    revoke("C1"),
    grant("C3", valid_from="2026-06-01T00:00:00+08:00"),
    revoke("C4", person=OTHER),
    grant("C4", person=OTHER),
    grant("C5", person=OTHER, purpose="actuarial"),
    grant("C3", eid="g-C3-amend", valid_to="2026-12-01T00:00:00+08:00"),
]


def test_rebuild_from_the_store_gives_the_same_answers(tmp_path, clock):
    url = f"sqlite:///{tmp_path / 'state' / 'state.sqlite'}"
    live = ConsentRegistry.open(url, clock=clock)
    for e in SCENARIO:  # one at a time, as a stream would
        live.apply(e)
        clock.advance(seconds=1)
    expected = _grid(live, now=t("07-01"))
    assert live.rebuild() == len(SCENARIO)
    assert _grid(live, now=t("07-01")) == expected
    live.close()
    reopened = ConsentRegistry.open(url)  # a new process: index folded from the file at start
    assert _grid(reopened, now=t("07-01")) == expected
    assert reopened.stats() == {"consents": 5, "keys": 4, "tombstones": 2, "last_seq": len(SCENARIO)}
    reopened.close()


def test_another_process_catches_up_with_refresh(tmp_path, clock):
    url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    writer, router = ConsentRegistry.open(url, clock=clock), ConsentRegistry.open(url, clock=clock)
    writer.apply(grant())
    assert not ok(router, t("03-01"))  # not yet folded
    assert router.refresh() == 1 and ok(router, t("03-01")).allowed
    writer.apply(revoke())
    router.refresh()
    assert ok(router, t("03-01")).reason == REVOKED
    assert router.refresh() == 0
    writer.close()
    router.close()


def test_apply_many_is_one_transaction_with_one_application_time(reg, clock):
    res = reg.apply_many(SCENARIO)
    assert (res.applied, res.duplicates, res.rejected) == (len(SCENARIO), 0, [])
    events = reg.history(PERSON)
    assert {e.applied_at for e in events} == {clock.now}
    assert [e.seq for e in events] == sorted(e.seq for e in events)


def test_apply_many_writes_nothing_if_the_store_fails(reg, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def boom(*a, **k):
        raise OperationalError("insert", {}, Exception("disk full"))

    monkeypatch.setattr(reg.store, "_append", boom)
    with pytest.raises(OperationalError):
        reg.apply_many([grant("C1"), grant("C2")])
    assert reg.store.count() == 0 and not ok(reg, t("03-01"))


# --- history --------------------------------------------------------------------------------


def test_history_lists_events_in_application_order_with_both_times(reg, clock):
    reg.apply(revoke("C1"))  # out of order on purpose
    clock.advance(minutes=5)
    reg.apply(grant("C1"))
    clock.advance(minutes=5)
    reg.apply(grant("C2", insurer="shenlife"))
    reg.apply(grant("C9", person=OTHER))
    events = reg.history(PERSON)
    assert [(e.action, e.consent_id) for e in events] == [("revoke", "C1"), ("grant", "C1"), ("grant", "C2")]
    assert events[0].applied_at < events[1].applied_at
    assert events[0].event_time == t("06-01", 9) and events[1].event_time == t("01-01", 9)
    assert [e.consent_id for e in reg.history(PERSON, "shenlife")] == ["C2"]
    summary = {c.consent_id: c.status for c in reg.consents(PERSON)}
    assert summary == {"C1": "revoked", "C2": "granted"}


def test_in_force_at_answers_what_consent_covered_a_disclosure(reg, clock):
    clock.now = t("03-01", 10)
    reg.apply(grant("C1"))  # applied 03-01 10:00
    clock.now = t("06-02", 10)
    reg.apply(revoke("C1", event_time="2026-06-01T09:00:00+08:00"))  # revoked 06-01, applied 06-02
    clock.now = t("06-10")
    reg.apply(grant("C2", valid_from="2026-06-10T00:00:00+08:00", event_time="2026-06-10T00:00:00+08:00"))

    assert reg.in_force_at(PERSON, "hhb", "claims", t("02-01")) == []  # grant not applied yet
    during = reg.in_force_at(PERSON, "hhb", "claims", t("04-01"))
    assert [c.consent_id for c in during] == ["C1"]
    assert during[0].grant_applied_at == t("03-01", 10) and during[0].channel == "随申办"
    # a disclosure in the revocation lag: the person had revoked, the registry did not know yet
    lag = reg.in_force_at(PERSON, "hhb", "claims", t("06-01", 20))
    assert [c.consent_id for c in lag] == ["C1"]
    assert lag[0].revoked_at == t("06-01", 9) < t("06-01", 20) < lag[0].revoke_applied_at == t("06-02", 10)
    assert reg.in_force_at(PERSON, "hhb", "claims", t("06-05")) == []
    assert [c.consent_id for c in reg.in_force_at(PERSON, "hhb", "claims", t("07-01"))] == ["C2"]
    # with the disclosed record's own time and categories, exactly as check() decided
    assert reg.in_force_at(PERSON, "hhb", "claims", t("07-01"), record_time=t("05-01")) == []
    assert reg.in_force_at(PERSON, "hhb", "claims", t("07-01"), categories=("emr",)) == []


def test_in_force_at_replays_check(reg, clock):
    """in_force_at(at) agrees with what check() said when called at that moment."""
    said = []
    for e in SCENARIO:
        clock.advance(hours=1)
        reg.apply(e)
        clock.advance(hours=1)
        for person in (PERSON, OTHER):
            d = reg.check(person, "hhb", "claims", t("06-15"))
            said.append((clock.now, person, d.consent_id))
    for when, person, consent_id in said:
        replay = reg.in_force_at(person, "hhb", "claims", when, record_time=t("06-15"))
        assert consent_id in {c.consent_id for c in replay} if consent_id else replay == [], (when, person)


# --- property: whatever the interleaving, grant + revoke ends "not allowed" -------------------

_noise = st.lists(
    st.sampled_from(
        [
            grant("N1", person=OTHER),
            grant("N2", insurer="shenlife"),
            revoke("N3"),
            grant("N4", purpose="actuarial"),
        ]
    ),
    max_size=4,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    order=st.permutations(["grant", "revoke"]),
    dup_grant=st.booleans(),
    dup_revoke=st.booleans(),
    noise=_noise,
    split=st.integers(min_value=0, max_value=8),
    at_day=st.integers(min_value=0, max_value=364),
)
def test_any_interleaving_of_grant_and_revoke_ends_not_allowed(
    order, dup_grant, dup_revoke, noise, split, at_day
):
    clock = Clock(t("03-01"))
    events = {"grant": [grant("P1")], "revoke": [revoke("P1")]}
    if dup_grant:
        events["grant"].append(grant("P1", eid="g-P1-resent"))
    if dup_revoke:
        events["revoke"].append(revoke("P1"))  # same event id: a duplicate delivery
    stream = [e for kind in order for e in events[kind]]
    stream[1:1] = noise
    at = t("01-01") + timedelta(days=at_day)
    with ConsentRegistry.in_memory(clock=clock) as reg:
        reg.apply_many(stream[:split])  # part in one batch, the rest one by one
        for e in stream[split:]:
            clock.advance(seconds=1)
            reg.apply(e)
        d = reg.check(PERSON, "hhb", "claims", at, now=t("03-02"))
        assert not d.allowed and d.consent_id != "P1"
        reg.rebuild()
        assert not reg.check(PERSON, "hhb", "claims", at, now=t("03-02")).allowed




# --- a real Postgres, when one is configured ----------------------------------------------------


@pytest.mark.integration
@pytest.mark.skipif(
    not os.environ.get("MEDSHARE_TEST_POSTGRES_URL"), reason="MEDSHARE_TEST_POSTGRES_URL not set"
)
def test_postgres_store_round_trip(clock):
    store = ConsentStore(os.environ["MEDSHARE_TEST_POSTGRES_URL"])
    with store.engine.begin() as conn:
        conn.execute(consent_events.delete())
    reg = ConsentRegistry(store, clock=clock)
    reg.apply_many(SCENARIO)
    assert reg.apply_many(SCENARIO).duplicates == len(SCENARIO)
    expected = _grid(reg, now=t("07-01"))
    fresh = ConsentRegistry.open(os.environ["MEDSHARE_TEST_POSTGRES_URL"], clock=clock)
    assert _grid(fresh, now=t("07-01")) == expected
    fresh.close()
    reg.close()


@pytest.mark.integration
@pytest.mark.skipif(
    not os.environ.get("MEDSHARE_TEST_POSTGRES_URL"), reason="MEDSHARE_TEST_POSTGRES_URL not set"
)
def test_postgres_an_incremental_fold_can_step_over_a_late_commit_and_rebuild_finds_it(clock):
    """Why the stream processors rebuild their registries after a rebalance (streams.runtime).

    Two writers: the first takes sequence number n and commits after the second committed n+1. A
    reader folding "seq > last seen" in between moves past n and never sees it; a rebuild does.
    """
    from privacy.consent import _row

    url = os.environ["MEDSHARE_TEST_POSTGRES_URL"]
    store = ConsentStore(url)
    with store.engine.begin() as conn:
        conn.execute(consent_events.delete())
    reader = ConsentRegistry(ConsentStore(url), clock=clock)
    late, early = (ConsentEvent.parse(grant(cid, person=p)) for cid, p in (("C-LATE", PERSON), ("C-EARLY", OTHER)))
    slow = store.engine.connect()
    tx = slow.begin()
    slow.execute(consent_events.insert(), [_row(late, 1)])  # takes its sequence number now
    with store.engine.begin() as conn:
        conn.execute(consent_events.insert(), [_row(early, 2)])
    reader.refresh()
    tx.commit()
    slow.close()
    reader.refresh()
    at = t("06-01")
    assert reader.check(OTHER, "hhb", "claims", at, ("settlement",), now=at).allowed
    assert not reader.check(PERSON, "hhb", "claims", at, ("settlement",), now=at).allowed  # stepped over
    reader.rebuild()
    assert reader.check(PERSON, "hhb", "claims", at, ("settlement",), now=at).allowed
    reader.close()
    store.close()


# --- CLI ------------------------------------------------------------------------------------


@pytest.fixture
def cli():
    app = typer.Typer()
    consent_cli.register(app)
    app.command("noop")(lambda: None)
    return app


def test_cli_load_check_history(cli, tmp_path):
    db = f"sqlite:///{tmp_path / 'state.sqlite'}"
    events = tmp_path / "consents.jsonl"
    events.write_text(
        "\n".join(json.dumps(e, ensure_ascii=False) for e in [grant(), revoke(), grant("C2")]) + "\n"
    )
    runner = CliRunner()
    res = runner.invoke(cli, ["consent", "load", str(events), "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["applied"] == 3
    res = runner.invoke(cli, ["consent", "load", str(events), "--db", db, "--json"])
    assert json.loads(res.stdout)["duplicates"] == 3
    args = ["consent", "check", PERSON, "hhb", "claims", "--at", "2026-03-01T10:00:00", "--now", "2026-03-02"]
    res = runner.invoke(cli, [*args, "--db", db, "--json"])
    assert json.loads(res.stdout)["consent_id"] == "C2"
    res = runner.invoke(cli, [*args, "-c", "emr", "--db", db])
    assert res.stdout.strip() == "denied: categories-not-covered"
    res = runner.invoke(cli, ["consent", "history", PERSON, "--db", db, "--json"])
    hist = json.loads(res.stdout)
    assert [e["action"] for e in hist["events"]] == ["grant", "revoke", "grant"]
    assert {c["consent_id"]: c["status"] for c in hist["consents"]} == {"C1": "revoked", "C2": "granted"}


def test_cli_user_errors(cli, tmp_path):
    from medshare.errors import UserError

    db = f"sqlite:///{tmp_path / 'state.sqlite'}"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"event_id": "x"}\nnot json\n')
    runner = CliRunner()
    for args, fragment in [
        (["consent", "load", str(bad), "--db", db], "2 event(s)"),
        (["consent", "load", str(tmp_path / "missing.jsonl"), "--db", db], "no such file"),
        (["consent", "check", PERSON, "hhb", "fun", "--db", db], "purpose 'fun'"),
        (["consent", "check", PERSON, "hhb", "claims", "--at", "yesterday", "--db", db], "--at 'yesterday'"),
    ]:
        res = runner.invoke(cli, args)
        assert isinstance(res.exception, UserError), (args, res.output)
        assert fragment in str(res.exception) and "\n" not in str(res.exception)


# --- answers as of a record's publish time (stream processors; issue #16) ---------------------


def test_asof_counts_only_events_published_at_or_before_the_record():
    """grant published at 100, revoke at 300: a record published at 200 is allowed whatever the
    store already holds (the revocation stored ahead by consent-sync, or by a crashed batch)."""
    reg = ConsentRegistry.in_memory()
    reg.apply_many([grant(), revoke()], [100, 300])
    at = t("03-01")
    assert reg.check(PERSON, "hhb", "claims", at, asof_us=50).reason == NO_CONSENT  # not granted yet
    assert reg.check(PERSON, "hhb", "claims", at, asof_us=100).allowed  # a tie counts
    assert reg.check(PERSON, "hhb", "claims", at, asof_us=299).allowed
    assert reg.check(PERSON, "hhb", "claims", at, asof_us=300).reason == REVOKED
    assert reg.check(PERSON, "hhb", "claims", at).reason == REVOKED  # no asof: every applied event counts


def test_asof_a_revoke_applied_before_its_grant_still_wins_from_its_publish_time():
    reg = ConsentRegistry.in_memory()
    reg.apply(revoke(), published_us=300)
    reg.apply(grant(), published_us=100)
    assert reg.check(PERSON, "hhb", "claims", t("03-01"), asof_us=200).allowed
    assert reg.check(PERSON, "hhb", "claims", t("03-01"), asof_us=300).reason == REVOKED


def test_asof_an_amendment_applies_from_its_publish_time():
    """The terms in force when the record was published decide, also after a later amendment."""
    reg = ConsentRegistry.in_memory()
    reg.apply(grant(), published_us=100)
    reg.apply(grant(eid="g-C1-amend", cats=("settlement", "emr")), published_us=500)
    at, cats = t("03-01"), ("emr",)
    assert reg.check(PERSON, "hhb", "claims", at, cats, asof_us=200).reason == CATEGORIES_NOT_COVERED
    assert reg.check(PERSON, "hhb", "claims", at, cats, asof_us=500).allowed
    assert reg.check(PERSON, "hhb", "claims", at, cats).allowed


def test_asof_events_without_a_publish_time_count_for_every_record():
    """Applied from a file (no topic): a grant counts for every record, a revocation stops every one."""
    reg = ConsentRegistry.in_memory()
    reg.apply(grant())
    assert reg.check(PERSON, "hhb", "claims", t("03-01"), asof_us=1).allowed
    reg.apply(revoke())
    assert reg.check(PERSON, "hhb", "claims", t("03-01"), asof_us=1).reason == REVOKED


def test_asof_survives_a_rebuild_from_the_log(tmp_path):
    url = f"sqlite:///{tmp_path}/c.sqlite"
    with ConsentRegistry.open(url) as reg:
        reg.apply_many([grant(), revoke()], [100, 300])
    with ConsentRegistry.open(url) as again:
        assert again.check(PERSON, "hhb", "claims", t("03-01"), asof_us=200).allowed
        assert again.check(PERSON, "hhb", "claims", t("03-01"), asof_us=300).reason == REVOKED


def test_a_store_from_before_publish_times_gains_the_column(tmp_path):
    """A state database created before ``published_us`` existed is migrated in place."""
    import sqlite3

    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.execute("""CREATE TABLE consent_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, event_id VARCHAR(128)
        NOT NULL UNIQUE, consent_id VARCHAR(128) NOT NULL, action VARCHAR(8) NOT NULL, person_no VARCHAR(64)
        NOT NULL, insurer_code VARCHAR(16) NOT NULL, purpose VARCHAR(16) NOT NULL, data_categories VARCHAR(64)
        NOT NULL, valid_from_us BIGINT, valid_to_us BIGINT, channel VARCHAR(32), event_time_us BIGINT NOT NULL,
        applied_at_us BIGINT NOT NULL)""")
    con.commit()
    con.close()
    with ConsentRegistry.open(f"sqlite:///{path}") as reg:
        reg.apply(grant(), published_us=100)
        assert reg.check(PERSON, "hhb", "claims", t("03-01"), asof_us=100).allowed
