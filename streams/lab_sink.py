"""The lab sink: ``lab.*`` topics into the lab database, idempotently.

Each batch is checked against the lab contracts and a last guard against direct identifiers
(``privacy.leakguard``), upserted by key in one database transaction, and only then are the
offsets committed (in the runtime's Kafka transaction). A crash between the two replays the batch;
the upserts change nothing. Records that fail go to quarantine and never into the lab.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from medshare import topics as t
from medshare.config import Settings
from medshare.envelope import Outgoing
from streams.common import ContractCheck, Quarantiner
from streams.labdb import TOPIC_TABLES, LabDB
from streams.runtime import Counters, Rejected


class LabSinkHandler:
    name = "lab-sink"
    inputs = (t.LAB_SETTLEMENTS, t.LAB_EMR_NOTES)

    def __init__(self, cfg: Settings, db: LabDB | None = None) -> None:
        self.db = db or LabDB(cfg=cfg)
        self.check = ContractCheck(self.inputs)
        self.quarantine = Quarantiner(self.name, cfg)
        self._rows: dict[str, list[dict[str, Any]]] = {}

    def begin_batch(self) -> None:
        self._rows = {}

    def handle(self, msg: Any, counters: Counters) -> list[Outgoing]:
        from privacy.leakguard import find_identifiers

        record = self.check(msg)
        leaks = find_identifiers(record)
        if leaks:
            raise Rejected("leak-guard", f"direct identifier(s) found in {', '.join(leaks)}")
        record["loaded_at"] = datetime.now(UTC).isoformat()
        self._rows.setdefault(TOPIC_TABLES[msg.topic].name, []).append(record)
        return []

    def before_commit(self) -> None:
        written = self.db.write(self._rows)
        self._rows = {}
        self.written = getattr(self, "written", 0) + written

    def close(self) -> None:
        pass


def build(cfg: Settings) -> LabSinkHandler:
    return LabSinkHandler(cfg)
