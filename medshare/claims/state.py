"""The durable claim state: per person-year accumulators and the ledger of applied settlements.

Two tables (SQLAlchemy Core; a SQLite file ``claims.sqlite`` in ``settings().state_dir`` by
default, the ``MEDSHARE_STATE_URL`` database when one is set):

* ``claim_accumulators`` — one row per (insurer, product, person_key, year): deductible used and
  the amount paid per benefit, in 分. ``person_key`` is the per-insurer pseudonym of the person,
  never the person number.
* ``claim_ledger`` — one row per (insurer, settlement_id) applied: the claim id, the deltas the
  application made (so a refund can take back exactly those), the published result and audit
  event, the explanation, and where the input came from (topic:partition:offset).

Idempotency. The stream processor works in batches (:class:`ClaimBatch`): it reads state through
the batch (pending changes first, then the database), and :meth:`ClaimBatch.commit` writes every
change of the batch in **one** database transaction, in the processor's ``before_commit`` — so
the Kafka transaction commits only after the state is durable. A settlement already in the ledger
is never applied again:

* seen again **at the same input position** (the batch is being replayed because the process died
  after the database commit and before the Kafka commit): the stored result is published again,
  unchanged (status ``replay``);
* seen again at another position (the platform sent it twice): nothing (status ``duplicate``).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import msgspec
from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    bindparam,
    event,
    select,
    update,
)

from medshare.claims import engine as eng
from medshare.claims.products import Product

log = logging.getLogger("medshare.claims")

metadata = MetaData()

accumulators = Table(
    "claim_accumulators",
    metadata,
    Column("insurer", String(16), primary_key=True),
    Column("product_id", String(48), primary_key=True),
    Column("person_key", String(32), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("deductible_used", BigInteger, nullable=False),
    Column("caps_used", Text, nullable=False),
    Column("updated_at", String(40), nullable=False),
)

ledger = Table(
    "claim_ledger",
    metadata,
    Column("insurer", String(16), primary_key=True),
    Column("settlement_id", String(64), primary_key=True),
    Column("claim_id", String(96), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),  # settlement | refund
    Column("person_key", String(32), nullable=False, index=True),
    Column("product_id", String(48), nullable=False),
    Column("product_version", String(32), nullable=False),
    Column("year", Integer, nullable=False),
    Column("reverses", String(64)),  # a refund: the settlement whose effect it took back
    Column("reversed_by", String(64)),  # a settlement: the refund that took its effect back
    Column("deltas", Text, nullable=False),
    Column("total_payable", BigInteger, nullable=False),  # 分
    Column("consent_id", String(128)),
    Column("source", String(255)),
    Column("result", Text),
    Column("audit", Text),
    Column("explanation", Text, nullable=False),
    Column("applied_at", String(40), nullable=False),
)

#: the person's diagnoses seen on the platform (for pre-existing decisions): keyed by a pseudonym
#: of the person (project ``claims-history``), never the person number; date and ICD-10 code only
diagnoses = Table(
    "claim_diagnoses",
    metadata,
    Column("person_key", String(32), primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("code", String(16), primary_key=True),
)

AccKey = tuple[str, str, str, int]  # insurer, product_id, person_key, year

# statements built once (SQLAlchemy then reuses their compiled form): the hot path is two lookups
_ACC_WHERE = and_(accumulators.c.insurer == bindparam("k_insurer"), accumulators.c.product_id == bindparam("k_product"),
                  accumulators.c.person_key == bindparam("k_person"), accumulators.c.year == bindparam("k_year"))
_SELECT_ACC = select(accumulators.c.deductible_used, accumulators.c.caps_used).where(_ACC_WHERE)
_UPDATE_ACC = update(accumulators).where(_ACC_WHERE).values(
    deductible_used=bindparam("v_ded"), caps_used=bindparam("v_caps"), updated_at=bindparam("v_at"))
_LEDGER_COLUMNS = ("insurer", "settlement_id", "claim_id", "kind", "person_key", "product_id", "product_version", "year",
                   "reverses", "reversed_by", "deltas", "total_payable", "consent_id", "source", "result", "audit",
                   "explanation", "applied_at")
_INSERT_LEDGER_SQLITE = (f"INSERT INTO claim_ledger ({', '.join(_LEDGER_COLUMNS)}) "
                         f"VALUES ({', '.join('?' * len(_LEDGER_COLUMNS))})")
_SELECT_ENTRY = select(ledger).where(and_(ledger.c.insurer == bindparam("k_insurer"),
                                          ledger.c.settlement_id == bindparam("k_sid")))


def _acc_from_row(ded: Any, caps_text: str) -> eng.Accumulator:
    """A stored accumulator: ``{"caps_used": …, "deductibles_used": …}`` (older rows: flat caps, one deductible)."""
    d = json.loads(caps_text)
    if "caps_used" in d or "deductibles_used" in d:
        return eng.Accumulator.from_dict(d)
    return eng.Accumulator({"_legacy": int(ded)} if int(ded) else {}, {k: int(v) for k, v in d.items()})


def _acc_text(acc: eng.Accumulator) -> str:
    return _text(acc.as_dict())


def _key_params(key: AccKey) -> dict[str, Any]:
    return {"k_insurer": key[0], "k_product": key[1], "k_person": key[2], "k_year": key[3]}


def claims_database(cfg: Any = None) -> str:
    """The claim-state URL: ``MEDSHARE_STATE_URL`` if set, else ``<state_dir>/claims.sqlite``."""
    from medshare.config import settings

    cfg = cfg or settings()
    return cfg.state_url or f"sqlite:///{cfg.state_dir / 'claims.sqlite'}"


def claim_id(insurer: str, settlement_id: str) -> str:
    """Deterministic, so a replayed batch publishes the same claim id."""
    return f"{insurer}-{settlement_id}"


@dataclass
class LedgerEntry:
    insurer: str
    settlement_id: str
    claim_id: str
    kind: str
    person_key: str
    product_id: str
    product_version: str
    year: int
    deltas: eng.Deltas
    total_payable: int
    explanation: dict[str, Any]
    reverses: str | None = None
    reversed_by: str | None = None
    consent_id: str | None = None
    source: str | None = None
    result: dict[str, Any] | None = None
    audit: dict[str, Any] | None = None
    applied_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="milliseconds"))
    #: ``result``/``audit`` -> (the object, its JSON): encoded once for the ledger row and the message
    _encoded: dict[str, tuple[Any, bytes]] = field(default_factory=dict, repr=False, compare=False)

    def json_bytes(self, name: str) -> bytes | None:
        """``result`` or ``audit`` as sorted compact JSON (None if unset), encoded once: the ledger row
        stores this text and the claim-result and audit messages carry these bytes
        (``medshare.envelope.encode_value`` is the same encoding)."""
        obj = getattr(self, name)
        if obj is None:
            return None
        hit = self._encoded.get(name)
        if hit is not None and hit[0] is obj:
            return hit[1]
        raw = _JSON.encode(obj)
        self._encoded[name] = (obj, raw)
        return raw

    def _json_text(self, name: str) -> str | None:
        raw = self.json_bytes(name)
        return None if raw is None else raw.decode("utf-8")

    @property
    def key(self) -> AccKey:
        return (self.insurer, self.product_id, self.person_key, self.year)

    def row(self) -> dict[str, Any]:
        return {
            "insurer": self.insurer, "settlement_id": self.settlement_id, "claim_id": self.claim_id,
            "kind": self.kind, "person_key": self.person_key, "product_id": self.product_id,
            "product_version": self.product_version, "year": self.year, "reverses": self.reverses,
            "reversed_by": self.reversed_by, "deltas": _text(self.deltas.as_dict()),
            "total_payable": self.total_payable, "consent_id": self.consent_id, "source": self.source,
            "result": self._json_text("result"), "audit": self._json_text("audit"),
            "explanation": _text(self.explanation),
            "applied_at": self.applied_at,
        }

    def row_tuple(self) -> tuple[Any, ...]:
        """:meth:`row` in :data:`_LEDGER_COLUMNS` order (the SQLite commit's executemany)."""
        return (self.insurer, self.settlement_id, self.claim_id, self.kind, self.person_key, self.product_id,
                self.product_version, self.year, self.reverses, self.reversed_by, _text(self.deltas.as_dict()),
                self.total_payable, self.consent_id, self.source, self._json_text("result"), self._json_text("audit"),
                _text(self.explanation), self.applied_at)

    @classmethod
    def from_row(cls, r: Mapping[str, Any]) -> LedgerEntry:
        return cls(
            insurer=r["insurer"], settlement_id=r["settlement_id"], claim_id=r["claim_id"], kind=r["kind"],
            person_key=r["person_key"], product_id=r["product_id"], product_version=r["product_version"],
            year=r["year"], deltas=eng.Deltas.from_dict(json.loads(r["deltas"])),
            total_payable=r["total_payable"], explanation=json.loads(r["explanation"]), reverses=r["reverses"],
            reversed_by=r["reversed_by"], consent_id=r["consent_id"], source=r["source"],
            result=json.loads(r["result"]) if r["result"] else None,
            audit=json.loads(r["audit"]) if r["audit"] else None, applied_at=r["applied_at"],
        )


_JSON = msgspec.json.Encoder(order="sorted")


def _text(obj: Any) -> str:
    """Sorted, compact JSON text (msgspec: the row's four JSON columns were a third of a commit)."""
    return _JSON.encode(obj).decode("utf-8")


@dataclass
class Application:
    """What applying one event did: ``new`` (apply and publish), ``replay`` (publish the stored
    result again), ``duplicate`` / ``nothing`` (publish nothing)."""

    status: Literal["new", "replay", "duplicate", "nothing"]
    entry: LedgerEntry | None = None
    outcome: eng.Outcome | None = None
    reason: str = ""


class ClaimStore:
    """The accumulator and ledger tables (create on open)."""

    def __init__(self, url: str | Engine | None = None) -> None:
        from privacy.consent import _engine, create_tables

        if isinstance(url, Engine):
            self.engine = url
        else:
            self.engine = _engine(url or claims_database())
        create_tables(self.engine, metadata)
        self._checkpointer: tuple[threading.Event, threading.Thread] | None = None
        #: committed state kept in memory (:meth:`cache_committed_state`); None: every batch reads it
        self.cache: StateCache | None = None

    def cache_committed_state(self, limit: int = 200_000) -> None:
        """Serve the accumulators and diagnosis histories a batch needs from memory, read once.

        For the claims processor only: it is the only writer of the claim state of the persons on
        its partitions (one instance per partition; every write goes through :meth:`ClaimBatch.commit`),
        so what it read or committed stays exact while it holds them. The cache is emptied when the
        partitions are assigned again (:meth:`forget`: another instance may have written them
        meanwhile), when a commit fails, and for a person whose settlement is found already in the
        ledger (a replayed batch, a duplicate, or an earlier owner's late commit: the database may
        know more than the cache). The ledger itself is always read from the database (a duplicate
        settlement can come at any time). ``limit``: at most this many person-products and
        histories; the cache is emptied when it reaches it (the next batches read them again).
        """
        self.cache = StateCache(limit)

    def forget(self) -> None:
        """Empty the in-memory state (after a partition assignment or a failed commit)."""
        if self.cache is not None:
            self.cache = StateCache(self.cache.limit)

    @classmethod
    def memory(cls) -> ClaimStore:
        return cls("sqlite://")

    def checkpoint_in_background(self, every_s: float = 1.0) -> bool:
        """Take SQLite's WAL checkpoints off the commit path (the claims processor calls this).

        By default the connection whose commit takes the WAL past 1,000 pages copies them back
        into the database inside that commit: ≈6 ms more on one batch commit in ten (measured),
        in the middle of a 直赔 batch. After this call this store's connections never checkpoint;
        a daemon thread runs a PASSIVE checkpoint every ``every_s`` on a connection of its own
        (it never blocks the writer, and sqlite3 releases the GIL while it works). Durability is
        unchanged: a commit is in the WAL either way. Returns False (and does nothing) for an
        in-memory or non-SQLite store.
        """
        path = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not path or path == ":memory:" or self._checkpointer:
            return False

        @event.listens_for(self.engine, "connect")
        def _no_autocheckpoint(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA wal_autocheckpoint = 0")

        self.engine.dispose()  # pooled connections made before the listener reconnect with it
        stop = threading.Event()

        def run() -> None:
            conn = sqlite3.connect(path, check_same_thread=False)
            try:
                conn.execute("PRAGMA busy_timeout = 5000")
                while not stop.wait(every_s):
                    try:
                        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    except sqlite3.Error as exc:  # a busy database: the next round catches up
                        log.warning("claim state checkpoint failed: %s", exc)
            finally:
                conn.close()

        thread = threading.Thread(target=run, name="claims-checkpoint", daemon=True)
        thread.start()
        self._checkpointer = (stop, thread)
        return True

    def close(self) -> None:
        if self._checkpointer:
            stop, thread = self._checkpointer
            stop.set()
            thread.join(timeout=5)
            self._checkpointer = None
        self.engine.dispose()

    def batch(self) -> ClaimBatch:
        return ClaimBatch(self)

    # --- reads ---------------------------------------------------------------------------
    def accumulator(self, key: AccKey) -> eng.Accumulator:
        return self._accumulator(key)[0]

    def _accumulator(self, key: AccKey) -> tuple[eng.Accumulator, bool]:
        """(accumulator, whether a row exists)."""
        with self.engine.connect() as c:
            row = c.execute(_SELECT_ACC, _key_params(key)).first()
        if row is None:
            return eng.Accumulator(), False
        return _acc_from_row(row[0], row[1]), True

    def entry(self, insurer: str, settlement_id: str) -> LedgerEntry | None:
        with self.engine.connect() as c:
            row = c.execute(_SELECT_ENTRY, {"k_insurer": insurer, "k_sid": settlement_id}).mappings().first()
        return LedgerEntry.from_row(row) if row else None

    def entries(self, settlement_id: str | None = None, insurer: str | None = None,
                person_key: str | None = None) -> list[LedgerEntry]:
        q = select(ledger)
        if settlement_id is not None:
            q = q.where(ledger.c.settlement_id == settlement_id)
        if insurer is not None:
            q = q.where(ledger.c.insurer == insurer)
        if person_key is not None:
            q = q.where(ledger.c.person_key == person_key)
        with self.engine.connect() as c:
            return [LedgerEntry.from_row(r) for r in c.execute(q.order_by(ledger.c.applied_at)).mappings()]

    def accumulators(self, insurer: str | None = None) -> dict[AccKey, eng.Accumulator]:
        q = select(accumulators)
        if insurer is not None:
            q = q.where(accumulators.c.insurer == insurer)
        with self.engine.connect() as c:
            return {(r["insurer"], r["product_id"], r["person_key"], r["year"]):
                    _acc_from_row(r["deductible_used"], r["caps_used"]) for r in c.execute(q).mappings()}

    def history(self, person_key: str) -> tuple[tuple[str, str], ...]:
        """(day, code) of the person's diagnoses stored so far."""
        with self.engine.connect() as c:
            return tuple(sorted((r[0], r[1]) for r in c.execute(
                select(diagnoses.c.day, diagnoses.c.code).where(diagnoses.c.person_key == person_key))))


@dataclass
class StateCache:
    """Committed claim state in memory (:meth:`ClaimStore.cache_committed_state`)."""

    limit: int
    #: (insurer, product_id, person_key) -> year -> accumulator, for every year with a row
    persons: dict[tuple[str, str, str], dict[int, eng.Accumulator]] = field(default_factory=dict)
    #: history key -> (day, code) of every stored diagnosis
    history: dict[str, frozenset[tuple[str, str]]] = field(default_factory=dict)


class ClaimBatch:
    """A unit of work: reads see its own pending changes; :meth:`commit` writes them in one transaction."""

    def __init__(self, store: ClaimStore) -> None:
        self.store = store
        self._acc: dict[AccKey, eng.Accumulator] = {}
        self._dirty: set[AccKey] = set()
        self._new: dict[tuple[str, str], LedgerEntry] = {}
        self._reversed: dict[tuple[str, str], str] = {}
        self._exists: set[AccKey] = set()
        #: read ahead by :meth:`prefetch`: stored ledger entries (None: not in the ledger) and the
        #: (insurer, product, person_key) whose accumulator rows of every year are in ``_acc``
        self._stored: dict[tuple[str, str], LedgerEntry | None] = {}
        self._complete: set[tuple[str, str, str]] = set()
        #: history key -> (day, code) stored (read ahead) and new in this batch
        self._history: dict[str, set[tuple[str, str]]] = {}
        self._new_dx: set[tuple[str, str, str]] = set()
        #: settlement id -> entries staged for it in this batch (payer coordination)
        self._by_sid: dict[str, list[LedgerEntry]] = {}
        #: what to undo back to a savepoint (see :meth:`savepoint`)
        self._undo: list[tuple[Any, ...]] = []

    def _stored_history(self, hkey: str) -> set[tuple[str, str]]:
        if hkey not in self._history:
            cache = self.store.cache
            cached = cache.history.get(hkey) if cache is not None else None
            self._history[hkey] = set(cached) if cached is not None else set(self.store.history(hkey))
        return self._history[hkey]

    def history(self, hkey: str) -> tuple[tuple[str, str], ...]:
        """The person's diagnoses (day, code): stored plus those recorded in this batch."""
        return tuple(sorted(self._stored_history(hkey)))

    def record_diagnoses(self, hkey: str, claim: Any) -> None:
        """Remember the settlement's diagnoses for the person (written with the batch)."""
        have = self._stored_history(hkey)
        for code in claim.diagnoses:
            if (claim.day, code) not in have:
                have.add((claim.day, code))
                self._new_dx.add((hkey, claim.day, code))
                self._undo.append(("dx", (hkey, claim.day, code)))

    def prefetch_history(self, hkeys: Iterable[str]) -> None:
        wanted = {k for k in hkeys if k not in self._history}
        cache = self.store.cache
        if cache is not None:
            for k in [k for k in wanted if k in cache.history]:
                self._history[k] = set(cache.history[k])
                wanted.discard(k)
        if not wanted:
            return
        ordered = sorted(wanted)
        for k in ordered:
            self._history[k] = set()
        with self.store.engine.connect() as c:
            for chunk in _chunks(ordered):
                q = select(diagnoses.c.person_key, diagnoses.c.day, diagnoses.c.code).where(
                    diagnoses.c.person_key.in_(chunk))
                for r in c.execute(q):
                    self._history[r[0]].add((r[1], r[2]))

    def paid_by_others(self, settlement_id: str, insurer: str) -> dict[str, int]:
        """What the other commercial payers in medshare already paid for ``settlement_id`` (分), by product."""
        out: dict[str, int] = {}
        for e in self._by_sid.get(settlement_id, ()):
            if (e.insurer != insurer and e.kind == "settlement" and e.total_payable
                    and self._new.get((e.insurer, settlement_id)) is e):  # not rolled back since
                out[e.product_id] = out.get(e.product_id, 0) + e.total_payable
        return out

    def prefetch(self, settlements: Iterable[tuple[str, str]] = (),
                 persons: Iterable[tuple[str, str, str]] = ()) -> None:
        """Read the batch's state in a few queries instead of two per settlement.

        ``settlements``: (insurer, settlement_id) whose ledger entries the batch will look up;
        ``persons``: (insurer, product_id, person_key) whose accumulators (all years) it may use.
        Reads after this come from memory; anything not prefetched is still read on demand.
        """
        by_insurer: dict[str, set[str]] = {}
        for insurer, sid in settlements:
            if (insurer, sid) not in self._stored and (insurer, sid) not in self._new:
                by_insurer.setdefault(insurer, set()).add(sid)
        persons = set(persons)
        if not by_insurer and not persons:
            return
        with self.store.engine.connect() as c:
            self._prefetch_ledger(c, by_insurer)
            self._prefetch_accumulators(c, persons)

    def _prefetch_ledger(self, c: Any, by_insurer: dict[str, set[str]]) -> None:
        for insurer, sids in by_insurer.items():
            wanted = sorted(sids)
            for chunk in _chunks(wanted):
                q = select(ledger).where(ledger.c.insurer == insurer, ledger.c.settlement_id.in_(chunk))
                for row in c.execute(q).mappings():
                    entry = LedgerEntry.from_row(row)
                    self._stored[(insurer, entry.settlement_id)] = entry
                    self._forget_cached(entry)
            for sid in wanted:
                self._stored.setdefault((insurer, sid), None)

    def _prefetch_accumulators(self, c: Any, persons: set[tuple[str, str, str]]) -> None:
        cache = self.store.cache
        by_product: dict[tuple[str, str], set[str]] = {}
        for person in persons:
            if person in self._complete:
                continue
            years = cache.persons.get(person) if cache is not None else None
            if years is not None:  # committed state this process read or wrote: exact (see the store)
                for year, acc in years.items():
                    key = (*person, year)
                    if key not in self._acc:
                        self._acc[key] = acc
                        self._exists.add(key)
                self._complete.add(person)
                continue
            by_product.setdefault(person[:2], set()).add(person[2])
        for (insurer, product_id), keys in by_product.items():
            wanted = sorted(keys)
            for chunk in _chunks(wanted):
                q = select(accumulators).where(accumulators.c.insurer == insurer,
                                               accumulators.c.product_id == product_id,
                                               accumulators.c.person_key.in_(chunk))
                for r in c.execute(q).mappings():
                    key = (insurer, product_id, r["person_key"], r["year"])
                    if key not in self._acc:
                        self._acc[key] = _acc_from_row(r["deductible_used"], r["caps_used"])
                        self._exists.add(key)
            self._complete.update((insurer, product_id, k) for k in wanted)

    def _forget_cached(self, entry: LedgerEntry) -> None:
        """A settlement found in the ledger: its person's state may be newer in the database than in
        the store's cache (a replayed batch, an earlier owner's late commit), so read it again."""
        cache = self.store.cache
        if cache is None:
            return
        person = (entry.insurer, entry.product_id, entry.person_key)
        if cache.persons.pop(person, None) is not None and person in self._complete:
            self._complete.discard(person)
            for key in [k for k in self._acc if k[:3] == person and k not in self._dirty]:
                del self._acc[key]
                self._exists.discard(key)

    def __len__(self) -> int:
        return len(self._new)

    def accumulator(self, key: AccKey) -> eng.Accumulator:
        if key not in self._acc:
            if key[:3] in self._complete:  # prefetched: no row for this year
                self._acc[key] = eng.Accumulator()
            else:
                self._acc[key], exists = self.store._accumulator(key)
                if exists:
                    self._exists.add(key)
        return self._acc[key]

    def _stored_entry(self, insurer: str, settlement_id: str) -> LedgerEntry | None:
        if (insurer, settlement_id) in self._stored:
            return self._stored[(insurer, settlement_id)]
        entry = self.store.entry(insurer, settlement_id)
        if entry is not None:
            self._forget_cached(entry)
        return entry

    def entry(self, insurer: str, settlement_id: str) -> LedgerEntry | None:
        e = self._new.get((insurer, settlement_id)) or self._stored_entry(insurer, settlement_id)
        if e is not None and (insurer, settlement_id) in self._reversed:
            e.reversed_by = self._reversed[(insurer, settlement_id)]
        return e

    def _seen(self, insurer: str, settlement_id: str, source: str | None) -> Application | None:
        old = self.entry(insurer, settlement_id)
        if old is None:
            return None
        if source is not None and old.source == source and (insurer, settlement_id) not in self._new:
            return Application("replay", old, reason="same input position: republish the stored result")
        return Application("duplicate", old, reason=f"settlement {settlement_id} already applied for {insurer}")

    def apply_settlement(self, product: Product, claim: Any, insurer: str, person_key: str,
                         terms: eng.Terms = eng.NO_TERMS, consent_id: str | None = None,
                         source: str | None = None, policy_no: str | None = None,
                         others: Mapping[str, int] | None = None) -> Application:
        """Apply claimable settlement ``claim`` (:mod:`medshare.claims.claimable`) for ``insurer``.

        ``others``: what payers outside this batch's ledger paid (the calculator's input); the
        products applied before this one to the same settlement in this batch are added. A
        platform record (a mapping) is put through the adapter first.
        """
        if isinstance(claim, Mapping):
            from medshare.claims.claimable import to_claimable

            claim = to_claimable(claim)
        sid = claim.settlement_id
        seen = self._seen(insurer, sid, source)
        if seen is not None:
            return seen
        year = claim.year
        key: AccKey = (insurer, product.product_id, person_key, year)
        paid = {**(others or {}), **self.paid_by_others(sid, insurer)}
        outcome = eng.compute(product, claim, self.accumulator(key), terms, paid)
        explanation = {**outcome.explanation, "policy_no": policy_no}
        entry = LedgerEntry(insurer, sid, claim_id(insurer, sid), "settlement", person_key, product.product_id,
                            product.version, year, outcome.deltas, outcome.total, explanation,
                            consent_id=consent_id, source=source)
        self._stage(entry, key, outcome.after)
        return Application("new", entry, outcome)

    def apply_refund(self, products: Any, record: Mapping[str, Any], insurer: str,
                     source: str | None = None) -> Application:
        """Take back exactly what the refunded settlement's application did (if it was applied)."""
        sid, original_id = str(record["settlement_id"]), record.get("refund_of")
        seen = self._seen(insurer, sid, source)
        if seen is not None:
            return seen
        original = self.entry(insurer, str(original_id)) if original_id else None
        if original is None or original.kind != "settlement":
            return Application("nothing", reason=f"{original_id} was not applied for {insurer}")
        if original.reversed_by:
            return Application("duplicate", original, reason=f"{original_id} was already reversed by "
                                                              f"{original.reversed_by}")
        product = products.version(original.product_id, original.product_version) \
            if hasattr(products, "version") else products
        if product is None:
            return Application("nothing", reason=f"product {original.product_id}@{original.product_version} "
                                                   "is no longer loaded")
        key = original.key
        outcome = eng.reverse(product, original.deltas, self.accumulator(key), original.settlement_id,
                              eng.Terms(plan=original.explanation.get("plan"),
                                        claim_free_years=int(original.explanation.get("claim_free_years") or 0)))
        entry = LedgerEntry(insurer, sid, claim_id(insurer, sid), "refund", original.person_key, original.product_id,
                            original.product_version, original.year, outcome.deltas, outcome.total,
                            {**outcome.explanation, "policy_no": original.explanation.get("policy_no")},
                            reverses=original.settlement_id, consent_id=original.consent_id,
                            source=source)
        self._stage(entry, key, outcome.after)
        rk = (insurer, original.settlement_id)
        self._undo.append(("rev", rk, self._reversed.get(rk, _MISSING)))
        self._reversed[rk] = sid
        if rk in self._new:
            self._undo.append(("flag", self._new[rk], self._new[rk].reversed_by))
            self._new[rk].reversed_by = sid
        return Application("new", entry, outcome)

    def _stage(self, entry: LedgerEntry, key: AccKey, after: eng.Accumulator) -> None:
        k = (entry.insurer, entry.settlement_id)
        self._undo.append(("new", k, self._new.get(k, _MISSING), key, self._acc.get(key, _MISSING),
                           key in self._dirty))
        self._new[k] = entry
        self._by_sid.setdefault(entry.settlement_id, []).append(entry)
        self._acc[key] = after
        self._dirty.add(key)

    def commit(self) -> int:
        """Write the batch in one transaction; returns the number of ledger entries written."""
        if not self._new and not self._dirty and not self._new_dx:
            self._cache_committed()
            n = 0
        else:
            now = datetime.now(UTC).isoformat(timespec="milliseconds")
            try:
                with self.store.engine.begin() as c:
                    if self.store.engine.dialect.name == "sqlite":
                        self._write_sqlite(c, now)
                    else:
                        self._write(c, now)
            except BaseException:
                self.store.forget()  # what failed may have been a write the cache did not know about
                raise
            self._cache_committed()
            n = len(self._new)
        self.rollback()
        return n

    def _accumulator_rows(self) -> tuple[list[AccKey], list[AccKey]]:
        updates, inserts = [], []
        for key in self._dirty:
            (updates if key in self._exists else inserts).append(key)
        return updates, inserts

    def _write_sqlite(self, c: Any, now: str) -> None:
        """The batch's rows with the driver's executemany: SQLAlchemy's per-row parameter processing
        was most of the commit (≈0.1 ms per settlement of 0.2, measured)."""
        if self._new:
            c.exec_driver_sql(_INSERT_LEDGER_SQLITE, [e.row_tuple() for e in self._new.values()])
        for (insurer, sid), by in self._reversed.items():
            if (insurer, sid) not in self._new:
                c.exec_driver_sql("UPDATE claim_ledger SET reversed_by = ? WHERE insurer = ? AND settlement_id = ?",
                                  (by, insurer, sid))
        updates, inserts = self._accumulator_rows()
        acc = self._acc
        if updates:
            c.exec_driver_sql("UPDATE claim_accumulators SET deductible_used = ?, caps_used = ?, updated_at = ? "
                              "WHERE insurer = ? AND product_id = ? AND person_key = ? AND year = ?",
                              [(acc[k].deductible_used, _acc_text(acc[k]), now, *k) for k in updates])
        if inserts:
            c.exec_driver_sql("INSERT INTO claim_accumulators (insurer, product_id, person_key, year, "
                              "deductible_used, caps_used, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                              [(*k, acc[k].deductible_used, _acc_text(acc[k]), now) for k in inserts])
        if self._new_dx:
            c.exec_driver_sql("INSERT OR IGNORE INTO claim_diagnoses (person_key, day, code) VALUES (?, ?, ?)",
                              sorted(self._new_dx))

    def _write(self, c: Any, now: str) -> None:
        if self._new:
            c.execute(ledger.insert(), [e.row() for e in self._new.values()])
        for (insurer, sid), by in self._reversed.items():
            if (insurer, sid) not in self._new:
                c.execute(update(ledger).where(and_(ledger.c.insurer == insurer, ledger.c.settlement_id == sid))
                          .values(reversed_by=by))
        updates, inserts = self._accumulator_rows()
        if updates:
            c.execute(_UPDATE_ACC, [{**_key_params(k), "v_ded": self._acc[k].deductible_used,
                                     "v_caps": _acc_text(self._acc[k]), "v_at": now} for k in updates])
        if inserts:
            c.execute(accumulators.insert(), [{"insurer": k[0], "product_id": k[1], "person_key": k[2], "year": k[3],
                                               "deductible_used": self._acc[k].deductible_used,
                                               "caps_used": _acc_text(self._acc[k]), "updated_at": now}
                                              for k in inserts])
        if self._new_dx:
            c.execute(diagnoses.insert().prefix_with("OR IGNORE", dialect="sqlite"),
                      [{"person_key": k, "day": d, "code": x} for k, d, x in sorted(self._new_dx)])

    def _cache_committed(self) -> None:
        """After a successful commit: what the batch read and wrote is the committed state."""
        cache = self.store.cache
        if cache is None:
            return
        if len(cache.persons) + len(self._complete) > cache.limit or \
                len(cache.history) + len(self._history) > cache.limit:
            self.store.forget()
            cache = self.store.cache
            assert cache is not None
        rows: dict[tuple[str, str, str], dict[int, eng.Accumulator]] = {}
        for key, acc in self._acc.items():
            if key in self._exists or key in self._dirty:
                rows.setdefault(key[:3], {})[key[3]] = acc
        for person in self._complete:
            cache.persons[person] = rows.get(person, {})
        for key in self._dirty:  # a row written for a person not read whole: read it again next time
            if key[:3] not in self._complete:
                cache.persons.pop(key[:3], None)
        for hkey, have in self._history.items():
            cache.history[hkey] = frozenset(have)

    def savepoint(self) -> int:
        """A mark to :meth:`restore` to if processing one message fails half-way (the length of the
        undo log: a mark costs nothing, a restore undoes the changes made since, newest first)."""
        return len(self._undo)

    def restore(self, mark: int) -> None:
        while len(self._undo) > mark:
            op = self._undo.pop()
            if op[0] == "new":
                _, k, old, key, old_acc, was_dirty = op
                if old is _MISSING:
                    self._new.pop(k, None)
                else:
                    self._new[k] = old
                if old_acc is _MISSING:
                    self._acc.pop(key, None)
                else:
                    self._acc[key] = old_acc
                if not was_dirty:
                    self._dirty.discard(key)
            elif op[0] == "rev":
                if op[2] is _MISSING:
                    self._reversed.pop(op[1], None)
                else:
                    self._reversed[op[1]] = op[2]
            elif op[0] == "flag":
                op[1].reversed_by = op[2]
            elif op[0] == "dx":
                hkey, day, code = op[1]
                self._new_dx.discard(op[1])
                self._history.get(hkey, set()).discard((day, code))

    def rollback(self) -> None:
        self._new, self._dirty, self._reversed, self._acc, self._exists = {}, set(), {}, {}, set()
        self._stored, self._complete = {}, set()
        self._history, self._new_dx, self._by_sid = {}, set(), {}
        self._undo: list[tuple[Any, ...]] = []


_MISSING = object()


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    """Slices of at most ``size`` (SQLite allows a limited number of bound parameters)."""
    for i in range(0, len(items), size):
        yield items[i:i + size]
