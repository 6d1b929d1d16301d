"""The ``lab_load`` task's OpenLineage carries its Great Expectations results (no broker, no Airflow run).

A lab table (lab_settlements_v2) with a null in a required column fails ``expect_column_values_to_not_be_null`` on
purpose. :func:`medshare.orchestration.lineage.attach_quality` puts the results on the real
``lab_load`` task (parsed from ``dags/lab_load.py``), and the provider's own extraction — what its
listener calls for the task's FAIL and COMPLETE events — returns the lab table as an input whose
``dataQualityAssertions`` hold one assertion per expectation, ``success: false`` for exactly the
failed one, and whose ``dataQualityMetrics`` count the rows and the null. Under ``airflow dags test``
the same is checked in test_dag_lineage.py (COMPLETE) and test_dag_runs.py (FAIL).
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

DAGS = Path(__file__).resolve().parents[2] / "dags"


def _lab_settlements() -> list[dict]:
    """Six de-identified v2 settlements (the interface examples' first, with six setl_ids)."""
    from datetime import UTC, datetime

    from medshare.config import settings
    from medshare.ingest import to_record
    from privacy.deid.memory import PersonMemory
    from streams.deidentify import CST, Deidentifier
    from tests.platform import interface_examples as ex

    deid = Deidentifier(settings(), memory=PersonMemory(b"g" * 32))
    base = deid.platform_record(to_record(ex.lines()[1])[1], datetime.now(UTC))
    hour = datetime.now(CST).replace(minute=0, second=0, microsecond=0)  # fresh: no freshness warning
    return [{**base, "setl_id": f"3100000000001{i:05d}", "setl_hour": hour.isoformat(),
             "setl_month": hour.strftime("%Y-%m")} for i in range(6)]


@pytest.fixture(scope="module")
def failed_run():
    """A GX run of lab_settlements_v2 (6 rows) where one row has no person_key."""
    import pandas as pd

    from contracts import gx as cgx
    from contracts import registry

    rows = _lab_settlements()
    rows[5]["person_key"] = None
    df = pd.DataFrame([dict(r, diseinfo=json.dumps(r["diseinfo"]), feedetail=json.dumps(r["feedetail"]))
                       for r in rows])
    contract = next(p for p in registry.load("lab.settlements.v2").parts
                    if p.schema.physicalName == "lab_settlements_v2")
    run = cgx.validate_dataframe(contract, df, table="lab_settlements_v2")
    assert [(o.expectation, o.column) for o in run.failed] == [("expect_column_values_to_not_be_null",
                                                                  "person_key")]
    return run


@pytest.fixture
def lab_load_task():
    """A fresh parse of ``dags/lab_load.py``'s task (the test changes its inlets)."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS / "lab_load.py"), safe_mode=True)
    assert not bag.import_errors, bag.import_errors
    return bag.dags["lab_load"].task_dict["load_and_validate"]


def _extract(task, state):
    """The provider's metadata for the task's final event (inputs, outputs) in ``state``."""
    from airflow.providers.openlineage.extractors.manager import ExtractorManager

    return ExtractorManager().extract_metadata(dagrun=SimpleNamespace(run_id="manual__test"), task=task,
                                               task_instance_state=state, task_instance=None)


def _names(datasets) -> set[tuple[str, str]]:
    return {(d.namespace, d.name) for d in datasets}


def test_a_failed_expectation_travels_in_the_tasks_fail_lineage(failed_run, lab_load_task):
    from airflow.utils.state import TaskInstanceState
    from openlineage.client.event_v2 import Job, Run, RunEvent, RunState

    from medshare.config import settings
    from medshare.lineage import kafka_namespace, lab_dataset, to_dict
    from medshare.lineage_schema import validate_event
    from medshare.orchestration.lineage import attach_quality

    cfg = settings()
    table = lab_dataset(cfg, "lab_settlements_v2")
    topics = {(kafka_namespace(cfg), "lab.settlements.v2"), (kafka_namespace(cfg), "lab.emr-notes.v1")}
    before = _extract(lab_load_task, TaskInstanceState.FAILED)
    assert _names(before.inputs) == topics, "before validating, the task reads the lab topics only"

    attach_quality(lab_load_task, [failed_run])
    attach_quality(lab_load_task, [failed_run])  # a second call replaces, never duplicates
    meta = _extract(lab_load_task, TaskInstanceState.FAILED)
    assert _names(meta.inputs) == topics | {table}
    assert len(meta.inputs) == 3  # only the validated table is added
    event = to_dict(RunEvent(
        eventType=RunState.FAIL, eventTime="2026-03-02T00:00:05.000Z",
        producer="https://github.com/apache/airflow/tree/providers-openlineage/2.20.3",
        run=Run(runId="01956d3c-0000-7000-8000-000000000002"), job=Job(namespace="airflow",
                                                                       name="lab_load.load_and_validate"),
        inputs=meta.inputs, outputs=meta.outputs))
    assert validate_event(event) == []
    facets = next(i for i in event["inputs"] if (i["namespace"], i["name"]) == table)["inputFacets"]
    assertions = facets["dataQualityAssertions"]["assertions"]
    assert [(a["assertion"], a.get("column"), a["name"], a["success"]) for a in assertions] == [
        (o.expectation, o.column, o.rule, o.success) for o in failed_run.outcomes]
    assert len(assertions) == len(failed_run.outcomes) > 20
    failed = [a for a in assertions if a["success"] is False]
    assert [(a["assertion"], a["column"], a["severity"], a["actual"]) for a in failed] == [
        ("expect_column_values_to_not_be_null", "person_key", "critical", "1")]
    metrics = facets["dataQualityMetrics"]
    assert metrics["rowCount"] == 6
    assert metrics["columnMetrics"]["person_key"]["nullCount"] == 1
    assert metrics["columnMetrics"]["setl_id"]["nullCount"] == 0
    assert metrics["columnMetrics"]["main_diag_code"]["nullCount"] == 0

    # the COMPLETE event reads the same inlets
    done = _extract(lab_load_task, TaskInstanceState.SUCCESS)
    assert _names(done.inputs) == topics | {table}


def test_attaching_the_results_never_fails_the_task(failed_run, caplog):
    from medshare.orchestration.lineage import attach_quality

    broken = SimpleNamespace()  # no inlets: what a lineage bug would look like
    with caplog.at_level("WARNING", logger="medshare.orchestration.lineage"):
        attach_quality(broken, [failed_run])
    assert "the GX results of lab_settlements_v2 were not attached" in caplog.text
