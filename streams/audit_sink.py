"""The audit sink: ``governance.audit.v1`` into the hash-chained disclosure log (``privacy.audit``).

Each event is validated (the audit event model and the leak guard: no plaintext identifier may
enter the log) as it is consumed; a batch's valid events are appended in one database transaction
in ``before_commit``, before the runtime commits the offsets in its Kafka transaction. A crash in
between replays the batch, and the append skips audit ids already logged, so every disclosure is
in the log exactly once. Malformed events go to quarantine (sealed, with the reason) and never into
the log.
"""

from __future__ import annotations

import logging
from typing import Any

from medshare import topics as t
from medshare.config import Settings
from medshare.envelope import Outgoing
from privacy.audit import AuditEvent, AuditRejected, AuditStore, parse_event
from streams.common import Quarantiner
from streams.runtime import Counters, Rejected

log = logging.getLogger("medshare.streams.audit_sink")


class AuditSinkHandler:
    name = "audit-sink"
    inputs = (t.AUDIT,)

    def __init__(self, cfg: Settings, store: AuditStore | None = None) -> None:
        self.store = store or AuditStore.open(cfg)
        self.quarantine = Quarantiner(self.name, cfg)
        self._pending: list[tuple[AuditEvent, dict[str, Any]]] = []
        self._counters: Counters | None = None

    def begin_batch(self) -> None:
        self._pending = []

    def handle(self, msg: Any, counters: Counters) -> list[Outgoing]:
        self._counters = counters
        try:
            self._pending.append(parse_event(msg.value))
        except AuditRejected as exc:
            raise Rejected(exc.rule, str(exc)) from None
        return []

    def before_commit(self) -> None:
        if not self._pending:
            return
        result = self.store.append(self._pending)
        self._pending = []
        if self._counters is not None:
            self._counters.bump("audit.appended", result.appended)
            self._counters.bump("audit.duplicates", result.duplicates)
            if result.conflicts:
                self._counters.bump("audit.conflicts", len(result.conflicts))
        if result.conflicts:
            log.warning("audit-sink: %d audit id(s) already logged with a different event (first kept): %s",
                        len(result.conflicts), ", ".join(result.conflicts[:5]))

    def close(self) -> None:
        self.store.close()


def build(cfg: Settings) -> AuditSinkHandler:
    return AuditSinkHandler(cfg)
