"""The claim state store: a settlement counts once however often it arrives; a refund reverses it."""

from __future__ import annotations

from test_claims_engine import PRODUCT_YAML, refund, settlement

from medshare.claims.enrolment import EnrolmentRegistry, enrolment_events
from medshare.claims.products import ProductSet, parse_product
from medshare.claims.state import ClaimStore

PRODUCT = parse_product(PRODUCT_YAML, "test-product.yaml")
PRODUCTS = ProductSet([PRODUCT])
KEY = ("hhb", "test-product", "a" * 32, 2026)


def _apply(store, record, source=None):
    b = store.batch()
    if record["event_type"] == "refund":
        app = b.apply_refund(PRODUCTS, record, "hhb", source=source)
    else:
        app = b.apply_settlement(PRODUCT, record, "hhb", "a" * 32, source=source)
    b.commit()
    return app


def test_same_settlement_twice_counts_once(tmp_path):
    store = ClaimStore(f"sqlite:///{tmp_path / 'c.sqlite'}")
    s1 = settlement("S1", "2026-02-01", 1500)
    first = _apply(store, s1, source="platform.settlements.v2:0:10")
    assert first.status == "new" and first.outcome.total == 250_00
    again = _apply(store, s1, source="platform.settlements.v2:0:99")  # the platform sent it twice
    assert again.status == "duplicate"
    replay = _apply(store, s1, source="platform.settlements.v2:0:10")  # the batch is replayed after a crash
    assert replay.status == "replay" and replay.entry.total_payable == 250_00
    store.close()
    reopened = ClaimStore(f"sqlite:///{tmp_path / 'c.sqlite'}")  # survives a restart
    acc = reopened.accumulator(KEY)
    assert acc.deductible_used == 1000_00 and acc.cap_used("in-catalogue") == 250_00
    assert len(reopened.entries()) == 1


def test_duplicate_within_one_batch_counts_once():
    store = ClaimStore.memory()
    b = store.batch()
    s1 = settlement("S1", "2026-02-01", 1500)
    assert b.apply_settlement(PRODUCT, s1, "hhb", "a" * 32, source="t:0:1").status == "new"
    assert b.apply_settlement(PRODUCT, s1, "hhb", "a" * 32, source="t:0:1").status == "duplicate"
    b.commit()
    assert store.accumulator(KEY).deductible_used == 1000_00


def test_refund_reverses_exactly_and_only_once():
    store = ClaimStore.memory()
    _apply(store, settlement("S1", "2026-02-01", 600))
    _apply(store, settlement("S2", "2026-03-01", 3000))  # 400 deductible, 2600*.5 = 1300
    assert store.accumulator(KEY).cap_used("in-catalogue") == 1300_00
    r = _apply(store, refund("R2", "2026-03-05", "S2"))
    assert r.status == "new" and r.outcome.total == -1300_00 and r.entry.reverses == "S2"
    acc = store.accumulator(KEY)
    assert acc.deductible_used == 600_00 and acc.cap_used("in-catalogue") == 0
    assert store.entry("hhb", "S2").reversed_by == "R2"
    # a second refund of the same settlement, and the refund redelivered, change nothing
    assert _apply(store, refund("R2b", "2026-03-06", "S2")).status == "duplicate"
    assert _apply(store, refund("R2", "2026-03-05", "S2")).status == "duplicate"
    assert store.accumulator(KEY).deductible_used == 600_00
    # a refund of a settlement never applied for this insurer: nothing to reverse
    assert _apply(store, refund("R9", "2026-03-06", "S9")).status == "nothing"


def test_refund_in_the_same_batch_as_its_settlement():
    store = ClaimStore.memory()
    b = store.batch()
    b.apply_settlement(PRODUCT, settlement("S1", "2026-02-01", 3000), "hhb", "a" * 32)
    assert b.apply_refund(PRODUCTS, refund("R1", "2026-02-02", "S1"), "hhb").outcome.total == -1000_00
    b.commit()
    assert store.accumulator(KEY).deductible_used == 0
    assert store.entry("hhb", "S1").reversed_by == "R1"


def test_refund_next_year_reverses_the_original_year():
    store = ClaimStore.memory()
    _apply(store, settlement("S1", "2026-12-30", 3000))
    _apply(store, refund("R1", "2027-01-03", "S1"))
    assert store.accumulator(KEY).deductible_used == 0
    assert store.accumulator(("hhb", "test-product", "a" * 32, 2027)).deductible_used == 0


def test_rolled_back_batch_leaves_nothing():
    store = ClaimStore.memory()
    b = store.batch()
    b.apply_settlement(PRODUCT, settlement("S1", "2026-02-01", 3000), "hhb", "a" * 32)
    b.rollback()
    assert store.entries() == [] and store.accumulator(KEY).deductible_used == 0


def test_enrolment_registry(tmp_path):
    from datetime import datetime

    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    reg = EnrolmentRegistry(url)
    events = enrolment_events(["3100000000000001", "3100000000000002"], "hhb", "hhb-huibao", 2026,
                              pre_existing={"3100000000000001": ("C50",)})
    assert reg.apply_many(events) == {"applied": 2, "duplicates": 0, "rejected": []}
    assert reg.apply_many(events)["duplicates"] == 2
    at = datetime.fromisoformat("2026-05-01T10:00:00+08:00")
    e = reg.active("3100000000000001", "hhb", at)
    assert e is not None and e.pre_existing == ("C50",) and e.product_id == "hhb-huibao"
    assert reg.active("3100000000000001", "shenlife", at) is None
    assert reg.active("3100000000000001", "hhb", datetime.fromisoformat("2027-01-01T00:00:00+08:00")) is None
    other = EnrolmentRegistry(url)  # another process's view, caught up by refresh
    reg.apply_many([{"event_id": "X1", "enrolment_id": e.enrolment_id, "action": "cancel",
                     "person_no": e.person_no, "insurer_code": "hhb", "event_time": "2026-04-01T00:00:00+08:00"}])
    assert other.active(e.person_no, "hhb", at) is not None
    other.refresh()
    assert other.active(e.person_no, "hhb", at) is None
    bad = reg.apply_many([{"event_id": "X2", "enrolment_id": "P", "action": "enrol", "person_no": "1",
                           "insurer_code": "hhb", "event_time": "2026-04-01T00:00:00+08:00"}])
    assert bad["applied"] == 0 and "needs product_id" in bad["rejected"][0][1]


def _count_queries(engine):
    from sqlalchemy import event

    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a, **k: seen.append(a[2].split()[0]))
    return seen


def _year_of_settlements(store, prefetch: bool, sources: str):
    """Apply the same year in batches of four, with or without read-ahead; the final state."""
    records = [settlement(f"S{i}", f"2026-{1 + i % 12:02d}-{1 + i % 27:02d}", 300 + 150 * i) for i in range(12)]
    records.insert(6, refund("R3", "2026-06-30", "S3"))
    persons = [("hhb", "test-product", "a" * 32)]
    statuses = []
    for start in range(0, len(records), 4):
        b = store.batch()
        chunk = records[start:start + 4]
        if prefetch:
            b.prefetch([("hhb", r["settlement_id"]) for r in chunk]
                       + [("hhb", r["refund_of"]) for r in chunk if r.get("refund_of")], persons)
        for r in chunk:
            src = f"{sources}:{r['settlement_id']}"
            app = (b.apply_refund(PRODUCTS, r, "hhb", source=src) if r["event_type"] == "refund"
                   else b.apply_settlement(PRODUCT, r, "hhb", "a" * 32, source=src))
            statuses.append((r["settlement_id"], app.status, app.outcome.total if app.outcome else None))
        b.commit()
    acc = store.accumulator(KEY)
    return statuses, (acc.deductible_used, acc.cap_used("in-catalogue"))


def test_prefetch_reads_the_batch_state_at_once_with_the_same_results():
    plain, fetched = ClaimStore.memory(), ClaimStore.memory()
    plain_queries, fetched_queries = _count_queries(plain.engine), _count_queries(fetched.engine)
    assert _year_of_settlements(plain, False, "t:0") == _year_of_settlements(fetched, True, "t:0")
    # four batches: at most one ledger and one accumulator query each (and the final state read),
    # instead of up to two per settlement
    assert fetched_queries.count("SELECT") <= 2 * 4 + 1 < plain_queries.count("SELECT")
    # a replay of the whole year after the commits: everything is a replay, nothing counts twice
    again, state = _year_of_settlements(fetched, True, "t:0")
    assert {s for _, s, _ in again} == {"replay"}
    assert state == _year_of_settlements(plain, False, "t:0")[1]


def test_prefetched_year_without_a_row_starts_empty_and_is_inserted():
    store = ClaimStore.memory()
    _apply(store, settlement("S1", "2025-12-20", 1500))  # last year's row exists, this year's does not
    b = store.batch()
    b.prefetch([("hhb", "S2")], [("hhb", "test-product", "a" * 32)])
    assert b.accumulator(KEY).deductible_used == 0
    assert b.apply_settlement(PRODUCT, settlement("S2", "2026-01-05", 1500), "hhb", "a" * 32).status == "new"
    b.commit()
    assert store.accumulator(KEY).deductible_used == 1000_00
    assert store.accumulator(("hhb", "test-product", "a" * 32, 2025)).deductible_used == 1000_00


def test_background_checkpoints_replace_the_commits_own(tmp_path):
    """The claims processor's store never checkpoints inside a commit; its thread does, and the
    state reads back the same after a restart."""
    import threading
    import time

    path = tmp_path / "c.sqlite"
    store = ClaimStore(f"sqlite:///{path}")
    assert store.checkpoint_in_background(every_s=0.05)
    assert not store.checkpoint_in_background()  # once
    with store.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
    before = path.stat().st_size  # the database file proper; commits go to the WAL beside it
    for i in range(40):
        _apply(store, settlement(f"S{i}", "2026-02-01", 300))
    deadline = time.monotonic() + 5
    while path.stat().st_size == before and time.monotonic() < deadline:
        time.sleep(0.05)  # only a checkpoint copies WAL pages into the file: the thread's
    assert path.stat().st_size > before
    assert any(t.name == "claims-checkpoint" for t in threading.enumerate())
    store.close()
    assert not any(t.name == "claims-checkpoint" for t in threading.enumerate())
    reopened = ClaimStore(f"sqlite:///{path}")
    assert len(reopened.entries()) == 40
    assert reopened.accumulator(KEY).deductible_used == 1000_00
    reopened.close()


def test_no_background_checkpoints_for_an_in_memory_store():
    assert not ClaimStore.memory().checkpoint_in_background()


def test_restore_to_a_savepoint_undoes_exactly_what_came_after():
    """A message that fails half-way is taken out of the batch: staged claims, accumulators,
    reversals, coordination and recorded diagnoses made after the mark are undone; earlier ones stay."""
    from medshare.claims.claimable import from_settlement_v1

    store = ClaimStore.memory()
    b = store.batch()
    s1, s2 = settlement("ST1", "2026-02-01", 1500), settlement("ST2", "2026-03-01", 1500, dx="C50.900")
    b.apply_settlement(PRODUCT, s1, "hhb", "a" * 32)
    b.record_diagnoses("h" * 32, from_settlement_v1(s1))
    mark = b.savepoint()
    acc_before = b.accumulator(KEY)
    b.apply_settlement(PRODUCT, s2, "hhb", "a" * 32)
    b.apply_refund(PRODUCTS, refund("ST9", "2026-03-02", "ST1"), "hhb")
    b.record_diagnoses("h" * 32, from_settlement_v1(s2))
    assert b.accumulator(KEY) != acc_before and b.entry("hhb", "ST1").reversed_by == "ST9"
    b.restore(mark)
    assert b.accumulator(KEY) == acc_before and b.entry("hhb", "ST2") is None
    assert b.entry("hhb", "ST1").reversed_by is None and b.paid_by_others("ST2", "other") == {}
    assert b.history("h" * 32) == (("2026-02-01", "J20.900"),)
    assert b.commit() == 1
    assert [e.settlement_id for e in store.entries()] == ["ST1"]
    assert store.history("h" * 32) == (("2026-02-01", "J20.900"),)
    store.close()


# -- the committed state in memory (ClaimStore.cache_committed_state: the claims processor) ---------

def _batch_of(store, records, sources):
    """One processor-like batch: read ahead, apply, commit; the statuses and totals."""
    b = store.batch()
    b.prefetch([("hhb", r["settlement_id"]) for r in records], [("hhb", "test-product", "a" * 32)])
    out = []
    for r, src in zip(records, sources, strict=True):
        app = b.apply_settlement(PRODUCT, r, "hhb", "a" * 32, source=src)
        out.append((r["settlement_id"], app.status, app.outcome.total if app.outcome else None))
    b.commit()
    return out


def test_cached_state_gives_the_same_claims_with_fewer_reads(tmp_path):
    cached, plain = ClaimStore(f"sqlite:///{tmp_path / 'a.sqlite'}"), ClaimStore(f"sqlite:///{tmp_path / 'b.sqlite'}")
    cached.cache_committed_state()
    cached_q, plain_q = _count_queries(cached.engine), _count_queries(plain.engine)
    records = [settlement(f"S{i}", f"2026-{1 + i:02d}-10", 700 + 200 * i) for i in range(8)]
    for start in range(0, 8, 2):
        chunk = records[start:start + 2]
        srcs = [f"t:0:{start + k}" for k in range(len(chunk))]
        assert _batch_of(cached, chunk, srcs) == _batch_of(plain, chunk, srcs)
    assert cached.accumulator(KEY) == plain.accumulator(KEY)
    assert cached.cache is not None and cached.cache.persons[KEY[:3]][2026] == plain.accumulator(KEY)
    # the accumulators were read once (first batch), then served from memory; the ledger every batch
    assert cached_q.count("SELECT") == 4 + 1 + 1  # ledger × 4, accumulators once, the store.accumulator above
    assert plain_q.count("SELECT") == 4 + 4 + 2


def test_cache_rereads_a_person_found_in_the_ledger(tmp_path):
    """An earlier owner's late commit (or any writer the cache did not see): the settlement is in the
    ledger when this processor meets it, so the person's state is read again, not served stale."""
    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    ours = ClaimStore(url)
    ours.cache_committed_state()
    assert _batch_of(ours, [settlement("S1", "2026-02-01", 1500)], ["t:0:1"])[0][1] == "new"
    other = ClaimStore(url)  # the earlier owner, committing S2 behind our cache
    assert _batch_of(other, [settlement("S2", "2026-03-01", 3000)], ["t:0:2"])[0][1] == "new"
    got = _batch_of(ours, [settlement("S2", "2026-03-01", 3000), settlement("S3", "2026-04-01", 2000)],
                    ["t:0:2", "t:0:3"])
    assert got[0][1] == "replay"
    ref = ClaimStore.memory()  # the same three settlements, one writer, no cache
    for i, (sid, day, amount) in enumerate((("S1", "2026-02-01", 1500), ("S2", "2026-03-01", 3000),
                                            ("S3", "2026-04-01", 2000))):
        want = _batch_of(ref, [settlement(sid, day, amount)], [f"t:0:{i + 1}"])
    assert got[1] == want[0]
    assert ours.accumulator(KEY) == ref.accumulator(KEY)


def test_cache_is_emptied_by_forget_and_by_a_failed_commit(tmp_path):
    import pytest

    store = ClaimStore(f"sqlite:///{tmp_path / 'c.sqlite'}")
    store.cache_committed_state()
    _batch_of(store, [settlement("S1", "2026-02-01", 1500)], ["t:0:1"])
    assert store.cache is not None and store.cache.persons
    store.forget()  # the processor's partitions were assigned again
    assert not store.cache.persons and not store.cache.history
    _batch_of(store, [settlement("S2", "2026-03-01", 1500)], ["t:0:2"])
    assert store.cache.persons
    b = store.batch()
    b.apply_settlement(PRODUCT, settlement("S3", "2026-04-01", 1500), "hhb", "a" * 32, source="t:0:3")
    entry = b._new[("hhb", "S3")]
    entry.settlement_id, entry.claim_id = "S1", "hhb-S1"  # a row the database already has: the commit fails
    with pytest.raises(Exception, match="UNIQUE"):
        b.commit()
    assert not store.cache.persons
    assert store.accumulator(KEY).deductible_used == 1000_00  # nothing of the failed batch was written


def test_cache_limit_empties_it(tmp_path):
    store = ClaimStore(f"sqlite:///{tmp_path / 'c.sqlite'}")
    store.cache_committed_state(limit=1)
    b = store.batch()
    for i, person in enumerate(("a" * 32, "b" * 32)):
        b.apply_settlement(PRODUCT, settlement(f"S{i}", "2026-02-01", 1500), "hhb", person, source=f"t:0:{i}")
    b.prefetch([], [("hhb", "test-product", "a" * 32), ("hhb", "test-product", "b" * 32)])
    b.commit()
    assert store.cache is not None and len(store.cache.persons) <= 2
    b = store.batch()
    b.prefetch([], [("hhb", "test-product", "c" * 32)])
    b.commit()
    assert len(store.cache.persons) == 1  # over the limit: emptied, then this batch's person kept
