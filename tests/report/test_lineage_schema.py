"""JSON Schema validation of OpenLineage events (no broker): the core RunEvent, base facet rules, shipped facet schemas."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import pytest

from medshare import lineage as ml
from medshare import topics as t
from medshare.config import Settings
from medshare.lineage_schema import facet_schema_ref, shipped_facet_schemas, validate_event
from streams.runtime import Counters

DBT_SCHEMA = "https://github.com/OpenLineage/OpenLineage/tree/main/integration/common/openlineage/schema/"


@pytest.fixture
def event(tmp_path) -> dict:
    cfg = Settings(home=tmp_path, kafka_port=23999)
    handler = SimpleNamespace(name="router", inputs=(t.PLATFORM_SETTLEMENTS, t.PLATFORM_EMR_NOTES), consents_relied={})
    return ml.to_dict(ml.ProcessorLineage(handler, cfg).event(ml.RunState.COMPLETE, Counters()))


def test_medshare_events_are_valid(event):
    assert validate_event(event) == []


@pytest.mark.parametrize(("mutate", "expected"), [
    (lambda e: e.pop("producer"), "(event): 'producer' is a required property"),
    (lambda e: e["run"].update(runId="run-1"), "run.runId: 'run-1' is not a 'uuid'"),
    (lambda e: e.update(eventTime="2026-03-05 10:00"), "eventTime: '2026-03-05 10:00' is not a 'date-time'"),
    (lambda e: e.update(eventType="DONE"), "eventType: 'DONE' is not one of"),
    (lambda e: e["job"].update(name=""), "job.name: '' should be non-empty"),
    (lambda e: e["outputs"][0].pop("namespace"), "outputs[0]: 'namespace' is a required property"),
    (lambda e: e["run"]["facets"]["medshare_processor"].pop("_producer"),
     "run.facets.medshare_processor: '_producer' is a required property"),
    (lambda e: e["outputs"][0]["facets"]["schema"].update(_schemaURL="schema.json"),
     "outputs[0].facets.schema._schemaURL: 'schema.json' is not a 'uri'"),
    (lambda e: e["outputs"][0]["outputFacets"]["medshare_disclosure"].update(_producer=7),
     "outputs[0].outputFacets.medshare_disclosure._producer: 7 is not of type 'string'"),
])
def test_each_violation_is_named_by_its_path(event, mutate, expected):
    broken = copy.deepcopy(event)
    mutate(broken)
    errors = validate_event(broken)
    assert any(err.startswith(expected) for err in errors), errors


def test_event_time_needs_an_offset(event):
    event["eventTime"] = "2026-03-05T10:00:00"
    assert validate_event(event) == ["eventTime: '2026-03-05T10:00:00' is not a 'date-time'"]


def test_the_facet_schemas_that_ship_installed_are_found():
    shipped = shipped_facet_schemas()
    assert {"AirflowRunFacet.json", "dbt-run-run-facet.json", "dbt-version-run-facet.json",
            "dbt-node-job-facet.json"} <= set(shipped)
    assert facet_schema_ref(DBT_SCHEMA + "dbt-version-run-facet.json")[1] is True  # no fragment: the file's root
    ref, root = facet_schema_ref("https://example.org/x/AirflowStateRunFacet.json#/$defs/AirflowStateRunFacet")
    assert ref.endswith("AirflowStateRunFacet.json#/$defs/AirflowStateRunFacet") and root is False
    assert facet_schema_ref("https://openlineage.io/spec/facets/1-1-1/ProcessingEngineRunFacet.json") is None


def test_a_facet_is_checked_against_its_shipped_schema(event):
    producer = "https://github.com/OpenLineage/OpenLineage/tree/1.54.0/client/python"
    event["run"]["facets"]["dbt_version"] = {"_producer": producer, "_schemaURL": DBT_SCHEMA +
                                             "dbt-version-run-facet.json", "version": "1.11.16"}
    event["job"]["facets"]["dbt_node"] = {"_producer": producer, "_schemaURL": DBT_SCHEMA + "dbt-node-job-facet.json",
                                          "unique_id": "model.medshare_lab.stg_settlements"}
    assert validate_event(event) == []
    event["run"]["facets"]["dbt_version"]["version"] = 1.11
    event["job"]["facets"]["dbt_node"]["unique_id"] = ["x"]
    errors = validate_event(event)
    assert [e.split(" (schema")[0] for e in errors] == [
        "run.facets.dbt_version.version: 1.11 is not of type 'string'",
        "job.facets.dbt_node.unique_id: ['x'] is not of type 'string'"]
    assert errors[0].endswith("(schema " + DBT_SCHEMA + "dbt-version-run-facet.json)")
    # a facet claiming the Airflow provider's state facet is held to that file's required fields
    event["job"]["facets"].pop("dbt_node")
    event["run"]["facets"] = {"airflowState": {"_producer": producer, "_schemaURL": "https://example.org/"
                                               "AirflowStateRunFacet.json#/$defs/AirflowStateRunFacet",
                                               "dagRunState": "success"}}
    assert validate_event(event) == ["run.facets.airflowState: 'tasksState' is a required property (schema "
                                     "https://example.org/AirflowStateRunFacet.json#/$defs/AirflowStateRunFacet)"]
