"""Other producers' events (no broker): DuckDB lab naming mapped to medshare's, the transport, the store's files."""

from __future__ import annotations

import json

import pytest

from medshare import lineage as ml
from medshare.config import Settings

AIRFLOW = "https://github.com/apache/airflow/tree/providers-openlineage/2.20.3"


@pytest.fixture
def cfg(tmp_path) -> Settings:
    return Settings(home=tmp_path, kafka_port=23999)


def _dbt_event(ns: str, db: str = "lab") -> dict:
    """What openlineage-integration-common's dbt processor makes of a DuckDB model (shape as emitted)."""
    return {
        "eventType": "COMPLETE", "eventTime": "2026-03-05T02:00:00.000Z", "producer": AIRFLOW,
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": "01956d3c-0000-7000-8000-000000000002", "facets": {}},
        "job": {"namespace": "airflow", "name": "lab_transform.dbt.stg_settlements.run", "facets": {}},
        "inputs": [{"namespace": ns, "name": f"{db}.main.lab_settlements", "facets": {}}],
        "outputs": [{"namespace": ns, "name": f"{db}.staging.stg_settlements", "facets": {
            "columnLineage": {"_producer": AIRFLOW, "_schemaURL": "https://openlineage.io/x.json", "fields": {
                "settlement_id": {"inputFields": [{"namespace": ns, "name": f"{db}.main.lab_settlements",
                                                   "field": "settlement_id"}]}}},
            "symlinks": {"_producer": AIRFLOW, "_schemaURL": "https://openlineage.io/y.json",
                         "identifiers": [{"namespace": ns, "name": f"{db}.staging.stg_settlements", "type": "TABLE"}]},
        }}],
    }


def test_duckdb_file_namespace_becomes_the_labs(cfg):
    e = ml.normalise_event(_dbt_event(f"duckdb://{cfg.lab_database}"), cfg)
    assert (e["inputs"][0]["namespace"], e["inputs"][0]["name"]) == ml.lab_dataset(cfg, "lab_settlements")
    out = e["outputs"][0]
    assert (out["namespace"], out["name"]) == ml.lab_dataset(cfg, "stg_settlements", "staging")
    field = out["facets"]["columnLineage"]["fields"]["settlement_id"]["inputFields"][0]
    assert (field["namespace"], field["name"]) == ml.lab_dataset(cfg, "lab_settlements")
    assert out["facets"]["symlinks"]["identifiers"][0]["namespace"] == "duckdb://lab"


def test_another_database_file_name_is_renamed_to_lab(tmp_path):
    cfg = Settings(home=tmp_path, lab_url=str(tmp_path / "research.duckdb"))
    e = ml.normalise_event(_dbt_event(f"duckdb://{tmp_path / 'research.duckdb'}", db="research"), cfg)
    assert e["inputs"][0] == {"namespace": "duckdb://lab", "name": "lab.main.lab_settlements", "facets": {}}


def test_other_namespaces_and_a_postgres_lab_are_left_alone(cfg, tmp_path):
    other = ml.normalise_event(_dbt_event("duckdb:///elsewhere/other.duckdb", db="other"), cfg)
    assert other["inputs"][0]["namespace"] == "duckdb:///elsewhere/other.duckdb"
    pg = Settings(home=tmp_path, lab_url="postgresql://u@db.example:5433/lab")
    e = _dbt_event("postgres://db.example:5433")
    assert ml.normalise_event(json.loads(json.dumps(e)), pg) == e


def test_transport_stores_renamed_events(cfg, monkeypatch):
    from openlineage.client.transport import get_default_factory

    monkeypatch.setattr(ml, "settings", lambda: cfg)
    transport = get_default_factory().create({"type": "medshare.lineage.MedshareTransport", "kafka": False})
    assert transport.emit(_dbt_event(f"duckdb://{cfg.lab_database}")) == {"store": True, "kafka": False}
    stored = ml.LineageStore.open(cfg).events()
    assert [(d["namespace"], d["name"]) for d in stored[0]["inputs"]] == [ml.lab_dataset(cfg, "lab_settlements")]


def test_emit_many_stores_each_and_reports_counts(cfg):
    events = [_dbt_event("x"), {"not": "an event"}, {**_dbt_event("x"), "eventType": "START"}]
    assert ml.emit_many(events, cfg, kafka=False) == {"events": 3, "store": 2, "kafka": 0}
    assert len(ml.LineageStore.open(cfg).events()) == 2


def test_store_add_to_another_file_is_read_with_the_rest(cfg):
    store = ml.LineageStore.open(cfg)
    store.add(_dbt_event("x"))
    store.add({**_dbt_event("x"), "eventType": "START"}, file=ml.PULLED_FILE)
    store.add(_dbt_event("x"), file=ml.PULLED_FILE)  # the same event pulled back: read once
    assert (store.dir / ml.PULLED_FILE).read_text().count("\n") == 2
    assert sorted(e["eventType"] for e in store.events()) == ["COMPLETE", "START"]


def _task_event(name: str, parent: str, inputs: list[tuple[str, str]], outputs: list[tuple[str, str]],
                state: str = "COMPLETE", at: str = "2026-03-05T02:00:00.000Z") -> dict:
    import uuid

    return {"eventType": state, "eventTime": at, "producer": AIRFLOW,
            "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
            "run": {"runId": str(uuid.uuid4()), "facets": {"parent": {
                "_producer": AIRFLOW, "_schemaURL": "https://openlineage.io/p.json",
                "run": {"runId": parent}, "job": {"namespace": "airflow", "name": name.split(".")[0]}}}},
            "job": {"namespace": "airflow", "name": name, "facets": {}},
            "inputs": [{"namespace": ns, "name": n, "facets": {}} for ns, n in inputs],
            "outputs": [{"namespace": ns, "name": n, "facets": {}} for ns, n in outputs]}


def test_report_graph_draws_every_mapped_instance_of_the_latest_dag_run_and_skips_empty_runs(cfg):
    from medshare.report import lineage_graph
    from privacy.agreements import load_agreements

    kafka = ml.kafka_namespace(cfg)
    old = _task_event("release_marts.release", "dagrun-1", [("duckdb://lab", "lab.marts.old_mart")],
                      [(kafka, "insurer.hhb.marts.v1")], at="2026-03-04T02:00:00.000Z")
    a = _task_event("release_marts.release", "dagrun-2", [("duckdb://lab", "lab.marts.cost_by_disease_age_band")],
                    [(kafka, "insurer.hhb.marts.v1")])
    b = _task_event("release_marts.release", "dagrun-2", [("duckdb://lab", "lab.marts.claim_frequency_severity")],
                    [(kafka, "insurer.shenlife.marts.v1")], at="2026-03-05T02:00:01.000Z")
    dag_run = {**_task_event("release_marts", "x", [], []), "run": {"runId": str(ml.generate_new_uuid()),
                                                                 "facets": {}}}
    test = _task_event("lab_transform.dbt.stg_settlements.test", "dagrun-3",
                       [("duckdb://lab", "lab.staging.stg_settlements")], [])
    graph = lineage_graph([old, a, b, dag_run, test], load_agreements(), cfg)
    observed = {(e["source"], e["target"]) for e in graph["edges"] if e["observed"]}
    job = "job:airflow/release_marts.release"
    assert {("duckdb://lab/lab.marts.cost_by_disease_age_band", job),
            ("duckdb://lab/lab.marts.claim_frequency_severity", job),
            (job, f"{kafka}/insurer.hhb.marts.v1"), (job, f"{kafka}/insurer.shenlife.marts.v1")} <= observed
    assert ("duckdb://lab/lab.marts.old_mart", job) not in observed, "an older DAG run is not drawn"
    ids = {n["id"] for n in graph["nodes"]}
    assert "job:airflow/release_marts" not in ids and "job:airflow/lab_transform.dbt.stg_settlements.test" not in ids
    # the declared release of a mart the observed release read is not drawn again
    assert ("duckdb://lab/lab.marts.cost_by_disease_age_band", "job:medshare/lab.release") not in \
        {(e["source"], e["target"]) for e in graph["edges"]}


def test_broker_reachable_needs_credentials_and_a_listening_broker(tmp_path):
    import socket

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        cfg = Settings(home=tmp_path, bootstrap_servers=f"127.0.0.1:{port}")
        assert ml.broker_reachable(cfg) is False  # no pipeline credentials in this home
        cfg.secrets_dir.mkdir(parents=True)
        (cfg.secrets_dir / "principals.json").write_text("{}")
        assert ml.broker_reachable(cfg) is True
    assert ml.broker_reachable(cfg, timeout_s=0.5) is False  # nothing listens any more
