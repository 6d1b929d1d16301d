"""Derive a JSON Schema (Draft 2020-12) from a contract.

For tools that speak JSON Schema, and as the baseline in ``bench/validator_bench.py``. JSON Schema
can say less than the contract: named formats become their regex (no GB 11643 check digit, no
calendar check), cross-field rules and the size limit are left out, and ``multipleOf`` on
fractional numbers is left out (``19.99 / 0.01`` is not an integer in binary floating point).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contracts.rules import get_format

if TYPE_CHECKING:
    from contracts.model import Contract, Field

_JSON_TYPES = {
    "string": "string", "date": "string", "timestamp": "string", "integer": "integer",
    "number": "number", "boolean": "boolean", "object": "object", "map": "object", "array": "array",
}


def _anchored(pattern: str) -> str:
    return f"^(?:{pattern})$"


def _pseudo(fld: Field, suffix: str, prop: Any) -> Field:
    from contracts.model import Field as _Field

    return _Field(path=f"{fld.path}{suffix}", name="", logical_type=prop.logicalType or "string",
                  required=True, tags=fld.tags, prop=prop)


def _copy(opts: dict[str, Any], keys: tuple[str, ...], into: dict[str, Any]) -> None:
    for k in keys:
        if k in opts:
            into[k] = opts[k]


def _string_schema(fld: Field, s: dict[str, Any]) -> None:
    _copy(fld.options, ("minLength", "maxLength"), s)
    patterns = [p for p in (fld.pattern, _anchored(get_format(fld.format).pattern) if fld.format else None) if p]
    if len(patterns) == 1:
        s["pattern"] = patterns[0]
    elif patterns:
        s["allOf"] = [{"pattern": p} for p in patterns]


def _property_schema(fld: Field, contract: Contract) -> dict[str, Any]:
    lt = fld.logical_type
    s: dict[str, Any] = {"type": _JSON_TYPES[lt]}
    opts = fld.options
    if fld.prop.description:
        s["description"] = fld.prop.description
    if fld.enum is not None:
        s["enum"] = list(fld.enum)
    if lt in ("string", "date", "timestamp"):
        _string_schema(fld, s)
    elif lt in ("integer", "number"):
        _copy(opts, ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"), s)
        if "multipleOf" in opts and lt == "integer":
            s["multipleOf"] = opts["multipleOf"]
    elif lt == "array":
        _copy(opts, ("minItems", "maxItems", "uniqueItems"), s)
        if fld.prop.items is not None:
            s["items"] = _property_schema(_pseudo(fld, "[]", fld.prop.items), contract)
    elif lt == "object":
        prefix = f"{fld.path}."
        inner = [f for f in contract.fields if f.path.startswith(prefix)
                 and "." not in f.path[len(prefix):] and "[]" not in f.path[len(prefix):]]
        s.update(_object_schema(inner, contract))
    elif lt == "map" and fld.prop.map is not None and fld.prop.map.value is not None:
        s["additionalProperties"] = _property_schema(_pseudo(fld, "{}", fld.prop.map.value), contract)
    if not fld.required:
        s["type"] = [s["type"], "null"]
        if "enum" in s:
            s["enum"] = [*s["enum"], None]
    return s


def _object_schema(fields: list[Field], contract: Contract) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {f.name: _property_schema(f, contract) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": contract.extra_fields_allowed,
    }


def to_json_schema(contract: Contract) -> dict[str, Any]:
    if len(contract.parts) > 1:
        schema: dict[str, Any] = {"anyOf": [_object_schema(p.top_fields, p) for p in contract.parts]}
    else:
        schema = _object_schema(contract.top_fields, contract)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:medshare:contract:{contract.id}:{contract.version}",
        "title": contract.odcs.name or contract.id,
        **schema,
    }
