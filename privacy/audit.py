"""The disclosure log: an append-only, hash-chained store of every ``governance.audit.v1`` event.

Every record or release the pipeline sends an insurer is an audit event (``streams/router.py``
writes one per disclosed record; releases of marts write ``kind: release``). The audit sink
(``streams/audit_sink.py``) appends each event here once; compliance officers query it by person,
insurer and consent (``medshare audit``), and :meth:`AuditStore.verify` shows that nobody has
edited, removed or reordered an entry since it was appended. docs/audit.md is the reference.

An entry
--------
``seq`` (1, 2, 3, … with no gaps), the event's searchable fields as columns (time, insurer,
purpose, dataset, record or release id, fields and treatments as JSON, consent id, agreement id and
version, ``person_ref`` / ``resident_ref`` — keyed pseudonyms, never the identifiers), the
*canonical JSON* of the event exactly as received (keys sorted, no whitespace, UTF-8), and::

    entry_hash = hex(SHA-256(bytes.fromhex(prev_hash) || canonical))
    prev_hash  = entry_hash of entry seq-1   (64 zeros for entry 1)

The columns are derived from the canonical event; :meth:`AuditStore.verify` re-derives them, so
editing a column that queries use is detected as surely as editing the hashed JSON.

Writes are serialised through a one-row head table (``audit_head``): each append transaction
first updates that row (a write lock in SQLite, a row lock in Postgres), reads the head, chains
the new entries and moves the head — so several sink instances can append to one chain.
After each append the head (seq, entry_hash) is also written to a checkpoint file outside the
database, so a store whose tail was cut off (and whose head row was rewound) still fails
verification. Limits: someone who can rewrite the whole store *and* the checkpoint can recompute
a consistent chain; anchor the head hash somewhere they cannot write (docs/audit.md).

Nothing identifying is stored: an event carrying a plaintext resident ID, mobile or bank-card
number anywhere (``privacy.leakguard``), or a top-level identifier field (``name``,
``resident_id``, …), is refused with :class:`AuditRejected`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError

if TYPE_CHECKING:
    from medshare.config import Settings
    from privacy.audit_tree import ConsistencyProof, InclusionProof
    from privacy.merkle import TreeHead

log = logging.getLogger("medshare.audit")

GENESIS = "0" * 64
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_ID = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"
_REF = r"^[0-9a-f]{32}$"
#: top-level keys that would mean the event carries a direct identifier in plaintext
IDENTIFIER_KEYS = frozenset({"name", "resident_id", "person_no", "phone", "mobile", "address", "card_no",
                             "psn_no", "psn_name", "certno", "brdy"})
_CHUNK = 500


class AuditRejected(ValueError):  # noqa: N818 - a refusal of one event, like streams.runtime.Rejected
    """An audit event that may not enter the log (malformed, or carrying an identifier)."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


# --- the event --------------------------------------------------------------------------------


class AuditEvent(BaseModel):
    """The shape of a ``governance.audit.v1`` event (there is no ODCS contract for it yet).

    Extra keys are allowed (they are kept in the hashed canonical JSON) so a new producer field
    does not stop the log, but never an identifier key and never an identifier value.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    audit_id: str = Field(pattern=_ID)
    #: record: a routed record; claim-result: a claim computed inside (only the result left); release: a mart
    #: erasure-ack: an insurer acknowledged an erasure request (record_id is the request id)
    kind: Literal["record", "claim-result", "release", "erasure-ack"]
    disclosed_at: AwareDatetime
    event_time: AwareDatetime | None = None
    insurer: str = Field(pattern=r"^[a-z0-9]{2,16}$")
    purpose: str = Field(min_length=1, max_length=64)
    basis: str | None = None
    #: a claims disclosure: ``detail`` (the agreed fields went to the insurer) or ``result`` (only a
    #: claim result computed inside left)
    mode: Literal["detail", "result"] | None = None
    source: str | None = None
    dataset: str = Field(min_length=1, max_length=255)
    record_id: str | None = Field(default=None, pattern=_ID)
    release_id: str | None = Field(default=None, pattern=_ID)
    person_ref: str | None = Field(default=None, pattern=_REF)
    resident_ref: str | None = Field(default=None, pattern=_REF)
    fields: dict[str, str] | list[str] | None = None
    consent_id: str | None = Field(default=None, pattern=_ID)
    agreement_id: str | None = None
    agreement_version: str | None = None
    key_id: str | None = None
    key_version: int | str | None = None
    rows: int | None = None
    suppressed: int | None = None
    k: int | None = None

    @model_validator(mode="after")
    def _kind_rules(self) -> AuditEvent:
        if self.kind == "erasure-ack":
            if not self.record_id:
                raise ValueError("an erasure-ack needs record_id (the erasure request id)")
            if self.person_ref or self.resident_ref:
                raise ValueError("an erasure-ack names no person (it names the disclosures' audit ids)")
            return self
        if self.kind in ("record", "claim-result"):
            if not self.record_id or not self.person_ref:
                raise ValueError(f"a {self.kind} disclosure needs record_id and person_ref")
            if self.basis == "consent" and not self.consent_id:
                raise ValueError("a disclosure on the basis of consent needs consent_id")
        else:
            if not self.release_id:
                raise ValueError("a release needs release_id")
            if self.person_ref or self.resident_ref:
                raise ValueError("a release is aggregate: it names no person")
        return self


def _one_line(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err["loc"]) or "event"
        parts.append(f"{loc}: {err['msg']}")  # never err['input']: it could be an identifier
    return "; ".join(parts)


def canonical(event: Mapping[str, Any]) -> bytes:
    """The bytes that are hashed: JSON, keys sorted, no whitespace, UTF-8 (non-ASCII kept)."""
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def chain_hash(prev_hash: str, canonical_event: bytes) -> str:
    """``hex(SHA-256(bytes.fromhex(prev_hash) || canonical_event))``."""
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical_event).hexdigest()


def parse_event(event: Mapping[str, Any] | bytes | str) -> tuple[AuditEvent, dict[str, Any]]:
    """Validate one audit event; (model, the event as a plain dict). Raises :class:`AuditRejected`."""
    from privacy.leakguard import find_identifiers

    if isinstance(event, bytes | str):
        try:
            event = json.loads(event)
        except (ValueError, UnicodeDecodeError) as exc:
            raise AuditRejected("json", f"audit event is not JSON: {type(exc).__name__}") from None
    if not isinstance(event, Mapping):
        raise AuditRejected("json", "audit event is not a JSON object")
    raw = dict(event)
    bad_keys = sorted(k for k in raw if k in IDENTIFIER_KEYS)
    if bad_keys:
        raise AuditRejected("leak-guard", f"audit event carries identifier field(s) {', '.join(bad_keys)}")
    leaks = find_identifiers(raw)
    if leaks:
        raise AuditRejected("leak-guard", f"direct identifier(s) found in {', '.join(leaks[:5])}")
    try:
        model = AuditEvent.model_validate(raw)
    except ValidationError as exc:
        raise AuditRejected("audit-schema", f"audit event rejected: {_one_line(exc)}") from None
    try:
        canonical(raw)
    except (TypeError, ValueError) as exc:
        raise AuditRejected("audit-schema", f"audit event cannot be canonicalised: {exc}") from None
    return model, raw


def to_us(t: datetime) -> int:
    return (t - _EPOCH) // _US


# --- tables -----------------------------------------------------------------------------------

metadata = MetaData()
_SEQ = BigInteger().with_variant(Integer, "sqlite")

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", _SEQ, primary_key=True, autoincrement=False),
    Column("audit_id", String(128), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("disclosed_at", String(40), nullable=False),
    Column("disclosed_us", BigInteger, nullable=False),
    Column("event_time", String(40)),
    Column("event_us", BigInteger),
    Column("insurer", String(16), nullable=False),
    Column("purpose", String(64), nullable=False),
    Column("basis", String(32)),
    Column("source", String(255)),
    Column("dataset", String(255), nullable=False),
    Column("record_id", String(128)),
    Column("release_id", String(128)),
    Column("person_ref", String(32)),
    Column("resident_ref", String(32)),
    Column("fields", Text),
    Column("consent_id", String(128)),
    Column("agreement_id", String(128)),
    Column("agreement_version", String(128)),
    Column("event", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
    Column("appended_us", BigInteger, nullable=False),
)
Index("ix_audit_person_ref", audit_log.c.person_ref)
Index("ix_audit_resident_ref", audit_log.c.resident_ref)
Index("ix_audit_insurer_time", audit_log.c.insurer, audit_log.c.disclosed_us)
Index("ix_audit_consent", audit_log.c.consent_id)

#: one row (id 1): the last appended entry; the write lock every append takes first
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", _SEQ, nullable=False),
    Column("entry_hash", String(64), nullable=False),
)

#: columns derived from the event, checked by verify
_DERIVED = ("audit_id", "kind", "disclosed_at", "disclosed_us", "event_time", "event_us", "insurer", "purpose",
            "basis", "source", "dataset", "record_id", "release_id", "person_ref", "resident_ref", "fields",
            "consent_id", "agreement_id", "agreement_version")


def _columns(model: AuditEvent, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The searchable columns of an event (a pure function of the canonical event)."""
    return {
        "audit_id": model.audit_id,
        "kind": model.kind,
        "disclosed_at": str(raw["disclosed_at"]),
        "disclosed_us": to_us(model.disclosed_at),
        "event_time": str(raw["event_time"]) if raw.get("event_time") is not None else None,
        "event_us": to_us(model.event_time) if model.event_time else None,
        "insurer": model.insurer,
        "purpose": model.purpose,
        "basis": model.basis,
        "source": model.source,
        "dataset": model.dataset,
        "record_id": model.record_id,
        "release_id": model.release_id,
        "person_ref": model.person_ref,
        "resident_ref": model.resident_ref,
        "fields": json.dumps(model.fields, sort_keys=True, ensure_ascii=False) if model.fields is not None else None,
        "consent_id": model.consent_id,
        "agreement_id": model.agreement_id,
        "agreement_version": model.agreement_version,
    }


# --- results ----------------------------------------------------------------------------------


@dataclass
class Entry:
    """One stored entry: its place in the chain and the event as appended."""

    seq: int
    audit_id: str
    kind: str
    disclosed_at: str
    insurer: str
    purpose: str
    dataset: str
    record_id: str | None
    release_id: str | None
    consent_id: str | None
    agreement_id: str | None
    agreement_version: str | None
    person_ref: str | None
    resident_ref: str | None
    fields: Any
    event: dict[str, Any]
    prev_hash: str
    entry_hash: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _entry(row: Any) -> Entry:
    m = row._mapping
    return Entry(
        seq=m["seq"], audit_id=m["audit_id"], kind=m["kind"], disclosed_at=m["disclosed_at"],
        insurer=m["insurer"], purpose=m["purpose"], dataset=m["dataset"], record_id=m["record_id"],
        release_id=m["release_id"], consent_id=m["consent_id"], agreement_id=m["agreement_id"],
        agreement_version=m["agreement_version"], person_ref=m["person_ref"], resident_ref=m["resident_ref"],
        fields=json.loads(m["fields"]) if m["fields"] else None, event=json.loads(m["event"]),
        prev_hash=m["prev_hash"], entry_hash=m["entry_hash"],
    )


@dataclass
class AppendResult:
    appended: int = 0
    #: audit ids already in the log with the same canonical event (a redelivery)
    duplicates: int = 0
    #: audit ids already in the log with a *different* event: the first one stays, these are reported
    conflicts: list[str] = field(default_factory=list)
    head_seq: int = 0
    head_hash: str = GENESIS

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Problem:
    """The first thing wrong at one entry."""

    seq: int
    audit_id: str | None
    #: altered | removed | chain-break | truncated | checkpoint | tree | tree-head-signature |
    #: tree-head-key | tree-head-mismatch | tree-head-fork | unsigned  (docs/audit.md)
    kind: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class VerifyResult:
    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    problems: list[Problem]
    checkpoint: dict[str, Any] | None
    seconds: float
    #: tree_size, root_hash, and the tree heads checked (how many, from where, the largest signed size)
    tree: dict[str, Any] = field(default_factory=dict)

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "head_seq": self.head_seq, "head_hash": self.head_hash,
                "first_problem": self.first.as_dict() if self.first else None,
                "problems": [p.as_dict() for p in self.problems], "checkpoint": self.checkpoint,
                "tree": self.tree, "seconds": round(self.seconds, 3)}


# --- the store --------------------------------------------------------------------------------


def default_url(cfg: Settings | None = None) -> str:
    """``MEDSHARE_STATE_URL`` (one database for all state, e.g. Postgres), else ``state/audit.sqlite``."""
    from medshare.config import settings

    cfg = cfg or settings()
    return cfg.state_url or f"sqlite:///{cfg.state_dir / 'audit.sqlite'}"


def default_checkpoint(cfg: Settings | None = None) -> Path:
    from medshare.config import settings

    cfg = cfg or settings()
    return cfg.state_dir / "audit.head.json"


def read_checkpoint(path: Path | None) -> dict[str, Any] | None:
    if path is None or not path.exists():
        return None
    try:
        data = json.loads(path.read_text())
        return {"seq": int(data["seq"]), "entry_hash": str(data["entry_hash"]), **data}
    except (OSError, ValueError, KeyError, TypeError):
        return {"seq": -1, "entry_hash": "", "unreadable": True}


def _write_checkpoint(path: Path, seq: int, entry_hash: str) -> None:
    """Move the checkpoint forward (never back): a lower bound on what the log must contain."""
    current = read_checkpoint(path)
    if current and not current.get("unreadable") and current["seq"] >= seq:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"seq": seq, "entry_hash": entry_hash,
                               "written_at": datetime.now(UTC).isoformat(timespec="seconds")}))
    tmp.replace(path)


class AuditStore:
    """The append-only, hash-chained disclosure log (SQLAlchemy Core; SQLite or Postgres)."""

    def __init__(self, url: str | Engine | None = None, checkpoint: Path | None = None) -> None:
        from privacy.audit_tree import tree_metadata
        from privacy.consent import _engine, create_tables

        if isinstance(url, Engine):
            self.engine = url
        else:
            self.engine = _engine(url or default_url())
        self.checkpoint = checkpoint
        create_tables(self.engine, metadata)
        create_tables(self.engine, tree_metadata)
        try:
            with self.engine.begin() as conn:
                if conn.execute(select(audit_head.c.id).where(audit_head.c.id == 1)).first() is None:
                    conn.execute(audit_head.insert().values(id=1, seq=0, entry_hash=GENESIS))
        except IntegrityError:
            pass  # another process created it first

    @classmethod
    def open(cls, cfg: Settings | None = None) -> AuditStore:
        """The home's store with its checkpoint file."""
        return cls(default_url(cfg), checkpoint=default_checkpoint(cfg))

    @classmethod
    def memory(cls) -> AuditStore:
        return cls("sqlite://")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> AuditStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------------
    def append(self, events: Iterable[Mapping[str, Any] | tuple[AuditEvent, dict[str, Any]]]) -> AppendResult:
        """Append the events not in the log yet, in one transaction, chained in the order given.

        Each event is validated first (:func:`parse_event`); one bad event refuses the whole call
        with :class:`AuditRejected` (the sink validates per message, so it never gets here).
        """
        parsed = [e if isinstance(e, tuple) else parse_event(e) for e in events]
        for attempt in range(5):
            try:
                result = self._append(parsed)
                break
            except OperationalError:  # SQLite busy beyond busy_timeout, Postgres serialisation: retry
                if attempt == 4:
                    raise
                time.sleep(0.05 * (attempt + 1))
        if self.checkpoint is not None and result.appended:
            _write_checkpoint(self.checkpoint, result.head_seq, result.head_hash)
        return result

    def _append(self, parsed: Sequence[tuple[AuditEvent, dict[str, Any]]]) -> AppendResult:
        result = AppendResult()
        with self.engine.begin() as conn:
            # take the write lock first: the head row is the chain's single point of order
            locked = conn.execute(update(audit_head).where(audit_head.c.id == 1)
                                  .values(seq=audit_head.c.seq)).rowcount
            if not locked:
                raise RuntimeError("the audit_head row is missing: the store was tampered with")
            seq, head = conn.execute(select(audit_head.c.seq, audit_head.c.entry_hash)
                                     .where(audit_head.c.id == 1)).one()
            self._sync_tree(conn, seq)
            ids = list(dict.fromkeys(m.audit_id for m, _ in parsed))
            known: dict[str, str] = {}
            for i in range(0, len(ids), _CHUNK):
                q = select(audit_log.c.audit_id, audit_log.c.event).where(audit_log.c.audit_id.in_(ids[i:i + _CHUNK]))
                known.update({a: ev for a, ev in conn.execute(q)})
            rows = []
            now_us = to_us(datetime.now(UTC))
            for model, raw in parsed:
                body = canonical(raw)
                if model.audit_id in known:
                    if known[model.audit_id].encode("utf-8") == body:
                        result.duplicates += 1
                    else:
                        result.conflicts.append(model.audit_id)
                    continue
                entry_hash = chain_hash(head, body)
                seq += 1
                rows.append({"seq": seq, **_columns(model, raw), "event": body.decode("utf-8"),
                             "prev_hash": head, "entry_hash": entry_hash, "appended_us": now_us})
                known[model.audit_id] = body.decode("utf-8")
                head = entry_hash
            if rows:
                from privacy import audit_tree
                from privacy.merkle import leaf_hash

                conn.execute(audit_log.insert(), rows)
                conn.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=seq, entry_hash=head))
                audit_tree.extend(conn, rows[0]["seq"] - 1, (leaf_hash(r["event"].encode("utf-8")) for r in rows))
        result.appended = len(rows)
        result.head_seq, result.head_hash = seq, head
        return result

    # -- the Merkle tree and its signed heads (privacy.audit_tree, docs/audit.md) -------------------
    def _sync_tree(self, conn: Any, seq: int) -> None:
        """Give the stored tree a leaf for every entry up to ``seq`` (a store from before the tree).

        Called with the head row locked. A tree with *more* leaves than the log means entries were
        cut off: appending on top would hide that, so it is refused.
        """
        from privacy import audit_tree
        from privacy.merkle import leaf_hash

        size = audit_tree.stored_size(conn)
        if size > seq:
            raise RuntimeError(f"the audit tree has {size} leaves but the log ends at #{seq}: entries were cut off "
                               "(run medshare audit verify)")
        if size == seq:
            return
        log.info("audit: adding entries #%d..#%d to the Merkle tree", size + 1, seq)
        while size < seq:
            page = conn.execute(select(audit_log.c.seq, audit_log.c.event).where(audit_log.c.seq > size)
                                .order_by(audit_log.c.seq).limit(5000)).all()
            if not page or page[0][0] != size + 1:
                raise RuntimeError(f"entry #{size + 1} is missing: cannot build the Merkle tree (run medshare audit verify)")
            audit_tree.extend(conn, size, (leaf_hash(ev.encode("utf-8") if isinstance(ev, str) else bytes(ev))
                                           for _, ev in page))
            size = page[-1][0]

    def sync_tree(self) -> int:
        """Bring the stored tree up to the log's head (only a store from before the tree lags); its size."""
        from privacy import audit_tree

        with self.engine.connect() as conn:
            seq = self.head()[0]
            if audit_tree.stored_size(conn) == seq:
                return seq
        with self.engine.begin() as conn:
            conn.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=audit_head.c.seq))
            seq = conn.execute(select(audit_head.c.seq).where(audit_head.c.id == 1)).scalar_one()
            self._sync_tree(conn, seq)
        return seq

    def tree_size(self) -> int:
        """How many entries the Merkle tree holds (the log's head after :meth:`sync_tree`)."""
        from privacy import audit_tree

        with self.engine.connect() as conn:
            return audit_tree.stored_size(conn)

    def root_hash(self, tree_size: int | None = None) -> bytes:
        """MTH of the first ``tree_size`` entries (default: all), from the stored tree."""
        from privacy import audit_tree
        from privacy.merkle import ProofError

        size = self.sync_tree() if tree_size is None else tree_size
        with self.engine.connect() as conn:
            have = audit_tree.stored_size(conn)
            if not 0 <= size <= have:
                raise ProofError(f"tree size {size} is out of range: the log has {have} entries")
            return audit_tree.root_at(conn, size)

    def proof_for(self, audit_id: str, tree_size: int | None = None) -> InclusionProof:
        """The RFC 9162 inclusion proof of one entry (what a person's statement attaches to a disclosure).

        ``tree_size`` defaults to the newest signed tree head that covers the entry (so the proof
        checks against a signed root), else the whole tree. The entry's stored bytes must still
        hash to its leaf: a proof of an entry altered after it was appended is refused.
        """
        from privacy import audit_tree
        from privacy.merkle import ProofError, inclusion_path, leaf_hash, subtree_root

        self.sync_tree()
        with self.engine.connect() as conn:
            row = conn.execute(select(audit_log.c.seq, audit_log.c.event).where(audit_log.c.audit_id == audit_id)).first()
            if row is None:
                raise ProofError(f"no entry with audit id {audit_id!r} in the log")
            seq, ev = row
            body = ev.encode("utf-8") if isinstance(ev, str) else bytes(ev)
            index, have = seq - 1, audit_tree.stored_size(conn)
            signed = None
            if tree_size is None:
                latest = audit_tree.latest_tree_head(conn)
                if latest is not None and index < latest.tree_size <= have:
                    tree_size, signed = latest.tree_size, latest
                else:
                    tree_size = have
            if not index < tree_size <= have:
                raise ProofError(f"entry #{seq} ({audit_id}) is leaf {index}: it is not in a tree of size {tree_size} "
                                 f"(give a size from {seq} to {have})")
            stored = audit_tree.fetch_nodes(conn, [(0, index)]).get((0, index))
            if stored != leaf_hash(body):
                raise ProofError(f"entry #{seq} ({audit_id}) no longer matches its leaf in the tree: it was altered "
                                 "after it was appended (run medshare audit verify)")
            path, root = audit_tree.with_nodes(conn, lambda get: (inclusion_path(index, tree_size, get),
                                                                  subtree_root(0, tree_size, get)))
            if signed is None:
                signed = next((th for _, th in audit_tree.tree_heads(conn)
                               if th.tree_size == tree_size and th.root_hash == root), None)
        return audit_tree.InclusionProof(audit_id, index, tree_size, body, path, root, signed)

    def consistency(self, first: int, second: int | None = None) -> ConsistencyProof:
        """The RFC 9162 consistency proof that the tree of size ``first`` is a prefix of ``second``."""
        from privacy import audit_tree
        from privacy.merkle import ProofError, consistency_path, subtree_root

        have = self.sync_tree()
        second = have if second is None else second
        if not 0 < first <= second:
            raise ProofError(f"sizes {first} and {second}: a consistency proof needs 0 < FIRST <= SECOND")
        if second > have:
            raise ProofError(f"tree size {second} is out of range: the log has {have} entries")
        with self.engine.connect() as conn:
            path, r1, r2 = audit_tree.with_nodes(conn, lambda get: (
                consistency_path(first, second, get), subtree_root(0, first, get), subtree_root(0, second, get)))
        return audit_tree.ConsistencyProof(first, second, r1, r2, path)

    def tree_heads(self) -> list[TreeHead]:
        """Every signed tree head kept in the store, oldest first."""
        from privacy import audit_tree

        with self.engine.connect() as conn:
            return [th for _, th in audit_tree.tree_heads(conn)]

    def latest_tree_head(self) -> TreeHead | None:
        """The stored tree head of the largest size (the newest among equals)."""
        from privacy import audit_tree

        with self.engine.connect() as conn:
            return audit_tree.latest_tree_head(conn)

    def unpublished_tree_heads(self) -> list[tuple[int, TreeHead]]:
        from privacy import audit_tree

        with self.engine.connect() as conn:
            return audit_tree.tree_heads(conn, unpublished_only=True)

    def mark_tree_heads_published(self, ids: Iterable[int]) -> None:
        from privacy import audit_tree

        with self.engine.begin() as conn:
            audit_tree.mark_published(conn, ids)

    def sign_tree_head(self, private_key: Any, now_ms: int | None = None) -> TreeHead:
        """Sign and store a tree head over the whole log (RFC 9162 §4.9-4.10, Ed25519).

        Never signs a tree inconsistent with the newest head this key signed before: if the stored
        tree no longer has that head's root at that size (history rewritten, nodes recomputed) or
        is smaller (entries cut off), :class:`~privacy.merkle.ProofError` is raised and nothing is
        signed — a log must not sign two histories.
        """
        from cryptography.hazmat.primitives import serialization

        from privacy import audit_tree
        from privacy.merkle import ProofError, TreeHead

        own = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        with self.engine.begin() as conn:
            conn.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=audit_head.c.seq))
            seq = conn.execute(select(audit_head.c.seq).where(audit_head.c.id == 1)).scalar_one()
            self._sync_tree(conn, seq)
            previous = None
            for _, th in reversed(audit_tree.tree_heads(conn)):
                try:
                    th.verify(own)
                except ProofError:
                    continue  # not ours, or forged: it proves nothing about what we signed
                if previous is None or th.tree_size > previous.tree_size:
                    previous = th
            if previous is not None:
                if previous.tree_size > seq:
                    raise ProofError(f"the log ends at #{seq} but this key signed a tree of size {previous.tree_size} "
                                     f"at {audit_tree.utc_ms(previous.timestamp)}: entries were cut off")
                if audit_tree.root_at(conn, previous.tree_size) != previous.root_hash:
                    raise ProofError(f"the first {previous.tree_size} entries no longer have the root this key signed "
                                     f"at {audit_tree.utc_ms(previous.timestamp)}: the log was rewritten")
            ts = now_ms if now_ms is not None else int(time.time() * 1000)
            th = TreeHead.sign(private_key, seq, audit_tree.root_at(conn, seq), ts)
            audit_tree.store_tree_head(conn, th)
        return th

    # -- reading -------------------------------------------------------------------------------
    def head(self) -> tuple[int, str]:
        with self.engine.connect() as conn:
            row = conn.execute(select(audit_head.c.seq, audit_head.c.entry_hash).where(audit_head.c.id == 1)).first()
        return (row[0], row[1]) if row else (0, GENESIS)

    def count(self) -> int:
        from sqlalchemy import func

        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(audit_log)).scalar_one()

    def _query(self, *where: Any) -> list[Entry]:
        with self.engine.connect() as conn:
            return [_entry(r) for r in conn.execute(select(audit_log).where(*where).order_by(audit_log.c.seq))]

    def entries(self) -> list[Entry]:
        return self._query()

    def by_person(self, resident_ref: str | None = None, person_ref: str | None = None) -> list[Entry]:
        """A person's disclosures, by the audit pseudonym of the resident ID and/or of person_no.

        Notes carry no resident ID, so their entries have only ``person_ref``; a ``resident_ref``
        therefore also matches every ``person_ref`` that an entry with that ``resident_ref`` names
        (the settlement that carried both links them).
        """
        if not resident_ref and not person_ref:
            raise ValueError("give resident_ref or person_ref")
        refs = {person_ref} if person_ref else set()
        if resident_ref:
            with self.engine.connect() as conn:
                q = select(audit_log.c.person_ref).where(audit_log.c.resident_ref == resident_ref).distinct()
                refs.update(r for r in conn.execute(q).scalars() if r)
        conds = [audit_log.c.person_ref.in_(sorted(refs))] if refs else []
        if resident_ref:
            conds.append(audit_log.c.resident_ref == resident_ref)
        return self._query(or_(*conds))

    def by_insurer(self, insurer: str, since: datetime | None = None, until: datetime | None = None,
                   on: Literal["disclosed", "event"] = "disclosed") -> list[Entry]:
        """An insurer's disclosures with ``since <= time < until`` (disclosure time, or the record's)."""
        col = audit_log.c.disclosed_us if on == "disclosed" else audit_log.c.event_us
        where = [audit_log.c.insurer == insurer]
        if since is not None:
            where.append(col >= to_us(since))
        if until is not None:
            where.append(col < to_us(until))
        return self._query(*where)

    def by_consent(self, consent_id: str) -> list[Entry]:
        return self._query(audit_log.c.consent_id == consent_id)

    def _rows(self) -> Iterator[Any]:
        """Every row in seq order, read in pages (the log can be large)."""
        last = None
        while True:
            q = select(audit_log).order_by(audit_log.c.seq).limit(5000)
            if last is not None:
                q = q.where(audit_log.c.seq > last)
            with self.engine.connect() as conn:
                page = conn.execute(q).all()
            if not page:
                return
            yield from page
            last = page[-1]._mapping["seq"]

    # -- verification --------------------------------------------------------------------------
    def verify(self, checkpoint: Path | None | Literal["default"] = "default", max_problems: int = 100,
               tree_heads: Iterable[TreeHead] = (), public_key: bytes | None = None,
               max_unsigned_age_s: float | None = None, now_ms: int | None = None,
               published_events: Mapping[str, bytes] | None = None) -> VerifyResult:
        """Walk the log from entry 1 and check it against its tree and every signed tree head.

        Detected: an altered entry (its hash no longer matches its content, or a column no longer
        matches the hashed event), a removed entry (a gap in ``seq``, or a ``prev_hash`` that does
        not match the entry before), entries reordered (``prev_hash`` mismatch), a cut-off tail
        (the head row, the checkpoint, the stored tree), a stored tree node that the entries no
        longer produce — and, against each tree head (those kept in the store plus
        ``tree_heads``, e.g. read back from the governance topic): a bad signature, a root the
        log's first ``tree_size`` entries no longer hash to (history rewritten, even when the
        chain, head row and checkpoint were rewritten with it), a head larger than the log (cut
        off), two roots for one size (a fork), and entries no head covers although the newest
        head is older than ``max_unsigned_age_s`` (default 120 s; ``None`` for the default, a
        negative value to skip). ``public_key``: the log's key; without it every head must carry
        the same key. The walk resynchronises after a problem so later ones are reported too.

        ``published_events`` (``audit_tree.read_published_events``: the events on
        ``governance.audit.v1``): every entry must be one of them, byte for byte — an entry that
        was never published (``unpublished``: appended to the store by hand, whatever its hash,
        head row or later tree heads say) or differs from what was published (``altered``) is a
        problem. Published events not (yet) in the store are counted, not failed: the sink may lag.
        """
        from privacy import audit_tree
        from privacy.merkle import TreeBuilder, leaf_hash

        t0 = time.perf_counter()
        cp_path = self.checkpoint if checkpoint == "default" else checkpoint
        cp = read_checkpoint(cp_path)
        with self.engine.connect() as conn:
            heads = [th for _, th in audit_tree.tree_heads(conn)]
            tree_leaves = audit_tree.stored_size(conn)
        heads += list(tree_heads)
        wanted = {th.tree_size for th in heads}
        roots: dict[int, bytes] = {}
        builder, nodes = TreeBuilder(), audit_tree.StoredNodes(self.engine, tree_leaves)
        if 0 in wanted:
            roots[0] = builder.root()
        problems: list[Problem] = []
        seen: set[str] = set()
        expected_seq, head, n, cp_hash = 1, GENESIS, 0, None
        for row in self._rows():
            m = row._mapping
            n += 1
            for kind, message in _check_row(m, expected_seq, head):
                if len(problems) < max_problems:
                    problems.append(Problem(m["seq"], m["audit_id"], kind, message))
            if cp and cp["seq"] == m["seq"]:
                cp_hash = m["entry_hash"]
            head, expected_seq = m["entry_hash"], m["seq"] + 1
            ev = m["event"]
            if published_events is not None:
                seen.add(m["audit_id"])
                pub = published_events.get(m["audit_id"])
                body = ev.encode("utf-8") if isinstance(ev, str) else bytes(ev or b"")
                if pub is None and len(problems) < max_problems:
                    problems.append(Problem(m["seq"], m["audit_id"], "unpublished",
                                            f"entry #{m['seq']} ({m['audit_id']}) is not on governance.audit.v1: "
                                            "it was not disclosed through the pipeline (appended to the store by hand)"))
                elif pub is not None and pub != body and len(problems) < max_problems:
                    problems.append(Problem(m["seq"], m["audit_id"], "altered",
                                            f"entry #{m['seq']} ({m['audit_id']}) differs from the event published "
                                            "on governance.audit.v1"))
            nodes.check(builder.append(leaf_hash(ev.encode("utf-8") if isinstance(ev, str) else bytes(ev or b""))))
            if n in wanted:
                roots[n] = builder.root()
        last = expected_seq - 1
        problems.extend(self._check_tail(n, last, head, cp, cp_path, cp_hash))
        problems.extend(Problem(seq, None, kind, msg) for seq, kind, msg in nodes.problems(n))
        age = audit_tree.MAX_UNSIGNED_AGE_S if max_unsigned_age_s is None else max_unsigned_age_s
        summary, found = audit_tree.check_tree_heads(heads, roots, n, public_key, None if age < 0 else age,
                                                     now_ms if now_ms is not None else int(time.time() * 1000))
        problems.extend(Problem(seq, None, kind, msg) for seq, kind, msg in found)
        summary["root_hash"] = builder.root().hex()
        if published_events is not None:
            summary["published_events"] = len(published_events)
            summary["published_not_stored"] = len(set(published_events) - seen)
        return VerifyResult(ok=not problems, entries=n, head_seq=last, head_hash=head, problems=problems[:max_problems],
                            checkpoint=cp, seconds=time.perf_counter() - t0, tree=summary)

    def _check_tail(self, n: int, last: int, head: str, cp: dict[str, Any] | None, cp_path: Path | None,
                    cp_hash: str | None) -> list[Problem]:
        """The end of the log against the head row and the checkpoint (a cut-off tail)."""
        out = []
        db_seq, db_hash = self.head()
        if (n or db_seq) and (db_seq != last or db_hash != head):
            out.append(Problem(db_seq, None, "truncated",
                               f"the head row says the log ends at #{db_seq} but it ends at #{last}: entries "
                               "were cut off or the head was rewritten"))
        if cp is None:
            return out
        if cp.get("unreadable"):
            out.append(Problem(0, None, "checkpoint", f"checkpoint {cp_path} is unreadable"))
        elif cp["seq"] > last:
            out.append(Problem(cp["seq"], None, "truncated",
                               f"checkpoint {cp_path} says entry #{cp['seq']} exists, but the log ends at #{last}: "
                               "its tail was cut off"))
        elif cp["seq"] > 0 and cp_hash != cp["entry_hash"]:
            out.append(Problem(cp["seq"], None, "checkpoint",
                               f"entry #{cp['seq']} does not have the hash checkpoint {cp_path} recorded: "
                               "the log was rewritten up to it"))
        return out


def _check_row(m: Mapping[str, Any], expected_seq: int, head: str) -> list[tuple[str, str]]:
    """(kind, message) for what is wrong with one row, given the entry before it."""
    out = []
    seq, aid = m["seq"], m["audit_id"]
    if seq != expected_seq:
        missing = f"#{expected_seq}" if seq == expected_seq + 1 else f"#{expected_seq}..#{seq - 1}"
        out.append(("removed", f"entry {missing} missing: the log jumps from #{expected_seq - 1} to #{seq}"))
    elif m["prev_hash"] != head:
        out.append(("chain-break",
                    f"entry #{seq} ({aid}) does not follow entry #{seq - 1}: its prev_hash is not the hash of "
                    f"#{seq - 1} (an entry was removed, inserted or reordered, or #{seq - 1} rewritten)"))
    ev = m["event"]
    body = ev.encode("utf-8") if isinstance(ev, str) else bytes(ev or b"")
    try:
        recomputed = chain_hash(m["prev_hash"], body)
    except (TypeError, ValueError):  # prev_hash is not hex any more
        recomputed = None
    if recomputed != m["entry_hash"]:
        out.append(("altered", f"entry #{seq} ({aid}) was altered: its hash does not match its content"))
    else:
        bad = _column_mismatch(m, body)
        if bad:
            out.append(("altered", f"entry #{seq} ({aid}) was altered: {bad}"))
    return out


def _column_mismatch(m: Mapping[str, Any], body: bytes) -> str | None:
    """Which searchable column no longer matches the hashed event (None when all do)."""
    try:
        raw = json.loads(body.decode("utf-8"))
        if canonical(raw) != body:
            return "its event is not in canonical form"
        model = AuditEvent.model_validate(raw)
    except (ValueError, ValidationError, UnicodeDecodeError):
        return "its event no longer parses"
    cols = _columns(model, raw)
    for name in _DERIVED:
        if m[name] != cols[name]:
            return f"column {name} differs from the hashed event"
    return None


def person_refs(resident_id: str | None = None, person_no: str | None = None,
                cfg: Settings | None = None) -> tuple[str | None, str | None]:
    """(resident_ref, person_ref): the audit pseudonyms the router writes, for a lookup.

    Uses the existing ``pseudonym-audit`` key; raises ``FileNotFoundError`` if this home has none
    (then nothing was ever audited here, and creating a key would only find nothing).
    """
    from medshare.config import settings
    from privacy.pseudonym import Pseudonymiser

    cfg = cfg or settings()
    key = cfg.pipeline_dir / "pseudonym-audit.key"
    if not key.exists():
        raise FileNotFoundError(f"no audit pseudonym key at {key}")
    p = Pseudonymiser.for_project("audit", cfg=cfg)
    return (p.pseudonym(resident_id, domain="resident_id") if resident_id else None,
            p.pseudonym(person_no, domain="person_no") if person_no else None)
