"""
### platform_extract — publish one day of the platform's batch snapshot

For platforms that cannot publish events themselves: reads the day of the data interval
(a Shanghai calendar day) from the platform's batch snapshot and publishes it as the `platform`
principal. Settlements are what a 医保 interface extract is —
`<batch>/settlements/date=YYYY-MM-DD/part-*.jsonl`, one settlement per line
`{"setlinfo": {…}, "setldetail": […], "feedetail": […], "diseinfo": […]}`, 2208 lines
`{"revoke": {…}}` — taken by `medshare platform ingest`'s own code: checked against the
`platform.settlements.v2` contract, published keyed by `psn_no`, refused lines sealed into
`pipeline.quarantine.v1` with field and rule (docs/platform-interface.md). E-medical notes,
consents and enrolments come from their Parquet tables (`<batch>/<table>/date=YYYY-MM-DD/part-*.parquet`)
to `platform.emr-notes.v1`, `platform.consents.v1`, `platform.enrolments.v1` — key `person_no`,
`ms-event-id` from the batch, broken rows as their raw bytes (the contract check quarantines them).

**Idempotent per day**: an extract ledger records each published day; rerunning or backfilling a
day publishes nothing unless the run is triggered with `{"force": true}`.

Config: Airflow connection `medshare_kafka`, Variable `medshare_batch_dir` (or `MEDSHARE_*` env);
see docs/airflow.md. Lineage (OpenLineage, docs/lineage.md): batch tables -> platform topics, quarantine.
Business logic: `medshare.orchestration.extract`.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import CronDataIntervalTimetable, Param, dag, task

from medshare.orchestration import lineage
from medshare.orchestration.dag_defaults import DEFAULT_ARGS, START_DATE, TAG
from medshare.orchestration.tasks import TIMEZONE


@dag(
    dag_id="platform_extract",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone=TIMEZONE),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[TAG, "extract", "platform"],
    params={"force": Param(False, type="boolean", description="republish a day the ledger already has")},
    doc_md=__doc__,
)
def platform_extract():
    inlets, outlets = lineage.platform_extract()  # OpenLineage: batch tables -> platform topics

    @task(execution_timeout=timedelta(minutes=30), inlets=inlets, outlets=outlets)
    def publish_day(data_interval_start=None, run_id=None, params=None) -> dict:
        from medshare.orchestration import tasks

        return tasks.platform_extract(data_interval_start, force=bool(params["force"]), run_id=run_id)

    publish_day()


platform_extract()
