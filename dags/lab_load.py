"""
### lab_load — drain the lab topics into the lab and validate it

Runs the lab sink (`streams.lab_sink`) until `lab.settlements.v2` and `lab.emr-notes.v1` are
caught up — upserts by key, so a rerun or a lab sink service running beside it never duplicates
a row — then validates `lab_settlements_v2`, `lab_revocations_v2` and `lab_emr_notes` with the
Great Expectations suites generated from their contracts (each record kind of lab.settlements.v2
against its own table). A failed critical expectation **fails the run** (no retries: the
data will not fix itself) and the task log names each failed expectation, column and sample keys;
JSON and HTML reports land in `$MEDSHARE_HOME/reports/gx/<run>/`.

On success it updates the asset `medshare://lab/lab_settlements` (the lab's settlements, whatever
the table's version), which schedules `lab_transform`.
The task's OpenLineage COMPLETE (or FAIL) event lists the validated tables as inputs carrying the
results as `dataQualityAssertions` and `dataQualityMetrics` facets (docs/lineage.md).
Business logic: `medshare.orchestration.load`.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import CronDataIntervalTimetable, dag, get_current_context, task

from medshare.orchestration import lineage
from medshare.orchestration.assets import LAB_EMR_NOTES, LAB_SETTLEMENTS
from medshare.orchestration.dag_defaults import DEFAULT_ARGS, START_DATE, TAG
from medshare.orchestration.tasks import TIMEZONE


@dag(
    dag_id="lab_load",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone=TIMEZONE),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[TAG, "lab", "validation"],
    doc_md=__doc__,
)
def lab_load():
    inlets, outlets = lineage.lab_load()  # OpenLineage: lab topics -> lab tables

    @task(inlets=inlets, outlets=[LAB_SETTLEMENTS, LAB_EMR_NOTES, *outlets], execution_timeout=timedelta(hours=1))
    def load_and_validate(data_interval_start=None, data_interval_end=None, run_id=None) -> dict:
        from medshare.orchestration import tasks

        me = get_current_context()["task"]  # its COMPLETE/FAIL event carries the GX results
        return tasks.lab_load(data_interval_start, data_interval_end, run_id=run_id,
                              on_results=lambda runs: lineage.attach_quality(me, runs))

    load_and_validate()


lab_load()
