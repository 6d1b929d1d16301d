"""The claims processor's handler in-process (no broker): real simulated settlements in, the exact
messages the processor would publish out.

Stores are real (SQLite files under the test's home); only the Kafka message is a stand-in with the
attributes the handler reads (topic, partition, offset, key, value, headers, timestamp).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from medshare import topics as t
from medshare.envelope import encode_value, make_headers

INSURERS = ("hhb", "shenlife")
PRODUCT_OF = {"hhb": "hhb-huibao", "shenlife": "shenlife-plus"}


@dataclass
class Msg:
    topic: str
    value: bytes
    key: bytes | None
    offset: int
    partition: int = 0
    headers: list[tuple[str, bytes]] = field(default_factory=list)
    timestamp: int = 0


class Feed:
    """Numbers messages per topic like a one-partition topic would."""

    def __init__(self) -> None:
        self.offsets: dict[str, int] = {}

    def msg(self, topic: str, record: dict[str, Any] | bytes, event_id: str, key: str | None = None) -> Msg:
        n = self.offsets.get(topic, 0)
        self.offsets[topic] = n + 1
        value = record if isinstance(record, bytes) else encode_value(record)
        return Msg(topic, value, key.encode() if key else None, n,
                   headers=make_headers(topic, "test", event_id=event_id))


def settlements(persons: int = 150, days: int = 60, seed: int = 23, start: date = date(2026, 3, 1)
                ) -> list[dict[str, Any]]:
    """Valid simulated settlements (and refunds), in the platform's order."""
    from medshare.simulate import SimConfig, Simulation

    sim = Simulation(SimConfig(persons=persons, days=days, seed=seed, malformed_rate=0.0, start_date=start,
                               insurers=INSURERS))
    return [e.record for e in sim.events() if e.topic == t.PLATFORM_SETTLEMENTS]


def grant(person_no: str, code: str, n: int, at: str = "2026-01-02T08:00:00+08:00") -> dict[str, Any]:
    return {"event_id": f"CE-T-{code}-{n}", "consent_id": f"CS-T-{code}-{n}", "action": "grant",
            "person_no": person_no, "insurer_code": code, "purpose": "claims",
            "data_categories": ["settlement"], "valid_from": at, "valid_to": "2027-06-01T00:00:00+08:00",
            "channel": "随申办", "event_time": at}


def engine(cfg, persons: list[str] = (), enrol: bool = True, consent: bool = True):
    """A :class:`streams.claims.ClaimsEngine` on ``cfg``'s home; ``persons`` enrolled and consenting
    with both demo insurers (insurer keys are created as onboarding would)."""
    from medshare.claims.enrolment import EnrolmentRegistry, enrolment_events
    from medshare.claims.state import ClaimStore, claims_database
    from privacy import keys
    from privacy.consent import ConsentRegistry
    from streams.claims import ClaimsEngine

    for code in INSURERS:
        keys.create_insurer_keypair(code, cfg=cfg)
    consents = ConsentRegistry.open(cfg.state_database)
    enrolments = EnrolmentRegistry(claims_database(cfg))
    for code in INSURERS:
        if consent:
            consents.apply_many([grant(p, code, i) for i, p in enumerate(persons)])
        if enrol:
            enrolments.apply_many(enrolment_events(persons, code, PRODUCT_OF[code], 2026))
    return ClaimsEngine(cfg, store=ClaimStore(claims_database(cfg)), enrolments=enrolments, consents=consents)


def run_batch(handler, messages: list[Msg]) -> list[Any]:
    """One batch as the runtime runs it: begin, handle each (quarantine on rejection), commit."""
    from streams.runtime import Counters, Rejected

    counters = Counters()
    outs: list[Any] = []
    handler.begin_batch()
    for m in messages:
        try:
            outs += handler.handle(m, counters)
        except Rejected as exc:
            outs.append(handler.quarantine(m, exc))
    handler.before_commit()
    run_batch.counters = counters  # type: ignore[attr-defined]
    return outs
