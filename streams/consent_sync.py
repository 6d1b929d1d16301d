"""Consent sync: keeps the consent registry current from ``platform.consents.v1``.

Events are checked against the contract and against the notices (a grant must name the notice of
the agreement in force, ``privacy.notice``; one that does not is quarantined with rule
``consent-notice`` and its reason), then applied to the registry's store in one database
transaction per batch, before the batch's offsets are committed; re-applying an event (after a
crash) is a no-op because the store is idempotent by ``event_id``. The router picks the new
events up at its next batch.
"""

from __future__ import annotations

from typing import Any

from medshare import topics as t
from medshare.config import Settings
from medshare.envelope import Outgoing
from streams.common import ContractCheck, Quarantiner, publish_us
from streams.runtime import Counters, Rejected


class ConsentSyncHandler:
    name = "consent-sync"
    inputs = (t.PLATFORM_CONSENTS,)

    def __init__(self, cfg: Settings) -> None:
        from privacy.consent import ConsentRegistry
        from privacy.notice import NoticeBook

        self.registry = ConsentRegistry.open(cfg.state_database, notices=NoticeBook.load())
        self.check = ContractCheck(self.inputs)
        self.quarantine = Quarantiner(self.name, cfg)
        self._pending: list[Any] = []
        self._published: list[int] = []

    def begin_batch(self) -> None:
        self._pending, self._published = [], []

    def handle(self, msg: Any, counters: Counters) -> list[Outgoing]:
        from privacy.consent import ConsentEvent, ConsentEventError

        record = self.check(msg)
        try:
            event = ConsentEvent.parse(record)
        except (ConsentEventError, ValueError) as exc:
            raise Rejected("consent-event", str(exc)) from None
        why = self.registry.notices.problem(event)
        if why is not None:  # PIPL Art. 17/29: a consent counts only on the notice of an agreement in force
            raise Rejected("consent-notice", f"consent event {event.event_id}: {why}")
        self._pending.append(event)
        self._published.append(publish_us(msg))
        counters.bump(f"consent.{record['action']}")
        return []

    def before_commit(self) -> None:
        if self._pending:
            self.registry.apply_many(self._pending, self._published)
        self._pending, self._published = [], []

    def close(self) -> None:
        self.registry.close()


def build(cfg: Settings) -> ConsentSyncHandler:
    return ConsentSyncHandler(cfg)
