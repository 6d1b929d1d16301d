"""
### lab_retention — delete lab rows no agreement needs any more (PIPL Art. 19, 47)

Each day, computes from the agreements the longest retention of the grants whose source is a lab
mart (`mart:<model>`: the lab tables feed the marts) and deletes the rows of `lab_settlements_v2`,
`lab_revocations_v2`, `lab_emr_notes` and the kept v1 `lab_settlements` whose month is before the
month of the cutoff (data interval end minus that retention). DuckDB by default, Postgres when `MEDSHARE_LAB_URL` (or the Variable) says so. With
no mart grant nothing is deleted. The marts are rebuilt from what remains by the next
`lab_transform` run, not here. Each run is recorded for the compliance report's "last enforcement
runs" (PIPL section). A rerun of the same interval deletes nothing more.

Business logic: `medshare.lab.retention` (CLI: `medshare lab retention [--dry-run]`).
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import CronDataIntervalTimetable, Param, dag, task

from medshare.orchestration import lineage
from medshare.orchestration.dag_defaults import DEFAULT_ARGS, START_DATE, TAG
from medshare.orchestration.tasks import TIMEZONE


@dag(
    dag_id="lab_retention",
    schedule=CronDataIntervalTimetable("0 2 * * *", timezone=TIMEZONE),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[TAG, "lab", "retention", "compliance"],
    params={"dry_run": Param(False, type="boolean", description="count what would be deleted; delete nothing")},
    doc_md=__doc__,
)
def lab_retention():
    from medshare.lab.retention import TABLE_MONTH_COLUMNS

    tables = [lineage.lab_table(table) for table in TABLE_MONTH_COLUMNS]

    @task(execution_timeout=timedelta(minutes=30), inlets=tables, outlets=tables)
    def enforce(data_interval_end=None, params=None) -> dict:
        from medshare.orchestration import tasks

        return tasks.lab_retention(data_interval_end, dry_run=bool(params["dry_run"]))

    enforce()


lab_retention()
