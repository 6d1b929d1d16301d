"""A contract: the ODCS v3 document plus the medshare reading of it.

The document is parsed with the ``open-data-contract-standard`` model (and checked against the
standard's JSON Schema); :class:`Contract` adds what medshare needs and ODCS leaves to extensions:

* ``customProperties`` on the contract: ``topic``, ``table``, ``maxRecordBytes``, ``extraFields``
  (``forbid`` by default: a field the contract does not name is a violation);
* ``customProperties`` on a property: ``format`` (a name from :data:`contracts.rules.FORMATS`);
* ``tags`` on a property: classification read by the privacy code and lineage
  (``direct-identifier``, ``quasi-identifier``, ``sensitive-health``, ...);
* ``quality`` entries ``{type: custom, engine: medshare, name, implementation: {rule: <kind>, ...}}``
  on the schema object or an array's item object: cross-field record rules;
* ``quality`` library metrics (``rowCount``, ``duplicateValues``, ``nullValues``) and an
  ``slaProperties`` ``latency`` entry with ``element: <table>.<column>`` (freshness): table rules
  run by Great Expectations.

``required: true`` means present and not null; a field that is not required may be absent or null.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from open_data_contract_standard.model import (
    CustomProperty,
    DataQuality,
    OpenDataContractStandard,
    SchemaObject,
    SchemaProperty,
)
from pydantic import ValidationError

from contracts.exceptions import ContractError
from contracts.rules import FORMATS, RecordRule, compile_rule, get_format

if TYPE_CHECKING:
    from contracts.validator import RecordValidator

#: classification tags the privacy code and lineage read
DIRECT_IDENTIFIER = "direct-identifier"
QUASI_IDENTIFIER = "quasi-identifier"
SENSITIVE_HEALTH = "sensitive-health"
#: values of fields with these tags are never shown in a violation, only their shape
MASKED_TAGS = frozenset({DIRECT_IDENTIFIER, SENSITIVE_HEALTH})

LOGICAL_TYPES = ("string", "date", "timestamp", "integer", "number", "boolean", "object", "array", "map")
MEDSHARE_ENGINE = "medshare"


def custom(element: Any, name: str, default: Any = None) -> Any:
    """The value of custom property ``name`` on an ODCS element (contract, schema, property)."""
    for cp in getattr(element, "customProperties", None) or []:
        if cp.property == name:
            return cp.value
    return default


@dataclass(frozen=True, eq=False)
class Field:
    """One property of a contract, flattened: ``path`` is ``items[].amount`` for nested ones."""

    path: str
    name: str
    logical_type: str
    required: bool
    tags: tuple[str, ...]
    prop: SchemaProperty = field(repr=False)
    parent_masked: bool = False

    @property
    def primary_key(self) -> bool:
        return bool(self.prop.primaryKey)

    @property
    def unique(self) -> bool:
        return bool(self.prop.unique) or (self.primary_key and "[]" not in self.path)

    @property
    def masked(self) -> bool:
        """True if violations must not show this field's value (identifier or health data)."""
        return self.parent_masked or bool(MASKED_TAGS.intersection(self.tags))

    @property
    def options(self) -> dict[str, Any]:
        return dict(self.prop.logicalTypeOptions or {})

    @property
    def format(self) -> str | None:
        """The named format: explicit, or implied by ``date``/``timestamp`` logical types."""
        explicit = custom(self.prop, "format")
        if explicit:
            return str(explicit)
        return {"date": "date", "timestamp": "datetime"}.get(self.logical_type)

    @property
    def pattern(self) -> str | None:
        """A regex (search semantics, as in JSON Schema): ``logicalTypeOptions.pattern`` for strings,
        or a ``pattern`` custom property where ODCS allows no pattern (dates, timestamps)."""
        return self.options.get("pattern") or custom(self.prop, "pattern")

    @property
    def enum(self) -> tuple[Any, ...] | None:
        if not self.prop.enum:
            return None
        return tuple(e.value for e in self.prop.enum)

    @property
    def item_type(self) -> str | None:
        items = self.prop.items
        return (items.logicalType or "string") if items is not None else None


def _walk(
    props: list[SchemaProperty], prefix: str, parent_masked: bool
) -> Iterator[Field]:
    for p in props:
        if not p.name:
            raise ContractError(f"a property under {prefix or 'the schema'!r} has no name")
        path = f"{prefix}{p.name}"
        lt = p.logicalType or "string"
        if lt not in LOGICAL_TYPES:
            raise ContractError(f"{path}: logicalType {lt!r} is not supported (use one of {', '.join(LOGICAL_TYPES)})")
        fld = Field(path=path, name=p.name, logical_type=lt, required=bool(p.required),
                    tags=tuple(p.tags or ()), prop=p, parent_masked=parent_masked)
        fmt = custom(p, "format")
        if fmt is not None and fmt not in FORMATS:
            get_format(fmt)  # raises naming the known formats
        yield fld
        masked = fld.masked
        if lt == "object" and p.properties:
            yield from _walk(p.properties, f"{path}.", masked)
        if lt == "array" and p.items is not None and p.items.properties:
            yield from _walk(p.items.properties, f"{path}[].", masked)
        # a map whose values are objects (a claim result's caps per benefit): ``caps{}.used``
        value = p.map.value if lt == "map" and p.map is not None else None
        if value is not None and (value.logicalType or "string") == "object" and value.properties:
            yield from _walk(value.properties, f"{path}{{}}.", masked)


def _parse_version(version: str | None) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in str(version).split("."))
    except ValueError:
        raise ContractError(f"version {version!r} is not MAJOR.MINOR.PATCH") from None


def _odcs_json_schema_validator():
    import jsonschema

    schema = json.loads(OpenDataContractStandard.json_schema())
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


_SCHEMA_CHECKER: Any = None


_CHECKED: set[str] = set()


def check_odcs(document: dict[str, Any], origin: str) -> None:
    """Check a contract document against the ODCS JSON Schema (the pydantic model is lenient).

    The check takes a few hundred milliseconds; documents already found valid are remembered.
    """
    global _SCHEMA_CHECKER
    digest = hashlib.sha256(json.dumps(document, sort_keys=True, default=str).encode()).hexdigest()
    if digest in _CHECKED:
        return
    if _SCHEMA_CHECKER is None:
        _SCHEMA_CHECKER = _odcs_json_schema_validator()
    errors = sorted(_SCHEMA_CHECKER.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        where = "/".join(str(x) for x in e.absolute_path) or "(top)"
        raise ContractError(f"{origin}: not a valid ODCS v3 document at {where}: {e.message[:300]}")
    _CHECKED.add(digest)


class Contract:
    """An ODCS data contract with medshare's accessors. Build with :meth:`from_file`/:meth:`from_yaml`."""

    def __init__(self, odcs: OpenDataContractStandard, origin: str = "<memory>") -> None:
        self.odcs = odcs
        self.origin = origin
        if not odcs.id:
            raise ContractError(f"{origin}: contract has no id")
        if not odcs.schema_:
            raise ContractError(f"{origin}: a contract describes at least one schema object")
        self.version_tuple = _parse_version(odcs.version)
        self._parts: list[Contract] | None = None
        if len(odcs.schema_) > 1:
            self._parts = [Contract(odcs.model_copy(update={"schema_": [obj]}), origin) for obj in odcs.schema_]
            self._check_selectors()
        # fail now, not on the first record, if a property or rule is malformed
        _ = self.fields
        _ = self.record_rules

    def _check_selectors(self) -> None:
        """Several record kinds on one topic: each but the last names a field only its kind has."""
        parts = self.parts
        for i, part in enumerate(parts):
            sel = part.selector
            if sel is None:
                if i != len(parts) - 1:
                    raise ContractError(f"{self.origin}: schema object {part.schema.name!r} needs a "
                                        "selectWhenPresent custom property (only the last may go without)")
                continue
            if sel not in part.field_names():
                raise ContractError(f"{self.origin}: {part.schema.name}: selectWhenPresent {sel!r} is not one of its fields")

    # --- building -----------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, document: dict[str, Any], origin: str = "<memory>", check: bool = True) -> Contract:
        if not isinstance(document, dict):
            raise ContractError(f"{origin}: a contract is a YAML mapping")
        if check:
            check_odcs(document, origin)
        try:
            model = OpenDataContractStandard(**document)
        except ValidationError as exc:
            raise ContractError(f"{origin}: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}") from None
        return cls(model, origin)

    @classmethod
    def from_yaml(cls, text: str, origin: str = "<memory>", check: bool = True) -> Contract:
        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ContractError(f"{origin}: not YAML: {exc}") from None
        return cls.from_dict(document, origin, check)

    @classmethod
    def from_file(cls, path: str | Path, check: bool = True) -> Contract:
        p = Path(path)
        if not p.is_file():
            raise ContractError(f"no contract file {p}")
        return cls.from_yaml(p.read_text(encoding="utf-8"), str(p), check)

    def to_yaml(self) -> str:
        return self.odcs.to_yaml()

    # --- identity -----------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.odcs.id  # type: ignore[return-value]

    @property
    def version(self) -> str:
        return str(self.odcs.version)

    @property
    def major(self) -> int:
        return self.version_tuple[0]

    @property
    def schema(self) -> SchemaObject:
        return self.odcs.schema_[0]  # type: ignore[index]

    def custom(self, name: str, default: Any = None) -> Any:
        return custom(self.odcs, name, default)

    @property
    def topic(self) -> str | None:
        return self.custom("topic")

    @property
    def table(self) -> str | None:
        """The lab table this contract also describes (``lab_settlements``), if any."""
        return self.custom("table")

    @property
    def max_record_bytes(self) -> int | None:
        value = self.custom("maxRecordBytes")
        return int(value) if value is not None else None

    @property
    def extra_fields_allowed(self) -> bool:
        return str(self.custom("extraFields", "forbid")) == "allow"

    def __repr__(self) -> str:
        return f"Contract({self.id!r}, version={self.version!r})"

    # --- fields -------------------------------------------------------------------------------
    @property
    def parts(self) -> list[Contract]:
        """One contract per record kind: ``[self]``, or one per schema object when a topic carries
        several kinds (an insurer's claims topic carries settlements and notes)."""
        return self._parts or [self]

    @property
    def selector(self) -> str | None:
        """For one record kind of several: the field whose presence selects this kind."""
        return custom(self.schema, "selectWhenPresent")

    def part_for(self, record: Any) -> Contract:
        """The record kind a record belongs to (the first whose selector field it has)."""
        for part in self.parts:
            sel = part.selector
            if sel is None or (isinstance(record, dict) and sel in record):
                return part
        return self.parts[-1]

    @cached_property
    def fields(self) -> list[Field]:
        """Every property, depth first; nested ones have paths like ``items[].amount``.

        With several record kinds: the union, each path once (the first kind's definition).
        """
        if self._parts:
            merged: dict[str, Field] = {}
            for part in self._parts:
                for fld in part.fields:
                    merged.setdefault(fld.path, fld)
            return list(merged.values())
        out = list(_walk(self.schema.properties or [], "", False))
        seen: set[str] = set()
        for fld in out:
            if fld.path in seen:
                raise ContractError(f"{self.origin}: property {fld.path!r} is defined twice")
            seen.add(fld.path)
        return out

    @cached_property
    def top_fields(self) -> list[Field]:
        return [f for f in self.fields if "." not in f.path and "[]" not in f.path]

    def field(self, path: str) -> Field:
        for fld in self.fields:
            if fld.path == path:
                return fld
        raise KeyError(f"{self.id} has no field {path!r}")

    def field_names(self) -> list[str]:
        return [f.name for f in self.top_fields]

    def fields_tagged(self, tag: str) -> list[str]:
        """Paths of the fields carrying classification ``tag`` (top-level ones are plain names)."""
        return [f.path for f in self.fields if tag in f.tags]

    @property
    def primary_key(self) -> list[str]:
        keys = [f for f in self.top_fields if f.primary_key]
        keys.sort(key=lambda f: f.prop.primaryKeyPosition if (f.prop.primaryKeyPosition or 0) > 0 else 0)
        return [f.name for f in keys]

    # --- rules ----------------------------------------------------------------------------------
    def _quality_sites(self) -> Iterator[tuple[str, list[DataQuality]]]:
        """``(scope, quality list)``: scope "" is the record, ``items[]`` an array's item object."""
        yield "", list(self.schema.quality or [])
        for fld in self.fields:
            if fld.logical_type == "array" and fld.prop.items is not None and fld.prop.items.quality:
                yield f"{fld.path}[]", list(fld.prop.items.quality)

    @cached_property
    def record_rules(self) -> list[tuple[str, RecordRule]]:
        """Cross-field rules as ``(scope, rule)``; scope "" is the record itself."""
        if self._parts:
            seen: dict[tuple[str, str], tuple[str, RecordRule]] = {}
            for part in self._parts:
                for scope, rule in part.record_rules:
                    seen.setdefault((scope, rule.name), (scope, rule))
            return list(seen.values())
        out: list[tuple[str, RecordRule]] = []
        names: set[str] = set()
        for scope, quality in self._quality_sites():
            for q in quality:
                if q.type != "custom" or q.engine != MEDSHARE_ENGINE:
                    continue
                if not q.name or not isinstance(q.implementation, dict):
                    raise ContractError(f"{self.origin}: a medshare rule needs a name and an implementation mapping")
                if q.name in names:
                    raise ContractError(f"{self.origin}: rule name {q.name!r} is used twice")
                names.add(q.name)
                try:
                    out.append((scope, compile_rule(q.name, q.implementation, q.description or "")))
                except ContractError as exc:
                    raise ContractError(f"{self.origin}: {exc}") from None
        return out

    def table_quality(self) -> list[tuple[str | None, DataQuality]]:
        """Library-metric quality rules as ``(column or None for the table, rule)``."""
        out: list[tuple[str | None, DataQuality]] = [
            (None, q) for q in self.schema.quality or [] if (q.metric or q.rule) and q.type in (None, "library")
        ]
        for fld in self.top_fields:
            out.extend((fld.name, q) for q in fld.prop.quality or [] if (q.metric or q.rule) and q.type in (None, "library"))
        return out

    def freshness(self) -> tuple[str, float, str] | None:
        """``(column, amount, unit)`` from an SLA ``latency`` property whose element names a column."""
        for sla in self.odcs.slaProperties or []:
            if sla.property in ("latency", "freshness") and sla.element and sla.value is not None:
                column = sla.element.split(".")[-1]
                return column, float(sla.value), (sla.unit or "d")
        return None

    # --- derived artefacts ----------------------------------------------------------------------
    def validator(self) -> RecordValidator:
        """The compiled record validator, built on first use and kept (one per contract object)."""
        compiled = self.__dict__.get("_validator")
        if compiled is None:
            from contracts.validator import compile_contract

            compiled = self.__dict__["_validator"] = compile_contract(self)
        return compiled

    def json_schema(self) -> dict[str, Any]:
        """A Draft 2020-12 JSON Schema for the record (what JSON Schema can say: no check digits,
        no cross-field rules, no size limit)."""
        from contracts.json_schema import to_json_schema

        return to_json_schema(self)


def custom_property(name: str, value: Any) -> CustomProperty:
    return CustomProperty(property=name, value=value)
