"""
### compliance_report — the compliance officer's report of each day

Writes `medshare report` for the data interval (a Shanghai day) to
`$MEDSHARE_HOME/reports/compliance/<day>/index.html` and `report.json`: the lineage graph with
field treatments, the agreements in force, disclosures per insurer and purpose, consents granted
and revoked, quarantine by rule, data quality of the lab tables and the audit chain's check. The
report holds counts, field names and treatments only; it refuses to write if an identifier-like
value slipped into its data. Rerunning a day rewrites the same folder.

Business logic: `medshare.report` (see docs/report.md).
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import CronDataIntervalTimetable, dag, task

from medshare.orchestration import lineage
from medshare.orchestration.dag_defaults import DEFAULT_ARGS, START_DATE, TAG
from medshare.orchestration.tasks import TIMEZONE


@dag(
    dag_id="compliance_report",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone=TIMEZONE),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[TAG, "compliance", "report"],
    doc_md=__doc__,
)
def compliance_report():
    inlets, outlets = lineage.compliance_report()  # OpenLineage: stores and lab -> report folder

    @task(execution_timeout=timedelta(minutes=20), inlets=inlets, outlets=outlets)
    def write_report(data_interval_start=None, data_interval_end=None) -> dict:
        from medshare.orchestration import tasks

        return tasks.compliance_report(data_interval_start, data_interval_end)

    write_report()


compliance_report()
