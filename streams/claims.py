"""The claims engine: insurer rules evaluated inside the pipeline, only the claim result leaves.

商保规则请进来 / 原始数据不出域: for each settlement on ``platform.settlements.v2`` of a person who is
enrolled in an insurer's product (``medshare.claims.enrolment``) **and** holds an active ``claims``
consent for that insurer (``privacy.consent``), the product version in effect computes what the
insurer pays (``medshare.claims.engine``) against the person-year accumulators
(``medshare.claims.state``). The insurer receives a claim-result record on
``insurer.<code>.claims.v1`` — policy and person numbers encrypted to it, the settlement id, the
payable per benefit and in total, the product version and rule ids, and the deductible and cap
state after it — and **no** diagnosis, no line item. Each result is an audit event on
``governance.audit.v1`` (kind ``claim-result``) naming the consent, the product version and the
rules, so a compliance officer can recompute it (``medshare claims explain``).

Which claims leave depends on the insurer's claims grant (``ClaimsEngine._discloses``): under a
``detail`` grant (直赔) every claim, zero ones too; under a ``result`` grant (主动赔) only a claim
that pays and the reversal of a claim the insurer received. Every claim is decided and kept in the
ledger either way (refunds, replays and ``claims explain`` need it); one that is not disclosed has
no result, no audit event and relies on no consent in the lineage count.

A 2208 revocation (``{"revoke": {"setl_id", …}}``) of a settlement that produced a claim reverses
exactly the recorded effect and is published as a negative claim result (``event_type: refund``,
``settlement_id`` ``<setl_id>-R``, ``reverses`` the setl_id) under the consent the original relied
on (the insurer already holds that claim; the reversal discloses nothing new). The engine reads a
settlement only through its claimable view (``medshare.claims.claimable.from_settlement_v2``);
:func:`claims_view` gives the processor the few envelope fields it keys the ledger and audit on.

Enrolments (投保/退保) arrive on ``platform.enrolments.v1``, which this processor reads as a second
input **co-partitioned** with the settlements (both keyed by ``person_no``, the same partition
count) and **aligned by time** (``align_inputs``): per partition the runtime releases the two
topics' messages in timestamp order, so an enrolment published before a settlement is applied
before it, in the same batch or an earlier one, and a cancel published before a settlement stops
it. An enrolment event is checked against its contract, parsed, checked against the products (the
product must be one of the insurer's) and the registry (an enrolment id is one person's), and
applied to the enrolment registry before the next settlement is evaluated (one database
transaction per run of enrolments, idempotent by ``event_id``), so the settlements after it in the
batch see it; a replayed batch applies it again as a no-op. What fails is quarantined with the
field and the rule.

Consents are read the same way, as a third co-partitioned input (``streams.common.StreamConsents``,
as the router does): a consent granted or revoked before a settlement was published applies to it
even if consent-sync has not stored it yet. Malformed consent events are consent-sync's to
quarantine; this processor skips them.

Delivery: the state of a batch is written in one database transaction in :meth:`before_commit`,
before the runtime commits the Kafka transaction. A batch replayed after a crash between the two
finds its settlements in the ledger at the same input position and republishes the stored results;
the accumulators are not touched twice — and it is republished even if a cancel or a revocation
applied since would now refuse the settlement (the ledger already holds the claim). Run it with
``python -m streams.claims`` or ``medshare run claims``.
"""

from __future__ import annotations

import functools
import logging
import time
from datetime import UTC, datetime
from typing import Any

from medshare import topics as t
from medshare.claims.claimable import REVOCATION_SUFFIX, claims_view  # noqa: F401 - re-exported
from medshare.config import Settings, settings
from medshare.envelope import Outgoing
from medshare.platform_records import is_revocation
from privacy.agreements import SHANGHAI
from streams.common import (
    ContractCheck,
    Quarantiner,
    StreamConsents,
    audit_id,
    event_id,
    failpoint,
    publish_us,
)
from streams.runtime import Counters, Rejected

log = logging.getLogger("medshare.streams.claims")

PRODUCER = "claims-engine"
#: the audit event kind of a claim result (see docs/claims.md on the audit sink)
AUDIT_KIND = "claim-result"
RECORD_TYPE = "claim-result"


class ClaimsEngine:
    """The decision and the records, without Kafka (tests and the bench call it directly)."""

    def __init__(self, cfg: Settings | None = None, products=None, store=None, enrolments=None,
                 consents=None, agreements=None) -> None:
        from medshare.claims.enrolment import EnrolmentRegistry
        from medshare.claims.products import load_products
        from medshare.claims.state import ClaimStore, claims_database
        from privacy.agreements import load_agreements
        from privacy.consent import ConsentRegistry
        from privacy.notice import NoticeBook
        from privacy.pseudonym import Pseudonymiser

        self.cfg = cfg or settings()
        self.products = products if products is not None else load_products()
        self.store = store or ClaimStore(claims_database(self.cfg))
        self.enrolments = enrolments or EnrolmentRegistry(claims_database(self.cfg))
        self.agreements = agreements if agreements is not None else load_agreements()
        # a consent counts only on the notice of the agreement in force (privacy.notice)
        self.consents = consents or ConsentRegistry.open(self.cfg.state_database,
                                                         notices=NoticeBook.load(self.agreements))
        # payer coordination: the insurers in their products' declared order (lower pays first)
        order = {c: min(p.payer_order for p in self.products if p.insurer == c) for c in self.products.insurers}
        self.insurers = sorted((c for c in self.products.insurers if c in self.agreements), key=lambda c: (order[c], c))
        self._keys = {c: Pseudonymiser.for_project(f"insurer-{c}", cfg=self.cfg) for c in self.insurers}
        #: each insurer's product ids (the accumulators a batch reads ahead)
        self._product_ids = {c: tuple(self.products.product_ids(c)) for c in self.insurers}
        #: each insurer's claims grant: its mode decides which claims it receives (:meth:`_discloses`)
        self._grants = {c: _claims_grant(self.agreements, c) for c in self.insurers}
        self._modes = {c: g.mode if g is not None else None for c, g in self._grants.items()}
        #: the person's diagnosis history is kept under a pseudonym of its own (never person_no)
        self._history_key = Pseudonymiser.for_project("claims-history", cfg=self.cfg)
        self._audit = Pseudonymiser.for_project("audit", cfg=self.cfg)
        self._enc: dict[str, Any] = {}
        self.batch = self.store.batch()
        #: enrolment events accepted in this batch, applied before the next settlement
        self._pending_enrolments: list[Any] = []
        self._pending_published: list[int | None] = []
        self._pending_owners: dict[str, tuple[str, str]] = {}
        #: insurer -> distinct consent ids the results published in this run relied on
        self.consents_relied: dict[str, set[str]] = {}
        self._refreshed_at = 0.0

    def encryptor(self, code: str):
        from privacy.crypto import Encryptor

        if code not in self._enc:
            self._enc[code] = Encryptor.for_insurer(code, self.cfg)
        return self._enc[code]

    def refresh(self, max_age_s: float = 0.2) -> None:
        """Apply consent and enrolment events other processes stored since the last look (at most
        every ``max_age_s``, like the router: two queries per 30-record batch were ≈1 ms of it;
        events on the processor's own inputs are applied in stream order regardless)."""
        now = time.monotonic()
        if now - self._refreshed_at >= max_age_s:
            self.consents.refresh()
            self.enrolments.refresh()
            self._refreshed_at = now

    def person_key(self, code: str, person_no: str) -> str:
        return self._keys[code].pseudonym(person_no, domain="partition-key")

    # -- the decision ----------------------------------------------------------------------
    def apply(self, record: dict[str, Any], source: str | None, ev_id: str, counters: Counters | None = None,
              asof_us: int | None = None) -> list[tuple[str, Outgoing, Outgoing]]:
        """(insurer, result message, audit message) for every claim this settlement makes or reverses.

        ``asof_us``: the settlement's publish time; enrolment and consent events count for it only if
        published at or before it (the processor passes it, so a replay decides as the first run did).
        """
        from medshare.claims.claimable import to_claimable

        if "settlement_id" not in record:
            record = claims_view(record, asof_us)
        self.flush_enrolments()  # the enrolments published before it
        out = []
        mark = self.batch.savepoint()
        try:
            claim = to_claimable(record)
            hkey = self.history_key(record["person_no"]) if claim.event_type == "settlement" else None
            at = datetime.fromisoformat(record["event_time"]) if claim.event_type == "settlement" else None
            for code in self.insurers:
                app = self._apply_one(code, record, claim, hkey, source, asof_us, at)
                if app is None:
                    continue
                if counters is not None:
                    counters.bump(f"claims.{app.status}")
                if app.status not in ("new", "replay"):
                    continue
                entry = app.entry
                if app.status == "new" and self._discloses(code, entry):
                    entry.result, entry.audit = self._records(code, record, app, ev_id)
                if entry.result is None:  # kept in the ledger, not disclosed (a result grant's zero claim)
                    if counters is not None:
                        counters.bump(f"claims.withheld.{code}")
                    continue
                if entry.consent_id:
                    self.consents_relied.setdefault(code, set()).add(entry.consent_id)
                out.append((code, self._result_message(code, entry, ev_id),
                            Outgoing.record(t.AUDIT, entry.audit, key=entry.audit["person_ref"], producer=PRODUCER,
                                            event_id=entry.audit["audit_id"], encoded=entry.json_bytes("audit"))))
            if hkey is not None:  # after the decisions: a settlement is not its own history
                self.batch.record_diagnoses(hkey, claim)
        except Exception:
            self.batch.restore(mark)
            raise
        return out

    def _discloses(self, code: str, entry) -> bool:
        """Whether the insurer receives this claim (minimum necessary, PIPL Art. 6).

        A ``detail`` grant (快赔/直赔): every claim — the insurer already receives the settlement and
        settles at the counter. A ``result`` grant (主动赔): only a claim that pays, and the reversal
        of a claim it received. A zero claim to a result-mode insurer would tell it that the person
        was treated (and where the deductible stands) without paying anything; the ledger keeps it
        for refunds, replays and ``medshare claims explain``.
        """
        if self._modes.get(code) != "result":
            return True
        if entry.kind == "refund":
            original = self.batch.entry(code, entry.reverses) if entry.reverses else None
            return original is not None and original.result is not None
        return entry.total_payable != 0

    def history_key(self, person_no: str) -> str:
        return self._history_key.pseudonym(person_no, domain="partition-key")

    def _apply_one(self, code: str, record: dict[str, Any], claim, hkey: str | None, source: str | None,
                   asof_us: int | None = None, at: datetime | None = None):
        from medshare.claims.engine import Terms

        if record.get("event_type") == "refund":
            if not record.get("refund_of"):
                return None
            return self.batch.apply_refund(self.products, record, code, source=source)
        person = record["person_no"]
        if at is None:
            at = datetime.fromisoformat(record["event_time"])
        enrolment = self.enrolments.active(person, code, at, asof_us)
        if enrolment is None:
            # never enrolled with this insurer: nothing in the ledger either (the common case, no query)
            return self._replayed(code, record, source) if self.enrolments.ever_enrolled(person, code) else None
        product = self.products.find(enrolment.product_id, at)
        if product is None or product.insurer != code or not self.agreements.for_insurer(code).in_effect(at):
            return None
        decision = self.consents.check(person, code, "claims", at, categories=("settlement",), asof_us=asof_us)
        if not decision.allowed or not self._notice_covers(code, decision, asof_us):
            return self._replayed(code, record, source)
        terms = Terms(plan=enrolment.plan, claim_free_years=enrolment.claim_free_years,
                      start=enrolment.valid_from.astimezone(SHANGHAI).date(),
                      history=self.batch.history(hkey) if hkey and product.pre_existing else ())
        return self.batch.apply_settlement(product, claim, code, self.person_key(code, person), terms,
                                           consent_id=decision.consent_id, source=source,
                                           policy_no=enrolment.policy_no)

    def _notice_covers(self, code: str, decision, asof_us: int | None) -> bool:
        """The consent's notice still covers the settlements grant (no new category, no longer retention)."""
        notices = getattr(self.consents, "notices", None)
        if notices is None:
            return True
        grant = self._grants.get(code)
        if grant is None:
            return False
        notice_id = self.consents.notice_of(decision.consent_id, asof_us)
        return notices.coverage(notice_id, grant).fields is not None

    def _replayed(self, code: str, record: dict[str, Any], source: str | None):
        """The stored claim of a settlement met again at the same input position, else None.

        A batch replayed after its database commit (the Kafka commit failed) must republish what it
        stored, even when a cancel or a revocation applied since would refuse the settlement now.
        """
        from medshare.claims.state import Application

        entry = self.batch.entry(code, str(record["settlement_id"]))
        if entry is None or source is None or entry.source != source:
            return None
        return Application("replay", entry, reason="same input position: republish the stored result")

    # -- enrolments ------------------------------------------------------------------------
    def enrol(self, record: dict[str, Any], counters: Counters | None = None, published_us: int | None = None) -> None:
        """Accept one ``platform.enrolments.v1`` record (already contract-checked).

        It is applied to the registry before the next settlement is evaluated (:meth:`apply`) or
        at the end of the batch (:meth:`flush_enrolments`), in one transaction for a run of
        enrolments. Raises :class:`Rejected` naming the event, the field and the rule when it
        cannot be applied.
        """
        from pydantic import ValidationError

        from contracts.validator import Violation
        from medshare.claims.enrolment import EnrolmentEvent, parse_error

        eid = record.get("event_id")

        def reject(rule: str, field: str, problem: str) -> Rejected:
            return Rejected(rule, f"enrolment event {eid}: {field}: {problem}", [Violation(field, rule, problem)])

        try:
            event = EnrolmentEvent.model_validate(record)
        except ValidationError as exc:
            field, _, problem = parse_error(exc).partition(": ")
            raise reject("enrolment-event", field, problem) from None
        if event.action == "enrol":
            owned = self.products.product_ids(event.insurer_code)
            if event.product_id not in owned:
                raise reject("enrolment-product", "product_id", f"{event.product_id} is not a product of insurer "
                             f"{event.insurer_code} (known: {', '.join(owned) or 'none'})")
            plans = sorted({pl.id for p in self.products if p.product_id == event.product_id for pl in p.plans})
            if event.plan is not None and event.plan not in plans:
                raise reject("enrolment-product", "plan", f"{event.plan} is not a plan of {event.product_id} "
                             f"(plans: {', '.join(plans)})")
        problem = self.enrolments.conflict(event, self._pending_owners)
        if problem:
            raise reject("enrolment-conflict", "enrolment_id", problem)
        self._pending_enrolments.append(event)
        self._pending_published.append(published_us)
        self._pending_owners.setdefault(event.enrolment_id, (event.person_no, event.insurer_code))
        if counters is not None:
            counters.bump(f"enrolment.{event.action}")

    def flush_enrolments(self) -> dict[str, Any] | None:
        """Apply the accepted enrolment events (idempotent by event_id: a replay applies nothing)."""
        if not self._pending_enrolments:
            return None
        events, published = self._pending_enrolments, self._pending_published
        self._pending_enrolments, self._pending_published, self._pending_owners = [], [], {}
        result = self.enrolments.apply_many(events, published)
        if any(e.action == "cancel" for e in events):
            failpoint("enrolments-stored-cancel")
        for eid, why in result["rejected"]:  # only a race with another instance gets here
            log.warning("enrolment event %s was accepted but not applied: %s", eid, why)
        return result

    def _records(self, code: str, record: dict[str, Any], app, ev_id: str) -> tuple[dict, dict]:
        from medshare.claims.engine import Terms, deductible_summary, yuan

        entry, outcome = app.entry, app.outcome
        topic = t.insurer_claims(code)
        product = self.products.version(entry.product_id, entry.product_version)
        enc = self.encryptor(code)
        after = outcome.after
        # the enrolment's plan and claim-free years are in a settlement's explanation; a refund's
        # deductible and caps after it are those of the claim it reverses (its explanation has neither)
        terms_of = entry.explanation
        if entry.kind == "refund" and entry.reverses:
            original = self.batch.entry(code, entry.reverses)
            if original is not None:
                terms_of = original.explanation
        terms = Terms(plan=terms_of.get("plan"), claim_free_years=int(terms_of.get("claim_free_years") or 0))
        result = {
            "record_type": RECORD_TYPE,
            "claim_id": entry.claim_id,
            "settlement_id": entry.settlement_id,
            "event_type": entry.kind,
            "reverses": entry.reverses,
            "event_time": record["event_time"],
            "policy_no": enc.encrypt(entry.explanation.get("policy_no"), topic=topic, record_id=entry.claim_id,
                                     field="policy_no"),
            "person_no": enc.encrypt(record["person_no"], topic=topic, record_id=entry.claim_id, field="person_no"),
            "product_id": entry.product_id,
            "product_version": entry.product_version,
            "product_fingerprint": product.fingerprint,
            "rule_ids": list(outcome.rule_ids),
            "year": entry.year,
            "payable": {k: yuan(v) for k, v in outcome.payable.items()},
            "total_payable": yuan(outcome.total),
            "deductible": deductible_summary(product, terms, after),
            "caps": {b.id: {"cap": yuan(b.cap_fen), "used": yuan(after.cap_used(b.id)),
                            "remaining": yuan(max(0, b.cap_fen - after.cap_used(b.id)))}
                     for b in product.duties_for(terms.plan)},
            "computed_at": entry.applied_at,
        }
        agreement = self.agreements.for_insurer(code)
        audit = {
            "audit_id": audit_id(code, PRODUCER, entry.claim_id),
            "kind": AUDIT_KIND,
            "disclosed_at": datetime.now(UTC).astimezone().isoformat(timespec="milliseconds"),
            "event_time": record["event_time"],
            "insurer": code,
            "purpose": "claims",
            "basis": "consent",
            "mode": "result",
            "source": t.PLATFORM_SETTLEMENTS,
            "dataset": topic,
            "record_id": entry.claim_id,
            "settlement_id": entry.settlement_id,
            "reverses": entry.reverses,
            "person_ref": self._audit.pseudonym(record["person_no"], domain="person_no"),
            "resident_ref": (self._audit.pseudonym(record["resident_id"], domain="resident_id")
                             if record.get("resident_id") else None),
            "fields": dict(_audit_fields(tuple(result))),
            "consent_id": entry.consent_id,
            "agreement_id": agreement.agreement_id,
            "agreement_version": agreement.fingerprint,
            "product_id": entry.product_id,
            "product_version": entry.product_version,
            "product_fingerprint": product.fingerprint,
            "rule_ids": list(outcome.rule_ids),
            "total_payable": result["total_payable"],
            "key_id": enc.key_id,
            "key_version": enc.version,
        }
        return result, audit

    def _result_message(self, code: str, entry, ev_id: str) -> Outgoing:
        out = Outgoing.record(t.insurer_claims(code), entry.result, key=entry.person_key, producer=PRODUCER,
                              event_id=entry.claim_id, trace=ev_id, encoded=entry.json_bytes("result"))
        out.headers.append(("ms-source", PRODUCER.encode()))
        return out

    def prefetch(self, records: list[dict[str, Any]]) -> None:
        """Read the ledger entries and accumulators a batch of settlements will need, at once."""
        settlements, persons, hkeys = [], [], []
        for record in records:
            if "settlement_id" not in record and ("setl_id" in record or is_revocation(record)):
                record = claims_view(record)
            sid, person = record.get("settlement_id"), record.get("person_no")
            if not sid or not isinstance(person, str) or not person:
                continue
            if record.get("event_type", "settlement") == "settlement":
                hkeys.append(self.history_key(person))
            for code in self.insurers:
                settlements.append((code, str(sid)))
                if record.get("refund_of"):
                    settlements.append((code, str(record["refund_of"])))
                key = self.person_key(code, person)
                persons.extend((code, product_id, key) for product_id in self._product_ids[code])
        self.batch.prefetch(settlements, persons)
        self.batch.prefetch_history(hkeys)

    def commit(self) -> int:
        return self.batch.commit()

    def rollback(self) -> None:
        """Forget what the current batch staged (its enrolments not yet applied, its claims)."""
        self.batch.rollback()
        self._pending_enrolments, self._pending_published, self._pending_owners = [], [], {}

    def close(self) -> None:
        self.store.close()
        self.enrolments.close()
        self.consents.close()


class ClaimsHandler:
    name = "claims"
    inputs = (t.PLATFORM_SETTLEMENTS, t.PLATFORM_ENROLMENTS, t.PLATFORM_CONSENTS)
    #: enrolments, consents and settlements of a partition in timestamp order: an enrolment (or
    #: cancel) and a consent (or revocation) published before a settlement apply to it (see the
    #: module docstring; consents as in the router, streams.common.StreamConsents)
    align_inputs = True
    #: at equal publish times: consents and enrolments before the settlement
    align_order = (t.PLATFORM_CONSENTS, t.PLATFORM_ENROLMENTS, t.PLATFORM_SETTLEMENTS)

    def __init__(self, cfg: Settings, engine: ClaimsEngine | None = None) -> None:
        self.engine = engine or ClaimsEngine(cfg)
        self.engine.store.checkpoint_in_background()  # no WAL checkpoint inside a batch's commit
        # the processor is the only writer of its partitions' claim state: accumulators and
        # histories it read or committed are served from memory (emptied at every assignment)
        self.engine.store.cache_committed_state()
        self.check = ContractCheck(self.inputs)
        self.quarantine = Quarantiner(self.name, cfg)
        self.consents = StreamConsents(self.engine.consents, self.name)

    @property
    def consents_relied(self) -> dict[str, set[str]]:
        """Insurer -> distinct consent ids relied on in this run (the lineage disclosure facet counts them)."""
        return self.engine.consents_relied

    def partitions_assigned(self) -> None:
        """Fold every stored consent and enrolment again and forget the cached claim state (the
        runtime calls it after an assignment: another instance may have written those partitions)."""
        self.engine.store.forget()
        self.engine.consents.rebuild()
        self.engine.enrolments.rebuild()

    def begin_batch(self) -> None:
        self.engine.rollback()  # a batch that failed to commit left nothing behind
        self.consents.reset()
        self.engine.refresh()
        self._checked: dict[tuple[str, int, int], dict[str, Any]] = {}

    def prepare(self, messages: list[Any]) -> None:
        """Check the batch's settlements once and read their claim state in a few queries."""
        records = []
        for msg in messages:
            if msg.topic != t.PLATFORM_SETTLEMENTS:
                continue
            try:
                record = self.check(msg)
            except Rejected:
                continue  # handle() checks it again and quarantines it with the reason
            if msg.topic == t.PLATFORM_SETTLEMENTS:
                record = claims_view(record, publish_us(msg))
            self._checked[(msg.topic, msg.partition, msg.offset)] = record
            records.append(record)
        self.engine.prefetch(records)

    def handle(self, msg: Any, counters: Counters) -> list[Outgoing]:
        if msg.topic == t.PLATFORM_CONSENTS:
            self.consents.read(msg, self.check, counters)
            return []
        record = self._checked.pop((msg.topic, msg.partition, msg.offset), None) or self.check(msg)
        if msg.topic == t.PLATFORM_ENROLMENTS:
            self.engine.enrol(record, counters, publish_us(msg))
            return []
        if "settlement_id" not in record:  # not prepared (a direct call): the view of the v2 record
            record = claims_view(record, publish_us(msg))
        self.consents.before(record.get("person_no"))  # its consent events published before it
        outs: list[Outgoing] = []
        for code, result, audit in self.engine.apply(record, f"{msg.topic}:{msg.partition}:{msg.offset}",
                                                     event_id(msg), counters, asof_us=publish_us(msg)):
            outs += [result, audit]
            counters.disclosed += 1
            counters.bump(f"disclosed.{code}")
        return outs

    def before_commit(self) -> None:
        self.consents.flush()
        self.engine.flush_enrolments()
        self.engine.commit()

    def close(self) -> None:
        self.engine.close()


def _claims_grant(agreements, code: str):
    """The insurer's claims grant on platform.settlements.v2, or None (no such grant, or several)."""
    try:
        return agreements.grant(code, "claims", t.PLATFORM_SETTLEMENTS)
    except (KeyError, LookupError):
        return None


@functools.lru_cache(maxsize=8)
def _audit_fields(names: tuple[str, ...]) -> dict[str, str]:
    """The treatment of each field of a claim result (the identity references are encrypted)."""
    return {k: ("encrypt" if k in ("policy_no", "person_no") else "plain") for k in names}


def build(cfg: Settings) -> ClaimsHandler:
    return ClaimsHandler(cfg)


def main(argv: list[str] | None = None) -> int:
    """``python -m streams.claims [--until-idle] [--batch-size N] [--instance ID]``."""
    import argparse

    from streams.logs import configure
    from streams.runtime import Runner, RunOptions, tune_gc

    ap = argparse.ArgumentParser(prog="python -m streams.claims", description=__doc__.split("\n")[0])
    ap.add_argument("--until-idle", action="store_true", help="exit once caught up")
    ap.add_argument("--batch-size", type=int, default=500, help="records per batch (one transaction)")
    ap.add_argument("--instance", default="0", help="instance id (transactional id suffix)")
    ap.add_argument("--idle-s", type=float, default=3.0, help="with --until-idle: quiet seconds before exit")
    args = ap.parse_args(argv)
    configure(f"claims[{args.instance}]")
    cfg = settings()
    runner = Runner(build(cfg), RunOptions(until_idle=args.until_idle, max_records=args.batch_size,
                                           instance=args.instance, idle_s=args.idle_s), cfg)
    runner.install_signal_handlers()
    tune_gc()
    runner.run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
