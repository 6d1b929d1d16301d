"""
### release_marts — release each granted mart to its insurer, one mapped task per grant

Scheduled on the asset `medshare://lab/marts` (updated by `lab_transform`). The first task reads
the sharing agreements and lists every (insurer, mart, purpose) granted for the `actuarial` or
`supervision` purpose from a `mart:<name>` source; `release` is mapped over that list (dynamic task
mapping), so each insurer × mart is its own task instance: disclosure check (small cells,
k-anonymity), projection to the agreement's fields, and one Kafka transaction to
`insurer.<code>.marts.v1` with its audit event. Releasing the same content again is a no-op
(`unchanged`); a refused release is **skipped** with the reason in the log.

Business logic: `medshare.lab.release`, `medshare.orchestration.release`.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import dag, get_current_context, task

from medshare.orchestration import lineage
from medshare.orchestration.assets import MARTS
from medshare.orchestration.dag_defaults import DEFAULT_ARGS, START_DATE, TAG


@dag(
    dag_id="release_marts",
    schedule=[MARTS],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[TAG, "release", "insurer"],
    doc_md=__doc__,
)
def release_marts():
    @task(execution_timeout=timedelta(minutes=5))
    def granted_marts() -> list:
        from medshare.orchestration import tasks

        return tasks.mart_grants()

    inlets, outlets = lineage.release()  # OpenLineage: granted marts -> insurer marts topics, audit

    @task(execution_timeout=timedelta(minutes=20), map_index_template="{{ release_label }}",
          max_active_tis_per_dag=2, inlets=inlets, outlets=outlets)
    def release(pair: dict) -> dict:
        from medshare.orchestration import tasks

        context = get_current_context()
        context["release_label"] = f"{pair['insurer']}/{pair['mart']}/{pair['purpose']}"
        lineage.narrow_release(context["task"], pair)  # this instance's mart and insurer only
        return tasks.release_mart(pair)

    release.expand(pair=granted_marts())


release_marts()
