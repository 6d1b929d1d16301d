"""Every DAG file loads: no import errors, no cycles, the documented schedule, tags, owner, retries.

Like Airflow's own ``test_example_dags.py``: parsing a DAG file must not query a database, open a
connection or load a model — the scheduler parses every file over and over. The test makes any
socket connect, SQLite, DuckDB or Kafka client construction raise while the files are parsed.
"""

from __future__ import annotations

import socket
import sqlite3
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest

DAGS = Path(__file__).resolve().parents[2] / "dags"

#: dag id -> (cron expression, timezone, tags it must carry); the schedules docs/airflow.md documents
EXPECTED = {
    "platform_extract": ("0 0 * * *", {"medshare", "extract"}),
    "lab_load": ("0 0 * * *", {"medshare", "lab", "validation"}),
    "rotate_keys": ("0 3 * * 1", {"medshare", "keys"}),
    "compliance_report": ("0 0 * * *", {"medshare", "compliance"}),
    "lab_retention": ("0 2 * * *", {"medshare", "lab", "retention"}),
    "rights_erasure": ("30 * * * *", {"medshare", "compliance", "erasure"}),
}
#: DAGs scheduled on assets rather than a clock: dag id -> asset URIs
ASSET_SCHEDULED: dict[str, tuple[str, set[str]]] = {
    "lab_transform": ("medshare://lab/lab_settlements", {"medshare", "lab", "dbt"}),
    "release_marts": ("medshare://lab/marts", {"medshare", "release"}),
}


def _dag_files() -> list[Path]:
    return sorted(p for p in DAGS.glob("*.py") if not p.name.startswith("_"))


class ConnectionAttempt(AssertionError):
    pass


def _refuse(*args, **kwargs):
    raise ConnectionAttempt(f"a connection was attempted while parsing a DAG file: {args[:2]!r}")


@pytest.fixture(scope="module")
def dagbag(dbt_manifest):
    from airflow.dag_processing.dagbag import DagBag

    with mock.patch.object(socket.socket, "connect", _refuse), \
            mock.patch.object(socket.socket, "connect_ex", _refuse), \
            mock.patch.object(sqlite3, "connect", _refuse), \
            mock.patch("duckdb.connect", _refuse), \
            mock.patch("kafka.KafkaProducer", _refuse), mock.patch("kafka.KafkaConsumer", _refuse):
        started = time.perf_counter()
        bag = DagBag(dag_folder=str(DAGS), safe_mode=True)
        bag.parse_seconds = time.perf_counter() - started
    return bag


def test_every_dag_file_imports_without_errors_or_connections(dagbag):
    assert dagbag.import_errors == {}, "\n".join(f"{k}: {v}" for k, v in dagbag.import_errors.items())
    files = {Path(d.fileloc).name for d in dagbag.dags.values()}
    assert files == {p.name for p in _dag_files()}, "each DAG file defines a DAG Airflow finds (safe mode)"


def test_the_documented_dags_exist(dagbag):
    assert set(EXPECTED) | set(ASSET_SCHEDULED) <= set(dagbag.dag_ids)


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_schedule_and_tags(dagbag, dag_id):
    cron, tags = EXPECTED[dag_id]
    dag = dagbag.dags[dag_id]
    tt = dag.timetable
    assert type(tt).__name__ == "CronDataIntervalTimetable", "daily/weekly DAGs own a real data interval"
    assert tt.expression == cron
    assert str(getattr(tt.timezone, "name", tt.timezone)) == "Asia/Shanghai"
    assert tags <= set(dag.tags)
    assert dag.catchup is False and dag.max_active_runs == 1


@pytest.mark.parametrize("dag_id", sorted(ASSET_SCHEDULED))
def test_asset_schedules_and_tags(dagbag, dag_id):
    uri, tags = ASSET_SCHEDULED[dag_id]
    dag = dagbag.dags[dag_id]
    assert type(dag.timetable).__name__ == "AssetTriggeredTimetable"
    assert uri in {getattr(a, "uri", None) for a in _assets(dag.timetable.asset_condition)}
    assert tags <= set(dag.tags)
    assert dag.catchup is False and dag.max_active_runs == 1


def _assets(condition) -> list:
    objs = getattr(condition, "objects", None)
    if objs is None:
        return [condition]
    return [a for o in objs for a in _assets(o)]


def test_lab_transform_has_a_task_per_dbt_model_and_its_tests(dagbag):
    import json

    from medshare.orchestration.transform import manifest_path

    manifest = json.loads(manifest_path().read_text())
    models = [n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    ids = {t.task_id for t in dagbag.dags["lab_transform"].tasks}
    assert models
    for m in models:
        assert f"dbt.{m}.run" in ids
    assert any(i.endswith(".test") for i in ids)
    marts_built = dagbag.dags["lab_transform"].task_dict["marts_built"]
    assert {o.uri for o in marts_built.outlets} == {"medshare://lab/marts"}
    assert len(marts_built.upstream_task_ids) >= 1


def test_release_marts_maps_one_task_per_grant(dagbag):
    dag = dagbag.dags["release_marts"]
    assert type(dag.task_dict["release"]).__name__.endswith("MappedOperator")


def test_no_cycles_and_every_task_has_owner_retries_backoff_timeout(dagbag):
    from airflow.sdk.definitions.dag import DAG

    for dag in dagbag.dags.values():
        assert isinstance(dag, DAG)
        dag.topological_sort()  # raises on a cycle
        assert dag.doc_md and len(dag.doc_md) > 200, f"{dag.dag_id} documents itself (doc_md)"
        assert dag.owner == "medshare-data-engineering"
        for task in dag.tasks:
            assert task.retries >= 1, f"{dag.dag_id}.{task.task_id} retries"
            assert task.retry_exponential_backoff, f"{dag.dag_id}.{task.task_id} backs off"
            assert task.execution_timeout is not None and task.execution_timeout <= timedelta(hours=2)


def test_lab_load_produces_the_lab_asset(dagbag):
    outlets = {getattr(o, "uri", None) for t in dagbag.dags["lab_load"].tasks for o in t.outlets}
    assert "medshare://lab/lab_settlements" in outlets


def test_parsing_is_fast(dagbag):
    # heavy imports (GX, Presidio, dbt, duckdb, kafka) happen in tasks, not at parse time
    assert dagbag.parse_seconds < 15


def test_dag_files_hold_no_credentials_and_no_business_logic():
    for path in _dag_files():
        text = path.read_text("utf-8")
        low = text.lower()
        for word in ("password", "secret", "sasl_plain", "principals.json"):
            assert word not in low, f"{path.name} mentions {word!r}"
        assert "import duckdb" not in text and "import great_expectations" not in text
        assert len([ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]) < 120


def _ol(datasets) -> set[tuple[str, str]]:
    from openlineage.client.event_v2 import Dataset

    return {(d.namespace, d.name) for d in datasets if isinstance(d, Dataset)}


def test_tasks_declare_openlineage_datasets_named_as_the_processors_name_theirs(dagbag):
    """The provider has no extractor for @task: the OpenLineage datasets in inlets/outlets are the lineage."""
    from medshare import topics as t
    from medshare.config import settings
    from medshare.lineage import kafka_namespace, lab_dataset
    from medshare.orchestration.release import mart_grants

    cfg = settings()
    kafka = kafka_namespace(cfg)
    platform = {(kafka, t.PLATFORM_SETTLEMENTS), (kafka, t.PLATFORM_EMR_NOTES), (kafka, t.PLATFORM_CONSENTS),
                (kafka, t.PLATFORM_ENROLMENTS), (kafka, t.QUARANTINE)}
    lab = {lab_dataset(cfg, "lab_settlements_v2"), lab_dataset(cfg, "lab_revocations_v2"),
           lab_dataset(cfg, "lab_emr_notes")}
    extract = dagbag.dags["platform_extract"].task_dict["publish_day"]
    assert _ol(extract.outlets) == platform
    assert {name.rsplit("/", 1)[-1] for _, name in _ol(extract.inlets)} == {"settlements", "emr_notes", "consents",
                                                                           "enrolments"}
    load = dagbag.dags["lab_load"].task_dict["load_and_validate"]
    assert _ol(load.inlets) == {(kafka, t.LAB_SETTLEMENTS_V2), (kafka, t.LAB_EMR_NOTES)}
    assert _ol(load.outlets) == lab
    release = dagbag.dags["release_marts"].task_dict["release"]
    grants = mart_grants()
    assert _ol(release.partial_kwargs.get("inlets") or release.inlets) == {
        lab_dataset(cfg, g["mart"], "marts") for g in grants}
    assert _ol(release.partial_kwargs.get("outlets") or release.outlets) == {
        (kafka, t.insurer_marts(g["insurer"])) for g in grants} | {(kafka, t.AUDIT)}
    report = dagbag.dags["compliance_report"].task_dict["write_report"]
    assert lab <= _ol(report.inlets)
    assert _ol(dagbag.dags["rotate_keys"].task_dict["rotate"].outlets) == {("file", str(cfg.keyring_dir))}


def test_airflow_is_configured_with_medshares_transport():
    import json
    import os

    from medshare.orchestration.lineage import AIRFLOW_JOB_NAMESPACE, openlineage_env
    from medshare.orchestration.local import airflow_env

    env = airflow_env()
    assert json.loads(env["AIRFLOW__OPENLINEAGE__TRANSPORT"]) == {"type": "medshare.lineage.MedshareTransport",
                                                                  "kafka": True}
    assert env["AIRFLOW__OPENLINEAGE__NAMESPACE"] == AIRFLOW_JOB_NAMESPACE
    assert {k: os.environ[k] for k in openlineage_env()} == openlineage_env()  # the DAG tests run with it too
