"""Enrolment registry (投保): who holds which insurer product, over which period, with which 既往症.

Event-sourced like the consent registry (``privacy.consent``): ``enrol`` and ``cancel`` events are
stored once each (idempotent by ``event_id``) in ``claim_enrolment_events`` of the claim-state
database, and folded into an in-memory index that :meth:`EnrolmentRegistry.active` answers from.
The events come from where people buy the product — 随申办's 个账专区, the insurer's app, a
counter — through the platform's topic ``platform.enrolments.v1``, which the claims processor
(``streams/claims.py``) applies in stream order beside the settlements; ``medshare claims enrol
FILE.jsonl`` applies a file of them (backfills); tests and the benchmark generate them
(:func:`enrolment_events`).

An event::

    {"event_id": "EN-0001", "enrolment_id": "POL-2026-0001", "action": "enrol",
     "person_no": "3100…", "insurer_code": "hhb", "product_id": "hhb-huibao",
     "policy_no": "HHB2026000001", "valid_from": "2026-01-01T00:00:00+08:00",
     "valid_to": "2027-01-01T00:00:00+08:00", "pre_existing": ["C50"], "channel": "随申办",
     "event_time": "2025-12-20T09:00:00+08:00"}

A ``cancel`` names the ``enrolment_id`` it ends (and the person and insurer); a cancelled
enrolment covers nothing from the moment the cancel is applied, like a consent revocation (a
cancel applied before its enrol still wins). An ``enrolment_id`` belongs to one person and
insurer: an event that would rebind it is rejected (:meth:`EnrolmentRegistry.conflict`).
``pre_existing`` lists ICD-10 prefixes declared at enrolment (the product decides what they mean:
a lower ratio, or an exclusion). Only ``person_no`` is kept of the person — never the resident ID.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy import BigInteger, Column, Engine, Integer, MetaData, String, Table, Text, select

_ID = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"

metadata = MetaData()
enrolment_table = Table(
    "claim_enrolment_events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(128), nullable=False, unique=True),
    Column("enrolment_id", String(128), nullable=False, index=True),
    Column("action", String(8), nullable=False),
    Column("person_no", String(64), nullable=False, index=True),
    Column("insurer_code", String(16), nullable=False),
    Column("body", Text, nullable=False),
    Column("applied_at", String(40), nullable=False),
    #: publish time (epoch µs) of the platform.enrolments.v1 message it came from; None from a file
    Column("published_us", BigInteger),
)

#: publish-time sentinels (epoch µs): earlier / later than any record
_ALWAYS = -(1 << 62)
_NEVER = 1 << 62


class EnrolmentEvent(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: str = Field(pattern=_ID)
    enrolment_id: str = Field(pattern=_ID)
    action: Literal["enrol", "cancel"]
    person_no: str = Field(min_length=1, max_length=64)
    insurer_code: str = Field(pattern=r"^[a-z][a-z0-9]{1,15}$")
    product_id: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9-]{1,47}$")
    policy_no: str | None = Field(default=None, pattern=_ID)
    valid_from: AwareDatetime | None = None
    valid_to: AwareDatetime | None = None
    pre_existing: tuple[str, ...] = ()
    #: the product plan (variant); None: the product's default plan
    plan: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9-]{1,47}$")
    #: consecutive claim-free policy years before this one (the insurer's renewal records)
    claim_free_years: int | None = Field(default=None, ge=0, le=50)
    channel: str | None = Field(default=None, max_length=32)
    event_time: AwareDatetime

    @model_validator(mode="after")
    def _terms(self) -> EnrolmentEvent:
        if self.action == "enrol":
            missing = [k for k in ("product_id", "policy_no", "valid_from", "valid_to") if getattr(self, k) is None]
            if missing:
                raise ValueError(f"an enrol event needs {', '.join(missing)}")
            assert self.valid_from is not None and self.valid_to is not None
            if self.valid_to <= self.valid_from:
                raise ValueError("valid_to must be after valid_from")
        for p in self.pre_existing:
            if not (1 <= len(p) <= 8 and p[0].isalpha() and p[0].isupper()):
                raise ValueError(f"pre_existing {p!r} is not an ICD-10 code prefix")
        return self


@dataclass(frozen=True)
class Enrolment:
    enrolment_id: str
    person_no: str
    insurer: str
    product_id: str
    policy_no: str
    valid_from: datetime
    valid_to: datetime
    pre_existing: tuple[str, ...] = ()
    cancelled: bool = field(default=False, compare=False)
    plan: str | None = None
    claim_free_years: int = 0
    #: publish time of the enrol event (``_ALWAYS`` when not from the topic) and of its cancel
    #: (``_NEVER``: none): :meth:`EnrolmentRegistry.active` with ``asof_us`` answers as of a
    #: settlement's publish time
    published: int = field(default=_ALWAYS, compare=False)
    cancelled_pub: int = field(default=_NEVER, compare=False)


class EnrolmentRegistry:
    """In-memory index over the stored enrolment events; :meth:`refresh` folds what others applied."""

    def __init__(self, url: str | Engine | None = None) -> None:
        from medshare.claims.state import claims_database
        from privacy.consent import _engine, create_tables

        self.engine = url if isinstance(url, Engine) else _engine(url or claims_database())
        create_tables(self.engine, metadata)
        _add_missing_columns(self.engine)
        self._lock = threading.RLock()
        self._by_person: dict[tuple[str, str], list[Enrolment]] = {}
        self._by_id: dict[str, Enrolment] = {}
        #: enrolment id -> publish time of its earliest cancel
        self._cancelled: dict[str, int] = {}
        self._seq = 0
        self.refresh()

    def close(self) -> None:
        self.engine.dispose()

    def rebuild(self) -> int:
        """Drop the index and fold every stored event again (after a rebalance: see
        ``streams.runtime.Handler.partitions_assigned`` on why an incremental fold is not enough)."""
        with self._lock:
            self._by_person, self._by_id, self._cancelled, self._seq = {}, {}, {}, 0
            return self.refresh()

    def refresh(self) -> int:
        with self._lock, self.engine.connect() as c:
            t = enrolment_table
            rows = c.execute(select(t.c.seq, t.c.body, t.c.published_us)
                             .where(t.c.seq > self._seq).order_by(t.c.seq)).all()
            for seq, body, pub in rows:
                self._fold(EnrolmentEvent.model_validate_json(body), _ALWAYS if pub is None else pub)
                self._seq = seq
            return len(rows)

    def _fold(self, e: EnrolmentEvent, published: int = _ALWAYS) -> None:
        if e.action == "cancel":
            self._cancelled[e.enrolment_id] = min(published, self._cancelled.get(e.enrolment_id, _NEVER))
            old = self._by_id.get(e.enrolment_id)
            if old is not None:
                self._replace(old, Enrolment(**{**old.__dict__, "cancelled": True,
                                                "cancelled_pub": self._cancelled[e.enrolment_id]}))
            return
        assert e.product_id and e.policy_no and e.valid_from and e.valid_to
        new = Enrolment(e.enrolment_id, e.person_no, e.insurer_code, e.product_id, e.policy_no, e.valid_from,
                        e.valid_to, tuple(e.pre_existing), cancelled=e.enrolment_id in self._cancelled,
                        plan=e.plan, claim_free_years=e.claim_free_years or 0,
                        published=published, cancelled_pub=self._cancelled.get(e.enrolment_id, _NEVER))
        old = self._by_id.get(e.enrolment_id)
        if old is not None:
            self._replace(old, new)
        else:
            self._by_id[e.enrolment_id] = new
            self._by_person.setdefault((e.person_no, e.insurer_code), []).insert(0, new)

    def _replace(self, old: Enrolment, new: Enrolment) -> None:
        self._by_id[old.enrolment_id] = new
        lst = self._by_person.get((old.person_no, old.insurer), [])
        self._by_person[(old.person_no, old.insurer)] = [new if x is old else x for x in lst]

    def conflict(self, e: EnrolmentEvent, pending: Mapping[str, tuple[str, str]] | None = None) -> str | None:
        """Why ``e`` may not be applied, or None: an enrolment id belongs to one person and insurer.

        ``pending``: enrolment id -> (person_no, insurer) of events accepted but not yet folded. The
        message names the field, never the person.
        """
        owner = (pending or {}).get(e.enrolment_id)
        known = self._by_id.get(e.enrolment_id)
        if owner is None and known is not None:
            owner = (known.person_no, known.insurer)
        if owner is not None and owner != (e.person_no, e.insurer_code):
            return f"enrolment_id {e.enrolment_id} belongs to another person or insurer"
        return None

    def ever_enrolled(self, person_no: str, insurer: str) -> bool:
        """Has the person held any enrolment with ``insurer`` (cancelled or expired included)?"""
        return (person_no, insurer) in self._by_person

    def apply_many(self, events: Iterable[Mapping[str, Any] | EnrolmentEvent],
                   published_us: Iterable[int | None] | None = None) -> dict[str, Any]:
        """Store new events in one transaction (duplicates by event_id are ignored); fold them.

        ``published_us``: per event, the publish time of the message it was read from (the claims
        processor passes it; see :meth:`active`). Invalid events and events that would rebind an
        enrolment id come back in ``rejected`` as ``(event_id, "field: problem")`` and are not stored.
        """
        out: dict[str, Any] = {"applied": 0, "duplicates": 0, "rejected": []}
        parsed: list[EnrolmentEvent] = []
        pubs: dict[str, int | None] = {}
        owners: dict[str, tuple[str, str]] = {}
        events = list(events)
        published = list(published_us) if published_us is not None else [None] * len(events)
        if len(published) != len(events):
            raise ValueError("published_us must have one entry per event")
        for raw, pub in zip(events, published, strict=True):
            try:
                e = raw if isinstance(raw, EnrolmentEvent) else EnrolmentEvent.model_validate(raw)
            except ValidationError as exc:
                eid = raw.get("event_id") if isinstance(raw, Mapping) else None
                out["rejected"].append((eid, parse_error(exc)))
                continue
            with self._lock:
                problem = self.conflict(e, owners)
            if problem:
                out["rejected"].append((e.event_id, problem))
                continue
            owners.setdefault(e.enrolment_id, (e.person_no, e.insurer_code))
            parsed.append(e)
            pubs.setdefault(e.event_id, pub)
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        with self._lock, self.engine.begin() as c:
            ids = [e.event_id for e in parsed]
            known = set()
            for i in range(0, len(ids), 500):
                known |= set(c.execute(select(enrolment_table.c.event_id)
                                       .where(enrolment_table.c.event_id.in_(ids[i:i + 500]))).scalars())
            rows = []
            for e in parsed:
                if e.event_id in known:
                    out["duplicates"] += 1
                    continue
                known.add(e.event_id)
                rows.append({"event_id": e.event_id, "enrolment_id": e.enrolment_id, "action": e.action,
                             "person_no": e.person_no, "insurer_code": e.insurer_code,
                             "body": e.model_dump_json(), "applied_at": now, "published_us": pubs.get(e.event_id)})
            if rows:
                c.execute(enrolment_table.insert(), rows)
            out["applied"] = len(rows)
        self.refresh()
        return out

    def active(self, person_no: str, insurer: str, at: datetime, asof_us: int | None = None) -> Enrolment | None:
        """The person's enrolment with ``insurer`` covering ``at`` (newest first), or None.

        ``asof_us`` (the settlement's publish time): only enrol and cancel events published at or
        before it count, so the answer depends on the streams, not on how far the store has got
        (events a crashed batch stored before its Kafka commit are not seen by the records of that
        batch published before them).
        """
        for e in self._by_person.get((person_no, insurer), ()):
            if asof_us is None:
                if e.cancelled:
                    continue
            elif e.published > asof_us or e.cancelled_pub <= asof_us:
                continue
            if e.valid_from <= at < e.valid_to:
                return e
        return None

    def insurers_of(self, person_no: str) -> list[str]:
        return sorted({k[1] for k in self._by_person if k[0] == person_no})

    def count(self) -> int:
        return len(self._by_id)


def _add_missing_columns(engine: Engine) -> None:
    """Add columns newer than a database's creation (``published_us``) to an existing table."""
    from privacy.consent import add_column

    add_column(engine, enrolment_table.name, "published_us", "BIGINT")


def parse_error(exc: ValidationError) -> str:
    """``field: problem`` of the first error of an event that did not parse (no input value shown)."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "event"
    return f"{where}: {err['msg']}"


def enrolment_events(person_nos: Iterable[str], insurer: str, product_id: str, year: int,
                     pre_existing: Mapping[str, tuple[str, ...]] | None = None,
                     channel: str = "随申办") -> list[dict[str, Any]]:
    """Enrol each person for the calendar ``year`` (tests, benchmark, demo)."""
    out = []
    for i, p in enumerate(sorted(set(person_nos))):
        out.append({
            "event_id": f"EN-{insurer}-{year}-{p}", "enrolment_id": f"POL-{insurer}-{year}-{p}",
            "action": "enrol", "person_no": p, "insurer_code": insurer, "product_id": product_id,
            "policy_no": f"{insurer.upper()}{year}{i:08d}",
            "valid_from": f"{year}-01-01T00:00:00+08:00", "valid_to": f"{year + 1}-01-01T00:00:00+08:00",
            "pre_existing": list((pre_existing or {}).get(p, ())), "channel": channel,
            "event_time": f"{year - 1}-12-15T09:00:00+08:00",
        })
    return out


def read_jsonl(path: Any) -> list[dict[str, Any]]:
    from pathlib import Path

    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
    return out
