"""Release a checked mart to an insurer: ``insurer.<code>.marts.v1`` plus one audit event.

A release of (insurer, mart, purpose, period):

1. reads the mart from the lab (``period``: ``YYYY`` or ``YYYY-MM`` on the contract's
   ``periodField``; ``None`` releases every period, recorded as ``all``);
2. runs the disclosure check (:func:`medshare.lab.disclosure.check_mart`) — a refusal raises
   :class:`ReleaseRefused` with the check's result, and nothing is sent;
3. projects each released row to the fields the agreement names (:meth:`Grant.project`),
   applying their treatments (``plain``, ``generalise:<rule>``; any other treatment on an aggregate
   is refused);
4. hashes the content: if the ledger's last release of the same (insurer, mart, purpose, period)
   has the same hash, nothing is sent (status ``unchanged``); the release id is derived from
   the hash, so the same content always has the same id;
5. in ONE Kafka transaction as the pipeline principal: every row (with ``release_id``, ``mart``,
   ``mart_version``, ``period``, ``row_no``), a closing manifest record with the suppression
   report, and the audit event (``kind: release``) on ``governance.audit.v1``; ``acks=all``.
   The insurer reads ``read_committed``: it sees all of a release or none of it;
6. records the release in the ledger (table ``lab_release_ledger`` in the lab database).

A crash between the commit (5) and the ledger (6) republishes the same release id with the same
audit id on the next run: the audit store keeps one entry per audit id, and an insurer can drop
rows of a release id it already holds.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from medshare import topics as t
from medshare.config import Settings, settings
from medshare.envelope import Outgoing
from medshare.lab.disclosure import MART_PREFIX, DisclosureResult, check_mart, mart_contract
from medshare.lab.exceptions import ReleaseRefused
from medshare.lab.store import ReleaseLedger, check_period, read_mart

PRODUCER = "lab-release"
#: transactional ids must start with the pipeline's prefix (the broker's ACL)
TRANSACTIONAL_PREFIX = "medshare-lab-release"
_RELEASE_NS = uuid.UUID("0b7f0b0e-8c36-4d7b-9a55-6c61622d7265")
_AUDIT_NS = uuid.UUID("5b1c0f4e-2f7a-4f43-9a43-6d6564736861")  # as streams.common.audit_id


@dataclass
class ReleaseResult:
    """What :func:`release` did: ``published``, ``unchanged`` (a no-op) or ``dry-run``."""

    status: str
    insurer: str
    mart: str
    purpose: str
    period: str
    release_id: str
    topic: str
    rows: int
    content_hash: str
    audit_id: str | None = None
    disclosure: DisclosureResult | None = None
    audit_event: dict[str, Any] | None = field(default=None, repr=False)
    records: list[dict[str, Any]] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "insurer": self.insurer, "mart": self.mart, "purpose": self.purpose,
                "period": self.period, "release_id": self.release_id, "topic": self.topic, "rows": self.rows,
                "content_hash": self.content_hash, "audit_id": self.audit_id,
                "disclosure": self.disclosure.to_dict() if self.disclosure else None}


def _treat(path: str, value: Any, treatment) -> Any:
    from privacy import generalise

    if treatment.kind == "plain" or value is None:
        return value
    if treatment.kind == "generalise":
        return generalise.apply(treatment.rule, value)
    raise ReleaseRefused(f"treatment {treatment} of {path} cannot apply to an aggregate release")


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def prepare(
    mart: str,
    insurer: str,
    purpose: str,
    period: str | None = None,
    cfg: Settings | None = None,
    agreements: Any = None,
    rows: list[dict[str, Any]] | None = None,
) -> ReleaseResult:
    """Steps 1-4 without sending anything: the records that a release would publish."""
    from privacy.agreements import load_agreements

    cfg = cfg or settings()
    check_period(period)
    agreements = agreements if agreements is not None else load_agreements()
    contract = mart_contract(mart) if _has_contract(mart) else None
    if rows is None:
        if contract is None:
            raise ReleaseRefused(f"mart {mart} has no contract (contracts/odcs/lab.mart.{mart}.yaml)")
        rows = read_mart(mart, cfg, period, period_field=str(contract.custom("periodField", "event_month")))
    result = check_mart(mart, rows, insurer=insurer, purpose=purpose, agreements=agreements, contract=contract)
    if not result.ok:
        raise ReleaseRefused(f"release of {mart} to {insurer} for {purpose} refused: {result.reason}", result)
    agreement = agreements.for_insurer(insurer)
    grant = agreement.grant(purpose, MART_PREFIX + mart)
    projected = [grant.project(r, _treat) for r in result.rows]
    projected.sort(key=_canonical)
    period_label = period or "all"
    fields = {p: str(tr) for p, tr in grant.fields.items() if tr.passes}
    content_hash = "sha256:" + hashlib.sha256(_canonical({
        "rows": projected, "fields": fields, "k": result.k, "agreement": agreement.fingerprint,
        "mart_version": contract.version,
    })).hexdigest()
    release_id = "rel-" + str(uuid.uuid5(_RELEASE_NS, f"{insurer}|{mart}|{purpose}|{period_label}|{content_hash}"))
    topic = grant.output
    common = {"release_id": release_id, "mart": mart, "mart_version": contract.version, "period": period_label}
    records = [{**row, **common, "row_no": i} for i, row in enumerate(projected, start=1)]
    report = {k: v for k, v in result.to_dict().items() if k not in ("checks", "insurer", "purpose", "mart")}
    records.append({**common, "manifest": {**report, "rows": len(projected), "fields": fields,
                                           "agreement_id": agreement.agreement_id,
                                           "agreement_version": agreement.fingerprint,
                                           "content_hash": content_hash}})
    audit_id = str(uuid.uuid5(_AUDIT_NS, "|".join(("release", insurer, mart, purpose, period_label, release_id))))
    audit = {
        "audit_id": audit_id,
        "kind": "release",
        "disclosed_at": datetime.now().astimezone().isoformat(timespec="milliseconds"),
        "insurer": insurer,
        "purpose": purpose,
        "basis": grant.basis,
        "source": grant.source,
        "dataset": topic,
        "release_id": release_id,
        "mart": mart,
        "mart_version": contract.version,
        "period": period_label,
        "fields": fields,
        "rows": len(projected),
        "suppressed": result.rows_suppressed,
        "suppressed_persons": result.persons_suppressed,
        "coarsened": result.rows_coarsened,
        "k": result.k,
        "quasi_identifiers": result.quasi_identifiers,
        "agreement_id": agreement.agreement_id,
        "agreement_version": agreement.fingerprint,
        "content_hash": content_hash,
    }
    return ReleaseResult(status="dry-run", insurer=insurer, mart=mart, purpose=purpose, period=period_label,
                         release_id=release_id, topic=topic, rows=len(projected), content_hash=content_hash,
                         audit_id=audit_id, disclosure=result, audit_event=audit, records=records)


def _has_contract(mart: str) -> bool:
    from contracts import registry

    return f"lab.mart.{mart}" in registry.ids()


def release(
    mart: str,
    insurer: str,
    purpose: str,
    period: str | None = None,
    cfg: Settings | None = None,
    agreements: Any = None,
    dry_run: bool = False,
    force: bool = False,
    lineage: bool = False,
    lineage_parent: str | None = None,
) -> ReleaseResult:
    """Check, project and publish ``mart`` to ``insurer`` for ``purpose``; idempotent per period.

    Raises :class:`ReleaseRefused` (nothing sent) when the agreement or the check says no.
    ``force`` publishes even when the ledger holds the same content (a deliberate re-send).
    ``lineage``: emit the release's OpenLineage event (``medshare.lineage.release_event``) — the
    CLI and the demo do; under Airflow the task's own event describes the release.
    """
    cfg = cfg or settings()
    prepared = prepare(mart, insurer, purpose, period, cfg=cfg, agreements=agreements)
    if dry_run:
        return prepared
    ledger = ReleaseLedger(cfg)
    key = f"{insurer}|{mart}|{purpose}|{prepared.period}"
    last = ledger.latest(key)
    if last and last["content_hash"] == prepared.content_hash and not force:
        prepared.status = "unchanged"
        prepared.release_id, prepared.audit_id = last["release_id"], last["audit_id"]
        return prepared
    _publish(prepared, cfg)
    ledger.record({"release_key": key, "release_id": prepared.release_id, "insurer": insurer, "mart": mart,
                   "purpose": purpose, "period": prepared.period, "content_hash": prepared.content_hash,
                   "rows_released": prepared.rows,
                   "rows_suppressed": prepared.disclosure.rows_suppressed if prepared.disclosure else 0,
                   "audit_id": prepared.audit_id,
                   "released_at": datetime.now().astimezone().isoformat(timespec="microseconds")})
    prepared.status = "published"
    if lineage:
        _emit_lineage(prepared, cfg, agreements, lineage_parent)
    return prepared


def _emit_lineage(prepared: ReleaseResult, cfg: Settings, agreements: Any, parent: str | None) -> None:
    """Store and publish the release's lineage; a lineage problem never fails a release."""
    import logging

    from medshare import lineage as ml

    try:
        ml.emit(ml.release_event(prepared, cfg, agreements, parent_run_id=parent), cfg)
    except Exception as exc:  # noqa: BLE001 - the release is done and recorded; lineage is informative
        logging.getLogger("medshare.lab.release").warning("lineage of release %s not emitted: %s",
                                                          prepared.release_id, exc)


def _messages(prepared: ReleaseResult) -> list[Outgoing]:
    key = f"{prepared.mart}:{prepared.period}"
    out = []
    for rec in prepared.records:
        suffix = rec.get("row_no", "manifest")
        msg = Outgoing.record(prepared.topic, rec, key=key, producer=PRODUCER,
                              event_id=f"{prepared.release_id}:{suffix}")
        msg.headers.append(("ms-release-id", prepared.release_id.encode()))
        out.append(msg)
    assert prepared.audit_event is not None
    out.append(Outgoing.record(t.AUDIT, prepared.audit_event, key=prepared.insurer, producer=PRODUCER,
                               event_id=prepared.audit_id))
    return out


def _publish(prepared: ReleaseResult, cfg: Settings) -> None:
    """Rows, manifest and audit event in one Kafka transaction (all or nothing)."""
    from medshare import kafka as mk

    producer = mk.producer("pipeline", cfg=cfg, transactional_id=f"{TRANSACTIONAL_PREFIX}-{prepared.insurer}",
                           max_in_flight_requests_per_connection=5)
    try:
        producer.init_transactions()
        producer.begin_transaction()
        try:
            futures = [producer.send(m.topic, value=m.value, key=m.key, headers=m.headers)
                       for m in _messages(prepared)]
            producer.flush()
            for f in futures:
                f.get(timeout=30)
            producer.commit_transaction()
        except BaseException:
            producer.abort_transaction()
            raise
    finally:
        producer.close()


def release_all(cfg: Settings | None = None, agreements: Any = None, period: str | None = None,
                dry_run: bool = False, lineage: bool = False) -> list[dict[str, Any]]:
    """Release every mart every agreement grants (actuarial and supervision); one entry per grant.

    A refusal is reported in its entry (``status: refused``) and does not stop the others. With
    ``lineage`` each published release emits its event, all under one parent run.
    """
    from privacy.agreements import load_agreements

    agreements = agreements if agreements is not None else load_agreements()
    parent = str(uuid.uuid4())
    out: list[dict[str, Any]] = []
    for purpose in ("actuarial", "supervision"):
        for ref in agreements.grants(purpose):
            if ref.grant.source_kind != "mart":
                continue
            try:
                r = release(ref.grant.source_name, ref.insurer, purpose, period, cfg=cfg, agreements=agreements,
                            dry_run=dry_run, lineage=lineage, lineage_parent=parent)
                out.append(r.to_dict())
            except ReleaseRefused as exc:
                out.append(_refused(ref.grant.source_name, ref.insurer, purpose, period, exc))
    return out


def _refused(mart: str, insurer: str, purpose: str, period: str | None, exc: ReleaseRefused) -> dict[str, Any]:
    d: Mapping[str, Any] = exc.result.to_dict() if isinstance(exc.result, DisclosureResult) else {}
    return {"status": "refused", "insurer": insurer, "mart": mart, "purpose": purpose, "period": period or "all",
            "reason": exc.reason, "disclosure": dict(d) or None}
