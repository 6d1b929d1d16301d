"""``lab_load``: drain the lab topics into the lab, then validate the lab tables.

Loading reuses the lab sink (:mod:`streams.lab_sink`) run until idle with the streams
:class:`~streams.runtime.Runner`: it upserts by key in the consumer group ``medshare-lab-sink``,
so a rerun of an interval, or a lab sink service running beside the DAG, never duplicates a row.
Then every lab table is validated with the Great Expectations suite generated from its contract
(:func:`contracts.gx.validate_table`); a critical failure raises
:class:`~medshare.orchestration.exceptions.LabValidationError`, whose message names each failed
expectation, column and a sample of failing keys (never identifier or health values).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from medshare.orchestration.config import OrchestrationConfig
from medshare.orchestration.exceptions import LabValidationError

log = logging.getLogger(__name__)

#: the lab tables validated after each load, in order (the v1 table lab_settlements is kept but no
#: longer loaded, so no longer validated: docs/lab.md)
LAB_TABLES = ("lab_settlements_v2", "lab_revocations_v2", "lab_emr_notes")


def drain(config: OrchestrationConfig, idle_s: float = 2.0) -> dict[str, Any]:
    """Run the lab sink until every lab partition is caught up; returns its counters."""
    from streams.registry import factory
    from streams.runtime import Runner, RunOptions

    counters = Runner(factory("lab-sink")(config.settings), RunOptions(until_idle=True, idle_s=idle_s),
                      config.settings).run()
    return {"consumed": counters.consumed, "quarantined": counters.quarantined, "batches": counters.batches}


def interval_rows(config: OrchestrationConfig, start: datetime, end: datetime) -> dict[str, int]:
    """Lab settlements whose settlement hour lies in ``[start, end)``, and all rows per table."""
    from streams.labdb import LabDB

    db = LabDB(cfg=config.settings)
    counts = {t: int(db.query(f"select count(*) from {t}")[0][0]) for t in LAB_TABLES}
    counts["lab_settlements_in_interval"] = int(db.query(
        "select count(*) from lab_settlements_v2 where setl_hour >= ? and setl_hour < ?", (start, end))[0][0])
    return counts


def validate(config: OrchestrationConfig, tables: tuple[str, ...] = LAB_TABLES,
             report_dir: Path | None = None, on_results: Callable[[list[Any]], None] | None = None) -> list[Any]:
    """Validate ``tables``; raises :class:`LabValidationError` naming every failed expectation.

    With ``report_dir``, each run is also written there as ``<table>.json`` and ``<table>.html``.
    ``on_results`` gets every table's run before a failure is raised (the DAG task puts them in its
    lineage: :func:`medshare.orchestration.lineage.attach_quality`).
    """
    from contracts.gx import validate_table
    from streams.labdb import LabDB

    LabDB(cfg=config.settings).query("select 1")  # creates the tables in a fresh lab
    runs = []
    for table in tables:
        run = validate_table(table, config.settings.lab_database)
        log.info("%s: %d rows, %d expectations, %d failed -> %s", table, run.rows, len(run.outcomes),
                 len(run.failed), "PASSED" if run.success else "FAILED")
        for o in run.failed:
            log.log(logging.ERROR if o.severity == "critical" else logging.WARNING,
                    "%s: %s failed: %s on %s (%s rows) sample keys %s", table, o.severity, o.expectation,
                    o.column or "(table)", o.unexpected_count, o.sample_keys[:5])
        if report_dir is not None:
            report_dir.mkdir(parents=True, exist_ok=True)
            (report_dir / f"{table}.json").write_text(run.to_json(), "utf-8")
            (report_dir / f"{table}.html").write_text(run.to_html(), "utf-8")
        runs.append(run)
    if on_results is not None:
        on_results(runs)
    if not all(r.success for r in runs):
        raise LabValidationError(runs)
    return runs


def load_and_validate(config: OrchestrationConfig, start: datetime, end: datetime,
                      report_dir: Path | None = None,
                      on_results: Callable[[list[Any]], None] | None = None) -> dict[str, Any]:
    """Drain, count, validate: the whole ``lab_load`` step for one interval (``on_results``: :func:`validate`)."""
    loaded = drain(config)
    counts = interval_rows(config, start, end)
    runs = validate(config, report_dir=report_dir, on_results=on_results)
    return {"interval": [start.isoformat(), end.isoformat()], "sink": loaded, "rows": counts,
            "validation": {r.table: {"rows": r.rows, "expectations": len(r.outcomes), "failed": len(r.failed),
                                     "success": r.success} for r in runs}}
