"""Erasure passed on (PIPL Art. 47): a revocation or a retention end asks the insurer to delete.

What happens
------------
1. :func:`issue` finds the disclosures an insurer must delete — every ``record``/``claim-result``
   entry of the disclosure log made under a consent that has since been revoked (reason
   ``revoked``), and every one whose grant's retention has ended (``retention-ended``) — minus
   those already requested, and publishes one request per (insurer, consent, reason) to
   ``insurer.<code>.erasure.v1``::

       {"request_id": "er-<32 hex>", "insurer", "consent_id", "reason", "requested_at", "due_at",
        "records": [{"audit_id", "record_id", "dataset", "source", "disclosed_at"}, ...]}

   The request id is a hash of the insurer, consent, reason and audit ids, so a request re-sent
   after a crash (published, not yet recorded) has the same id. A disclosure logged after its
   consent's request (the audit sink lagging the router) gets a follow-up request at the next run:
   nothing depends on timing, every disclosure under a revoked consent is requested exactly once.
2. The insurer (``medshare.insurer_client.acknowledge_erasures``, ``medshare insurer erasure-ack``)
   deletes the records and publishes ``{"request_id", "insurer", "erased": [audit ids], "acked_at"}``
   to ``insurer.<code>.erasure-acks.v1`` (the one topic it may write).
3. :func:`collect_acks` reads the acknowledgements; one that matches a request of that insurer and
   names every requested record becomes an entry of the disclosure log (``kind: erasure-ack``,
   published to ``governance.audit.v1`` and appended by the audit sink), and the request is marked
   acknowledged. Anything else is refused with a reason (returned, and logged).

The ledger (``erasure_requests``, ``erasure_items``) lives in the audit store's database. A request
not acknowledged ``MEDSHARE_ERASURE_DEADLINE_DAYS`` (default 15) days after it was issued is
overdue (:func:`overdue`; the compliance report lists them per insurer).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, Column, Engine, MetaData, String, Table, Text, select, update

log = logging.getLogger("medshare.erasure")

REVOKED = "revoked"
RETENTION_ENDED = "retention-ended"
DEFAULT_DEADLINE_DAYS = 15

metadata = MetaData()
erasure_requests = Table(
    "erasure_requests", metadata,
    Column("request_id", String(40), primary_key=True),
    Column("insurer", String(16), nullable=False, index=True),
    Column("consent_id", String(128)),
    Column("reason", String(32), nullable=False),
    Column("requested_us", BigInteger, nullable=False),
    Column("due_us", BigInteger, nullable=False),
    Column("records", Text, nullable=False),  # JSON list as published
    Column("acked_us", BigInteger),
    Column("ack_audit_id", String(128)),
)
erasure_items = Table(
    "erasure_items", metadata,
    Column("audit_id", String(128), primary_key=True),
    Column("request_id", String(40), nullable=False, index=True),
)


def deadline_days() -> float:
    return float(os.environ.get("MEDSHARE_ERASURE_DEADLINE_DAYS", DEFAULT_DEADLINE_DAYS))


def _us(t: datetime) -> int:
    return int(t.timestamp() * 1_000_000)


def _iso(us: int) -> str:
    return datetime.fromtimestamp(us / 1e6, UTC).astimezone().isoformat(timespec="seconds")


class ErasureLedger:
    """The requests issued and their acknowledgements, in the audit store's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        from privacy.consent import create_tables

        create_tables(engine, metadata)

    def requested(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(select(erasure_items.c.audit_id)).scalars())

    def record(self, req: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            if conn.execute(select(erasure_requests.c.request_id)
                            .where(erasure_requests.c.request_id == req["request_id"])).first():
                return
            conn.execute(erasure_requests.insert(), [{
                "request_id": req["request_id"], "insurer": req["insurer"], "consent_id": req["consent_id"],
                "reason": req["reason"], "requested_us": req["_requested_us"], "due_us": req["_due_us"],
                "records": json.dumps(req["records"], ensure_ascii=False, sort_keys=True)}])
            conn.execute(erasure_items.insert(), [{"audit_id": r["audit_id"], "request_id": req["request_id"]}
                                                  for r in req["records"]])

    def get(self, request_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(erasure_requests).where(erasure_requests.c.request_id == request_id)).first()
        return _row(row) if row else None

    def requests(self, insurer: str | None = None) -> list[dict[str, Any]]:
        q = select(erasure_requests).order_by(erasure_requests.c.requested_us)
        if insurer:
            q = q.where(erasure_requests.c.insurer == insurer)
        with self.engine.connect() as conn:
            return [_row(r) for r in conn.execute(q)]

    def mark_acked(self, request_id: str, acked_us: int, ack_audit_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(erasure_requests).where(erasure_requests.c.request_id == request_id)
                         .where(erasure_requests.c.acked_us.is_(None))
                         .values(acked_us=acked_us, ack_audit_id=ack_audit_id))

    def status_by_audit_id(self) -> dict[str, dict[str, Any]]:
        """audit id -> {request_id, reason, requested_at, acked_at}: a statement's erasure column."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(erasure_items.c.audit_id, erasure_requests)
                                .join(erasure_requests, erasure_items.c.request_id == erasure_requests.c.request_id))
            out = {}
            for r in rows:
                m = r._mapping
                out[m["audit_id"]] = {"request_id": m["request_id"], "reason": m["reason"],
                                      "requested_at": _iso(m["requested_us"]),
                                      "acked_at": _iso(m["acked_us"]) if m["acked_us"] else None}
            return out


def _row(row: Any) -> dict[str, Any]:
    m = dict(row._mapping)
    m["records"] = json.loads(m["records"])
    m["requested_at"] = _iso(m["requested_us"])
    m["due_at"] = _iso(m["due_us"])
    m["acked_at"] = _iso(m["acked_us"]) if m["acked_us"] else None
    return m


def request_id(insurer: str, consent_id: str | None, reason: str, audit_ids: Iterable[str]) -> str:
    h = hashlib.sha256("|".join([insurer, consent_id or "", reason, *sorted(audit_ids)]).encode()).hexdigest()
    return "er-" + h[:32]


def _revoked_consents(consent_store: Any) -> set[str]:
    from privacy.consent import consent_events

    with consent_store.engine.connect() as conn:
        return set(conn.execute(select(consent_events.c.consent_id)
                                .where(consent_events.c.action == "revoke")).scalars())


def _retention_days(agreements: Any, insurer: str, purpose: str, source: str | None) -> int | None:
    try:
        a = agreements.for_insurer(insurer)
        grants = a.grants_for(purpose, source) or a.grants_for(purpose)
    except KeyError:
        return None
    return max((g.retention.approx_days for g in grants), default=None)


def plan(audit_store: Any, consent_store: Any, agreements: Any, now: datetime,
         ledger: ErasureLedger | None = None) -> list[dict[str, Any]]:
    """The requests to issue now (see the module docstring); nothing is published or recorded."""
    ledger = ledger or ErasureLedger(audit_store.engine)
    done = ledger.requested()
    revoked = _revoked_consents(consent_store)
    groups: dict[tuple[str, str | None, str], list[Any]] = {}
    now_us = _us(now)
    for e in audit_store.entries():
        if e.kind not in ("record", "claim-result") or e.audit_id in done:
            continue
        if e.consent_id and e.consent_id in revoked:
            reason = REVOKED
        else:
            days = _retention_days(agreements, e.insurer, e.purpose, e.event.get("source"))
            disclosed = datetime.fromisoformat(e.disclosed_at)
            if days is None or now_us < _us(disclosed + timedelta(days=days)):
                continue
            reason = RETENTION_ENDED
        groups.setdefault((e.insurer, e.consent_id, reason), []).append(e)
    due = now + timedelta(days=deadline_days())
    out = []
    for (insurer, consent_id, reason), entries in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2])):
        records = [{"audit_id": e.audit_id, "record_id": e.record_id, "dataset": e.dataset,
                    "source": e.event.get("source"), "disclosed_at": e.disclosed_at} for e in entries]
        out.append({"request_id": request_id(insurer, consent_id, reason, (r["audit_id"] for r in records)),
                    "insurer": insurer, "consent_id": consent_id, "reason": reason,
                    "requested_at": now.astimezone().isoformat(timespec="seconds"),
                    "due_at": due.astimezone().isoformat(timespec="seconds"), "records": records,
                    "_requested_us": now_us, "_due_us": _us(due)})
    return out


@dataclass
class IssueResult:
    requests: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"requests": len(self.requests), "records": sum(len(r["records"]) for r in self.requests),
                "by_insurer": {i: sum(1 for r in self.requests if r["insurer"] == i)
                               for i in sorted({r["insurer"] for r in self.requests})},
                "request_ids": [r["request_id"] for r in self.requests]}


def issue(cfg: Any = None, now: datetime | None = None, agreements: Any = None) -> IssueResult:
    """Plan, publish each request to its insurer's erasure topic, then record it in the ledger."""
    from medshare import kafka as mk
    from medshare import topics as t
    from medshare.config import settings
    from privacy.agreements import load_agreements
    from privacy.audit import AuditStore
    from privacy.consent import ConsentStore

    cfg = cfg or settings()
    now = now or datetime.now(UTC)
    agreements = agreements if agreements is not None else load_agreements()
    store = AuditStore.open(cfg)
    consents = ConsentStore(cfg.state_database)
    try:
        ledger = ErasureLedger(store.engine)
        reqs = plan(store, consents, agreements, now, ledger)
        if reqs:
            producer = mk.producer("pipeline", cfg=cfg)
            try:
                for r in reqs:
                    body = {k: v for k, v in r.items() if not k.startswith("_")}
                    producer.send(t.insurer_erasure(r["insurer"]), key=r["request_id"].encode(),
                                  value=json.dumps(body, ensure_ascii=False, sort_keys=True).encode(),
                                  headers=[("ms-event-id", r["request_id"].encode())])
                producer.flush()
            finally:
                producer.close()
            for r in reqs:  # after the broker has them: a crash in between re-sends the same ids
                ledger.record(r)
        return IssueResult(reqs)
    finally:
        consents.close()
        store.close()


def ack_audit_event(req: dict[str, Any], ack: dict[str, Any], agreements: Any = None) -> dict[str, Any]:
    """The disclosure-log entry of an acknowledgement."""
    from medshare import topics as t

    return {"audit_id": f"ack-{req['request_id']}", "kind": "erasure-ack",
            "disclosed_at": datetime.now(UTC).astimezone().isoformat(timespec="milliseconds"),
            "insurer": req["insurer"], "purpose": "erasure", "basis": "pipl-art-47",
            "dataset": t.insurer_erasure_acks(req["insurer"]), "record_id": req["request_id"],
            "consent_id": req["consent_id"], "reason": req["reason"],
            "erased": sorted(r["audit_id"] for r in req["records"]),
            "requested_at": req["requested_at"], "acked_at": str(ack.get("acked_at") or "")}


def check_ack(ledger: ErasureLedger, insurer: str, ack: Any) -> tuple[dict[str, Any] | None, str | None]:
    """(the request, None) if ``ack`` acknowledges a request of ``insurer`` completely, else (None, why)."""
    if not isinstance(ack, dict) or not isinstance(ack.get("request_id"), str):
        return None, "not an acknowledgement: needs request_id"
    req = ledger.get(ack["request_id"])
    if req is None:
        return None, f"unknown erasure request {ack['request_id']}"
    if req["insurer"] != insurer or ack.get("insurer") not in (None, insurer):
        return None, f"request {ack['request_id']} is not {insurer}'s"
    erased = ack.get("erased")
    if not isinstance(erased, list):
        return None, f"ack of {ack['request_id']}: erased must list the audit ids deleted"
    missing = sorted({r["audit_id"] for r in req["records"]} - set(erased))
    if missing:
        return None, f"ack of {ack['request_id']} does not name {len(missing)} requested record(s): {missing[:3]}"
    return req, None


@dataclass
class CollectResult:
    acked: list[str] = field(default_factory=list)
    duplicates: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"acked": self.acked, "duplicates": self.duplicates,
                "refused": [{"ack": a, "reason": r} for a, r in self.refused]}


def collect_acks(cfg: Any = None, insurers: Iterable[str] | None = None) -> CollectResult:
    """Read every insurer's acknowledgements up to the current end offsets; log the valid ones."""
    from kafka import TopicPartition

    from medshare import kafka as mk
    from medshare import topics as t
    from medshare.config import settings
    from privacy.agreements import load_agreements
    from privacy.audit import AuditStore

    cfg = cfg or settings()
    codes = list(insurers) if insurers is not None else load_agreements().insurers
    result = CollectResult()
    store = AuditStore.open(cfg)
    ledger = ErasureLedger(store.engine)
    consumer = mk.consumer("pipeline", "medshare-erasure-acks", cfg=cfg, isolation_level="read_committed",
                           auto_offset_reset="earliest")
    producer = mk.producer("pipeline", cfg=cfg)
    try:
        existing = set(consumer.topics())
        tps = [TopicPartition(t.insurer_erasure_acks(c), p) for c in codes if t.insurer_erasure_acks(c) in existing
               for p in (consumer.partitions_for_topic(t.insurer_erasure_acks(c)) or ())]
        if not tps:
            return result
        consumer.assign(tps)
        ends = consumer.end_offsets(tps)
        committed = {tp: consumer.committed(tp) for tp in tps}
        for tp in tps:
            if committed[tp] is None:
                consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, committed[tp])
        logged: list[tuple[dict[str, Any], dict[str, Any]]] = []
        while any(consumer.position(tp) < ends[tp] for tp in tps):
            for tp, msgs in consumer.poll(timeout_ms=1000).items():
                insurer = tp.topic.split(".")[1]
                for m in msgs:
                    try:
                        ack = json.loads(m.value)
                    except ValueError:
                        ack = None
                    req, why = check_ack(ledger, insurer, ack)
                    if req is None:
                        result.refused.append((f"{tp.topic}@{m.offset}", why or ""))
                        log.warning("erasure ack %s@%s refused: %s", tp.topic, m.offset, why)
                        continue
                    if req["acked_us"] is not None:
                        result.duplicates += 1
                        continue
                    ev = ack_audit_event(req, ack)
                    producer.send(t.AUDIT, key=req["request_id"].encode(), headers=[("ms-event-id", ev["audit_id"].encode())],
                                  value=json.dumps(ev, ensure_ascii=False, sort_keys=True).encode())
                    logged.append((req, ev))
                    req["acked_us"] = -1  # a second ack of it in this run is a duplicate
        producer.flush()
        now_us = _us(datetime.now(UTC))
        for req, ev in logged:  # the log has them (on the topic): mark the requests acknowledged
            ledger.mark_acked(req["request_id"], now_us, ev["audit_id"])
            result.acked.append(req["request_id"])
        consumer.commit()
        return result
    finally:
        producer.close()
        consumer.close()
        store.close()


def overdue(engine: Engine, now: datetime | None = None) -> dict[str, list[dict[str, Any]]]:
    """Insurer -> requests not acknowledged by their due time."""
    now_us = _us(now or datetime.now(UTC))
    out: dict[str, list[dict[str, Any]]] = {}
    for r in ErasureLedger(engine).requests():
        if r["acked_us"] is None and r["due_us"] <= now_us:
            out.setdefault(r["insurer"], []).append(r)
    return out
