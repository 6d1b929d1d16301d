"""The disclosure log: append, idempotency, the hash chain, tamper detection, queries, leak refusal."""

from __future__ import annotations

import json
import shutil
from datetime import datetime

import pytest
from audit_helpers import PERSON_A, PERSON_B, RESIDENT_A, record_event, release_event, sql, swap_entries
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.formats import resident_id_check_char
from privacy.agreements import SHANGHAI
from privacy.audit import GENESIS, AuditRejected, AuditStore, canonical, chain_hash, parse_event

VALID_ID = "31010419800101001" + resident_id_check_char("31010419800101001")


@pytest.fixture
def store_path(tmp_path):
    """A file store with 6 entries and its checkpoint; the store is closed so tests may tamper."""
    path = tmp_path / "audit.sqlite"
    with AuditStore(f"sqlite:///{path}", checkpoint=tmp_path / "audit.head.json") as store:
        store.append([record_event(i) for i in range(1, 4)])
        store.append([record_event(i, person_ref=PERSON_B, resident_ref=None) for i in range(4, 6)])
        store.append([release_event(1)])
    return path


def reopen(path, checkpoint=None):
    return AuditStore(f"sqlite:///{path}", checkpoint=checkpoint)


# --- append and the chain ---------------------------------------------------------------------------


def test_entries_are_numbered_and_chained():
    store = AuditStore.memory()
    events = [record_event(i) for i in range(5)]
    result = store.append(events)
    assert (result.appended, result.duplicates, result.head_seq) == (5, 0, 5)
    entries = store.entries()
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    prev = GENESIS
    for e, ev in zip(entries, events, strict=True):
        assert e.prev_hash == prev
        assert e.entry_hash == chain_hash(prev, canonical(ev))
        assert e.event == ev
        prev = e.entry_hash
    assert store.head() == (5, prev) and result.head_hash == prev
    assert store.verify().ok


def test_canonical_form_is_sorted_compact_utf8():
    assert canonical({"b": 1, "a": "保"}) == '{"a":"保","b":1}'.encode()


def test_redelivered_events_are_not_appended_twice():
    store = AuditStore.memory()
    events = [record_event(i) for i in range(3)]
    store.append(events)
    again = store.append([*events, record_event(3), record_event(3)])
    assert (again.appended, again.duplicates, again.conflicts) == (1, 4, [])  # 3 redelivered, 1 twice in the batch
    assert store.count() == 4
    changed = {**events[0], "disclosed_at": "2026-03-05T11:00:00+08:00"}
    conflict = store.append([changed])
    assert conflict.appended == 0 and conflict.conflicts == [events[0]["audit_id"]]
    assert store.entries()[0].event == events[0], "the first version stays"
    assert store.verify().ok


def test_empty_store_verifies():
    result = AuditStore.memory().verify()
    assert result.ok and result.entries == 0 and result.head_hash == GENESIS


def test_checkpoint_follows_the_head(store_path, tmp_path):
    cp = json.loads((tmp_path / "audit.head.json").read_text())
    with reopen(store_path) as store:
        assert (cp["seq"], cp["entry_hash"]) == store.head()
        assert store.verify(checkpoint=tmp_path / "audit.head.json").ok


def test_two_stores_on_one_database_share_one_chain(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.sqlite'}"
    a, b = AuditStore(url), AuditStore(url)
    for i in range(0, 20, 2):
        a.append([record_event(i)])
        b.append([record_event(i + 1), record_event(i)])
    assert a.count() == 20 and [e.seq for e in b.entries()] == list(range(1, 21))
    assert a.verify().ok


def _append_from_another_process(args):
    url, k = args
    with AuditStore(url) as store:
        for j in range(20):
            store.append([record_event(k * 100_000 + j * 5 + i) for i in range(5)] + [record_event(j)])


def test_concurrent_writers_never_fork_the_chain(tmp_path):
    """Several sink instances append to one database at once: one chain, each audit id once."""
    import multiprocessing

    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    AuditStore(url).close()
    with multiprocessing.get_context("fork").Pool(4) as pool:
        pool.map(_append_from_another_process, [(url, k) for k in range(1, 5)])
    with AuditStore(url) as store:
        assert store.count() == 4 * 20 * 5 + 20
        assert store.verify().ok


# --- tamper detection: each names the entry ----------------------------------------------------------


def _first(path, checkpoint=None):
    with reopen(path) as store:
        result = store.verify(checkpoint=checkpoint)
    assert not result.ok
    return result.first


def test_verify_passes_on_the_untouched_store(store_path, tmp_path):
    with reopen(store_path) as store:
        result = store.verify(checkpoint=tmp_path / "audit.head.json")
    assert result.ok and result.entries == 6 and result.problems == []


def test_edited_event_is_detected(store_path):
    with reopen(store_path) as store:
        event = store.entries()[2].event
    event["insurer"] = "shenlife"
    sql(store_path, ("update audit_log set event = ? where seq = 3", (canonical(event).decode(),)))
    p = _first(store_path)
    assert (p.seq, p.kind) == (3, "altered") and "#3" in p.message


def test_edited_column_is_detected(store_path):
    """A query column that no longer matches the hashed event (e.g. to hide a disclosure)."""
    sql(store_path, ("update audit_log set consent_id = 'CS9999' where seq = 2", ()))
    p = _first(store_path)
    assert (p.seq, p.kind) == (2, "altered") and "consent_id" in p.message


def test_rehashed_edit_is_detected_at_the_next_entry(store_path):
    """Recomputing the edited entry's own hash does not help: the next entry no longer follows it."""
    with reopen(store_path) as store:
        e = store.entries()[2]
    event = {**e.event, "fields": {"settlement_id": "plain"}}
    body = canonical(event).decode()
    sql(store_path, ("update audit_log set event = ?, fields = ?, entry_hash = ? where seq = 3",
                     (body, json.dumps(event["fields"]), chain_hash(e.prev_hash, body.encode()))))
    p = _first(store_path)
    assert (p.seq, p.kind) == (4, "chain-break") and "#3" in p.message


def test_removed_entry_is_detected(store_path):
    sql(store_path, ("delete from audit_log where seq = 3", ()))
    p = _first(store_path)
    assert (p.seq, p.kind) == (4, "removed") and "#3 missing" in p.message


def test_removed_and_renumbered_entry_is_detected(store_path):
    sql(store_path, ("delete from audit_log where seq = 3", ()),
        ("update audit_log set seq = seq - 1 where seq > 3", ()),
        ("update audit_head set seq = seq - 1", ()))
    p = _first(store_path)
    assert (p.seq, p.kind) == (3, "chain-break")


def test_swapped_entries_are_detected(store_path):
    swap_entries(store_path, 2, 4)
    p = _first(store_path)
    assert (p.seq, p.kind) == (2, "chain-break") and "#2" in p.message


def test_adjacent_swap_is_detected(store_path):
    swap_entries(store_path, 5, 6)
    assert _first(store_path).seq == 5


def test_cut_off_tail_is_detected_by_the_head_row(store_path):
    sql(store_path, ("delete from audit_log where seq = 6", ()))
    p = _first(store_path)
    assert p.kind == "truncated" and "#6" in p.message


def test_cut_off_tail_with_rewound_head_is_detected_by_the_checkpoint(store_path, tmp_path):
    with reopen(store_path) as store:
        e5 = store.entries()[4]
    sql(store_path, ("delete from audit_log where seq = 6", ()),
        ("update audit_head set seq = 5, entry_hash = ?", (e5.entry_hash,)))
    p = _first(store_path, checkpoint=None)
    assert (p.seq, p.kind) == (6, "truncated") and "Merkle tree holds 6 leaves" in p.message
    # cutting the tree rows as well leaves nothing in the store itself to notice it ...
    sql(store_path, ("delete from audit_tree where (idx + 1) * (1 << level) > 5", ()))
    with reopen(store_path) as store:
        assert store.verify(checkpoint=None).ok, "without a checkpoint or tree head this is undetectable (documented)"
    # ... but the checkpoint outside the database still says more
    p = _first(store_path, checkpoint=tmp_path / "audit.head.json")
    assert (p.seq, p.kind) == (6, "truncated")


def test_tampered_copy_fails_while_the_original_passes(store_path, tmp_path):
    copy = tmp_path / "copy.sqlite"
    shutil.copy(store_path, copy)
    swap_entries(copy, 1, 2)
    assert _first(copy).seq == 1
    with reopen(store_path) as store:
        assert store.verify().ok


@pytest.fixture(scope="module")
def hypo_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("hypo") / "audit.sqlite"
    with AuditStore(f"sqlite:///{path}") as store:
        store.append([record_event(i) for i in range(4)] + [release_event(1)])
        originals = {e.seq: e.event for e in store.entries()}
    return path, {seq: canonical(ev) for seq, ev in originals.items()}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_single_byte_change_to_a_stored_event_is_detected(hypo_store, data):
    path, bodies = hypo_store
    seq = data.draw(st.sampled_from(sorted(bodies)))
    body = bodies[seq]
    pos = data.draw(st.integers(0, len(body) - 1))
    new = data.draw(st.integers(0, 255).filter(lambda b: b != body[pos]))
    changed = body[:pos] + bytes([new]) + body[pos + 1:]
    try:
        stored: str | bytes = changed.decode("utf-8")
    except UnicodeDecodeError:
        stored = changed  # kept as a BLOB: what a byte-level edit of the file can leave
    sql(path, ("update audit_log set event = ? where seq = ?", (stored, seq)))
    try:
        with reopen(path) as store:
            result = store.verify()
        assert not result.ok and result.first.seq == seq and result.first.kind == "altered"
    finally:
        sql(path, ("update audit_log set event = ? where seq = ?", (body.decode("utf-8"), seq)))


# --- validation and the leak guard -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "rule", "fragment"),
    [
        ({"resident_id": VALID_ID}, "leak-guard", "resident_id"),
        ({"name": "张三"}, "leak-guard", "name"),
        ({"note": f"身份证{VALID_ID}"}, "leak-guard", "note:resident_id"),
        ({"fields": {"phone": "13812345678"}}, "leak-guard", "fields.phone:mobile"),
        ({"record_id": VALID_ID}, "leak-guard", "record_id:resident_id"),
        ({"person_ref": "3100000000012345"}, "audit-schema", "person_ref"),
        ({"kind": "other"}, "audit-schema", "kind"),
        ({"disclosed_at": "2026-03-05T10:21:07"}, "audit-schema", "disclosed_at"),
        ({"consent_id": None}, "audit-schema", "consent_id"),
        ({"record_id": None}, "audit-schema", "record_id"),
    ],
)
def test_bad_events_are_refused(change, rule, fragment):
    event = {**record_event(1), **change}
    with pytest.raises(AuditRejected) as exc:
        parse_event(event)
    assert exc.value.rule == rule and fragment in str(exc.value)
    assert VALID_ID not in str(exc.value) and "13812345678" not in str(exc.value)
    store = AuditStore.memory()
    with pytest.raises(AuditRejected):
        store.append([record_event(0), event])
    assert store.count() == 0, "one bad event refuses the whole call"


def test_release_rules():
    parse_event(release_event(1))
    with pytest.raises(AuditRejected, match="release_id"):
        parse_event({**release_event(1), "release_id": None})
    with pytest.raises(AuditRejected, match="names no person"):
        parse_event({**release_event(1), "person_ref": PERSON_A})


def test_not_json_is_refused():
    with pytest.raises(AuditRejected) as exc:
        parse_event(b"{not json")
    assert exc.value.rule == "json"
    with pytest.raises(AuditRejected):
        parse_event(b"[1, 2]")


# --- queries ---------------------------------------------------------------------------------------


def test_by_person_links_note_disclosures_through_person_ref():
    store = AuditStore.memory()
    store.append([
        record_event(1),                                                   # A's settlement: both refs
        record_event(2, source="platform.emr-notes.v1", resident_ref=None),  # A's note: person_ref only
        record_event(3, person_ref=PERSON_B, resident_ref="d" * 32),       # someone else
        release_event(1),
    ])
    by_resident = store.by_person(resident_ref=RESIDENT_A)
    assert [e.record_id for e in by_resident] == ["ST2026030500000001", "ST2026030500000002"]
    assert [e.seq for e in store.by_person(person_ref=PERSON_A)] == [1, 2]
    assert [e.seq for e in store.by_person(person_ref=PERSON_B)] == [3]
    assert store.by_person(resident_ref="e" * 32) == []
    with pytest.raises(ValueError):
        store.by_person()


def test_by_insurer_with_time_window():
    store = AuditStore.memory()
    store.append([
        record_event(1, disclosed_at="2026-03-01T00:00:00+08:00"),
        record_event(2, disclosed_at="2026-03-10T12:00:00+08:00"),
        record_event(3, disclosed_at="2026-03-31T16:30:00Z"),  # 2026-04-01 00:30 in Shanghai
        record_event(4, insurer="shenlife"),
        release_event(1),
    ])
    t = lambda s: datetime.fromisoformat(s).replace(tzinfo=SHANGHAI)  # noqa: E731
    assert [e.seq for e in store.by_insurer("hhb")] == [1, 2, 3, 5]
    window = store.by_insurer("hhb", since=t("2026-03-01T00:00:00"), until=t("2026-04-01T00:00:00"))
    assert [e.seq for e in window] == [1, 2, 5]  # the release went out on 2026-03-06
    assert [e.seq for e in store.by_insurer("hhb", since=t("2026-04-01T00:00:00"))] == [3]
    assert [e.seq for e in store.by_insurer("shenlife")] == [4]
    on_event = store.by_insurer("hhb", since=t("2026-03-05T00:00:00"), until=t("2026-03-06T00:00:00"), on="event")
    assert [e.seq for e in on_event] == [1, 2, 3], "a release has no event time"


def test_by_consent():
    store = AuditStore.memory()
    store.append([record_event(1, consent_id="CS1"), record_event(2, consent_id="CS2"),
                  record_event(3, consent_id="CS1")])
    assert [e.seq for e in store.by_consent("CS1")] == [1, 3]
    assert store.by_consent("CS3") == []


def test_claim_result_events_are_accepted_like_record_disclosures():
    """The claims engine's results (only the result leaves) are logged with the same rules as records."""
    from privacy.audit import AuditRejected, parse_event

    base = {"audit_id": "a-claim-1", "kind": "claim-result", "disclosed_at": "2026-03-05T10:00:00+08:00",
            "insurer": "hhb", "purpose": "claims", "basis": "consent", "dataset": "insurer.hhb.claims.v1",
            "record_id": "ST2026030500000001", "person_ref": "a" * 32, "consent_id": "CS1"}
    model, _ = parse_event(base)
    assert model.kind == "claim-result"
    with pytest.raises(AuditRejected):
        parse_event({k: v for k, v in base.items() if k != "person_ref"})
