"""Pieces every processor shares: contract checks on input, quarantine records, audit ids."""

from __future__ import annotations

import logging
import os
import signal
import uuid
from hashlib import sha1 as _sha1
from typing import Any

from medshare.config import Settings
from medshare.envelope import H_EVENT_ID, Outgoing, header_map
from streams.runtime import Counters, Rejected

log = logging.getLogger("medshare.streams")

_AUDIT_NS = uuid.UUID("5b1c0f4e-2f7a-4f43-9a43-6d6564736861")


class ContractCheck:
    """Parse and validate a consumed message against its topic's contract.

    Returns the record, or raises :class:`Rejected` carrying every violation (the validator never
    shows the plaintext of an identifier in a violation).
    """

    def __init__(self, topics: tuple[str, ...]) -> None:
        from contracts import registry

        self._validators = {topic: registry.load(topic).validator() for topic in topics}

    def __call__(self, msg: Any) -> dict[str, Any]:
        return self.check_bytes(msg.topic, msg.value)

    def check_bytes(self, topic: str, raw: bytes | None, what: str = "") -> dict[str, Any]:
        """The record in ``raw`` if it satisfies ``topic``'s contract, else :class:`Rejected`."""
        record, violations = self._validators[topic].validate_bytes(raw)
        if violations:
            first = violations[0]
            raise Rejected(first.rule, what + "; ".join(str(v) for v in violations[:5]), violations)
        assert record is not None
        return record


class Quarantiner:
    """Builds the ``pipeline.quarantine.v1`` record for a message a processor could not handle."""

    def __init__(self, processor: str, cfg: Settings) -> None:
        from contracts.quarantine import QuarantineWriter

        self.processor = processor
        self._writer = QuarantineWriter(cfg=cfg)

    def __call__(self, msg: Any, reason: Exception) -> Outgoing:
        violations = getattr(reason, "violations", None) or []
        rule = getattr(reason, "rule", None) or f"processor-error:{type(reason).__name__}"
        record = self._writer.build(
            raw=msg.value,
            source_topic=msg.topic,
            partition=msg.partition,
            offset=msg.offset,
            key=msg.key,
            headers=msg.headers,
            violations=violations,
            rule=rule,
            message=str(reason)[:500],
            processor=self.processor,
        )
        return self._writer.outgoing(record, self.processor)


class StreamConsents:
    """Consent events read in stream order by a processor that decides on consents.

    A processor that reads ``platform.consents.v1`` co-partitioned with its records (aligned by
    time) hands each consent message to :meth:`read`; before deciding on a record it calls
    :meth:`before` with the record's person, which stores and folds that person's pending consent
    events into ``registry`` (one transaction for everything pending); :meth:`flush` stores the
    rest before the batch commits. Storing is idempotent by ``event_id`` (consent-sync stores the
    same events). A consent event that cannot be parsed is skipped and counted: consent-sync
    quarantines it, once.
    """

    def __init__(self, registry: Any, processor: str) -> None:
        self.registry = registry
        self.processor = processor
        self._pending: list[Any] = []
        self._published: list[int] = []
        self._persons: set[str] = set()
        self._counters: Counters | None = None

    def reset(self) -> None:
        self._pending, self._published, self._persons = [], [], set()

    def read(self, msg: Any, check: ContractCheck, counters: Counters) -> None:
        from privacy.consent import ConsentEvent, ConsentEventError

        self._counters = counters
        try:
            event = ConsentEvent.parse(check(msg))
        except (Rejected, ConsentEventError, ValueError):
            counters.bump("consent.skipped")
            return
        self._pending.append(event)
        self._published.append(publish_us(msg))
        self._persons.add(event.person_no)
        counters.bump(f"consent.{event.action}")

    def before(self, person_no: Any) -> None:
        """Apply the pending consent events if any is about ``person_no``."""
        if person_no in self._persons:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        events, published = self._pending, self._published
        self._pending, self._published, self._persons = [], [], set()
        result = self.registry.apply_many(events, published)
        if any(e.action == "revoke" for e in events):
            failpoint("consents-stored-revoke")
        if self._counters is not None:
            self._counters.bump("consent.applied", result.applied)
        for eid, why in result.rejected:
            log.info("%s: consent event %s not applied (consent-sync quarantines it): %s", self.processor, eid, why)


_FAILPOINTS = frozenset(filter(None, os.environ.get("MEDSHARE_FAILPOINTS", "").split(",")))


def failpoint(name: str) -> None:
    """Crash injection for tests: SIGKILL this process at ``name`` if ``MEDSHARE_FAILPOINTS`` lists it.

    Lets a test stop a processor at an exact point (e.g. ``consents-stored-revoke``: a revocation
    is in the consent store, the batch's Kafka transaction is not committed) instead of racing it
    with a timer. Unset in production: a frozenset lookup.
    """
    if name in _FAILPOINTS:
        log.warning("failpoint %s: killing the process", name)
        os.kill(os.getpid(), signal.SIGKILL)


def publish_us(msg: Any) -> int:
    """A consumed message's publish time (its Kafka timestamp) in epoch microseconds.

    Decisions that depend on other streams (consents, enrolments) are taken as of this time, so
    they depend on the streams alone (``ConsentRegistry.check(asof_us=…)``).
    """
    return int(msg.timestamp) * 1000


def event_id(msg: Any) -> str:
    return header_map(msg.headers).get(H_EVENT_ID, f"{msg.topic}:{msg.partition}:{msg.offset}")


def audit_id(*parts: str) -> str:
    """A deterministic id, so a reprocessed record gives the same audit entry id.

    ``str(uuid.uuid5(_AUDIT_NS, "|".join(parts)))``, computed without building a ``UUID`` (its
    constructor is most of uuid5's ≈10 µs; every disclosure and claim result names one):
    SHA-1 of namespace and name, version 5 in the high nibble of byte 6, the RFC 4122 variant in
    the top two bits of byte 8 (tests/streams compare it with ``uuid.uuid5``).
    """
    h = _sha1(_AUDIT_NS_BYTES + "|".join(parts).encode("utf-8")).digest()
    x = ((int.from_bytes(h[:16], "big") & _UUID_CLEAR) | _UUID_V5).to_bytes(16, "big").hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


_AUDIT_NS_BYTES = _AUDIT_NS.bytes
_UUID_CLEAR = ~((0xc000 << 48) | (0xf000 << 64))  # variant bits, version nibble
_UUID_V5 = (0x8000 << 48) | (5 << 76)
