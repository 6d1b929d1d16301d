"""Pieces every processor shares: contract checks on input, quarantine records, audit ids."""

from __future__ import annotations

import uuid
from typing import Any

from medshare.config import Settings
from medshare.envelope import H_EVENT_ID, Outgoing, header_map
from streams.runtime import Rejected

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


def event_id(msg: Any) -> str:
    return header_map(msg.headers).get(H_EVENT_ID, f"{msg.topic}:{msg.partition}:{msg.offset}")


def audit_id(*parts: str) -> str:
    """A deterministic id, so a reprocessed record gives the same audit entry id."""
    return str(uuid.uuid5(_AUDIT_NS, "|".join(parts)))
