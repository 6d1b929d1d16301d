"""
### lab_transform — build the lab's dbt project, one Airflow task per model and per model's tests

Scheduled on the asset `medshare://lab/lab_settlements` (updated by `lab_load` after the lab
passed validation). astronomer-cosmos renders `transforms/` from dbt's manifest: each staging,
intermediate and mart model is a `run` task followed by its own `test` task, in dependency
order. When every model and test passed, `marts_built` updates the asset `medshare://lab/marts`,
which schedules `release_marts`.

The manifest is made by `dbt parse` (`medshare airflow up` does it; see docs/airflow.md).
Configuration: `medshare.orchestration.transform` (the dbt profile reads the environment).
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import dag, task
from cosmos import DbtTaskGroup

from medshare.orchestration.assets import LAB_SETTLEMENTS, MARTS
from medshare.orchestration.dag_defaults import DEFAULT_ARGS, START_DATE, TAG
from medshare.orchestration.transform import task_group_kwargs


@dag(
    dag_id="lab_transform",
    schedule=[LAB_SETTLEMENTS],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args={**DEFAULT_ARGS, "execution_timeout": timedelta(minutes=30)},
    tags=[TAG, "lab", "dbt"],
    doc_md=__doc__,
)
def lab_transform():
    dbt = DbtTaskGroup(group_id="dbt", **task_group_kwargs())

    @task(outlets=[MARTS], execution_timeout=timedelta(minutes=5))
    def marts_built() -> str:
        return "marts rebuilt"

    dbt >> marts_built()


lab_transform()
