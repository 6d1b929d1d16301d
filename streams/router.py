"""The sharing router: consented claims reach only the entitled insurer, in the agreement's form.

For each platform record (settlement, or e-medical-record note where a claims agreement names
notes) and each ``claims`` grant whose source is that topic, the router asks the consent registry
whether this person authorised this insurer for this purpose at the event's time. If so it
publishes exactly the grant's fields — identity fields encrypted to that insurer, quasi-identifiers
generalised, free text redacted — to ``insurer.<code>.claims.v1``, keyed by a per-insurer
pseudonym of the person (one person's events keep their order; the key links nothing across
insurers), and writes the disclosure to ``governance.audit.v1``.

Nothing leaves that a grant does not name (``Grant.project``), and nothing leaves without a consent
decision that says yes; the audit event names the consent relied on.

Settlements are ``platform.settlements.v2`` records (docs/platform-interface.md): a settlement is
judged at its ``setl_time``; a 2208 revocation (``{"revoke": {...}}``) at its publish time, and goes
to an insurer whose grant names ``revoke.*`` fields and whose consent holds then (the insurer had
the settlement; it learns it was revoked).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from medshare import topics as t
from medshare.config import Settings, settings
from medshare.envelope import Outgoing
from medshare.platform_records import event_time, is_revocation, psn_no
from streams.common import ContractCheck, Quarantiner, StreamConsents, audit_id, event_id, publish_us
from streams.runtime import Counters, Rejected

#: the record id field of each source topic
RECORD_ID = {t.PLATFORM_SETTLEMENTS: "setl_id", t.PLATFORM_EMR_NOTES: "note_id"}


def record_id(source: str, record: dict[str, Any]) -> str:
    """The id a disclosure is bound to: ``setl_id`` (a revocation's ``revoke.setl_id``), ``note_id``."""
    if is_revocation(record):
        return str(record["revoke"]["setl_id"])
    return str(record[RECORD_ID[source]])


class _Encrypt:
    """Marks a value to encrypt once its full path (with array indices) is known."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class _GrantPlan:
    """A grant's projection, its audit field list and where its encrypted paths sit."""

    __slots__ = ("project", "audit_fields", "audit_by_head", "nested_encrypt")

    def __init__(self, grant) -> None:
        self.project = grant.projector()
        #: (path, treatment, top-level field) of every field the grant passes on
        self.audit_fields = [(path, str(tr), _head(path)) for path, tr in grant.fields.items() if tr.passes]
        by_head: dict[str, dict[str, str]] = {}
        for path, tr, head in self.audit_fields:
            by_head.setdefault(head, {})[path] = tr
        #: the same grouped by top-level field: one look-up per field of the record, not per path
        self.audit_by_head = tuple(by_head.items())
        #: top-level fields an ``encrypt`` path reaches inside (``revoke`` of ``revoke.psn_no``)
        self.nested_encrypt = frozenset(_head(p) for p, tr in grant.fields.items()
                                        if tr.kind == "encrypt" and ("." in p or "[]" in p))

    def audit_fields_of(self, record: dict[str, Any]) -> dict[str, str]:
        """path -> treatment of every passed-on field whose top-level field the record holds
        (not null); the audit event is written with sorted keys, so grouping changes no byte."""
        out: dict[str, str] = {}
        for head, paths in self.audit_by_head:
            if record.get(head) is not None:
                out.update(paths)
        return out


@dataclass
class Disclosure:
    insurer: str
    output: Outgoing
    audit: dict[str, Any]


class Router:
    """The routing decision and transformation, without Kafka (tests call it directly)."""

    def __init__(self, cfg: Settings | None = None, registry=None, agreements=None) -> None:
        from privacy.agreements import load_agreements
        from privacy.consent import ConsentRegistry
        from privacy.notice import NoticeBook
        from privacy.pseudonym import Pseudonymiser

        self.cfg = cfg or settings()
        self.agreements = agreements or load_agreements()
        self.registry = registry or ConsentRegistry.open(self.cfg.state_database,
                                                         notices=NoticeBook.load(self.agreements))
        #: what a consent on an older notice still covers of a widened grant (privacy.notice)
        self.notices = getattr(self.registry, "notices", None)
        # detail grants only: a result grant (主动赔, rules inside) sends the insurer no records;
        # its claim results come from the claims processor (streams/claims.py)
        self.grants = [g for g in self.agreements.grants("claims") if g.grant.sends_records]
        #: claims grants that send notes with a redacted field (their persons' settlements are remembered)
        self._note_grants = [g for g in self.grants if g.grant.source == t.PLATFORM_EMR_NOTES
                             and any(tr.kind == "redact" for tr in g.grant.fields.values())]
        self.sources = tuple(sorted({g.grant.source for g in self.grants if g.grant.source in RECORD_ID}))
        self._encryptors: dict[str, Any] = {}
        self._keys = {code: Pseudonymiser.for_project(f"insurer-{code}", cfg=self.cfg)
                      for code in {g.insurer for g in self.grants}}
        self._audit = Pseudonymiser.for_project("audit", cfg=self.cfg)
        self._deid = None
        #: each person's identifiers from their settlements, as keyed digests (privacy.deid.memory,
        #: shared with the lab de-identifier): notes are redacted with them in any written form
        self._memory = None
        self._last_refresh = 0.0
        #: per grant (by id: the grants live as long as ``self.agreements``)
        self._plans: dict[int, _GrantPlan] = {}

    def refresh_consents(self, max_age_s: float = 0.2) -> None:
        """Apply consent events stored since the last look (revocations take effect from here on)."""
        now = time.monotonic()
        if now - self._last_refresh >= max_age_s:
            self.registry.refresh()
            self._last_refresh = now

    def _plan(self, grant) -> _GrantPlan:
        """What a disclosure under ``grant`` needs of it beyond the record, computed once."""
        plan = self._plans.get(id(grant))
        if plan is None:
            plan = self._plans[id(grant)] = _GrantPlan(grant)
        return plan

    def encryptor(self, code: str):
        from privacy.crypto import Encryptor

        if code not in self._encryptors:
            self._encryptors[code] = Encryptor.for_insurer(code, self.cfg)
        return self._encryptors[code]

    def memory(self):
        if self._memory is None:
            from privacy.deid.memory import PersonMemory

            self._memory = PersonMemory.open(self.cfg)
        return self._memory

    def deidentifier(self):
        if self._deid is None:
            from privacy.deid import get_deidentifier

            self._deid = get_deidentifier()
        return self._deid

    # -- the decision ----------------------------------------------------------------------
    def route(self, source: str, record: dict[str, Any], ev_id: str, asof_us: int | None = None) -> list[Disclosure]:
        """The disclosures of one record. ``asof_us``: the record's publish time — consent events
        count for it only if published at or before it (the stream decides, not the store's state)."""
        person = psn_no(record)
        at = event_time(record, asof_us)
        if source == t.PLATFORM_SETTLEMENTS and not is_revocation(record) and self._note_grants and any(
                self.registry.check(person, ref.insurer, "claims", at, categories=tuple(ref.grant.consent_categories),
                                    asof_us=asof_us) for ref in self._note_grants):
            # the person's notes may go (redacted) to an insurer: remember the identifiers this
            # settlement names, so those notes are redacted with them in any written form. Only
            # then: remembering costs ≈1 ms a settlement (≈100 keyed digests). The lab
            # de-identifier remembers every settlement in the same table, which covers a person
            # who consents later once it has passed that settlement.
            self.memory().remember_settlement(record)
        out = []
        for ref in self.grants:
            grant = ref.grant
            if grant.source != source or not self.agreements.for_insurer(ref.insurer).in_effect(at):
                continue
            if is_revocation(record) and not any(p.startswith("revoke.") for p in grant.output_fields):
                continue  # the grant sends no revocations
            decision = self.registry.check(person, ref.insurer, "claims", at,
                                           categories=tuple(grant.consent_categories), asof_us=asof_us)
            if not decision.allowed:
                continue
            covered = None
            if self.notices is not None:
                notice_id = self.registry.notice_of(decision.consent_id, asof_us)
                cov = self.notices.coverage(notice_id, grant)
                if cov.fields is None or not cov.fields:
                    continue  # the agreement widened beyond the person's notice: fresh consent required
                covered = None if cov.complete else cov.fields
            else:
                notice_id = None
            out.append(self._disclose(ref.insurer, grant, source, record, at, decision, ev_id, covered, notice_id))
        return out

    def _disclose(self, code, grant, source, record, at, decision, ev_id, covered=None,
                  notice_id=None) -> Disclosure:
        from privacy import generalise
        from privacy.agreements import DROP

        topic = grant.output
        rid = record_id(source, record)
        revocation = is_revocation(record)
        person = psn_no(record)
        name = record.get("psn_name") or record.get("name")
        known_names = (name,) if name else ()
        known = None
        pseudo = self._keys[code]

        def treat(path: str, value: Any, treatment) -> Any:
            if covered is not None and path not in covered:
                return DROP  # wider than the notice the person consented on
            kind = treatment.kind
            if kind == "plain" or value is None:
                return value
            if kind == "encrypt":
                return _Encrypt(value)
            if kind == "pseudonymise":
                return pseudo.pseudonym(str(value), domain=path)
            if kind == "generalise":
                return generalise.apply(treatment.rule, value, at=at)
            if kind == "redact":
                if isinstance(value, str):
                    from privacy.deid.memory import redact_with_memory

                    nonlocal known
                    if known is None:
                        known = self.memory().known(person)
                    # on_residual="redact": what still looks like an identifier after redaction is
                    # redacted too (fail closed) — an insurer gets less text, never an identifier.
                    # The memory learns the numbers the recognisers vouch for in the note (a
                    # labelled phone), so their masked forms here and in later notes are found
                    return redact_with_memory(self.deidentifier(), self.memory(), person, value, known=known,
                                              known_names=known_names).text
                return None
            raise Rejected("agreement", f"treatment {kind!r} of {path} is not implemented")

        plan = self._plan(grant)
        projected = plan.project(record, treat, covered is not None)
        enc = self.encryptor(code)
        # markers sit at the top level, or under a field that an encrypt path reaches into
        # (``revoke.psn_no``): only those fields are walked, not every fee line of a settlement
        nested = plan.nested_encrypt
        for k, v in projected.items():
            if isinstance(v, _Encrypt):
                projected[k] = enc.encrypt(v.value, topic=topic, record_id=rid, field=k)
            elif k in nested:
                projected[k] = _encrypt_marked(v, enc, topic, rid, prefix=k)
        key = pseudo.pseudonym(person, domain="partition-key")
        out_id = f"{code}:revoke:{rid}" if revocation else f"{code}:{rid}"
        #: the disclosure's id in the audit log: a revocation's is ``<setl_id>-R`` (as its claim result's)
        audit_rid = f"{rid}-R" if revocation else rid
        output = Outgoing.record(topic, projected, key=key, producer="router", event_id=out_id, trace=ev_id)
        output.headers.append(("ms-source", source.encode()))
        agreement = self.agreements.for_insurer(code)
        resident = record.get("certno") if record.get("psn_cert_type", "01") == "01" else None
        resident = resident or record.get("resident_id")
        audit = {
            "audit_id": audit_id(code, source, audit_rid, ev_id),
            "kind": "record",
            "disclosed_at": datetime.now().astimezone().isoformat(timespec="milliseconds"),
            "event_time": at.isoformat(),
            "insurer": code,
            "purpose": grant.purpose,
            "basis": grant.basis,
            "mode": grant.mode,
            "source": source,
            "dataset": topic,
            "record_id": audit_rid,
            "person_ref": self._audit.pseudonym(person, domain="person_no"),
            "resident_ref": (self._audit.pseudonym(resident, domain="resident_id") if resident else None),
            "fields": (plan.audit_fields_of(record) if covered is None else
                       {path: tr for path, tr, head in plan.audit_fields
                        if record.get(head) is not None and path in covered}),
            "consent_id": decision.consent_id,
            "notice_id": notice_id,
            "agreement_id": agreement.agreement_id,
            "agreement_version": agreement.fingerprint,
            "key_id": enc.key_id,
            "key_version": enc.version,
        }
        return Disclosure(code, output, audit)


def _head(path: str) -> str:
    return path.split("[]")[0].split(".")[0]


def _encrypt_marked(value: Any, enc, topic: str, record_id: str, prefix: str) -> Any:
    """Replace every :class:`_Encrypt` marker with its envelope, bound to its dotted path."""
    if isinstance(value, _Encrypt):
        return enc.encrypt(value.value, topic=topic, record_id=record_id, field=prefix)
    if isinstance(value, dict):
        return {k: _encrypt_marked(v, enc, topic, record_id, f"{prefix}.{k}" if prefix else k)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_encrypt_marked(v, enc, topic, record_id, f"{prefix}.{i}") for i, v in enumerate(value)]
    return value


class RouterHandler:
    """The router as a stream processor.

    Besides its sources it reads ``platform.consents.v1``, co-partitioned with them (every platform
    topic is keyed by ``person_no``) and aligned by time: a consent granted (or revoked) before a
    settlement was published takes effect before that settlement is routed, even when consent-sync
    has not stored it yet. Otherwise a settlement routed in that gap would be refused for good —
    nothing retries it — and a 主动赔 claim lost. Each record is judged as of its own publish time
    (``ConsentRegistry.check(asof_us=…)``), so events the store already holds beyond it (stored by
    consent-sync, or by a batch that crashed before its commit) change nothing. The router stores such consent events itself
    (idempotent by ``event_id``, like consent-sync), just before it routes a record of the same
    person and at the latest before its batch commits. Consent events it cannot parse are skipped
    here: consent-sync quarantines them, once.
    """

    name = "router"
    #: consents and settlements before the records published after them (a note is also redacted
    #: by the name on the settlement published before it)
    align_inputs = True
    #: at equal publish times: consents first, then settlements, then notes
    align_order = (t.PLATFORM_CONSENTS, t.PLATFORM_SETTLEMENTS, t.PLATFORM_EMR_NOTES)

    def __init__(self, cfg: Settings) -> None:
        self.router = Router(cfg)
        self.inputs = (*self.router.sources, t.PLATFORM_CONSENTS)
        self.check = ContractCheck(self.inputs)
        self.quarantine = Quarantiner(self.name, cfg)
        #: insurer -> distinct consent ids relied on in this run (the lineage disclosure facet counts them)
        self.consents_relied: dict[str, set[str]] = {}
        self.consents = StreamConsents(self.router.registry, self.name)

    def partitions_assigned(self) -> None:
        """Fold every stored consent again (the runtime calls it after an assignment)."""
        self.router.registry.rebuild()

    def begin_batch(self) -> None:
        self.consents.reset()
        self.router.refresh_consents()
        if self.router._memory is not None:
            self.router._memory.discard()  # what an aborted batch learned is learned again on its replay

    def handle(self, msg: Any, counters: Counters) -> list[Outgoing]:
        if msg.topic == t.PLATFORM_CONSENTS:
            self.consents.read(msg, self.check, counters)
            return []
        record = self.check(msg)
        self.consents.before(psn_no(record))  # its consent events published before it
        outs: list[Outgoing] = []
        for d in self.router.route(msg.topic, record, event_id(msg), asof_us=publish_us(msg)):
            outs.append(d.output)
            outs.append(Outgoing.record(t.AUDIT, d.audit, key=d.audit["person_ref"], producer="router",
                                        event_id=d.audit["audit_id"]))
            counters.disclosed += 1
            counters.bump(f"disclosed.{d.insurer}")
            self.consents_relied.setdefault(d.insurer, set()).add(d.audit["consent_id"])
        return outs

    def before_commit(self) -> None:
        self.consents.flush()
        if self.router._memory is not None:
            self.router._memory.flush()  # durable before the offsets that taught it are committed

    def close(self) -> None:
        self.router.registry.close()
        if self.router._memory is not None:
            self.router._memory.close()


def build(cfg: Settings) -> RouterHandler:
    return RouterHandler(cfg)
