"""Consent registry (个人授权): may this person's record go to insurer I for purpose P?

Event-sourced from ``platform.consents.v1`` (docs/conventions.md). Two layers:

* :class:`ConsentStore` — the append-only event log in a SQL database (SQLAlchemy Core; a SQLite
  file at ``settings().state_database`` by default, Postgres through a ``postgresql://`` URL, an
  in-memory SQLite for tests). Every event is stored once (idempotent by ``event_id``) with the
  time it was *applied* and its application sequence number. The log answers history questions.
* :class:`ConsentRegistry` — an in-memory index folded from the log at start (and caught up with
  :meth:`~ConsentRegistry.refresh`), on the router's hot path: :meth:`~ConsentRegistry.check` is
  a dict lookup and a few integer comparisons.

Semantics (what :meth:`ConsentRegistry.check` answers)
------------------------------------------------------
``check(person_no, insurer, purpose, at, categories)`` — ``at`` is the time of the record to
disclose (a settlement's ``event_time``). It is *allowed* iff some consent ``C`` for exactly
(person_no, insurer, purpose):

1. has a ``grant`` event applied, and **no ``revoke`` of ``C.consent_id`` has been applied** —
   whatever the revoke's own ``event_time`` and whatever ``at`` is. A revocation therefore blocks
   every check made after it is applied, including records whose event time is earlier than the
   revocation (a late settlement from last month is not disclosed after the person said stop).
   Revokes are kept as tombstones by ``consent_id``: a revoke applied *before* its grant (events
   out of order) still wins, and so does a grant replayed after its revoke.
2. covers the record's time: ``valid_from <= at < valid_to`` — expiry is judged at the record's
   time, so a settlement from inside the window may still be routed after ``valid_to`` has passed
   (a claim processed late for care the consent covered). Pass ``now=`` (the decision time) to
   refuse that too: then also ``now < valid_to`` is required (strict expiry, e.g. for backfills);
3. covers the data categories asked for (``categories ⊆ data_categories``).

``check`` reads no clock: its answer depends only on the events applied and its arguments, so a
replay of the same stream decides the same way whatever day it runs.

As of a publish time (stream processors)
----------------------------------------
Each event read from ``platform.consents.v1`` is stored with the publish time of its message
(``published_us``). The router and the claims processor call ``check(..., asof_us=P)`` with the
publish time ``P`` of the record they decide: only events published at or before ``P`` count — a
grant published later is unknown to the record, a revocation published later does not stop it,
an amendment published later does not change its terms (the older terms are kept for this). The
answer then depends on the streams alone, not on how far the store has got: consent-sync storing
a revocation ahead of the router, or a batch that crashed after storing one and before its Kafka
commit, cannot change what an earlier-published record gets (docs/streams.md). Events applied
without a publish time (a file) count for every record: a grant allows, a revocation stops all.

A re-grant after a revoke is a new consent (new ``consent_id``) and works as any grant. A grant
event for a ``consent_id`` already known to the same (person, insurer, purpose) amends its terms
(latest applied wins); one naming a *different* person, insurer or purpose is rejected. Because
revocation depends on application, not on event times, the final state is independent of the order
grants and revokes arrive in, and rebuilding from the log gives the same answers.

History: the log keeps ``applied_at`` beside each event's ``event_time``, so
:meth:`ConsentRegistry.in_force_at` can replay exactly what ``check`` would have answered at a past
decision time, and show when the person revoked (``revoked_at``) versus when the pipeline learned
of it (``revoke_applied_at``).

Data minimisation: the registry needs ``person_no`` (the platform's partition key) but never
``resident_id``; events are parsed into :class:`ConsentEvent`, which has no ``resident_id`` field,
so the ID number is neither indexed nor written to the log. The state store is pipeline-internal
(the ``state/`` folder of a medshare home, or a pipeline-only database).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, NamedTuple

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
    create_engine,
    event,
    func,
    or_,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.pool import StaticPool

from privacy.agreements import SHANGHAI, Category, Purpose

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_ID = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"

# --- reasons a decision gives (stable codes: the audit log and metrics count them) --------------
IN_FORCE = "in-force"
NO_CONSENT = "no-consent"
REVOKED = "revoked"
NOT_YET_VALID = "not-yet-valid"
EXPIRED = "expired"
CATEGORIES_NOT_COVERED = "categories-not-covered"
#: when several consents fail, the reason of the one that came closest is reported
_REASON_RANK = {REVOKED: 1, NOT_YET_VALID: 2, EXPIRED: 3, CATEGORIES_NOT_COVERED: 4}


def to_us(t: datetime) -> int:
    """Exact epoch microseconds of an aware datetime (``ValueError`` for a naive one)."""
    try:
        return (t - EPOCH) // _US
    except TypeError:
        raise ValueError(f"time {t!r} has no UTC offset; consent times must be timezone-aware") from None


def from_us(us: int) -> datetime:
    """Epoch microseconds as a Shanghai-time datetime (how the platform writes times)."""
    return (EPOCH + timedelta(microseconds=us)).astimezone(SHANGHAI)


class ConsentEventError(ValueError):
    """A consent event could not be parsed or contradicts the registry."""


# --- events ---------------------------------------------------------------------------------


class ConsentEvent(BaseModel):
    """One ``platform.consents.v1`` record, minus what the registry must not keep.

    Unknown fields — ``resident_id`` among them — are ignored on purpose (data minimisation).
    """

    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)

    event_id: str = Field(pattern=_ID)
    consent_id: str = Field(pattern=_ID)
    action: Literal["grant", "revoke"]
    person_no: str = Field(min_length=1, max_length=64)
    insurer_code: str = Field(pattern=r"^[a-z][a-z0-9]{1,15}$")
    purpose: Purpose
    data_categories: tuple[Category, ...] = ()
    valid_from: AwareDatetime | None = None
    valid_to: AwareDatetime | None = None
    channel: str | None = Field(default=None, max_length=32)
    event_time: AwareDatetime
    #: the notice (告知书) the person consented on: ``sha256:<hex>`` (privacy.notice)
    notice_id: str | None = Field(default=None, pattern=r"^sha256:[0-9a-f]{64}$")

    @model_validator(mode="after")
    def _grant_terms(self) -> ConsentEvent:
        if self.action == "grant":
            if self.valid_from is None or self.valid_to is None:
                raise ValueError("a grant needs valid_from and valid_to")
            if self.valid_to <= self.valid_from:
                raise ValueError("valid_to must be after valid_from")
            if not self.data_categories:
                raise ValueError("a grant needs at least one data category")
        return self

    @classmethod
    def parse(cls, record: Mapping[str, Any] | ConsentEvent) -> ConsentEvent:
        """Validate a record; raises :class:`ConsentEventError` with a one-line reason."""
        if isinstance(record, ConsentEvent):
            return record
        try:
            return cls.model_validate(record)
        except ValidationError as exc:
            raise ConsentEventError(_one_line(exc)) from None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.person_no, self.insurer_code, self.purpose)


def _one_line(exc: ValidationError) -> str:
    parts = []
    for e in exc.errors():
        where = ".".join(str(p) for p in e["loc"])
        parts.append(f"{where}: {e['msg']}" if where else e["msg"])
    return "; ".join(parts)


@dataclass(frozen=True)
class StoredEvent:
    """An event as the log holds it: application sequence number and time added."""

    seq: int
    event_id: str
    consent_id: str
    action: str
    person_no: str
    insurer_code: str
    purpose: str
    data_categories: tuple[str, ...]
    valid_from: datetime | None
    valid_to: datetime | None
    channel: str | None
    event_time: datetime
    applied_at: datetime
    published_us: int | None = None
    notice_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["data_categories"] = list(self.data_categories)
        for k in ("valid_from", "valid_to", "event_time", "applied_at"):
            d[k] = d[k].isoformat() if d[k] is not None else None
        return d


# --- the store ------------------------------------------------------------------------------

metadata = MetaData()

consent_events = Table(
    "consent_events",
    metadata,
    # application order; SQLite only auto-increments an INTEGER primary key
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("event_id", String(128), nullable=False, unique=True),
    Column("consent_id", String(128), nullable=False, index=True),
    Column("action", String(8), nullable=False),
    Column("person_no", String(64), nullable=False),
    Column("insurer_code", String(16), nullable=False),
    Column("purpose", String(16), nullable=False),
    Column("data_categories", String(64), nullable=False),  # comma-separated, sorted
    # times as exact epoch microseconds (UTC): portable across SQLite and Postgres
    Column("valid_from_us", BigInteger),
    Column("valid_to_us", BigInteger),
    Column("channel", String(32)),
    Column("event_time_us", BigInteger, nullable=False),
    Column("applied_at_us", BigInteger, nullable=False),
    #: the publish time (Kafka timestamp) of the platform.consents.v1 message it came from, None
    #: for events applied another way (a file); decides which records it applies to in stream order
    Column("published_us", BigInteger),
    #: the notice the person consented on (privacy.notice); None for events stored before notices
    Column("notice_id", String(80)),
    Index("ix_consent_events_person", "person_no", "insurer_code"),
)

_COLS = (
    consent_events.c.seq,
    consent_events.c.event_id,
    consent_events.c.consent_id,
    consent_events.c.action,
    consent_events.c.person_no,
    consent_events.c.insurer_code,
    consent_events.c.purpose,
    consent_events.c.data_categories,
    consent_events.c.valid_from_us,
    consent_events.c.valid_to_us,
    consent_events.c.channel,
    consent_events.c.event_time_us,
    consent_events.c.applied_at_us,
    consent_events.c.published_us,
    consent_events.c.notice_id,
)


def _stored(row: Sequence[Any]) -> StoredEvent:
    (seq, eid, cid, action, person, insurer, purpose, cats, vf, vt, channel, et, applied, published, notice) = row
    return StoredEvent(
        seq=seq,
        event_id=eid,
        consent_id=cid,
        action=action,
        person_no=person,
        insurer_code=insurer,
        purpose=purpose,
        data_categories=tuple(c for c in cats.split(",") if c),
        valid_from=from_us(vf) if vf is not None else None,
        valid_to=from_us(vt) if vt is not None else None,
        channel=channel,
        event_time=from_us(et),
        applied_at=from_us(applied),
        published_us=published,
        notice_id=notice,
    )


def _postgres_driver(url: str) -> str:
    """``postgresql://`` means psycopg (v3) to SQLAlchemy 2.1; fall back to psycopg2 if only it is installed."""
    u = make_url(url)
    if u.drivername == "postgresql":
        try:
            import psycopg  # noqa: F401
        except ModuleNotFoundError:
            return u.set(drivername="postgresql+psycopg2").render_as_string(hide_password=False)
    return url


def safe_url(url: str) -> str:
    """``url`` with any password masked, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL at all: show nothing of it
        return "(unparseable URL)"


def _engine(url: str) -> Engine:
    url = _postgres_driver(url)
    if url in ("sqlite://", "sqlite:///:memory:"):
        # one shared connection, so every session sees the same in-memory database
        engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        if url.startswith("sqlite:///"):
            folder = Path(url.removeprefix("sqlite:///")).parent
            if not folder.exists():
                from medshare.config import private_dir

                private_dir(folder)  # the log names persons: owner-only, like the rest of state/
        engine = create_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout = 5000")
            if url not in ("sqlite://", "sqlite:///:memory:"):
                cur.execute("PRAGMA journal_mode = WAL")  # the router reads while consent-sync writes
            cur.close()

    return engine


def create_tables(engine: Engine, meta: Any, tables: Sequence[Any] | None = None) -> None:
    """``meta.create_all``, safe when several processes start on one new database at once.

    ``create_all`` checks for a table and then creates it; two processors started together on a
    fresh state database both see it missing and the second CREATE fails ("already exists" on
    SQLite, a duplicate ``pg_type`` row on Postgres). The table is then there, made by the other
    process: checking again finds it. Any other error is raised.
    """
    for attempt in range(5):
        try:
            meta.create_all(engine, tables=tables)
            return
        except (OperationalError, ProgrammingError, IntegrityError) as exc:
            if attempt == 4 or not _made_by_another(exc):
                raise


def add_column(engine: Engine, table: str, column: str, ddl_type: str) -> None:
    """``ALTER TABLE table ADD COLUMN`` unless the column is there (added now by another process too)."""
    from sqlalchemy import inspect, text

    if column in {c["name"] for c in inspect(engine).get_columns(table)}:
        return
    try:
        with engine.begin() as conn:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {ddl_type}"))
    except (OperationalError, ProgrammingError) as exc:
        if not _made_by_another(exc):
            raise


def _made_by_another(exc: Exception) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return "already exists" in text or "duplicate" in text


class ConsentStore:
    """The append-only consent event log (SQLAlchemy Core)."""

    #: SQLite's default limit on bound parameters is far above this; Postgres has none that matters
    _CHUNK = 500

    def __init__(self, url: str | Engine | None = None):
        if isinstance(url, Engine):
            self.engine = url
        else:
            if url is None:
                from medshare.config import settings

                url = settings().state_database
            self.engine = _engine(url)
        create_tables(self.engine, metadata, [consent_events])
        _add_missing_columns(self.engine)

    @classmethod
    def memory(cls) -> ConsentStore:
        """A private in-memory SQLite store (tests, benchmarks)."""
        return cls("sqlite://")

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def append(self, events: Sequence[ConsentEvent], applied_at_us: int,
               published_us: Sequence[int | None] | None = None) -> tuple[int, list[str]]:
        """Store the events not stored yet, in one transaction; (stored count, duplicate event ids).

        ``published_us``: per event, the publish time of the message it came from (or None).
        """
        for attempt in (1, 2):
            try:
                return self._append(events, applied_at_us, published_us)
            except IntegrityError:
                # another writer stored one of these event ids meanwhile: re-filter and retry once
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _append(self, events: Sequence[ConsentEvent], applied_at_us: int,
                published_us: Sequence[int | None] | None) -> tuple[int, list[str]]:
        ids = list(dict.fromkeys(e.event_id for e in events))
        with self.engine.begin() as conn:
            known: set[str] = set()
            for i in range(0, len(ids), self._CHUNK):
                chunk = ids[i : i + self._CHUNK]
                q = select(consent_events.c.event_id).where(consent_events.c.event_id.in_(chunk))
                known.update(conn.execute(q).scalars())
            rows, dups = [], []
            for i, e in enumerate(events):
                if e.event_id in known:
                    dups.append(e.event_id)
                    continue
                known.add(e.event_id)
                rows.append(_row(e, applied_at_us, published_us[i] if published_us is not None else None))
            if rows:
                conn.execute(consent_events.insert(), rows)
        return len(rows), dups

    def events_since(self, seq: int) -> Iterator[StoredEvent]:
        """Events applied after sequence number ``seq``, in application order."""
        q = select(*_COLS).where(consent_events.c.seq > seq).order_by(consent_events.c.seq)
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=5000).execute(q):
                yield _stored(row)

    def raw_since(self, seq: int) -> list[tuple[Any, ...]]:
        q = select(*_COLS).where(consent_events.c.seq > seq).order_by(consent_events.c.seq)
        with self.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(q)]

    def events_for(self, person_no: str, insurer: str | None = None) -> list[StoredEvent]:
        """A person's events (and any event about their consent ids), in application order."""
        t = consent_events
        mine = select(t.c.consent_id).where(t.c.person_no == person_no)
        if insurer is not None:
            mine = mine.where(t.c.insurer_code == insurer)
        q = select(*_COLS).where(or_(t.c.consent_id.in_(mine), t.c.person_no == person_no))
        if insurer is not None:
            q = q.where(or_(t.c.consent_id.in_(mine), t.c.insurer_code == insurer))
        with self.engine.connect() as conn:
            return [_stored(r) for r in conn.execute(q.order_by(t.c.seq))]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(consent_events)).scalar_one())


def _add_missing_columns(engine: Engine) -> None:
    """Add columns newer than a store's creation (``published_us``, ``notice_id``) to an existing table."""
    add_column(engine, consent_events.name, "published_us", "BIGINT")
    add_column(engine, consent_events.name, "notice_id", "VARCHAR(80)")


def _row(e: ConsentEvent, applied_at_us: int, published_us: int | None = None) -> dict[str, Any]:
    return {
        "event_id": e.event_id,
        "consent_id": e.consent_id,
        "action": e.action,
        "person_no": e.person_no,
        "insurer_code": e.insurer_code,
        "purpose": e.purpose,
        "data_categories": ",".join(sorted(set(e.data_categories))),
        "valid_from_us": to_us(e.valid_from) if e.valid_from else None,
        "valid_to_us": to_us(e.valid_to) if e.valid_to else None,
        "channel": e.channel,
        "event_time_us": to_us(e.event_time),
        "applied_at_us": applied_at_us,
        "published_us": published_us,
        "notice_id": e.notice_id,
    }


# --- decisions ------------------------------------------------------------------------------


class Decision(NamedTuple):
    """The answer of :meth:`ConsentRegistry.check`; ``consent_id`` is set only when allowed."""

    allowed: bool
    consent_id: str | None
    reason: str

    def __bool__(self) -> bool:  # `if registry.check(...)` reads naturally
        return self.allowed


_DENY = {
    r: Decision(False, None, r) for r in (NO_CONSENT, REVOKED, NOT_YET_VALID, EXPIRED, CATEGORIES_NOT_COVERED)
}


#: publish-time sentinels: later than any record / earlier than any record (epoch microseconds)
_NEVER = 1 << 62
_ALWAYS = -(1 << 62)


class _Consent:
    """A consent in the index. Times are epoch microseconds.

    ``published`` is the publish time of the grant event that set these terms (``_ALWAYS`` when it
    did not come from the topic); ``older`` the same consent's previous terms, when an amendment
    replaced them. ``revoked_pub`` is the publish time of its earliest revocation (``_NEVER``: none;
    ``_ALWAYS``: one that did not come from the topic). Together they answer as of a record's publish
    time (:meth:`ConsentRegistry.check` with ``asof_us``).
    """

    __slots__ = ("consent_id", "key", "valid_from", "valid_to", "categories", "revoked", "allow",
                 "published", "revoked_pub", "older", "notice_id")

    def __init__(self, consent_id: str, key: tuple[str, str, str], vf: int, vt: int, cats: frozenset[str],
                 published: int = _ALWAYS, notice_id: str | None = None):
        self.consent_id = consent_id
        self.key = key
        self.valid_from = vf
        self.valid_to = vt
        self.categories = cats
        self.revoked = False
        self.allow = Decision(True, consent_id, IN_FORCE)
        self.notice_id = notice_id
        self.published = published
        self.revoked_pub = _NEVER
        self.older: _Consent | None = None


@dataclass(frozen=True)
class ConsentRecord:
    """One consent's life, summarised from the log (for compliance questions)."""

    consent_id: str
    person_no: str
    insurer_code: str
    purpose: str
    data_categories: tuple[str, ...] = ()
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    channel: str | None = None
    granted_at: datetime | None = None  # the grant's event_time (when the person authorised)
    grant_applied_at: datetime | None = None  # when the registry learned of it
    revoked_at: datetime | None = None  # the revoke's event_time
    revoke_applied_at: datetime | None = None  # from here on every check is denied

    @property
    def status(self) -> str:
        if self.revoke_applied_at is not None:
            return "revoked"
        return "granted" if self.grant_applied_at is not None else "revoked-before-grant"

    def as_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["data_categories"] = list(self.data_categories)
        for k, v in d.items():
            if isinstance(v, datetime):
                d[k] = v.isoformat()
        d["status"] = self.status
        return d


def _fold(events: Iterable[StoredEvent]) -> dict[str, ConsentRecord]:
    out: dict[str, ConsentRecord] = {}
    for e in events:
        rec = out.get(e.consent_id) or ConsentRecord(e.consent_id, e.person_no, e.insurer_code, e.purpose)
        if e.action == "grant":
            if rec.grant_applied_at is not None and (rec.person_no, rec.insurer_code, rec.purpose) != (
                e.person_no,
                e.insurer_code,
                e.purpose,
            ):
                continue  # the registry rejects such grants; a log written by hand could hold one
            rec = replace(
                rec,
                person_no=e.person_no,
                insurer_code=e.insurer_code,
                purpose=e.purpose,
                data_categories=e.data_categories,
                valid_from=e.valid_from,
                valid_to=e.valid_to,
                channel=e.channel,
                granted_at=e.event_time,
                grant_applied_at=e.applied_at,
            )
        elif rec.revoke_applied_at is None:
            rec = replace(rec, revoked_at=e.event_time, revoke_applied_at=e.applied_at)
        out[e.consent_id] = rec
    return out


@dataclass
class ApplyResult:
    """What :meth:`ConsentRegistry.apply_many` did with a batch."""

    applied: int = 0
    duplicates: int = 0
    #: (event_id or None, reason) of events not stored: invalid, or contradicting the registry
    rejected: list[tuple[str | None, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "applied": self.applied,
            "duplicates": self.duplicates,
            "rejected": [{"event_id": i, "reason": r} for i, r in self.rejected],
        }


# --- the registry ---------------------------------------------------------------------------


class ConsentRegistry:
    """In-memory consent index over a :class:`ConsentStore`; see the module docstring for semantics.

    ``clock`` (returning an aware datetime) stamps ``applied_at``; tests pass a fake one.
    Without it the wall clock is used.
    """

    def __init__(self, store: ConsentStore, *, clock: Callable[[], datetime] | None = None,
                 notices: Any = None):
        self.store = store
        self._clock = clock
        #: a privacy.notice.NoticeBook: when given, a grant whose notice does not match the agreement
        #: in force is refused (apply_many rejects it with the reason); None: notices are not checked
        self.notices = notices
        self._lock = threading.RLock()
        self._reset()
        self.refresh()

    @classmethod
    def open(cls, url: str | None = None, *, clock: Callable[[], datetime] | None = None,
             notices: Any = None) -> ConsentRegistry:
        """A registry on ``url`` (default: ``settings().state_database``), index loaded from it."""
        return cls(ConsentStore(url), clock=clock, notices=notices)

    @classmethod
    def in_memory(cls, *, clock: Callable[[], datetime] | None = None) -> ConsentRegistry:
        return cls(ConsentStore.memory(), clock=clock)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> ConsentRegistry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- index maintenance ----------------------------------------------------------------
    def _reset(self) -> None:
        #: (person_no, insurer, purpose) -> consents, newest grant first; replaced, never mutated
        self._by_key: dict[tuple[str, str, str], tuple[_Consent, ...]] = {}
        self._by_id: dict[str, _Consent] = {}
        #: consent ids with an applied revoke -> its publish time: wins over any grant, whenever it arrives
        self._tombstones: dict[str, int] = {}
        self._last_seq = 0

    def _now_us(self) -> int:
        return to_us(self._clock()) if self._clock else time.time_ns() // 1000

    def rebuild(self) -> int:
        """Drop the index and fold the whole log again; returns the number of events folded."""
        with self._lock:
            self._reset()
            return self.refresh()

    def refresh(self) -> int:
        """Fold events another process applied since the last fold (cheap when there are none)."""
        with self._lock:
            rows = self.store.raw_since(self._last_seq)
            for row in rows:
                self._fold_row(row)
                self._last_seq = row[0]
            return len(rows)

    def _fold_row(self, row: Sequence[Any]) -> None:
        (_seq, _eid, cid, action, person, insurer, purpose, cats, vf, vt, _ch, _et, _applied, pub, notice) = row
        pub = _ALWAYS if pub is None else pub
        if action == "revoke":
            self._tombstones[cid] = min(pub, self._tombstones.get(cid, _NEVER))
            c = self._by_id.get(cid)
            if c is not None:
                c.revoked = True  # kept in the key's tuple so a denial can say "revoked"
                c.revoked_pub = min(c.revoked_pub, pub)
            return
        key = (person, insurer, purpose)
        cats_set = frozenset(x for x in cats.split(",") if x)
        old = self._by_id.get(cid)
        if old is not None:
            if old.key != key:
                return  # rejected at apply time; ignore if a hand-written log holds one
            others = tuple(c for c in self._by_key.get(key, ()) if c is not old)
        else:
            others = self._by_key.get(key, ())
        c = _Consent(cid, key, vf, vt, cats_set, pub, notice)
        if old is not None:
            # an amendment: the versions stay chained newest-published first, so a record published
            # before the amendment is still judged on the terms in force when it was published
            versions = [c]
            v: _Consent | None = old
            while v is not None:
                versions.append(v)
                v = v.older
            versions.sort(key=lambda x: x.published, reverse=True)
            for newer, older in zip(versions, versions[1:], strict=False):
                newer.older = older
            versions[-1].older = None
            c = versions[0]
        c.revoked = cid in self._tombstones
        c.revoked_pub = self._tombstones.get(cid, _NEVER)
        self._by_id[cid] = c
        self._by_key[key] = (c, *others)

    # --- applying events ------------------------------------------------------------------
    def apply(self, event: ConsentEvent | Mapping[str, Any], published_us: int | None = None) -> ApplyResult:
        """Apply one event (see :meth:`apply_many`)."""
        return self.apply_many([event], None if published_us is None else [published_us])

    def apply_many(self, events: Iterable[ConsentEvent | Mapping[str, Any]],
                   published_us: Sequence[int | None] | None = None) -> ApplyResult:
        """Store a batch in one transaction, then fold it into the index.

        ``published_us``: per event, the publish time (Kafka timestamp, epoch µs) of the
        ``platform.consents.v1`` message it was read from; stream processors pass it so that
        :meth:`check` with ``asof_us`` answers as of a record's own publish time. Events applied
        without it (a file, a test) count for every record.

        Re-applying a stored event (same ``event_id``) changes nothing and counts as a duplicate.
        Invalid events and grants that rebind a known ``consent_id`` to another person, insurer or
        purpose are not stored; they come back in ``rejected`` with the reason (the stream
        processor sends them to quarantine).
        """
        result = ApplyResult()
        events = list(events)
        pubs = list(published_us) if published_us is not None else [None] * len(events)
        if len(pubs) != len(events):
            raise ValueError("published_us must have one entry per event")
        with self._lock:
            self.refresh()
            accepted: list[ConsentEvent] = []
            accepted_pubs: list[int | None] = []
            bound: dict[str, tuple[str, str, str]] = {}
            for raw, pub in zip(events, pubs, strict=True):
                try:
                    e = ConsentEvent.parse(raw)
                except ConsentEventError as exc:
                    eid = raw.get("event_id") if isinstance(raw, Mapping) else None
                    result.rejected.append((eid if isinstance(eid, str) else None, str(exc)))
                    continue
                if self.notices is not None:
                    why = self.notices.problem(e)
                    if why is not None:
                        result.rejected.append((e.event_id, why))
                        continue
                if e.action == "grant":
                    known = self._by_id.get(e.consent_id)
                    have = known.key if known is not None else bound.get(e.consent_id)
                    if have is not None and have != e.key:
                        result.rejected.append(
                            (
                                e.event_id,
                                f"consent {e.consent_id} belongs to {'/'.join(have)}, not {'/'.join(e.key)}",
                            )
                        )
                        continue
                    bound[e.consent_id] = e.key
                accepted.append(e)
                accepted_pubs.append(pub)
            if accepted:
                stored, dups = self.store.append(accepted, self._now_us(), accepted_pubs)
                result.applied, result.duplicates = stored, len(dups)
                self.refresh()
        return result

    # --- the hot path ---------------------------------------------------------------------
    def check(
        self,
        person_no: str,
        insurer: str,
        purpose: str,
        at: datetime,
        categories: Collection[str] = (),
        *,
        now: datetime | None = None,
        asof_us: int | None = None,
    ) -> Decision:
        """May a record of ``person_no`` from time ``at`` go to ``insurer`` for ``purpose`` now?

        ``at`` is the record's own time; ``categories`` the data categories the record belongs to
        (a tuple or frozenset). With ``now`` (the decision time) a consent that has expired by
        then allows nothing, even for a record from inside its window (strict expiry).

        ``asof_us`` (a stream processor passes the record's publish time, epoch µs): only consent
        events published at or before it count — a grant published later is not known to the
        record, a revocation published later does not stop it, an amendment published later does
        not change its terms. The answer then depends on the stream alone, not on how far this
        store has got (consent-sync running ahead, or events stored by a batch that crashed
        before its Kafka commit and is now replayed).
        """
        entries = self._by_key.get((person_no, insurer, purpose))
        if not entries:
            return _DENY[NO_CONSENT]
        t = to_us(at)
        n = to_us(now) if now is not None else None
        reason = NO_CONSENT
        for newest in entries:
            v: _Consent | None = newest
            if asof_us is not None:
                revoked = newest.revoked_pub <= asof_us
                while v is not None and v.published > asof_us:
                    v = v.older
                if v is None:
                    continue  # granted after the record was published
            else:
                revoked = newest.revoked
            c = v
            if revoked:
                why = REVOKED
            elif t < c.valid_from:
                why = NOT_YET_VALID
            elif t >= c.valid_to or (n is not None and n >= c.valid_to):
                why = EXPIRED
            elif categories and not c.categories.issuperset(categories):
                why = CATEGORIES_NOT_COVERED
            else:
                return c.allow
            if _REASON_RANK[why] > _REASON_RANK.get(reason, 0):
                reason = why
        return _DENY[reason]

    def notice_of(self, consent_id: str | None, asof_us: int | None = None) -> str | None:
        """The notice a consent's terms (as of ``asof_us``, like :meth:`check`) were given on."""
        v = self._by_id.get(consent_id) if consent_id else None
        if asof_us is not None:
            while v is not None and v.published > asof_us:
                v = v.older
        return v.notice_id if v is not None else None

    # --- history (from the stored log) ----------------------------------------------------
    def history(self, person_no: str, insurer: str | None = None) -> list[StoredEvent]:
        """Every stored event about the person's consents, in application order."""
        return self.store.events_for(person_no, insurer)

    def consents(self, person_no: str, insurer: str | None = None) -> list[ConsentRecord]:
        """Each of the person's consents with its grant and revocation times."""
        return list(_fold(self.history(person_no, insurer)).values())

    def in_force_at(
        self,
        person_no: str,
        insurer: str,
        purpose: str,
        at: datetime,
        *,
        record_time: datetime | None = None,
        categories: Iterable[str] = (),
        strict_expiry: bool = False,
    ) -> list[ConsentRecord]:
        """The consents under which ``check`` allowed disclosure at decision time ``at``.

        Replays the log as applied by ``at`` (``applied_at <= at``) with the rules of
        :meth:`check` (``record_time`` is the disclosed record's time, default ``at``;
        ``strict_expiry`` replays ``check(..., now=at)``). The
        records returned carry the whole life of each consent, so a revocation the person made
        before ``at`` but that was applied after it shows up as ``revoked_at <= at <
        revoke_applied_at``: a disclosure in the revocation lag.
        """
        at_us = to_us(at)
        t = to_us(record_time) if record_time is not None else at_us
        cats = set(categories)
        events = [e for e in self.history(person_no, insurer) if e.purpose == purpose]
        full = _fold(events)
        then = _fold(e for e in events if to_us(e.applied_at) <= at_us)
        out = []
        for cid, rec in then.items():
            if rec.grant_applied_at is None or rec.revoke_applied_at is not None:
                continue
            if rec.person_no != person_no or rec.insurer_code != insurer or rec.purpose != purpose:
                continue
            assert rec.valid_from is not None and rec.valid_to is not None
            vf, vt = to_us(rec.valid_from), to_us(rec.valid_to)
            expired_now = strict_expiry and at_us >= vt
            if vf <= t < vt and not expired_now and cats <= set(rec.data_categories):
                later = full[cid]
                out.append(
                    replace(rec, revoked_at=later.revoked_at, revoke_applied_at=later.revoke_applied_at)
                )
        return out

    def in_force(self, at: datetime) -> list[tuple[str, tuple[str, str, str], str | None, datetime]]:
        """(consent_id, (person_no, insurer, purpose), notice_id, valid_to) of every consent applied,
        not revoked and valid at ``at``, on its latest terms (what a record published now is judged on)."""
        at_us = to_us(at)
        with self._lock:
            return [(c.consent_id, c.key, c.notice_id, from_us(c.valid_to))
                    for c in self._by_id.values()
                    if not c.revoked and c.valid_from <= at_us < c.valid_to]

    # --- introspection --------------------------------------------------------------------
    def stats(self) -> dict[str, int]:
        """Sizes of the index (for ``medshare status`` and the processors' metrics)."""
        return {
            "consents": len(self._by_id),
            "keys": len(self._by_key),
            "tombstones": len(self._tombstones),
            "last_seq": self._last_seq,
        }


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any] | str]:
    """Records of a JSON Lines file; a line that is not a JSON object yields an error string."""
    import json

    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield f"line {n}: not JSON ({exc.msg})"
                continue
            yield obj if isinstance(obj, dict) else f"line {n}: not a JSON object"
