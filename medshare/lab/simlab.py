"""Fill a lab database without a broker: platform records -> de-identifier -> LabDB.

The same :class:`streams.deidentify.Deidentifier` and :class:`streams.labdb.LabDB` the stream
processors use, called directly. Tests, demos and the lab benchmark use it to get a realistic lab
quickly: :func:`build_lab_from_records` from any ``platform.settlements.v2`` records (with their
publish times), :func:`build_simulated_lab` from the simulator's v2 settlements and its notes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time
from typing import Any

from medshare import topics
from medshare.config import Settings, settings

SETTLEMENTS = topics.PLATFORM_SETTLEMENTS_V2
NOTES = topics.PLATFORM_EMR_NOTES


class _Writer:
    def __init__(self, url: str, cfg: Settings, batch: int) -> None:
        from streams.deidentify import Deidentifier
        from streams.labdb import LabDB, table_for

        self.deid = Deidentifier(cfg)
        self.db = LabDB(url=url, cfg=cfg)
        self._table_for = table_for
        self.batch = batch
        self.counts = {"lab_settlements_v2": 0, "lab_revocations_v2": 0, "lab_emr_notes": 0}
        self.pending: dict[str, list[dict[str, Any]]] = {k: [] for k in self.counts}

    def settlement(self, record: dict[str, Any], published: datetime) -> None:
        lab = self.deid.platform_record(record, published)
        table = self._table_for(topics.LAB_SETTLEMENTS_V2, lab).name
        self.pending[table].append({**lab, "loaded_at": datetime.now(UTC).isoformat()})
        if sum(len(v) for v in self.pending.values()) >= self.batch:
            self.flush()

    def note(self, record: dict[str, Any]) -> None:
        self.pending["lab_emr_notes"].append({**self.deid.note(record), "loaded_at": datetime.now(UTC).isoformat()})

    def flush(self) -> None:
        if any(self.pending.values()):
            self.db.write(self.pending)
            for k, v in self.pending.items():
                self.counts[k] += len(v)
                v.clear()


def build_lab_from_records(url: str, records: Iterable[tuple[datetime, dict[str, Any]]],
                           cfg: Settings | None = None, batch: int = 5000) -> dict[str, int]:
    """De-identify ``(published, record)`` pairs of ``platform.settlements.v2`` into ``url``; row counts."""
    w = _Writer(url, cfg or settings(), batch)
    for published, record in records:
        w.settlement(record, published)
    w.flush()
    return w.counts


def build_simulated_lab(url: str, sim: Any, cfg: Settings | None = None, notes: int = 50,
                        batch: int = 5000) -> dict[str, int]:
    """Write the valid v2 settlements and revocations (and the first ``notes`` notes) of
    ``Simulation(sim)`` to ``url``. ``sim`` is a :class:`medshare.simulate.SimConfig`. A revocation
    is taken as published at noon of its publication day (the simulator's events carry a day).
    Returns row counts per table.
    """
    from medshare.simulate import Simulation
    from streams.deidentify import CST

    w = _Writer(url, cfg or settings(), batch)
    for ev in Simulation(sim).events():
        if ev.record is None or ev.malformed:
            continue
        if ev.topic == SETTLEMENTS:
            published = getattr(ev, "published", None) or datetime.combine(ev.day, time(12), CST)
            w.settlement(ev.record, published)
        elif ev.topic == NOTES and w.counts["lab_emr_notes"] + len(w.pending["lab_emr_notes"]) < notes:
            w.note(ev.record)
    w.flush()
    return w.counts
