"""Building OpenLineage events for the stream processors (no broker): facets, store, transport."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from medshare import lineage as ml
from medshare import topics as t
from medshare.config import Settings
from streams.runtime import Counters

#: direct identifiers (docs/conventions.md): in a claims topic each is encrypted or absent
IDENTITY = ("psn_no", "certno", "psn_name", "brdy", "person_no", "resident_id", "name", "phone", "address", "card_no")


@pytest.fixture
def cfg(tmp_path) -> Settings:
    return Settings(home=tmp_path, kafka_port=23999)


def _router_event(cfg, consents=None, disclosed=None):
    handler = SimpleNamespace(name="router", inputs=(t.PLATFORM_SETTLEMENTS, t.PLATFORM_EMR_NOTES),
                              consents_relied=consents or {})
    counters = Counters(disclosed=sum((disclosed or {}).values()))
    counters.extra = {f"disclosed.{k}": v for k, v in (disclosed or {}).items()}
    pl = ml.ProcessorLineage(handler, cfg)
    return pl, ml.to_dict(pl.event(ml.RunState.COMPLETE, counters))


def _output(event, name):
    return next(o for o in event["outputs"] if o["name"] == name)


@pytest.mark.parametrize("insurer", ["shenlife"])  # hhb's grant is mode result: the router sends it nothing
def test_claims_column_lineage_encrypts_identity_and_omits_dropped_fields(cfg, insurer):
    from privacy.agreements import load_agreements

    _, e = _router_event(cfg)
    fields = _output(e, t.insurer_claims(insurer))["facets"]["columnLineage"]["fields"]
    present = [f for f in IDENTITY if f in fields]
    assert "psn_no" in present
    for f in present:
        assert fields[f]["transformationDescription"] == "encrypt", f
        assert all(i["transformations"][0]["masking"] for i in fields[f]["inputFields"])
    grants = [r.grant for r in load_agreements().grants("claims") if r.insurer == insurer]
    dropped = {p for g in grants for p, tr in g.fields.items() if tr.kind == "drop"}
    passed = {p for g in grants for p, tr in g.fields.items() if tr.passes}
    assert dropped - passed, "the agreement drops something"
    for f in dropped - passed:
        assert f not in fields, f"dropped field {f} must be absent"
    assert set(fields) == passed
    for spec in fields.values():
        for i in spec["inputFields"]:
            assert i["namespace"] == ml.kafka_namespace(cfg) and i["name"].startswith("platform.")


def test_claims_treatments_come_from_the_agreement(cfg):
    _, e = _router_event(cfg)
    # hhb (mode result): the router writes nothing to hhb's topic; only the claims processor does
    assert t.insurer_claims("hhb") not in {o["name"] for o in e["outputs"]}
    fields = _output(e, "insurer.shenlife.claims.v1")["facets"]["columnLineage"]["fields"]
    assert fields["certno"]["transformationDescription"] == "encrypt"
    assert fields["certno"]["inputFields"] == [{
        "namespace": ml.kafka_namespace(cfg), "name": t.PLATFORM_SETTLEMENTS, "field": "certno",
        "transformations": [{"type": "DIRECT", "subtype": "TRANSFORMATION", "description": "encrypt",
                             "masking": True}]}]
    assert "text" not in fields and "brdy" not in fields  # no notes; brdy dropped
    assert {i["name"] for i in fields["psn_no"]["inputFields"]} == {t.PLATFORM_SETTLEMENTS}
    assert fields["setl_id"]["transformationType"] == "IDENTITY"


def test_claims_processor_lineage_names_its_claim_results(cfg):
    """The claims processor's outputs: each insurer's claims topic (results: identity encrypted,
    no diagnosis or line item), the audit topic and its ledger; disclosures and consents counted."""
    handler = SimpleNamespace(name="claims", inputs=(t.PLATFORM_SETTLEMENTS, t.PLATFORM_ENROLMENTS,
                                                     t.PLATFORM_CONSENTS), consents_relied={"hhb": {"C1", "C2"}})
    counters = Counters(disclosed=5)
    counters.extra = {"disclosed.hhb": 5}
    e = ml.to_dict(ml.ProcessorLineage(handler, cfg).event(ml.RunState.COMPLETE, counters))
    assert e["job"]["name"] == "streams.claims"
    assert {o["name"] for o in e["outputs"]} >= {t.insurer_claims("hhb"), t.insurer_claims("shenlife"), t.AUDIT,
                                                  "claim_ledger"}
    out = _output(e, t.insurer_claims("hhb"))
    fields = out["facets"]["columnLineage"]["fields"]
    assert {f for f in fields if f in IDENTITY} == {"person_no"}
    assert fields["person_no"]["transformationDescription"] == "encrypt"
    # the claim result's own names, read from the v2 settlement's fields
    assert [i["field"] for i in fields["person_no"]["inputFields"]] == ["psn_no"]
    assert [i["field"] for i in fields["settlement_id"]["inputFields"]] == ["setl_id", "revoke.setl_id"]
    assert [i["field"] for i in fields["event_time"]["inputFields"]] == ["setl_time"]
    assert fields["policy_no"]["inputFields"][0]["name"] == t.PLATFORM_ENROLMENTS
    assert not {"diagnosis_code", "items", "name", "resident_id"} & set(fields)
    facet = out["outputFacets"]["medshare_disclosure"]
    assert facet["disclosures"] == 5 and facet["consentsReliedOn"] == 2 and facet["purpose"] == "claims"


def test_disclosure_facet(cfg):
    _, e = _router_event(cfg, consents={"shenlife": {"C1", "C2", "C3"}}, disclosed={"shenlife": 7})
    facet = _output(e, "insurer.shenlife.claims.v1")["outputFacets"]["medshare_disclosure"]
    assert facet["insurer"] == "shenlife" and facet["purpose"] == "claims" and facet["legalBasis"] == "consent"
    assert facet["consentsReliedOn"] == 3 and facet["disclosures"] == 7
    assert facet["agreementId"].startswith("MSA-") and facet["agreementVersion"].startswith("sha256:")
    assert facet["_producer"] == ml.PRODUCER
    assert facet["_schemaURL"].startswith("https://") and "#/$defs/MedshareDisclosureOutputDatasetFacet" in \
        facet["_schemaURL"]
    assert t.insurer_claims("hhb") not in {o["name"] for o in e["outputs"]}  # mode result


def test_start_event_has_datasets_but_no_lineage_and_complete_has_counters(cfg):
    pl, done = _router_event(cfg, disclosed={"hhb": 2})
    start = ml.to_dict(pl.event(ml.RunState.START))
    assert start["eventType"] == "START" and done["eventType"] == "COMPLETE"
    assert start["run"]["runId"] == done["run"]["runId"]
    assert start["job"] == {"namespace": "medshare", "name": "streams.router", "facets": {}}
    assert all("columnLineage" not in o["facets"] for o in start["outputs"])
    assert done["run"]["facets"]["medshare_processor"]["disclosed"] == 2
    assert {i["name"] for i in start["inputs"]} == {t.PLATFORM_SETTLEMENTS, t.PLATFORM_EMR_NOTES}
    assert t.AUDIT in {o["name"] for o in done["outputs"]}


def test_deidentifier_lineage_matches_its_output(cfg):
    from datetime import UTC, datetime

    from medshare.ingest import to_record
    from privacy.deid import get_deidentifier  # noqa: F401 - only to be sure the module imports
    from streams.deidentify import Deidentifier
    from tests.platform import interface_examples as ex

    pl = ml.ProcessorLineage(SimpleNamespace(name="deidentify", inputs=(t.PLATFORM_SETTLEMENTS_V2,
                                                                        t.PLATFORM_EMR_NOTES)), cfg)
    e = ml.to_dict(pl.event(ml.RunState.COMPLETE, Counters()))
    fields = _output(e, t.LAB_SETTLEMENTS_V2)["facets"]["columnLineage"]["fields"]
    assert fields["person_key"]["transformationDescription"] == "pseudonymise"
    assert [i["field"] for i in fields["person_key"]["inputFields"]] == ["psn_no", "revoke.psn_no"]
    assert fields["age_band"]["transformationDescription"] == "generalise:age_band"
    assert [i["field"] for i in fields["age_band"]["inputFields"]] == ["brdy", "setl_time"]
    assert fields["district"]["inputFields"][0]["field"] == "certno"
    assert fields["hifob_pay"]["transformationDescription"] == "plain"
    assert fields["main_diag_code"]["transformationDescription"] == "derive:main_diagnosis"
    # no lab field is fed by the name, and the identifiers feed only masking treatments
    sources = {(i["field"], f["transformationDescription"]) for f in fields.values() for i in f["inputFields"]}
    assert not any(src == "psn_name" for src, _ in sources)
    assert all(tr.split(":")[0] in ("pseudonymise", "generalise") for src, tr in sources
               if src in ("psn_no", "certno", "brdy"))
    # the mapping names exactly the fields the de-identifier writes, for both record kinds
    records = [to_record(line)[1] for line in ex.lines()]
    deid = Deidentifier(cfg)
    outs = [deid.platform_record(r, datetime.now(UTC)) for r in records]
    top = {f.split("[]")[0] for f in ml.DEID_SETTLEMENT}
    assert top == set().union(*(set(o) for o in outs))
    settlement = outs[2]
    assert {f.split(".")[1] for f in ml.DEID_SETTLEMENT if f.startswith("feedetail[]")} == \
        set(settlement["feedetail"][0])
    assert {f.split(".")[1] for f in ml.DEID_SETTLEMENT if f.startswith("diseinfo[]")} == \
        set(settlement["diseinfo"][0])
    notes = _output(e, t.LAB_EMR_NOTES)["facets"]["columnLineage"]["fields"]
    assert notes["text_redacted"]["transformationDescription"] == "redact"


def test_lab_sink_and_sinks_name_their_tables(cfg):
    e = ml.to_dict(ml.ProcessorLineage(SimpleNamespace(name="lab-sink", inputs=(t.LAB_SETTLEMENTS_V2,)), cfg)
                   .event(ml.RunState.COMPLETE, Counters()))
    out = _output(e, "lab.main.lab_settlements_v2")
    assert out["namespace"] == "duckdb://lab"
    lineage = out["facets"]["columnLineage"]["fields"]
    assert lineage["person_key"]["inputFields"][0]["name"] == t.LAB_SETTLEMENTS_V2
    assert "hifp_pay" in lineage and "feedetail" in lineage
    revocations = _output(e, "lab.main.lab_revocations_v2")["facets"]["columnLineage"]["fields"]
    assert revocations["revoked_setl_id"]["inputFields"][0]["name"] == t.LAB_SETTLEMENTS_V2
    _output(e, "lab.main.lab_emr_notes")
    pg = Settings(home=cfg.home, lab_url="postgresql://u@db.example:5433/lab")
    assert ml.lab_dataset(pg, "lab_settlements_v2") == ("postgres://db.example:5433", "lab.public.lab_settlements_v2")
    e = ml.to_dict(ml.ProcessorLineage(SimpleNamespace(name="audit-sink", inputs=(t.AUDIT,)), cfg)
                   .event(ml.RunState.START))
    assert e["outputs"][0]["name"] == "audit_log"


def test_events_follow_the_openlineage_run_event_shape(cfg):
    """The 2-0-2 RunEvent's required fields and types (the package ships no JSON schema to validate with)."""
    _, e = _router_event(cfg)
    ml.check_run_event(e)
    assert e["schemaURL"] == "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
    assert e["producer"] == ml.PRODUCER
    for ds in e["inputs"] + e["outputs"]:
        assert set(ds) >= {"namespace", "name", "facets"}
        for facet in list(ds["facets"].values()) + list(ds.get("outputFacets", {}).values()):
            assert facet["_producer"] and facet["_schemaURL"].startswith("https://")
    for facet in e["run"]["facets"].values():
        assert facet["_producer"] and facet["_schemaURL"].startswith("https://")
    # round-trips through openlineage-python's own event class
    from openlineage.client.event_v2 import RunEvent
    from openlineage.client.serde import Serde

    assert json.loads(Serde.to_json(RunEvent(**{k: v for k, v in e.items()
                                                if k in ("eventType", "eventTime", "producer")},
                                             run=_router_event(cfg)[0].event(ml.RunState.START).run,
                                             job=_router_event(cfg)[0].event(ml.RunState.START).job)))


def test_failed_run_carries_the_error(cfg):
    pl = ml.ProcessorLineage(SimpleNamespace(name="consent-sync", inputs=(t.PLATFORM_CONSENTS,)), cfg)
    e = ml.to_dict(pl.event(ml.RunState.FAIL, Counters(), RuntimeError("boom")))
    assert e["eventType"] == "FAIL"
    assert e["run"]["facets"]["errorMessage"]["message"] == "RuntimeError: boom"


def _table_run(table="lab_settlements_v2", unique_ok=False, fresh_ok=True):
    from contracts.gx import Outcome, TableRun

    return TableRun(table, "lab.settlements.v2", "2.0.0", "x", 3, "now", 0.1,
                    [Outcome("expect_column_values_to_not_be_null", "required", "person_key", True, "critical", "",
                             unexpected_count=0),
                     Outcome("expect_column_values_to_be_unique", "unique", "setl_id", unique_ok, "critical",
                             "", unexpected_count=0 if unique_ok else 2),
                     Outcome("expect_column_max_to_be_between", "freshness", "setl_hour", fresh_ok, "warning", "",
                             observed="2026-03-01T10:00:00+00:00")],
                    null_counts={"person_key": 0, "main_diag_code": 3})


def test_quality_event_carries_gx_assertions_and_metrics(cfg):
    e = ml.to_dict(ml.quality_event([_table_run()], cfg))
    facets = e["inputs"][0]["inputFacets"]
    assert (e["inputs"][0]["namespace"], e["inputs"][0]["name"]) == ("duckdb://lab", "lab.main.lab_settlements_v2")
    assert [(a["assertion"], a["success"], a["column"], a["severity"], a["name"], a["actual"])
            for a in facets["dataQualityAssertions"]["assertions"]] == [
        ("expect_column_values_to_not_be_null", True, "person_key", "critical", "required", "0"),
        ("expect_column_values_to_be_unique", False, "setl_id", "critical", "unique", "2"),
        ("expect_column_max_to_be_between", True, "setl_hour", "warning", "freshness", "2026-03-01T10:00:00+00:00")]
    metrics = facets["dataQualityMetrics"]
    assert metrics["rowCount"] == 3
    assert {c: m["nullCount"] for c, m in metrics["columnMetrics"].items()} == {"person_key": 0, "main_diag_code": 3}
    assert metrics["_schemaURL"].endswith("/DataQualityMetricsInputDatasetFacet.json#/$defs/"
                                          "DataQualityMetricsInputDatasetFacet")
    from medshare.lineage_schema import validate_event

    assert validate_event(e) == []


def _task_event(state, runs, cfg, at, run_id):
    """An Airflow ``lab_load`` task event as the provider sends it: topics and validated tables in, tables out."""
    validated = ml.to_dict(ml.quality_event(runs, cfg))["inputs"]
    return {"eventType": state, "eventTime": at, "producer": "https://github.com/apache/airflow/tree/x",
            "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
            "run": {"runId": run_id, "facets": {}},
            "job": {"namespace": "airflow", "name": "lab_load.load_and_validate", "facets": {}},
            "inputs": [{"namespace": ml.kafka_namespace(cfg), "name": t.LAB_SETTLEMENTS_V2}, *validated],
            "outputs": [{"namespace": d["namespace"], "name": d["name"]} for d in validated]}


def test_report_reads_each_tables_latest_validation_from_the_facets(cfg):
    from medshare.report import _quality, _quality_html, quality_results

    ok = _task_event("COMPLETE", [_table_run(unique_ok=True, fresh_ok=False)], cfg, "2026-03-02T00:00:05.000Z",
                     "01956d3c-0000-7000-8000-000000000011")
    bad = _task_event("FAIL", [_table_run()], cfg, "2026-03-03T00:00:05.000Z", "01956d3c-0000-7000-8000-000000000012")
    first = quality_results([ok], cfg)["lab_settlements_v2"]
    assert first["status"] == "passed", "a failed warning (freshness) does not fail the validation"
    assert (first["expectations"], first["failed"], first["rows"]) == (3, 1, 3)
    latest = quality_results([ok, bad], cfg)
    assert set(latest) == {"lab_settlements_v2"}
    got = latest["lab_settlements_v2"]
    assert (got["status"], got["job"], got["event"], got["at"]) == (
        "failed", "airflow/lab_load.load_and_validate", "FAIL", "2026-03-03T00:00:05.000Z")
    assert (got["validations"], got["failed_validations"]) == (2, 1)
    assert got["failures"] == [{"expectation": "expect_column_values_to_be_unique", "rule": "unique",
                                "column": "setl_id", "severity": "critical", "actual": "2"}]
    # the report's section, without running GX (no lab here): what the store holds
    section = _quality(cfg, [ok, bad], validate=False)
    assert section["status"] == "ok" and [tb["table"] for tb in section["tables"]] == ["lab_settlements_v2"]
    html = _quality_html(section)
    assert "unique on setl_id (critical, observed 2)" in html and "lab_load.load_and_validate" in html
    assert "2 validation(s) in the window, 1 failed" in html
    assert _quality(cfg, [], validate=False)["tables"] == []
    # dbt's source tests on the same table (their own producer) are not the contract's suite
    dbt = {**ok, "eventTime": "2026-03-04T00:00:00.000Z", "job": {"namespace": "dbt", "name": "x.build.test"},
           "inputs": [{**ok["inputs"][1], "inputFacets": {"dataQualityAssertions": {
               "_producer": "https://github.com/OpenLineage/OpenLineage/tree/1.54.0/integration/dbt",
               "_schemaURL": "https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json",
               "assertions": [{"assertion": "not_null", "success": True, "column": "setl_id"}]}}}]}
    assert quality_results([ok, bad, dbt], cfg)["lab_settlements_v2"] == got


def test_graph_draws_a_table_the_task_validates_after_writing_it_as_an_output_only(cfg):
    from medshare.report import lineage_graph
    from privacy.agreements import load_agreements

    e = _task_event("COMPLETE", [_table_run()], cfg, "2026-03-02T00:00:05.000Z", "01956d3c-0000-7000-8000-000000000013")
    graph = lineage_graph([e], load_agreements(), cfg)
    job = "job:airflow/lab_load.load_and_validate"
    table = "/".join(ml.lab_dataset(cfg, "lab_settlements_v2"))
    edges = {(x["source"], x["target"]) for x in graph["edges"] if x["observed"]}
    assert (job, table) in edges and (table, job) not in edges
    assert (f"{ml.kafka_namespace(cfg)}/{t.LAB_SETTLEMENTS_V2}", job) in edges


def test_store_appends_reads_dedups_and_accepts_foreign_events(cfg):
    store = ml.LineageStore.open(cfg)
    pl, done = _router_event(cfg)
    start = ml.to_dict(pl.event(ml.RunState.START))
    store.add(start)
    store.add(done)
    store.add(done)  # a duplicate (e.g. the same event also arriving through another transport)
    # an event from another producer (e.g. Airflow's FileTransport writing beside ours)
    airflow = {"eventType": "COMPLETE", "eventTime": "2026-03-05T02:00:00.000Z", "producer":
               "https://github.com/apache/airflow/tree/providers-openlineage/2.20.3",
               "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
               "run": {"runId": "01956d3c-0000-7000-8000-000000000001", "facets": {}},
               "job": {"namespace": "airflow", "name": "lab_load.validate", "facets": {}},
               "inputs": [], "outputs": []}
    (store.dir / "airflow.jsonl").write_text(json.dumps(airflow) + "\n{torn line")
    events = store.events()
    assert [e["eventType"] for e in events][0] == "COMPLETE"  # sorted by time: the 2026-03-05 one first
    assert len(events) == 3
    assert {e["job"]["name"] for e in events} == {"streams.router", "lab_load.validate"}
    assert len(store.events(job="streams.router")) == 2
    with pytest.raises(ml.LineageError, match="run.runId"):
        store.add({"eventTime": "2026-03-05T00:00:00Z", "producer": "x", "schemaURL": "y",
                   "run": {}, "job": {"namespace": "a", "name": "b"}})


def test_emit_never_raises_and_reports_what_went_through(cfg):
    _, done = _router_event(cfg)
    res = ml.emit(done, cfg)  # no credentials in this home: kafka fails, the store still has it
    assert res == {"store": True, "kafka": False}
    assert len(ml.LineageStore.open(cfg).events()) == 1
    assert ml.emit({"not": "an event"}, cfg, kafka=False) == {"store": False, "kafka": False}


def test_processor_run_emits_start_and_complete_or_fail(cfg, monkeypatch):
    sent = []
    monkeypatch.setattr(ml, "publish", lambda events, cfg=None, timeout_s=10.0: sent.extend(events) or len(events))
    handler = SimpleNamespace(name="consent-sync", inputs=(t.PLATFORM_CONSENTS,))
    runner = SimpleNamespace(opts=SimpleNamespace(instance="3"), counters=Counters(consumed=5))
    with ml.processor_run(handler, runner, cfg):
        pass
    with pytest.raises(RuntimeError), ml.processor_run(handler, runner, cfg):
        raise RuntimeError("broker gone")
    states = [e["eventType"] for e in ml.LineageStore.open(cfg).events()]
    assert sorted(states) == ["COMPLETE", "FAIL", "START", "START"]
    assert len(sent) == 4
    assert sent[1]["run"]["facets"]["medshare_processor"]["instance"] == "3"


def test_processor_run_survives_a_broken_lineage(cfg, monkeypatch):
    def broken(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(ml.ProcessorLineage, "event", broken)
    runner = SimpleNamespace(opts=SimpleNamespace(instance="0"), counters=Counters())
    with ml.processor_run(SimpleNamespace(name="x", inputs=()), runner, cfg):
        ran = True
    assert ran


def test_medshare_transport_plugs_into_openlineage_client(cfg, monkeypatch):
    from openlineage.client import OpenLineageClient
    from openlineage.client.transport import get_default_factory

    monkeypatch.setattr(ml, "settings", lambda: cfg)
    transport = get_default_factory().create({"type": "medshare.lineage.MedshareTransport", "kafka": "false"})
    client = OpenLineageClient(transport=transport)
    pl, _ = _router_event(cfg)
    client.emit(pl.event(ml.RunState.START))
    assert [e["job"]["name"] for e in ml.LineageStore.open(cfg).events()] == ["streams.router"]


def test_release_event_outside_airflow_joins_the_graph(cfg):
    """``medshare lab release`` (and the demo) emit the release's lineage: mart in, insurer marts topic
    out with the grant's treatments; releases of one run share a parent, so the report draws each one
    as observed instead of the declared release edges."""
    from medshare.lineage_schema import validate_event
    from medshare.report import lineage_graph
    from privacy.agreements import load_agreements

    agreements = load_agreements()
    grants = [(ref.insurer, ref.grant) for ref in agreements.grants("actuarial") if ref.grant.source_kind == "mart"]
    assert len({code for code, _ in grants}) == 2
    parent = "00000000-0000-4000-8000-000000000001"
    events = []
    for code, grant in grants:
        result = SimpleNamespace(insurer=code, purpose="actuarial", mart=grant.source_name, topic=grant.output,
                                 rows=12)
        events.append(ml.to_dict(ml.release_event(result, cfg, agreements, parent_run_id=parent)))
    for e in events:
        assert validate_event(e) == []
        assert e["job"] == {"namespace": ml.JOB_NAMESPACE, "name": "lab.release", "facets": {}}
        assert e["inputs"][0]["name"].startswith("lab.marts.")
    shen = next(e for e, (code, _) in zip(events, grants, strict=True) if code == "shenlife")
    out = _output(shen, t.insurer_marts("shenlife"))
    assert "generalise:amount_band" in {f["transformationDescription"]
                                        for f in out["facets"]["columnLineage"]["fields"].values()}
    assert out["outputFacets"]["medshare_disclosure"]["disclosures"] == 12
    assert out["outputFacets"]["medshare_disclosure"]["legalBasis"] == "aggregate"
    graph = lineage_graph(events, agreements, cfg)
    release_edges = [e for e in graph["edges"] if e["source"].endswith("lab.release")]
    assert {e["target"].split("/")[-1] for e in release_edges} >= {t.insurer_marts(c) for c, _ in grants}
    assert all(e["observed"] for e in release_edges), "observed releases replace the declared edges"
