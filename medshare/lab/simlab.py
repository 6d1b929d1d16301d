"""Fill a lab database straight from the simulator: platform records -> de-identifier -> LabDB.

No broker: the same :class:`streams.deidentify.Deidentifier` and :class:`streams.labdb.LabDB` the
stream processors use, called directly. Tests and demos use it to get a realistic lab quickly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from medshare.config import Settings, settings

SETTLEMENTS = "platform.settlements.v1"
NOTES = "platform.emr-notes.v1"


def build_simulated_lab(url: str, sim: Any, cfg: Settings | None = None, notes: int = 50,
                        batch: int = 5000) -> dict[str, int]:
    """Write the valid settlements (and the first ``notes`` notes) of ``Simulation(sim)`` to ``url``.

    ``sim`` is a :class:`medshare.simulate.SimConfig`. Returns row counts per table.
    """
    from medshare.simulate import Simulation
    from streams.deidentify import Deidentifier
    from streams.labdb import LabDB

    cfg = cfg or settings()
    deid = Deidentifier(cfg)
    db = LabDB(url=url, cfg=cfg)
    counts = {"lab_settlements": 0, "lab_emr_notes": 0}
    pending: dict[str, list[dict[str, Any]]] = {"lab_settlements": [], "lab_emr_notes": []}

    def flush() -> None:
        if any(pending.values()):
            db.write(pending)
            for k, v in pending.items():
                counts[k] += len(v)
                v.clear()

    for ev in Simulation(sim).events():
        if ev.record is None or ev.malformed:
            continue
        now = datetime.now(UTC).isoformat()
        if ev.topic == SETTLEMENTS:
            pending["lab_settlements"].append({**deid.settlement(ev.record), "loaded_at": now})
        elif ev.topic == NOTES and counts["lab_emr_notes"] + len(pending["lab_emr_notes"]) < notes:
            pending["lab_emr_notes"].append({**deid.note(ev.record), "loaded_at": now})
        if len(pending["lab_settlements"]) >= batch:
            flush()
    flush()
    return counts
