"""The disclosure log's Merkle tree and signed tree heads: storage, signing key, publication.

The entries of the audit store (:mod:`privacy.audit`) are the leaves of an RFC 9162 Merkle tree
(:mod:`privacy.merkle`): leaf ``n`` (from 0) is entry ``seq = n + 1`` and its *entry bytes* are the
entry's canonical JSON exactly as stored. Two tables sit beside ``audit_log``:

``audit_tree``  (level, idx, hash): every perfect subtree's hash, written in the append transaction
                (level 0 is the leaf hashes). About 2n rows; a proof reads O(log n) of them.
``audit_sth``   every signed tree head (tree size, root, timestamp in ms, Ed25519 signature, the
                public key) and when it was published to ``governance.audit-tree-heads.v1``.

The signing key is the pipeline secret ``pipeline/audit-log-signing.key`` (32 random bytes, 0600,
created once by :func:`privacy.keys.pipeline_secret`): an Ed25519 private key is exactly a 32-byte
seed (RFC 8032 §5.1.5). The audit sink signs (:class:`TreeHeadSigner`); ``medshare audit
public-key`` exports the public half for third parties.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    and_,
    func,
    or_,
    select,
    update,
)

from privacy import merkle

if TYPE_CHECKING:
    from medshare.config import Settings

log = logging.getLogger("medshare.audit.tree")

#: the pipeline secret that is the log's Ed25519 signing key
SIGNING_KEY_NAME = "audit-log-signing"
#: the sink signs a tree head at least this often while entries arrive
TREE_HEAD_INTERVAL_S = 60.0
#: ``audit verify`` reports entries no tree head covers once the newest head is older than this
MAX_UNSIGNED_AGE_S = 120.0

_IDX = BigInteger().with_variant(Integer, "sqlite")
tree_metadata = MetaData()

audit_tree = Table(
    "audit_tree",
    tree_metadata,
    Column("level", SmallInteger, primary_key=True, autoincrement=False),
    Column("idx", _IDX, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(32), nullable=False),
)

audit_sth = Table(
    "audit_sth",
    tree_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tree_size", BigInteger, nullable=False),
    Column("root_hash", String(64), nullable=False),
    Column("timestamp_ms", BigInteger, nullable=False),
    Column("signature", String(128), nullable=False),
    Column("public_key", String(64), nullable=False),
    #: when it was acknowledged by the broker on the tree-heads topic (None: not yet)
    Column("published_us", BigInteger),
)
Index("ix_audit_sth_size", audit_sth.c.tree_size)


# --- the tree in the database -------------------------------------------------------------------


def stored_size(conn: Connection) -> int:
    """How many leaves the stored tree has."""
    top = conn.execute(select(func.max(audit_tree.c.idx)).where(audit_tree.c.level == 0)).scalar()
    return 0 if top is None else int(top) + 1


def fetch_nodes(conn: Connection, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    by_level: dict[int, list[int]] = {}
    for level, idx in keys:
        by_level.setdefault(level, []).append(idx)
    if not by_level:
        return {}
    cond = or_(*(and_(audit_tree.c.level == lv, audit_tree.c.idx.in_(sorted(ix))) for lv, ix in by_level.items()))
    return {(lv, ix): bytes(h) for lv, ix, h in conn.execute(select(audit_tree.c.level, audit_tree.c.idx,
                                                                    audit_tree.c.hash).where(cond))}


def with_nodes(conn: Connection, fn: Callable[[merkle.NodeGetter], Any]) -> Any:
    """Run ``fn(get)`` on the stored tree, fetching the nodes it needs in one query."""
    nodes = fetch_nodes(conn, merkle.nodes_needed(fn))

    def get(level: int, idx: int) -> bytes:
        try:
            return nodes[(level, idx)]
        except KeyError:
            raise merkle.ProofError(f"the stored tree lacks node (level {level}, index {idx})") from None

    return fn(get)


def root_at(conn: Connection, size: int) -> bytes:
    """MTH of the first ``size`` leaves, from the stored tree."""
    return with_nodes(conn, lambda get: merkle.subtree_root(0, size, get))


def extend(conn: Connection, size: int, leaves: Iterable[bytes]) -> merkle.TreeBuilder:
    """Add leaf hashes after the ``size`` already stored, writing every node they complete."""
    builder = with_nodes(conn, lambda get: merkle.TreeBuilder.resume(size, get))
    rows = [{"level": lv, "idx": ix, "hash": h} for leaf in leaves for lv, ix, h in builder.append(leaf)]
    for i in range(0, len(rows), 2000):
        conn.execute(audit_tree.insert(), rows[i:i + 2000])
    return builder


# --- proofs as printed -------------------------------------------------------------------------


@dataclass(frozen=True)
class InclusionProof:
    """One entry's RFC 9162 inclusion proof; :meth:`as_json` is what ``medshare audit prove --json`` prints.

    ``signed`` is the stored tree head of this size and root, when there is one (not in the JSON:
    a verifier takes the tree head from ``medshare audit sth`` or the topic, not from the prover).
    """

    audit_id: str
    leaf_index: int
    tree_size: int
    leaf_input: bytes
    audit_path: list[bytes]
    root_hash: bytes
    signed: merkle.TreeHead | None = None

    def as_json(self) -> dict[str, Any]:
        return {"audit_id": self.audit_id, "leaf_index": self.leaf_index, "tree_size": self.tree_size,
                "leaf_input": base64.b64encode(self.leaf_input).decode("ascii"),
                "audit_path": [h.hex() for h in self.audit_path], "root_hash": self.root_hash.hex()}

    def verify(self) -> None:
        merkle.verify_inclusion(self.leaf_index, self.tree_size, merkle.leaf_hash(self.leaf_input),
                                self.audit_path, self.root_hash)


@dataclass(frozen=True)
class ConsistencyProof:
    """RFC 9162 consistency proof between two tree sizes (``medshare audit consistency --json``)."""

    first: int
    second: int
    first_root: bytes
    second_root: bytes
    proof: list[bytes]

    def as_json(self) -> dict[str, Any]:
        return {"first": self.first, "second": self.second, "first_root": self.first_root.hex(),
                "second_root": self.second_root.hex(), "proof": [h.hex() for h in self.proof]}

    def verify(self) -> None:
        merkle.verify_consistency(self.first, self.second, self.first_root, self.second_root, self.proof)


# --- tree heads in the database -----------------------------------------------------------------


def _head(row: Any, source: str = "store") -> merkle.TreeHead:
    m = row._mapping
    return merkle.TreeHead(m["tree_size"], bytes.fromhex(m["root_hash"]), m["timestamp_ms"],
                           base64.b64decode(m["signature"]), base64.b64decode(m["public_key"]), source)


def store_tree_head(conn: Connection, th: merkle.TreeHead) -> int:
    j = th.as_json()
    return conn.execute(audit_sth.insert().values(
        tree_size=th.tree_size, root_hash=j["root_hash"], timestamp_ms=th.timestamp, signature=j["signature"],
        public_key=j["public_key"])).inserted_primary_key[0]


def tree_heads(conn: Connection, unpublished_only: bool = False) -> list[tuple[int, merkle.TreeHead]]:
    """(row id, head) of the stored tree heads, oldest first."""
    q = select(audit_sth).order_by(audit_sth.c.id)
    if unpublished_only:
        q = q.where(audit_sth.c.published_us.is_(None))
    return [(r._mapping["id"], _head(r)) for r in conn.execute(q)]


def latest_tree_head(conn: Connection) -> merkle.TreeHead | None:
    row = conn.execute(select(audit_sth).order_by(audit_sth.c.tree_size.desc(), audit_sth.c.timestamp_ms.desc())
                       .limit(1)).first()
    return _head(row) if row else None


def mark_published(conn: Connection, ids: Iterable[int]) -> None:
    now_us = int(time.time() * 1_000_000)
    ids = list(ids)
    if ids:
        conn.execute(update(audit_sth).where(audit_sth.c.id.in_(ids)).values(published_us=now_us))


# --- verification helpers ----------------------------------------------------------------------


class StoredNodes:
    """Compares the nodes a verifier recomputes from the entries with the stored ones, in one pass.

    Nodes are recomputed level by level in increasing index; each level is read from the table
    in pages in the same order, so memory stays bounded by a page per level.
    """

    _PAGE = 5000

    def __init__(self, engine: Any, tree_leaves: int) -> None:
        self.engine = engine
        self.tree_leaves = tree_leaves
        self._buf: dict[int, deque[tuple[int, bytes]]] = {}
        self._done: set[int] = set()
        self.mismatches = 0
        self.first: tuple[int, int] | None = None

    def _stored(self, level: int, idx: int) -> bytes | None:
        buf = self._buf.setdefault(level, deque())
        while True:
            while buf and buf[0][0] < idx:
                buf.popleft()
            if buf:
                return buf[0][1] if buf[0][0] == idx else None
            if level in self._done:
                return None
            with self.engine.connect() as conn:
                page = conn.execute(select(audit_tree.c.idx, audit_tree.c.hash)
                                    .where(audit_tree.c.level == level, audit_tree.c.idx >= idx)
                                    .order_by(audit_tree.c.idx).limit(self._PAGE)).all()
            if len(page) < self._PAGE:
                self._done.add(level)
            if not page:
                return None
            buf.extend((int(i), bytes(h)) for i, h in page)

    def check(self, made: Iterable[tuple[int, int, bytes]]) -> None:
        for level, idx, h in made:
            if (idx + 1) << level > self.tree_leaves:
                continue  # beyond the stored tree (reported once by problems())
            if self._stored(level, idx) != h:
                self.mismatches += 1
                if self.first is None:
                    self.first = (level, idx)

    def problems(self, entries: int) -> list[tuple[int, str, str]]:
        out = []
        if self.tree_leaves > entries:
            out.append((entries + 1, "truncated", f"the Merkle tree holds {self.tree_leaves} leaves but the log has "
                                                  f"{entries} entries: entries were cut off"))
        elif 0 < self.tree_leaves < entries:
            out.append((self.tree_leaves + 1, "tree", f"the Merkle tree holds only {self.tree_leaves} of the log's "
                                                      f"{entries} entries: tree rows were removed"))
        if self.first is not None:
            level, idx = self.first
            first_entry = (idx << level) + 1
            what = f"the leaf of entry #{first_entry}" if level == 0 else \
                f"the node over entries #{first_entry}..#{(idx + 1) << level}"
            out.append((first_entry, "tree", f"{self.mismatches} stored tree node(s) differ from what the entries "
                                             f"hash to, first {what}: entries or tree rows were changed after "
                                             "they were appended"))
        return out


def check_tree_heads(heads: Iterable[merkle.TreeHead], roots: dict[int, bytes], entries: int,
                     pinned: bytes | None, max_unsigned_age_s: float | None,
                     now_ms: int) -> tuple[dict[str, Any], list[tuple[int, str, str]]]:
    """Check tree heads against the roots recomputed from the log (``roots[size]``).

    Returns (summary, problems as (entry, kind, message)); see :meth:`privacy.audit.AuditStore.verify`.
    """
    distinct: dict[tuple[int, bytes, int, bytes], list[str]] = {}
    objs: dict[tuple[int, bytes, int, bytes], merkle.TreeHead] = {}
    for th in heads:
        k = (th.tree_size, th.root_hash, th.timestamp, th.signature)
        distinct.setdefault(k, []).append(th.source)
        objs.setdefault(k, th)
    sources = {"store": 0, "topic": 0, "other": 0}
    for th in heads:
        src = th.source.split(" ")[0]
        sources[src if src in sources else "other"] += 1
    problems: list[tuple[int, str, str]] = []
    valid: list[merkle.TreeHead] = []
    for k, th in objs.items():
        where = " and ".join(sorted({s.split(" ")[0] for s in distinct[k]}))
        desc = f"the tree head of size {th.tree_size} signed {utc_ms(th.timestamp)} (in the {where})"
        try:
            th.verify(pinned)
        except merkle.ProofError as exc:
            problems.append((th.tree_size, "tree-head-signature", f"{desc}: {exc}"))
            continue
        valid.append(th)
    keys = {th.public_key for th in valid}
    if pinned is None and len(keys) > 1:
        problems.append((0, "tree-head-key", f"the tree heads are signed by {len(keys)} different keys: give the "
                                             "log's public key (--public-key) to tell which are the log's"))
    by_size: dict[int, set[bytes]] = {}
    for th in valid:
        by_size.setdefault(th.tree_size, set()).add(th.root_hash)
    for size, rs in sorted(by_size.items()):
        if len(rs) > 1:
            problems.append((size, "tree-head-fork", f"{len(rs)} different roots were signed for tree size {size}: "
                                                     "two histories of the log were signed"))
    matching = [size for size, rs in by_size.items() if size <= entries and rs == {roots.get(size)}]
    for size, rs in sorted(by_size.items()):
        if size > entries:
            problems.append((size, "truncated", f"a tree head signed the log at {size} entries, but it has only "
                                                f"{entries}: entries #{entries + 1}..#{size} were cut off"))
        elif roots.get(size) not in rs or len(rs) > 1:
            below = max((s for s in matching if s < size), default=0)
            problems.append((below + 1, "tree-head-mismatch",
                             f"the log's first {size} entries do not hash to the root signed for that size: entries "
                             f"were changed, removed, inserted or reordered between #{below + 1} and #{size}"
                             + (f" (the tree head of size {below} still matches)" if below else "")))
    signed_size = max((th.tree_size for th in valid), default=0)
    newest_ms = max((th.timestamp for th in valid), default=None)
    if valid and entries > signed_size and max_unsigned_age_s is not None and newest_ms is not None \
            and now_ms - newest_ms > max_unsigned_age_s * 1000:
        problems.append((signed_size + 1, "unsigned",
                         f"entries #{signed_size + 1}..#{entries} are covered by no tree head although the newest "
                         f"was signed {(now_ms - newest_ms) / 1000:.0f} s ago (the sink signs new entries within "
                         f"{TREE_HEAD_INTERVAL_S:.0f} s): they were not appended by the pipeline, or its audit sink "
                         "stopped without signing"))
    summary = {"tree_size": entries, "tree_heads": len(objs), "from": sources, "valid": len(valid),
               "signed_size": signed_size, "newest_signed_at": utc_ms(newest_ms) if newest_ms else None}
    return summary, problems


# --- the signing key ----------------------------------------------------------------------------


def signing_key(cfg: Settings | None = None) -> Any:
    """The log's Ed25519 private key (the pipeline secret ``audit-log-signing``, created once, 0600)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from privacy.keys import pipeline_secret

    return Ed25519PrivateKey.from_private_bytes(pipeline_secret(SIGNING_KEY_NAME, cfg))


def public_key(cfg: Settings | None = None, create: bool = False) -> bytes | None:
    """The raw 32-byte public key of the log, or None when this home has no signing key (and not ``create``)."""
    from cryptography.hazmat.primitives import serialization

    from medshare.config import settings

    cfg = cfg or settings()
    if not create and not (cfg.pipeline_dir / f"{SIGNING_KEY_NAME}.key").exists():
        return None
    return signing_key(cfg).public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_pem(raw: bytes) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return Ed25519PublicKey.from_public_bytes(raw).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def parse_public_key(value: str) -> bytes:
    """A public key given as base64 of the raw 32 bytes, or PEM (SubjectPublicKeyInfo)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    text = value.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode("ascii"))
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError(f"the PEM key is a {type(key).__name__}, not an Ed25519 public key")
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        raise ValueError("the public key is neither PEM nor base64") from None
    if len(raw) != 32:
        raise ValueError(f"an Ed25519 public key is 32 bytes; this one is {len(raw)}")
    return raw


# --- the governance topic -----------------------------------------------------------------------


def topic_message(th: merkle.TreeHead) -> bytes:
    return json.dumps({"kind": "tree-head", **th.as_json()}, sort_keys=True).encode("utf-8")


def publish(heads: Iterable[merkle.TreeHead], cfg: Settings | None = None, producer: Any = None,
            timeout_s: float = 10.0) -> int:
    """Send tree heads to ``governance.audit-tree-heads.v1`` and wait for the broker's acks."""
    from medshare import kafka as mk
    from medshare import topics as t

    own = producer is None
    if own:
        producer = mk.producer("pipeline", cfg=cfg, max_block_ms=int(timeout_s * 1000))
    try:
        futures = [producer.send(t.AUDIT_TREE_HEADS, key=b"tree-head", value=topic_message(th)) for th in heads]
        producer.flush(timeout=timeout_s)
        for f in futures:
            f.get(timeout=timeout_s)
        return len(futures)
    finally:
        if own:
            producer.close(timeout=timeout_s)


def read_published(cfg: Settings | None = None, principal: str = "compliance", timeout_s: float = 30.0,
                   connect_timeout_s: float = 10.0) -> tuple[list[merkle.TreeHead], list[str]]:
    """Every tree head on ``governance.audit-tree-heads.v1`` (read from the beginning, no group).

    Returns (heads, rejected): a message that is not a tree head is listed with its place and
    reason, never silently dropped. Raises ``kafka.errors.NoBrokersAvailable`` (or ``UserError``
    for an unknown principal) when the broker cannot be reached.
    """
    from medshare import kafka as mk
    from medshare import topics as t

    heads: list[merkle.TreeHead] = []
    rejected: list[str] = []
    for m in mk.read_whole_topic(principal, t.AUDIT_TREE_HEADS, cfg, timeout_s, connect_timeout_s):
        where = f"{m.topic}[{m.partition}]@{m.offset}"
        try:
            data = json.loads(m.value)
            if not isinstance(data, dict) or data.get("kind") != "tree-head":
                raise merkle.ProofError("not a tree-head message")
            heads.append(merkle.TreeHead.from_json(data, source=f"topic {where}"))
        except (ValueError, TypeError) as exc:
            rejected.append(f"{where}: {exc}")
    return heads, rejected


def read_published_events(cfg: Settings | None = None, principal: str = "compliance", timeout_s: float = 60.0,
                          connect_timeout_s: float = 10.0) -> dict[str, bytes]:
    """``{audit_id: canonical bytes}`` of every disclosure event on ``governance.audit.v1``.

    The audit sink is the store's only writer and appends exactly these events, so every stored
    entry must be among them with the same canonical bytes (:meth:`AuditStore.verify` with
    ``published_events``): an entry appended to the store by hand — even with a valid hash, the
    head moved and later covered by a tree head the sink signed — is not. Read from the beginning
    under read_committed, no consumer group. Messages that are not audit events (no ``audit_id``)
    are skipped: the sink quarantines them and they never enter the store.
    """
    from medshare import kafka as mk
    from medshare import topics as t
    from privacy.audit import canonical

    events: dict[str, bytes] = {}
    for m in mk.read_whole_topic(principal, t.AUDIT, cfg, timeout_s, connect_timeout_s):
        try:
            data = json.loads(m.value)
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("audit_id"), str):
            events.setdefault(data["audit_id"], canonical(data))
    return events


# --- the signer (run by the audit sink) ---------------------------------------------------------


class TreeHeadSigner:
    """Signs tree heads for one audit store and publishes them; used by the audit sink.

    Policy: a tree head is signed when the tree has grown since the newest stored head and that
    head is at least ``interval_s`` old (checked at the end of every append batch and every
    ``tick_s`` by a background thread, so the tail of a burst is signed within about
    ``interval_s + tick_s`` even if no further batch comes), and on :meth:`close` whenever the tree
    has grown. Every head is stored first, then published; heads the broker did not acknowledge
    are retried at the next check. Publishing failures are logged and counted, never raised: the
    disclosure log must not stop because the broker is briefly away.
    """

    def __init__(self, store: Any, cfg: Settings | None = None, *, interval_s: float = TREE_HEAD_INTERVAL_S,
                 tick_s: float = 5.0, publish_to_topic: bool = True, key: Any = None) -> None:
        from medshare.config import settings

        self.store = store
        self.cfg = cfg or settings()
        self.key = key if key is not None else signing_key(self.cfg)
        self.interval_s = interval_s
        self.tick_s = tick_s
        self.publish_to_topic = publish_to_topic
        self.signed = 0
        self.published = 0
        self.publish_failures = 0
        self.refused = 0
        #: why the last refusal to sign happened (the log no longer matches a head this key signed)
        self.last_refusal: str | None = None
        self._lock = threading.Lock()
        self._producer: Any = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the background check (idempotent)."""
        if self._thread is None and self.tick_s > 0:
            self._thread = threading.Thread(target=self._run, name="audit-tree-heads", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.tick_s):
            try:
                self.maybe_sign()
            except Exception:  # noqa: BLE001 - the ticker must survive a busy database; the next tick retries
                log.warning("audit tree heads: periodic check failed", exc_info=True)

    def maybe_sign(self, force: bool = False, now_ms: int | None = None) -> merkle.TreeHead | None:
        """Sign a new tree head if the policy says so (``force``: whenever the tree has grown)."""
        with self._lock:
            now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
            latest = self.store.latest_tree_head()
            size = self.store.head()[0]
            th = None
            due = latest is None or force or now_ms - latest.timestamp >= self.interval_s * 1000
            if size > 0 and due and (latest is None or size > latest.tree_size):
                try:
                    th = self.store.sign_tree_head(self.key, now_ms=now_ms)
                    self.signed += 1
                except merkle.ProofError as exc:
                    self.refused += 1
                    self.last_refusal = str(exc)
                    log.error("audit tree heads: refusing to sign: %s", exc)
            self._publish_pending()
            return th

    def _publish_pending(self) -> None:
        if not self.publish_to_topic:
            return
        pending = self.store.unpublished_tree_heads()
        if not pending:
            return
        try:
            if self._producer is None:
                from medshare import kafka as mk

                self._producer = mk.producer("pipeline", cfg=self.cfg, max_block_ms=10_000)
            publish([th for _, th in pending], self.cfg, producer=self._producer)
        except Exception as exc:  # noqa: BLE001 - retried at the next check
            self.publish_failures += 1
            log.warning("audit tree heads: %d not published yet (%s: %s); retrying at the next check",
                        len(pending), type(exc).__name__, exc)
            return
        self.store.mark_tree_heads_published([i for i, _ in pending])
        self.published += len(pending)

    def close(self) -> None:
        """Stop the background check, sign the tree if it grew since the last head, publish."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
        try:
            self.maybe_sign(force=True)
        finally:
            if self._producer is not None:
                try:
                    self._producer.close(timeout=10)
                finally:
                    self._producer = None


def utc_ms(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="milliseconds")
