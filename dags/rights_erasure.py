"""
### rights_erasure — erasure passed on to insurers (PIPL Art. 15, 19, 47)

Every hour: **issue** an erasure request on `insurer.<code>.erasure.v1` for every disclosure made
under a consent that has since been revoked, or whose grant's retention has ended, and not yet
requested (one request per insurer, consent and reason; ids are content hashes, so a rerun issues
nothing twice); **collect** the insurers' acknowledgements from `insurer.<code>.erasure-acks.v1`,
logging each complete one in the disclosure log (`kind: erasure-ack`) and refusing, with the
reason in the task log, any that names an unknown request, another insurer's, or not every
requested record; then **overdue** lists, per insurer, requests past their deadline
(`MEDSHARE_ERASURE_DEADLINE_DAYS`, default 15) and records the run for the compliance report.

Business logic: `privacy.erasure` (CLI: `medshare audit erasure-issue`, `medshare audit
erasure-collect`; insurer side: `medshare insurer erasure-ack CODE`). See docs/audit.md.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import CronDataIntervalTimetable, dag, task

from medshare.orchestration import lineage
from medshare.orchestration.dag_defaults import DEFAULT_ARGS, START_DATE, TAG
from medshare.orchestration.tasks import TIMEZONE


@dag(
    dag_id="rights_erasure",
    schedule=CronDataIntervalTimetable("30 * * * *", timezone=TIMEZONE),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[TAG, "compliance", "erasure"],
    doc_md=__doc__,
)
def rights_erasure():
    issue_in, issue_out, collect_in, collect_out = lineage.rights_erasure()

    @task(execution_timeout=timedelta(minutes=20), inlets=issue_in, outlets=issue_out)
    def issue(data_interval_end=None) -> dict:
        from medshare.orchestration import tasks

        return tasks.erasure_issue(data_interval_end)

    @task(execution_timeout=timedelta(minutes=20), inlets=collect_in, outlets=collect_out)
    def collect() -> dict:
        from medshare.orchestration import tasks

        return tasks.erasure_collect()

    @task(execution_timeout=timedelta(minutes=5))
    def overdue(issued: dict, collected: dict, data_interval_end=None) -> dict:
        from medshare.orchestration import tasks

        return tasks.erasure_overdue(data_interval_end, issued, collected)

    issued = issue()
    collected = collect()
    issued >> collected
    overdue(issued, collected)


rights_erasure()
