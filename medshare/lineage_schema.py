"""Validating OpenLineage run events with JSON Schema (``jsonschema``, draft 2020-12).

Two layers:

* **The core RunEvent** (``eventTime``, ``producer``, ``schemaURL``, ``run``, ``job``, ``inputs``,
  ``outputs``, and the base rules every facet follows: ``_producer`` and ``_schemaURL`` URIs,
  ``_deleted`` on job/dataset facets). The spec's own ``OpenLineage.json`` ships in no package
  installed here (openlineage-python, openlineage-integration-common and the Airflow provider are
  generated from it or ``$ref`` it by URL; the registries reached from this machine hold no copy),
  so :data:`CORE` is medshare's transcription of the 2-0-2 RunEvent, registered under the spec's
  URLs (1-0-2 and 2-0-2, ``$defs`` and the older ``definitions``) so that facet schemas which
  ``$ref`` the core resolve against it.
* **Facets whose schema file ships installed** — the Airflow provider's ``facets/*.json``
  (``airflow``, ``airflowDagRun``, ``airflowState``, …) and openlineage-integration-common's dbt
  and data-quality schemas — are validated against those official files, picked by the file name
  (and ``$defs`` entry, if any) in each facet's ``_schemaURL``. Any other facet is checked against the base
  facet rules only (its schema is not available offline).

:func:`validate_event` returns every violation as ``"<json path>: <message>"`` (empty: valid).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

#: the spec versions whose URLs the installed facet schemas and producers use
SPEC_URLS = (
    "https://openlineage.io/spec/2-0-2/OpenLineage.json",
    "https://openlineage.io/spec/1-0-2/OpenLineage.json",
    "https://openlineage.io/spec/1-0-5/OpenLineage.json",
    "https://raw.githubusercontent.com/OpenLineage/OpenLineage/main/spec/OpenLineage.json",
)

_URI = {"type": "string", "format": "uri"}
_BASE_FACET = {
    "type": "object",
    "properties": {"_producer": _URI, "_schemaURL": _URI},
    "required": ["_producer", "_schemaURL"],
    "additionalProperties": True,
}
_DELETABLE = {"allOf": [{"$ref": "#/$defs/BaseFacet"},
                        {"type": "object", "properties": {"_deleted": {"type": "boolean"}}}]}


def _facets(ref: str) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": {"$ref": f"#/$defs/{ref}"}}


#: medshare's transcription of the OpenLineage 2-0-2 RunEvent (see the module docstring)
CORE: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$defs": {
        "BaseFacet": _BASE_FACET,
        "RunFacet": {"$ref": "#/$defs/BaseFacet"},
        "JobFacet": _DELETABLE,
        "DatasetFacet": _DELETABLE,
        "InputDatasetFacet": {"$ref": "#/$defs/BaseFacet"},
        "OutputDatasetFacet": {"$ref": "#/$defs/BaseFacet"},
        "Run": {
            "type": "object",
            "properties": {"runId": {"type": "string", "format": "uuid"}, "facets": _facets("RunFacet")},
            "required": ["runId"],
        },
        "Job": {
            "type": "object",
            "properties": {"namespace": {"type": "string", "minLength": 1}, "name": {"type": "string", "minLength": 1},
                           "facets": _facets("JobFacet")},
            "required": ["namespace", "name"],
        },
        "Dataset": {
            "type": "object",
            "properties": {"namespace": {"type": "string", "minLength": 1}, "name": {"type": "string", "minLength": 1},
                           "facets": _facets("DatasetFacet")},
            "required": ["namespace", "name"],
        },
        "InputDataset": {"allOf": [{"$ref": "#/$defs/Dataset"},
                                   {"type": "object", "properties": {"inputFacets": _facets("InputDatasetFacet")}}]},
        "OutputDataset": {"allOf": [{"$ref": "#/$defs/Dataset"},
                                    {"type": "object", "properties": {"outputFacets": _facets("OutputDatasetFacet")}}]},
        "BaseEvent": {
            "type": "object",
            "properties": {"eventTime": {"type": "string", "format": "date-time"}, "producer": _URI,
                           "schemaURL": _URI},
            "required": ["eventTime", "producer", "schemaURL"],
        },
        "RunEvent": {"allOf": [{"$ref": "#/$defs/BaseEvent"}, {
            "type": "object",
            "properties": {
                "eventType": {"enum": ["START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"]},
                "run": {"$ref": "#/$defs/Run"},
                "job": {"$ref": "#/$defs/Job"},
                "inputs": {"type": "array", "items": {"$ref": "#/$defs/InputDataset"}},
                "outputs": {"type": "array", "items": {"$ref": "#/$defs/OutputDataset"}},
            },
            "required": ["run", "job"],
        }]},
    },
    # pre-2020 facet schemas point at #/definitions/BaseFacet
    "definitions": {"BaseFacet": _BASE_FACET},
}


def _format_checker() -> Any:
    from jsonschema import FormatChecker

    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            raise ValueError("a date-time needs a time zone offset")
        return True

    @checker.checks("uri", raises=ValueError)
    def _uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        u = urlparse(value)
        if not u.scheme or not (u.netloc or u.path):
            raise ValueError("not an absolute URI")
        return True

    return checker


def shipped_facet_schemas() -> dict[str, dict[str, Any]]:
    """Facet schema files shipped by installed packages, by file name (``AirflowRunFacet.json``, …).

    Found through the distributions' metadata, so neither Airflow nor the dbt integration is imported.
    """
    from importlib.metadata import PackageNotFoundError, distribution

    out: dict[str, dict[str, Any]] = {}
    for dist, folders in (("apache-airflow-providers-openlineage", ("airflow/providers/openlineage/facets",)),
                          ("openlineage-integration-common", ("openlineage/common/schema",
                                                              "openlineage/common/provider"))):
        try:
            found = distribution(dist)
        except PackageNotFoundError:
            continue
        for folder in folders:
            for path in sorted(Path(str(found.locate_file(folder))).glob("*.json")):
                out[path.name] = json.loads(path.read_text("utf-8"))
    return out


@lru_cache(maxsize=1)
def _registry() -> tuple[Any, dict[str, str]]:
    """The schema registry and shipped file name -> its URI."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources = [(url, Resource.from_contents(CORE, default_specification=DRAFT202012)) for url in SPEC_URLS]
    files: dict[str, str] = {}
    for name, schema in shipped_facet_schemas().items():
        uri = f"urn:medshare:facet-schema:{name}"
        files[name] = uri
        resources.append((uri, Resource.from_contents({k: v for k, v in schema.items() if k != "$id"},
                                                      default_specification=DRAFT202012)))
    return Registry().with_resources(resources), files


@lru_cache(maxsize=64)
def _validator(ref: str) -> Any:
    from jsonschema import Draft202012Validator

    registry, _ = _registry()
    return Draft202012Validator({"$ref": ref}, registry=registry, format_checker=_format_checker())


def facet_schema_ref(schema_url: str) -> tuple[str, bool] | None:
    """The shipped schema a facet's ``_schemaURL`` names: (registry reference, whether it is the file's root).

    A URL with a ``#/$defs/<Facet>`` fragment names the facet's definition; one without (the dbt
    facets') names the file, whose root validates ``{<facet key>: <facet>}``. None: not shipped.
    """
    _, files = _registry()
    path, _, fragment = str(schema_url).partition("#")
    name = path.rstrip("/").rsplit("/", 1)[-1]
    if name not in files:
        return None
    if fragment.startswith("/$defs/"):
        return f"{files[name]}#{fragment}", False
    return files[name], True


def _iter_facets(e: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    run = e.get("run") or {}
    job = e.get("job") or {}
    for key, facet in (run.get("facets") or {}).items():
        yield f"run.facets.{key}", key, facet
    for key, facet in (job.get("facets") or {}).items():
        yield f"job.facets.{key}", key, facet
    for side in ("inputs", "outputs"):
        for i, ds in enumerate(e.get(side) or []):
            for group in ("facets", "inputFacets", "outputFacets"):
                for key, facet in (ds.get(group) or {}).items():
                    yield f"{side}[{i}].{group}.{key}", key, facet


def _path(prefix: str, error: Any, skip: int = 0) -> str:
    parts = [prefix] if prefix else []
    parts += [f"[{p}]" if isinstance(p, int) else f".{p}" for p in list(error.absolute_path)[skip:]]
    return "".join(parts).lstrip(".") or "(event)"


def validate_event(e: Mapping[str, Any]) -> list[str]:
    """Every schema violation of a RunEvent as ``"<path>: <message>"``; an empty list means valid."""
    errors = [f"{_path('', err)}: {err.message}"
              for err in _validator(f"{SPEC_URLS[0]}#/$defs/RunEvent").iter_errors(dict(e))]
    for where, key, facet in _iter_facets(e):
        if not isinstance(facet, Mapping):
            continue
        found = facet_schema_ref(str(facet.get("_schemaURL", "")))
        if found is None:
            continue
        ref, root = found
        instance = {key: dict(facet)} if root else dict(facet)
        errors += [f"{_path(where, err, skip=1 if root else 0)}: {err.message} (schema {facet.get('_schemaURL')})"
                   for err in _validator(ref).iter_errors(instance)]
    return errors
