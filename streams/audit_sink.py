"""The audit sink: ``governance.audit.v1`` into the hash-chained disclosure log (``privacy.audit``).

Each event is validated (the audit event model and the leak guard: no plaintext identifier may
enter the log) as it is consumed; a batch's valid events are appended in one database transaction
in ``before_commit``, before the runtime commits the offsets in its Kafka transaction. A crash in
between replays the batch, and the append skips audit ids already logged, so every disclosure is
in the log exactly once. Malformed events go to quarantine (sealed, with the reason) and never into
the log.

The sink is also the log's signer (:class:`privacy.audit_tree.TreeHeadSigner`): it signs a tree head
(RFC 9162, Ed25519) at the end of a batch when the newest one is at least a minute old, from a
background check every few seconds while the tree has grown (so a burst's tail is signed within
about a minute without a further batch), and when it stops; each head is stored and published to
``governance.audit-tree-heads.v1``, a copy outside the store that ``medshare audit verify`` reads.
"""

from __future__ import annotations

import logging
from typing import Any

from medshare import topics as t
from medshare.config import Settings
from medshare.envelope import Outgoing
from privacy.audit import AuditEvent, AuditRejected, AuditStore, parse_event
from privacy.audit_tree import TREE_HEAD_INTERVAL_S, TreeHeadSigner
from streams.common import Quarantiner
from streams.runtime import Counters, Rejected

log = logging.getLogger("medshare.streams.audit_sink")


class AuditSinkHandler:
    name = "audit-sink"
    inputs = (t.AUDIT,)

    def __init__(self, cfg: Settings, store: AuditStore | None = None, *,
                 tree_head_interval_s: float = TREE_HEAD_INTERVAL_S, tree_head_tick_s: float = 5.0,
                 publish_tree_heads: bool = True) -> None:
        self.store = store or AuditStore.open(cfg)
        self.quarantine = Quarantiner(self.name, cfg)
        self._pending: list[tuple[AuditEvent, dict[str, Any]]] = []
        self._counters: Counters | None = None
        self.signer = TreeHeadSigner(self.store, cfg, interval_s=tree_head_interval_s, tick_s=tree_head_tick_s,
                                     publish_to_topic=publish_tree_heads)
        self._reported = (0, 0, 0, 0)
        self.signer.start()

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
        try:
            self._sign()
        except Exception:  # noqa: BLE001 - the entries are committed; the ticker and close() sign them
            log.warning("audit-sink: could not sign a tree head after the batch; will retry", exc_info=True)

    def _sign(self, final: bool = False) -> None:
        """Sign (and publish) a tree head if one is due; the counters say how it went (ticker's too)."""
        if final:
            self.signer.close()
        else:
            self.signer.maybe_sign()
        if self._counters is not None:
            now = (self.signer.signed, self.signer.published, self.signer.publish_failures, self.signer.refused)
            for key, was, is_ in zip(("audit.tree_heads", "audit.tree_heads_published", "audit.tree_heads_unpublished",
                                      "audit.tree_heads_refused"), self._reported, now, strict=True):
                if is_ > was:
                    self._counters.bump(key, is_ - was)
            self._reported = now

    def close(self) -> None:
        try:
            self._sign(final=True)
        finally:
            self.store.close()


def build(cfg: Settings) -> AuditSinkHandler:
    return AuditSinkHandler(cfg)
