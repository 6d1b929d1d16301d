"""OpenLineage from the whole pipeline: stream processors, a dbt build, and DAG runs under ``airflow dags test``.

One run (module fixture) on the session's broker with a fresh state: simulate -> consent-sync ->
router -> de-identifier -> lab sink (``run_processor``: the processors' own events), a dbt build
of the lab outside Airflow (``medshare.lab.dbt.build``: events from dbt's artefacts), then
``lab_load``, ``lab_transform`` (cosmos) and ``release_marts`` with ``airflow dags test`` and the
provider configured as ``medshare airflow`` configures it. Then: the store holds events of Airflow
tasks, dbt models and processors whose datasets join up under one naming; ``lab_load``'s task event
carries its Great Expectations results as data-quality facets on the lab tables, and the report
reads them from there; every event validates;
the claims topics' column lineage is as the agreements say; ``governance.lineage.v1`` copied back
into an empty store gives the same events, and a second copy adds nothing; the report draws the
DAG and dbt jobs on the observed path lab table -> model -> mart -> release -> insurer topic.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from airflow_helpers import dags_test

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "streams"))
from pipeline_helpers import INSURERS, read_topic, reset_pipeline  # noqa: E402

from medshare import topics as t  # noqa: E402

pytestmark = pytest.mark.integration

RUN_AFTER = "2026-03-02T00:00:00+08:00"
SIM = {"persons": 120, "days": 10, "seed": 31, "malformed_rate": 0.02, "start_date": date(2026, 3, 1)}
PROCESSORS = ("consent-sync", "router", "deidentify", "lab-sink")
DAGS = ("lab_load", "lab_transform", "release_marts")
#: direct identifiers (docs/conventions.md): in a claims topic each is encrypted or absent
#: direct identifiers of the platform records (v2, the national interface; and v1's names)
IDENTITY = ("psn_no", "certno", "psn_name", "brdy", "revoke.psn_no",
            "person_no", "resident_id", "name", "phone", "address", "card_no")
TIMES: dict[str, float] = {}


@pytest.fixture(scope="module")
def run(kafka_broker, airflow_db, tmp_path_factory):
    from medshare.lab import dbt
    from medshare.lab.simlab import build_simulated_lab
    from medshare.orchestration.transform import ensure_manifest
    from medshare.report import write_report
    from medshare.simulate import SimConfig, run_simulation
    from streams.runtime import RunOptions
    from streams.service import run_processor

    cfg = kafka_broker
    reset_pipeline(cfg)  # also wipes $MEDSHARE_HOME/state, the lineage store with it
    ensure_manifest(cfg)
    run_simulation(SimConfig(insurers=INSURERS, **SIM), cfg=cfg, jsonl_dir=tmp_path_factory.mktemp("jsonl"))
    for name in PROCESSORS:
        run_processor(name, RunOptions(until_idle=True, idle_s=1.5), cfg)
    procs = {"lab_load": _timed_dags_test("lab_load")}
    # a realistic month on top (releasable marts), then the lab build outside Airflow and the DAGs
    build_simulated_lab(cfg.lab_database, SimConfig(persons=1500, days=30, seed=11, start_date=date(2026, 1, 1),
                                                    malformed_rate=0.0), cfg=cfg, notes=20)
    started = time.perf_counter()
    built = dbt.build(cfg)
    TIMES["dbt build (with lineage)"] = round(time.perf_counter() - started, 1)
    for dag_id in DAGS[1:]:
        procs[dag_id] = _timed_dags_test(dag_id)
    out = tmp_path_factory.mktemp("report")
    data = write_report(out, cfg, quality=False)
    yield {"cfg": cfg, "procs": procs, "built": built, "data": data}
    print("seconds:", json.dumps(TIMES))


def _timed_dags_test(dag_id: str):
    proc, seconds = dags_test(dag_id, RUN_AFTER)
    TIMES[f"dags test {dag_id}"] = round(seconds, 1)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return proc


def _events(cfg):
    from medshare.lineage import LineageStore

    return LineageStore.open(cfg).events()


def _completes(events, namespace: str) -> dict[str, dict]:
    """job name -> its last COMPLETE event, for one job namespace."""
    return {e["job"]["name"]: e for e in events if e["job"]["namespace"] == namespace and e["eventType"] == "COMPLETE"}


def _names(datasets) -> set[tuple[str, str]]:
    return {(d["namespace"], d["name"]) for d in datasets}


def _models(cfg) -> list[dict]:
    from medshare.orchestration.transform import manifest_path

    manifest = json.loads(manifest_path(cfg).read_text())
    return [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]


def test_store_holds_events_of_dag_tasks_dbt_models_and_processors(run):
    from medshare.lineage import DBT_JOB_NAMESPACE, JOB_NAMESPACE
    from medshare.orchestration.lineage import AIRFLOW_JOB_NAMESPACE

    events = _events(run["cfg"])
    streams = _completes(events, JOB_NAMESPACE)
    assert {f"streams.{p}" for p in PROCESSORS} <= set(streams)
    airflow = _completes(events, AIRFLOW_JOB_NAMESPACE)
    assert {"lab_load.load_and_validate", "lab_transform.marts_built", "release_marts.granted_marts",
            "release_marts.release"} <= set(airflow)
    assert set(DAGS) <= set(airflow), "the DAG runs' own COMPLETE events"
    dbt = _completes(events, DBT_JOB_NAMESPACE)
    for model in _models(run["cfg"]):
        assert any(n.endswith(f".{model['name']}.build.run") for n in dbt), f"dbt model {model['name']}"
        assert f"lab_transform.dbt.{model['name']}.run" in airflow, f"cosmos task of {model['name']}"
    producers = {e["producer"] for e in events}
    assert any("apache/airflow" in p for p in producers) and any("medshare" in p for p in producers)


def test_dag_and_dbt_datasets_join_the_processors_graph(run):
    from medshare.lineage import DBT_JOB_NAMESPACE, JOB_NAMESPACE, kafka_namespace, lab_dataset
    from medshare.orchestration.lineage import AIRFLOW_JOB_NAMESPACE

    cfg = run["cfg"]
    events = _events(cfg)
    streams, airflow = _completes(events, JOB_NAMESPACE), _completes(events, AIRFLOW_JOB_NAMESPACE)
    dbt = _completes(events, DBT_JOB_NAMESPACE)
    kafka = kafka_namespace(cfg)
    lab_tables = {lab_dataset(cfg, "lab_settlements_v2"), lab_dataset(cfg, "lab_revocations_v2"),
                  lab_dataset(cfg, "lab_emr_notes")}
    # lab_load writes the very tables the lab sink writes, reading the topics the de-identifier writes
    # (and reading the tables back to validate them: test_lab_load_lineage_carries_the_gx_results)
    load = airflow["lab_load.load_and_validate"]
    assert _names(load["outputs"]) == _names(streams["streams.lab-sink"]["outputs"]) == lab_tables
    topics = {(kafka, t.LAB_SETTLEMENTS_V2), (kafka, t.LAB_EMR_NOTES)}
    assert _names(load["inputs"]) == topics | lab_tables
    assert topics <= _names(streams["streams.deidentify"]["outputs"])
    # dbt (outside Airflow and through cosmos) reads the lab tables under the same names
    for jobs, name in ((dbt, "stg_settlements.build.run"), (airflow, "lab_transform.dbt.stg_settlements.run")):
        job = next(e for n, e in jobs.items() if n.endswith(name))
        assert _names(job["inputs"]) == {lab_dataset(cfg, "lab_settlements_v2")}, name
        assert _names(job["outputs"]) == {lab_dataset(cfg, "stg_settlements", "staging")}, name
    for mart in ("cost_by_disease_age_band", "claim_frequency_severity"):
        assert lab_dataset(cfg, mart, "marts") in _names(airflow[f"lab_transform.dbt.{mart}.run"]["outputs"])
    # each mapped release reports its own mart and insurer topic (narrowed at run time)
    releases = [e for e in events if e["job"]["name"] == "release_marts.release" and e["eventType"] == "COMPLETE"]
    from medshare.orchestration.release import mart_grants

    grants = mart_grants()
    assert len(releases) == len(grants)
    seen = set()
    for e in releases:
        (ns, mart), = _names(e["inputs"])
        assert ns == lab_dataset(cfg, "x", "marts")[0] and mart.startswith("lab.marts.")
        outs = _names(e["outputs"])
        assert (kafka, t.AUDIT) in outs and len(outs) == 2
        insurer = next(n for _, n in outs if n != t.AUDIT).split(".")[1]
        seen.add((insurer, mart.rsplit(".", 1)[1]))
    assert seen == {(g["insurer"], g["mart"]) for g in grants}


def test_lab_load_lineage_carries_the_gx_results(run):
    """The task's COMPLETE event: each lab table an input with one assertion per GX expectation the
    task ran (its own JSON report of the run), the same success flags, rows and null counts."""
    import re

    from medshare.lineage import lab_dataset
    from medshare.orchestration.lineage import AIRFLOW_JOB_NAMESPACE

    cfg = run["cfg"]
    events = [e for e in _events(cfg) if (e["job"]["namespace"], e["job"]["name"]) == (
        AIRFLOW_JOB_NAMESPACE, "lab_load.load_and_validate")]
    assert [e["eventType"] for e in events] == ["START", "COMPLETE"]
    start, done = events
    assert start["run"]["runId"] == done["run"]["runId"]
    assert not any(i.get("inputFacets") for i in start["inputs"]), "nothing is validated before the task runs"
    airflow_run = done["run"]["facets"]["airflow"]["dagRun"]["run_id"]
    reports = cfg.home / "reports" / "gx" / re.sub(r"[^A-Za-z0-9_.-]+", "_", airflow_run)
    for table in ("lab_settlements_v2", "lab_revocations_v2", "lab_emr_notes"):
        gx = json.loads((reports / f"{table}.json").read_text())
        ds = next(i for i in done["inputs"] if (i["namespace"], i["name"]) == lab_dataset(cfg, table))
        assertions = ds["inputFacets"]["dataQualityAssertions"]["assertions"]
        assert len(assertions) == gx["expectations"] == len(gx["results"]) > 5, table
        assert [(a["assertion"], a.get("column"), a["name"], a["severity"], a["success"]) for a in assertions] == [
            (r["expectation"], r["column"], r["rule"], r["severity"], r["success"]) for r in gx["results"]], table
        assert gx["success"] is True and all(a["success"] for a in assertions if a["severity"] == "critical")
        metrics = ds["inputFacets"]["dataQualityMetrics"]
        assert metrics["rowCount"] == gx["rows"] > 0, table
        assert {c: m["nullCount"] for c, m in metrics["columnMetrics"].items()} == gx["null_counts"], table
    # the report (written without running GX itself) shows these results, read from the lineage
    quality = {tb["table"]: tb for tb in run["data"]["quality"]["tables"]}
    assert set(quality) == {"lab_settlements_v2", "lab_revocations_v2", "lab_emr_notes"}
    for table, tb in quality.items():
        ds = next(i for i in done["inputs"] if (i["namespace"], i["name"]) == lab_dataset(cfg, table))
        assert (tb["job"], tb["event"], tb["run_id"], tb["status"]) == (
            f"{AIRFLOW_JOB_NAMESPACE}/lab_load.load_and_validate", "COMPLETE", done["run"]["runId"], "passed")
        assert tb["expectations"] == len(ds["inputFacets"]["dataQualityAssertions"]["assertions"])
        assert tb["rows"] == ds["inputFacets"]["dataQualityMetrics"]["rowCount"]


def test_claims_column_lineage_encrypts_identity_and_omits_dropped_fields(run):
    from privacy.agreements import load_agreements

    router = _completes(_events(run["cfg"]), "medshare")["streams.router"]
    agreements = load_agreements()
    # hhb's claims grant is mode result: the router writes nothing to hhb's claims topic
    assert t.insurer_claims("hhb") not in {o["name"] for o in router["outputs"]}
    for code in ("shenlife",):
        out = next(o for o in router["outputs"] if o["name"] == t.insurer_claims(code))
        fields = out["facets"]["columnLineage"]["fields"]
        present = [f for f in IDENTITY if f in fields]
        assert "psn_no" in present and "certno" in present, code
        for f in present:
            assert fields[f]["transformationDescription"] == "encrypt", f"{code}: {f}"
            assert all(i["transformations"][0]["masking"] for i in fields[f]["inputFields"])
        grants = [r.grant for r in agreements.grants("claims") if r.insurer == code]
        dropped = {p for g in grants for p, tr in g.fields.items() if tr.kind == "drop"}
        passed = {p for g in grants for p, tr in g.fields.items() if tr.passes}
        assert dropped - passed, f"{code}'s agreement drops something"
        for f in dropped - passed:
            assert f not in fields, f"{code}: dropped field {f} must be absent"
        assert set(fields) == passed


def test_every_stored_event_validates_against_the_schemas(run):
    from medshare.lineage_schema import facet_schema_ref, validate_event

    events = _events(run["cfg"])
    assert len(events) > 100
    invalid = {f"{e['job']['namespace']}/{e['job']['name']} {e['eventType']}": validate_event(e)
               for e in events if validate_event(e)}
    assert invalid == {}
    # the facets checked against a shipped official schema, not only the base facet rules
    checked = {k for e in events for k, f in {**e["run"]["facets"], **e["job"]["facets"]}.items()
               if facet_schema_ref(f.get("_schemaURL", "")) is not None}
    assert {"dbt_version", "dbt_run"} <= checked


def test_validate_command_passes_the_store_and_names_an_invalid_event(run):
    from typer.testing import CliRunner

    from medshare.cli.main import app
    from medshare.errors import UserError
    from medshare.lineage import LineageStore

    store = LineageStore.open(run["cfg"])
    ok = CliRunner().invoke(app, ["lineage", "validate"])
    assert ok.exit_code == 0 and f"{len(store.events())} events, 0 invalid" in ok.output
    bad = dict(store.events()[-1], eventTime="2026-03-05T02:00:00.000Z")
    bad["run"] = {"runId": "not-a-uuid", "facets": {}}
    broken = store.dir / "broken.jsonl"
    broken.write_text(json.dumps(bad) + "\n")
    try:
        res = CliRunner().invoke(app, ["lineage", "validate"])
        assert res.exit_code == 1 and isinstance(res.exception, UserError)
        msg = str(res.exception)
        assert msg.startswith(f"1 of {len(store.events())} events are invalid; first: "
                              f"{bad['job']['namespace']}/{bad['job']['name']} {bad['eventType']} run not-a-uuid")
        assert msg.endswith("run.runId: 'not-a-uuid' is not a 'uuid'")
    finally:
        broken.unlink()


def test_pull_copies_the_topic_into_an_empty_store_once(run, tmp_path):
    from typer.testing import CliRunner

    from medshare import kafka as mk
    from medshare.cli.main import app
    from medshare.lineage import LineageStore, event_key

    cfg = run["cfg"]
    store = LineageStore.open(cfg)
    local = {event_key(e) for e in store.events()}
    on_topic = [json.loads(m.value) for m in read_topic(cfg, t.LINEAGE)]
    assert local == {event_key(e) for e in on_topic}, "every stored event was published, and only those"
    # a message that is not a run event (another producer's mistake)
    producer = mk.producer("pipeline", cfg)
    try:
        meta = producer.send(t.LINEAGE, value=b'{"eventType": "COMPLETE"}').get(timeout=20)
    finally:
        producer.close()
    saved = tmp_path / "lineage"
    shutil.move(store.dir, saved)
    try:
        first = CliRunner().invoke(app, ["lineage", "pull", "--json"])
        assert first.exit_code == 0, first.output
        got = json.loads(first.output)
        assert got["added"] == len(local) and got["read"] == len(on_topic) + 1 and got["rejected"] == 1
        assert got["rejections"][0].startswith(f"{t.LINEAGE}[{meta.partition}]@{meta.offset}: ")
        assert got["rejections"][0].endswith("not an OpenLineage run event: eventTime missing")
        assert {event_key(e) for e in store.events()} == local
        assert (store.dir / "pulled.jsonl").exists()
        again = json.loads(CliRunner().invoke(app, ["lineage", "pull", "--json"]).output)
        assert again["added"] == 0 and again["duplicates"] == len(local)
        assert len(store.events()) == len(local)
    finally:
        shutil.rmtree(store.dir, ignore_errors=True)
        shutil.move(saved, store.dir)


def test_report_draws_dag_and_dbt_jobs_on_the_observed_path(run):
    from medshare.lineage import DBT_JOB_NAMESPACE, kafka_namespace, lab_dataset
    from medshare.orchestration.lineage import AIRFLOW_JOB_NAMESPACE

    cfg = run["cfg"]
    graph = run["data"]["lineage"]
    nodes = {n["id"]: n for n in graph["nodes"]}
    observed = {(e["source"], e["target"]) for e in graph["edges"] if e["observed"]}
    jobs = {n["id"] for n in nodes.values() if n["kind"] == "job"}
    assert f"job:{AIRFLOW_JOB_NAMESPACE}/lab_load.load_and_validate" in jobs
    assert any(j.startswith(f"job:{DBT_JOB_NAMESPACE}/") for j in jobs)
    assert not any(j.endswith(".test") for j in jobs), "dbt tests are not drawn"
    assert f"job:{AIRFLOW_JOB_NAMESPACE}/release_marts" not in jobs, "a DAG run without datasets is not drawn"

    def ds(ns_name):
        return "/".join(ns_name)

    table = ds(lab_dataset(cfg, "lab_settlements_v2"))
    stg = ds(lab_dataset(cfg, "stg_settlements", "staging"))
    mart = ds(lab_dataset(cfg, "cost_by_disease_age_band", "marts"))
    release = f"job:{AIRFLOW_JOB_NAMESPACE}/release_marts.release"
    topic = f"{kafka_namespace(cfg)}/{t.insurer_marts('hhb')}"
    cosmos_stg = f"job:{AIRFLOW_JOB_NAMESPACE}/lab_transform.dbt.stg_settlements.run"
    assert {(table, cosmos_stg), (cosmos_stg, stg), (mart, release), (release, topic)} <= observed
    assert nodes[mart]["group"] == "mart"
    # declared (dashed) dbt and release jobs give way to the observed ones
    assert "job:medshare/transforms.dbt" not in jobs and "job:medshare/lab.release" not in jobs
