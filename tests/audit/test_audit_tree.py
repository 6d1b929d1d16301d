"""The disclosure log's Merkle tree and signed tree heads: proofs from the store, signing, and tampering.

Every tampering kind — edit, delete, swap, truncate, insert, a forged tail with a valid hash and
the head row moved, a truncated tail with the head rewound and the checkpoint rewritten — makes
``verify`` fail; the kinds a thorough attacker can hide from the store itself (by recomputing the
chain, the head row, the tree, the checkpoint, and deleting the tree heads kept in the store) are
caught by the tree heads published outside it (``tree_heads=``, what ``audit verify`` reads back
from ``governance.audit-tree-heads.v1``). Tampering is done in SQL on the file, as someone with
file access would.
"""

from __future__ import annotations

import json
import stat

import pytest
from audit_helpers import insert_entry, record_event, release_event, reseal, sql, swap_entries
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from privacy import merkle
from privacy.audit import AuditStore, canonical
from privacy.audit_tree import TreeHeadSigner

KEY = Ed25519PrivateKey.generate()
PUB = merkle.TreeHead.sign(KEY, 1, bytes(32), 0).public_key
T0 = 1_796_000_000_000  # ms; tree heads in these tests are signed at T0, T0 + 1 min, ...
MIN = 60_000


def events(n: int, start: int = 0) -> list[dict]:
    return [record_event(i) for i in range(start, start + n)]


@pytest.fixture
def log(tmp_path):
    """A file store of 6 entries signed at sizes 3 (T0) and 6 (T0 + 1 min); the heads as published."""
    path, cp = tmp_path / "audit.sqlite", tmp_path / "audit.head.json"
    with AuditStore(f"sqlite:///{path}", checkpoint=cp) as store:
        store.append(events(3))
        store.sign_tree_head(KEY, now_ms=T0)
        store.append(events(2, 3))
        store.append([release_event(1)])
        store.sign_tree_head(KEY, now_ms=T0 + MIN)
        published = [merkle.TreeHead.from_json(th.as_json(), source="topic") for th in store.tree_heads()]
    return path, cp, published


def check(path, cp=None, published=(), now_ms=T0 + 2 * MIN - 1, **kw):
    """verify as `audit verify` runs it (pinned key), just within two minutes of the last head by default."""
    with AuditStore(f"sqlite:///{path}") as store:
        return store.verify(checkpoint=cp, tree_heads=published, public_key=PUB, now_ms=now_ms, **kw)


def kinds(result) -> set[str]:
    return {p.kind for p in result.problems}


# --- proofs from the store ----------------------------------------------------------------------


def test_proofs_match_the_rfc_recursion_over_the_stored_bytes():
    store = AuditStore.memory()
    evs = events(40) + [release_event(1)]
    for i in range(0, len(evs), 7):
        store.append(evs[i:i + 7])
    bodies = [canonical(e) for e in evs]
    assert store.tree_size() == 41 and store.root_hash() == merkle.mth(bodies)
    for size in (1, 2, 7, 8, 9, 40, 41):
        assert store.root_hash(size) == merkle.mth(bodies[:size])
    for i in (0, 1, 6, 31, 32, 40):
        p = store.proof_for(evs[i]["audit_id"])
        assert (p.leaf_index, p.tree_size, p.leaf_input) == (i, 41, bodies[i])
        p.verify()
        q = store.proof_for(evs[i]["audit_id"], tree_size=i + 1)
        assert q.root_hash == merkle.mth(bodies[:i + 1])
        q.verify()
    for first in (1, 5, 16, 41):
        c = store.consistency(first, 41)
        assert (c.first_root, c.second_root) == (merkle.mth(bodies[:first]), merkle.mth(bodies))
        c.verify()


def test_proof_defaults_to_the_newest_signed_tree_that_covers_the_entry():
    store = AuditStore.memory()
    store.append(events(5))
    th = store.sign_tree_head(KEY, now_ms=T0)
    store.append(events(3, 5))
    covered = store.proof_for(record_event(2)["audit_id"])
    assert covered.tree_size == 5 and covered.root_hash == th.root_hash and covered.signed == th
    newer = store.proof_for(record_event(6)["audit_id"])
    assert newer.tree_size == 8 and newer.signed is None, "not signed yet: proved against the whole tree"


def test_proofs_that_cannot_be_given_say_why(log):
    path, _, _ = log
    with AuditStore(f"sqlite:///{path}") as store:
        with pytest.raises(merkle.ProofError, match="no entry with audit id 'nope'"):
            store.proof_for("nope")
        with pytest.raises(merkle.ProofError, match="not in a tree of size 2"):
            store.proof_for(record_event(4)["audit_id"], tree_size=2)
        with pytest.raises(merkle.ProofError, match="out of range"):
            store.consistency(2, 7)
        with pytest.raises(merkle.ProofError, match="0 < FIRST <= SECOND"):
            store.consistency(0, 3)
    event = record_event(1)
    event["purpose"] = "marketing"
    sql(path, ("update audit_log set event = ? where seq = 2", (canonical(event).decode(),)))
    with AuditStore(f"sqlite:///{path}") as store, pytest.raises(merkle.ProofError, match="altered after"):
        store.proof_for(record_event(1)["audit_id"])


def test_a_store_from_before_the_tree_gets_the_same_tree(log):
    path, _, _ = log
    with AuditStore(f"sqlite:///{path}") as store:
        root = store.root_hash()
    sql(path, ("drop table audit_tree", ()))
    with AuditStore(f"sqlite:///{path}") as store:
        assert store.tree_size() == 0
        assert store.root_hash() == root and store.tree_size() == 6
        store.append(events(1, 100))
        assert store.tree_size() == 7


# --- signing ------------------------------------------------------------------------------------


def test_signing_key_is_a_0600_pipeline_secret_made_once(tmp_path, monkeypatch):
    from medshare.config import reload_settings
    from privacy import audit_tree

    monkeypatch.setenv("MEDSHARE_HOME", str(tmp_path / "home"))
    cfg = reload_settings()
    try:
        assert audit_tree.public_key(cfg) is None, "no key until the signer makes one"
        raw = audit_tree.public_key(cfg, create=True)
        path = cfg.pipeline_dir / "audit-log-signing.key"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(path.read_bytes()) == 32
        assert audit_tree.public_key(cfg) == raw and len(raw) == 32
        assert audit_tree.parse_public_key(audit_tree.public_key_pem(raw)) == raw
    finally:
        monkeypatch.undo()
        reload_settings()


def test_the_signer_signs_once_a_minute_while_entries_arrive_and_when_it_stops():
    store = AuditStore.memory()
    signer = TreeHeadSigner(store, key=KEY, tick_s=0, publish_to_topic=False)
    assert signer.maybe_sign(now_ms=T0) is None, "an empty log is not signed"
    store.append(events(2))
    assert signer.maybe_sign(now_ms=T0).tree_size == 2, "the first batch: no head yet"
    store.append(events(2, 2))
    assert signer.maybe_sign(now_ms=T0 + MIN - 1) is None, "the newest head is not a minute old"
    assert signer.maybe_sign(now_ms=T0 + MIN).tree_size == 4
    assert signer.maybe_sign(now_ms=T0 + 5 * MIN) is None, "nothing new: nothing to sign"
    store.append(events(1, 4))
    signer.close()
    assert [th.tree_size for th in store.tree_heads()] == [2, 4, 5], "stopping signs the tail"
    for th in store.tree_heads():
        th.verify(PUB)
    assert len(store.unpublished_tree_heads()) == 3, "not published (publish_to_topic=False)"


def test_the_signer_refuses_to_sign_a_rewritten_or_cut_history(log):
    path, cp, _ = log
    event = record_event(1)
    event["consent_id"] = "CS9999"
    sql(path, ("update audit_log set event = ?, consent_id = 'CS9999' where seq = 2", (canonical(event).decode(),)))
    reseal(path, cp, keep_tree_heads=True)
    with AuditStore(f"sqlite:///{path}") as store:
        with pytest.raises(merkle.ProofError, match="no longer have the root this key signed"):
            store.sign_tree_head(KEY)
        signer = TreeHeadSigner(store, key=KEY, tick_s=0, publish_to_topic=False)
        store.append(events(1, 50))
        assert signer.maybe_sign(force=True) is None and signer.refused == 1
        assert "rewritten" in signer.last_refusal
    sql(path, ("delete from audit_log where seq > 4", ()))
    reseal(path, cp, keep_tree_heads=True)
    with AuditStore(f"sqlite:///{path}") as store, pytest.raises(merkle.ProofError, match="cut off"):
        store.sign_tree_head(KEY)


# --- verification: the untouched log, and every tampering kind ---------------------------------------


def test_untouched_log_verifies_against_its_heads(log):
    path, cp, published = log
    result = check(path, cp, published)
    assert result.ok, result.problems
    assert result.tree["valid"] == 2 and result.tree["from"] == {"store": 2, "topic": 2, "other": 0}
    assert result.tree["signed_size"] == 6 and result.tree["tree_size"] == 6


def _edit(path):
    event = json.loads(sql_one(path, "select event from audit_log where seq = 2"))
    event["fields"] = {"settlement_id": "plain"}  # hide that the resident ID was disclosed (column too)
    sql(path, ("update audit_log set event = ?, fields = ? where seq = 2",
               (canonical(event).decode(), json.dumps(event["fields"], sort_keys=True))))


def sql_one(path, query):
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return con.execute(query).fetchone()[0]
    finally:
        con.close()


TAMPERING = {
    "edit": _edit,
    "delete": lambda p: sql(p, ("delete from audit_log where seq = 2", ())),
    "swap": lambda p: swap_entries(p, 2, 5),
    "truncate": lambda p: sql(p, ("delete from audit_log where seq > 4", ())),
    "insert": lambda p: insert_entry(p, 3, record_event(777)),
}


@pytest.mark.parametrize("kind", sorted(TAMPERING))
def test_each_tampering_kind_fails_verify(log, kind):
    path, cp, _ = log
    TAMPERING[kind](path)
    result = check(path, cp)
    assert not result.ok
    expected = {"edit": "altered", "delete": "removed", "swap": "chain-break", "truncate": "truncated",
                "insert": "chain-break"}[kind]
    assert result.first.kind == expected, result.problems
    if kind != "truncate":
        assert "tree-head-mismatch" in kinds(result), "the stored tree heads catch it as well"


@pytest.mark.parametrize("kind", sorted(TAMPERING))
def test_each_tampering_kind_hidden_from_the_store_is_caught_by_the_published_heads(log, kind):
    """The attacker also reseals: chain, head row, tree, checkpoint recomputed, stored heads deleted."""
    path, cp, published = log
    TAMPERING[kind](path)
    reseal(path, cp)
    hidden = check(path, cp)
    assert hidden.ok, f"nothing in the store shows {kind} any more (documented): {hidden.problems}"
    result = check(path, cp, published)
    assert not result.ok
    if kind == "truncate":
        assert result.first.kind == "truncated" and "#5..#6 were cut off" in result.first.message
    else:
        assert result.first.kind == "tree-head-mismatch", result.problems
        # edits at entry 2 (or 3): the head of size 3 no longer matches, so the change is placed in #1..#3
        assert "between #1 and #3" in result.first.message


def test_forged_tail_with_a_valid_hash_and_the_head_moved(log):
    """An entry appended by hand, its chain hash, head row, tree and checkpoint all made right."""
    path, cp, published = log
    insert_entry(path, 7, record_event(888))
    reseal(path, cp, keep_tree_heads=True)
    # within the signing interval the sink may simply not have signed it yet: not a problem ...
    assert check(path, cp, published, now_ms=T0 + MIN + 30_000).ok
    # ... but the sink signs new entries within a minute: past that, an entry no head covers is one
    result = check(path, cp, published, now_ms=T0 + 4 * MIN)
    assert not result.ok and result.first.kind == "unsigned" and result.first.seq == 7
    assert "#7..#7 are covered by no tree head" in result.first.message


def _published_events(n: int = 5) -> dict[str, bytes]:
    """What governance.audit.v1 holds for the ``log`` fixture: the events the sink appended."""
    evs = [*events(n), release_event(1)]
    return {e["audit_id"]: canonical(e) for e in evs}


def test_forged_tail_later_signed_by_the_sink_is_caught_against_the_audit_topic(log):
    """The forged entry is laundered: a running sink signs a tree head over it (it trusts its
    store). Only the disclosure events published on governance.audit.v1 show it was never disclosed."""
    path, cp, published = log
    assert check(path, cp, published, published_events=_published_events()).ok
    insert_entry(path, 7, record_event(888))
    reseal(path, cp, keep_tree_heads=True)
    with AuditStore(f"sqlite:///{path}", checkpoint=cp) as store:  # the sink's next tree head covers it
        store.sign_tree_head(KEY, now_ms=T0 + 2 * MIN)
        laundered = [merkle.TreeHead.from_json(th.as_json(), source="topic") for th in store.tree_heads()]
    assert check(path, cp, laundered, now_ms=T0 + 3 * MIN).ok, "the heads alone cannot see it"
    result = check(path, cp, laundered, now_ms=T0 + 3 * MIN, published_events=_published_events())
    assert not result.ok and result.first.kind == "unpublished" and result.first.seq == 7
    assert result.tree["published_not_stored"] == 0


def test_an_entry_that_differs_from_its_published_event_is_caught_even_resealed(log):
    path, cp, published = log
    _edit(path)
    reseal(path, cp)
    result = check(path, cp, published_events=_published_events())
    assert not result.ok and {"altered"} <= kinds(result)


def test_published_events_not_yet_stored_are_counted_not_failed(log):
    path, cp, published = log
    extra = {**_published_events(), **{e["audit_id"]: canonical(e) for e in events(2, 100)}}
    result = check(path, cp, published, published_events=extra)
    assert result.ok and result.tree["published_not_stored"] == 2


def test_truncated_tail_with_rewound_head_and_rewritten_checkpoint(log):
    """The last entries deleted, the head row rewound, the checkpoint rewritten (and the tree cut)."""
    path, cp, published = log
    sql(path, ("delete from audit_log where seq > 4", ()))
    reseal(path, cp, keep_tree_heads=True)
    result = check(path, cp)
    assert not result.ok and result.first.kind == "truncated", "the tree head kept in the store catches it"
    assert "signed the log at 6 entries, but it has only 4" in result.first.message
    # with the stored heads deleted too, only the published copies still know
    sql(path, ("delete from audit_sth", ()))
    assert check(path, cp).ok
    result = check(path, cp, published)
    assert not result.ok and result.first.kind == "truncated"


def test_forged_or_foreign_tree_heads(log):
    path, cp, published = log
    other = Ed25519PrivateKey.generate()
    with AuditStore(f"sqlite:///{path}") as store:
        root = store.root_hash()
    stranger = merkle.TreeHead.sign(other, 6, root, T0 + MIN)
    result = check(path, cp, [*published, stranger])
    assert not result.ok and result.first.kind == "tree-head-signature" and "another key" in result.first.message
    # without a pinned key: heads under two keys cannot both be the log's
    with AuditStore(f"sqlite:///{path}") as store:
        result = store.verify(tree_heads=[*published, stranger], now_ms=T0 + MIN)
    assert "tree-head-key" in kinds(result)
    # a head with a signature that does not verify
    j = published[-1].as_json()
    bad = merkle.TreeHead.from_json({**j, "signature": merkle.TreeHead.sign(KEY, 5, root, 1).as_json()["signature"]})
    assert "tree-head-signature" in kinds(check(path, cp, [bad]))
    # the log's own key signing two roots for one size: a fork
    fork = merkle.TreeHead.sign(KEY, 6, merkle.leaf_hash(b"another history"), T0 + MIN + 1)
    result = check(path, cp, [*published, fork])
    assert {"tree-head-fork", "tree-head-mismatch"} <= kinds(result)


def test_tree_rows_changed_alone_are_found(log):
    path, cp, published = log
    sql(path, ("update audit_tree set hash = ? where level = 1 and idx = 0", (bytes(32),)))
    result = check(path, cp, published)
    assert not result.ok and result.first.kind == "tree" and "node over entries #1..#2" in result.first.message
