"""
### rotate_keys — rotate insurers' data keys weekly and report the live versions

For each onboarded insurer whose current key version is at least `max_age_days` old (param, else
Variable `medshare_key_max_age_days` / `MEDSHARE_KEY_MAX_AGE_DAYS`, default 90) a new version is
made current (`privacy.keys.rotate`); previous versions stay live, so everything already
encrypted still decrypts. At most one rotation per insurer per interval (ledger), so a rerun
rotates nothing. Insurers holding their own private keys are reported, not rotated. The second
task logs and returns every insurer's live versions.

Business logic: `medshare.orchestration.keys`.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import CronDataIntervalTimetable, Param, dag, task

from medshare.orchestration import lineage
from medshare.orchestration.dag_defaults import DEFAULT_ARGS, START_DATE, TAG
from medshare.orchestration.tasks import TIMEZONE


@dag(
    dag_id="rotate_keys",
    schedule=CronDataIntervalTimetable("0 3 * * 1", timezone=TIMEZONE),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[TAG, "keys", "security"],
    params={"max_age_days": Param(None, type=["null", "integer"], minimum=0,
                                  description="rotate keys at least this old (default: configured policy)")},
    doc_md=__doc__,
)
def rotate_keys():
    inlets, outlets = lineage.rotate_keys()  # OpenLineage: the pipeline keyring

    @task(execution_timeout=timedelta(minutes=10), inlets=inlets, outlets=outlets)
    def rotate(data_interval_start=None, run_id=None, params=None) -> list:
        from medshare.orchestration import tasks

        return tasks.rotate_keys(data_interval_start, max_age_days=params["max_age_days"], run_id=run_id)

    @task(execution_timeout=timedelta(minutes=5))
    def report_live_versions() -> dict:
        from medshare.orchestration import tasks

        return tasks.live_keys()

    rotate() >> report_live_versions()


rotate_keys()
