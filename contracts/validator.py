"""Compile a contract into a fast record validator for the stream hot path.

:func:`compile_contract` turns every property into one closure (type, enum, length, range, regex,
named format) and every record rule into another, once; validating a record is then a loop over
those closures with no model building. Every violation of a record is returned, not just the
first, as :class:`Violation` objects — a failed check is a result, not an exception.

Values are shown only when safe: a field tagged ``direct-identifier`` or ``sensitive-health`` (and
any field the contract does not know) is shown by its shape only (``"str, 18 chars: 9×17 A×1"``).

Usage on the hot path::

    v = registry.validator("platform.settlements.v1")
    record, violations = v.validate_bytes(message.value)
    if violations:
        ...  # quarantine (contracts.quarantine.ContractGate does this for you)
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from itertools import compress
from typing import TYPE_CHECKING, Any

import msgspec

from contracts.fastpath import compile_fast
from contracts.rules import RecordRule, get_format, json_type_name, shape, show

if TYPE_CHECKING:
    from contracts.model import Contract, Field

#: rule names of the structural checks (record rules are named by their contract entry)
JSON = "json"
NOT_OBJECT = "not-object"
TYPE = "type"
REQUIRED = "required"
EXTRA_FIELD = "extra-field"
FORMAT = "format"
PATTERN = "pattern"
ENUM = "enum"
LENGTH = "length"
RANGE = "range"
ITEMS = "items"
MAX_BYTES = "max-bytes"
DUPLICATE_KEY = "duplicate-key"

#: records bigger than this many times the contract's limit are not even parsed
PARSE_LIMIT_FACTOR = 16


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a record breaks its contract. ``value`` is safe to log (masked if sensitive)."""

    field: str
    rule: str
    message: str
    value: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = self.field or "(record)"
        return f"{where}: [{self.rule}] {self.message}" + (f" (value: {self.value})" if self.value else "")


Check = Callable[[Any, str, list], None]

_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "date": (str,),
    "timestamp": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "map": (dict,),
    "array": (list,),
}


def _display(masked: bool) -> Callable[[Any], str]:
    return shape if masked else show


def _type_violation(path: str, expected: str, v: Any, masked: bool) -> Violation:
    return Violation(path, TYPE, f"expected {expected}, got {json_type_name(v)}",
                     shape(v) if masked else show(v))


def _string_check(fld: Field, name: str) -> Check:
    masked = fld.masked
    disp = _display(masked)
    opts = fld.options
    min_len, max_len = opts.get("minLength"), opts.get("maxLength")
    pattern = re.compile(fld.pattern).search if fld.pattern else None
    fmt = get_format(fld.format) if fld.format else None
    fmt_rx = re.compile(fmt.pattern).fullmatch if fmt else None
    fmt_deep = fmt.semantic if fmt else None
    enum = frozenset(fld.enum) if fld.enum is not None else None
    lt = fld.logical_type

    def check(v: Any, prefix: str, out: list) -> None:
        if type(v) is not str:
            out.append(_type_violation(prefix + name, lt, v, masked))
            return
        if enum is not None and v not in enum:
            out.append(Violation(prefix + name, ENUM, f"not one of the {len(enum)} allowed values", disp(v)))
        if min_len is not None and len(v) < min_len:
            out.append(Violation(prefix + name, LENGTH, f"{len(v)} chars, at least {min_len} needed", disp(v)))
        if max_len is not None and len(v) > max_len:
            out.append(Violation(prefix + name, LENGTH, f"{len(v)} chars, at most {max_len} allowed", disp(v)))
        if pattern is not None and pattern(v) is None:
            out.append(Violation(prefix + name, PATTERN, f"{len(v)} chars, does not match the pattern", disp(v)))
        if fmt_rx is not None and (fmt_rx(v) is None or (fmt_deep is not None and not fmt_deep(v))):
            out.append(Violation(prefix + name, FORMAT, f"{fmt.name}: {fmt.check(v)}", disp(v)))  # type: ignore[union-attr]

    return check


def _number_check(fld: Field, name: str) -> Check:
    masked = fld.masked
    disp = _display(masked)
    opts = fld.options
    integer = fld.logical_type == "integer"
    lo, hi = opts.get("minimum"), opts.get("maximum")
    xlo, xhi = opts.get("exclusiveMinimum"), opts.get("exclusiveMaximum")
    step = opts.get("multipleOf")
    enum = frozenset(fld.enum) if fld.enum is not None else None
    bounded = any(b is not None for b in (lo, hi, xlo, xhi))

    def check(v: Any, prefix: str, out: list) -> None:
        t = type(v)
        if t is not int and (integer or t is not float):
            out.append(_type_violation(prefix + name, fld.logical_type, v, masked))
            return
        if t is float and not math.isfinite(v):
            out.append(Violation(prefix + name, TYPE, "expected a finite number", disp(v)))
            return
        if enum is not None and v not in enum:
            out.append(Violation(prefix + name, ENUM, f"not one of the {len(enum)} allowed values", disp(v)))
        if bounded and (
            (lo is not None and v < lo) or (hi is not None and v > hi)
            or (xlo is not None and v <= xlo) or (xhi is not None and v >= xhi)
        ):
            out.append(Violation(prefix + name, RANGE, f"outside {_bounds(lo, hi, xlo, xhi)}", disp(v)))
        if step is not None:
            q = v / step
            if abs(q - round(q)) > 1e-6:
                out.append(Violation(prefix + name, RANGE, f"not a multiple of {step}", disp(v)))

    return check


def _bounds(lo: Any, hi: Any, xlo: Any, xhi: Any) -> str:
    left = f"[{lo}" if lo is not None else f"({xlo}" if xlo is not None else "(-inf"
    right = f"{hi}]" if hi is not None else f"{xhi})" if xhi is not None else "inf)"
    return f"{left}, {right}"


def _boolean_check(fld: Field, name: str) -> Check:
    masked = fld.masked

    def check(v: Any, prefix: str, out: list) -> None:
        if type(v) is not bool:
            out.append(_type_violation(prefix + name, "boolean", v, masked))

    return check


def _array_check(fld: Field, name: str, contract: Contract) -> Check:
    masked = fld.masked
    opts = fld.options
    min_items, max_items, unique = opts.get("minItems"), opts.get("maxItems"), bool(opts.get("uniqueItems"))
    item_check = _item_check(fld, contract)

    def check(v: Any, prefix: str, out: list) -> None:
        if type(v) is not list:
            out.append(_type_violation(prefix + name, "array", v, masked))
            return
        n = len(v)
        if min_items is not None and n < min_items:
            out.append(Violation(prefix + name, ITEMS, f"{n} items, at least {min_items} needed", None))
        if max_items is not None and n > max_items:
            out.append(Violation(prefix + name, ITEMS, f"{n} items, at most {max_items} allowed", None))
            v = v[:max_items]  # do not spend the hot path on a flood of items
        if unique:
            try:
                dupes = len(v) != len(set(v))
            except TypeError:
                dupes = len(v) != len({json.dumps(x, sort_keys=True) for x in v})
            if dupes:
                out.append(Violation(prefix + name, ITEMS, "items are not unique", None))
        if item_check is not None:
            base = prefix + name
            for i, item in enumerate(v):
                if item is None:
                    out.append(Violation(f"{base}[{i}]", REQUIRED, "array item is null", None))
                else:
                    item_check(item, f"{base}[{i}]", out)

    return check


def _item_check(fld: Field, contract: Contract) -> Check | None:
    """A check for one array item, called with the item's full path as prefix and name ''."""
    items = fld.prop.items
    if items is None:
        return None
    lt = items.logicalType or "string"
    if lt == "object":
        inner = [f for f in contract.fields if f.path.startswith(f"{fld.path}[].")
                 and "." not in f.path[len(fld.path) + 3:] and "[]" not in f.path[len(fld.path) + 3:]]
        rules = [r for scope, r in contract.record_rules if scope == f"{fld.path}[]"]
        obj = _object_check(inner, rules, contract, allow_extra=contract.extra_fields_allowed, masked=fld.masked)

        def check_obj(v: Any, path: str, out: list) -> None:
            if type(v) is not dict:
                out.append(_type_violation(path, "object", v, fld.masked))
                return
            obj(v, path + ".", out)

        return check_obj
    from contracts.model import Field as _Field

    pseudo = _Field(path=f"{fld.path}[]", name="", logical_type=lt, required=True, tags=fld.tags,
                    prop=items, parent_masked=fld.masked)
    return _field_check(pseudo, "", contract)


def _map_check(fld: Field, name: str, contract: Contract) -> Check:
    masked = fld.masked
    value_prop = fld.prop.map.value if fld.prop.map is not None else None
    value_check: Check | None = None
    if value_prop is not None:
        from contracts.model import Field as _Field

        pseudo = _Field(path=f"{fld.path}{{}}", name="", logical_type=value_prop.logicalType or "string",
                        required=True, tags=fld.tags, prop=value_prop, parent_masked=masked)
        value_check = _field_check(pseudo, "", contract)

    def check(v: Any, prefix: str, out: list) -> None:
        if type(v) is not dict:
            out.append(_type_violation(prefix + name, "map", v, masked))
            return
        if value_check is not None:
            base = prefix + name
            for k, item in v.items():
                value_check(item, f"{base}[{k[:40]!r}]", out)

    return check


def _field_check(fld: Field, name: str, contract: Contract) -> Check:
    lt = fld.logical_type
    if lt in ("string", "date", "timestamp"):
        return _string_check(fld, name)
    if lt in ("integer", "number"):
        return _number_check(fld, name)
    if lt == "boolean":
        return _boolean_check(fld, name)
    if lt == "array":
        return _array_check(fld, name, contract)
    if lt == "map":
        return _map_check(fld, name, contract)
    # object
    inner = [f for f in contract.fields if f.path.startswith(f"{fld.path}.")
             and "." not in f.path[len(fld.path) + 1:] and "[]" not in f.path[len(fld.path) + 1:]]
    obj = _object_check(inner, [], contract, allow_extra=contract.extra_fields_allowed, masked=fld.masked)

    def check(v: Any, prefix: str, out: list) -> None:
        if type(v) is not dict:
            out.append(_type_violation(prefix + name, "object", v, fld.masked))
            return
        obj(v, f"{prefix}{name}.", out)

    return check


_DIGIT_RUN = re.compile(r"\d{6}")


def _safe_key(key: Any) -> str:
    """An unknown field's name, unless it looks like it could hold an identifier itself."""
    text = str(key)
    if _DIGIT_RUN.search(text):
        return f"<{shape(text)}>"
    return text[:64]


def _object_check(
    fields: list[Field], rules: list[RecordRule], contract: Contract, allow_extra: bool, masked: bool
) -> Callable[[dict, str, list], None]:
    specs = tuple((f.name, f.required, _field_check(f, f.name, contract)) for f in fields)
    allowed = frozenset(f.name for f in fields)
    rule_list = tuple(rules)

    def check(obj: dict, prefix: str, out: list) -> None:
        if not allow_extra and not obj.keys() <= allowed:
            for k in obj.keys() - allowed:
                out.append(Violation(prefix + _safe_key(k), EXTRA_FIELD, "field is not in the contract", shape(obj[k])))
        get = obj.get
        for name, required, field_check in specs:
            v = get(name)
            if v is None:
                if required:
                    out.append(Violation(prefix + name, REQUIRED,
                                         "required field is null" if name in obj else "required field is missing"))
                continue
            field_check(v, prefix, out)
        for rule in rule_list:
            try:
                failures = rule.check(obj)
            except Exception:  # noqa: BLE001 - a rule must never crash the hot path
                failures = [("", f"rule {rule.kind} could not be evaluated on this record")]
            for path, message in failures:
                out.append(Violation(prefix + path, rule.name, message))

    return check


class RecordValidator:
    """The compiled form of one contract. Thread-safe; build once, call per record."""

    __slots__ = ("contract_id", "version", "max_bytes", "_check", "_fast")

    def __init__(
        self, contract_id: str, version: str, max_bytes: int | None, check: Callable,
        fast: Callable[[dict], bool] | None = None,
    ) -> None:
        self.contract_id = contract_id
        self.version = version
        self.max_bytes = max_bytes
        self._check = check
        self._fast = fast or (lambda record: False)

    def explain(self, record: dict[str, Any]) -> list[Violation]:
        """The slow, thorough path alone (tests compare it with the fast path)."""
        out: list[Violation] = []
        self._check(record, "", out)
        return out

    def validate(self, record: Any) -> list[Violation]:
        """Every violation of a parsed record ([] when it conforms). Size is not checked here."""
        if type(record) is not dict:
            return [Violation("", NOT_OBJECT, f"record is a JSON {json_type_name(record)}, not an object",
                              shape(record))]
        if self._fast(record):
            return []
        out: list[Violation] = []
        self._check(record, "", out)
        return out

    def validate_bytes(self, raw: bytes | str | None) -> tuple[dict[str, Any] | None, list[Violation]]:
        """Parse and validate a message value: ``(record or None, violations)``.

        Broken JSON gives rule ``json``; a value over the contract's ``maxRecordBytes`` gives rule
        ``max-bytes`` (and is still checked field by field unless it is absurdly large).
        """
        if raw is None:
            return None, [Violation("", JSON, "message has no value (tombstone)")]
        size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8"))
        out: list[Violation] = []
        limit = self.max_bytes
        if limit is not None and size > limit:
            out.append(Violation("", MAX_BYTES, f"record is {size} bytes, the contract allows {limit}"))
            if size > PARSE_LIMIT_FACTOR * limit:
                return None, out
        record, problems = decode_checked(raw)
        if record is None:
            out.extend(problems)
            return None, out
        if type(record) is not dict:
            out.append(Violation("", NOT_OBJECT, f"record is a JSON {json_type_name(record)}, not an object",
                                 shape(record)))
            return None, out
        out.extend(problems)
        if out or not self._fast(record):
            self._check(record, "", out)
        return record, out

    def is_valid(self, record: Any) -> bool:
        return not self.validate(record)


#: msgspec decodes the JSON of valid messages ≈3× faster than ``json.loads``; what it refuses
#: (bad UTF-8, NaN, integers beyond 64 bits, other encodings json.loads detects) is decoded again
#: by ``json.loads``, which accepts it exactly as before or names the error.
_decode = msgspec.json.Decoder().decode


# --- duplicate keys ---------------------------------------------------------------------------
#
# JSON decoders keep the last of two equal keys in one object (RFC 8259 section 4 leaves it to the
# implementation), so {"person_no": A, ..., "person_no": B} would be read as B by us and perhaps
# as A by someone else. Such a record is ambiguous and refused with rule ``duplicate-key``.
#
# Messages medshare wrote itself are proven clean by re-encoding: equal to the decoded value's own
# compact sorted encoding means no key repeats. Any other text costs two counts: every key in the
# raw text is a closing quote followed by optional whitespace and a colon, and a quote inside a
# string is escaped, so the matches of
# ``"\s*:`` are at least the keys written; the keys of the decoded objects are at most that many.
# Equal counts prove there is no duplicate. Only otherwise (a duplicate, or a string value that
# itself holds ``\":``) is the text parsed again with every key kept, to name the duplicates.

_KEY_TOKEN = re.compile(rb'"[ \t\n\r]*:')
_KEY_TOKEN_STR = re.compile(r'"[ \t\n\r]*:')


def _key_tokens(raw: bytes | str) -> int:
    r"""Matches of ``"\s*:`` in the raw text: at least the number of keys it writes."""
    if isinstance(raw, str):
        return len(_KEY_TOKEN_STR.findall(raw))
    if b'" ' not in raw and b'"\n' not in raw and b'"\t' not in raw and b'"\r' not in raw:
        return raw.count(b'":')  # no whitespace after any quote (compact JSON): one count in C
    return len(_KEY_TOKEN.findall(raw))


_IS_CONTAINER = frozenset({dict, list}).__contains__


def _key_count(value: Any) -> int:
    """The number of keys of every object in a decoded JSON value.

    Only objects and arrays are visited (picked out of each container in C), so a record costs a
    loop turn per container, not per value.
    """
    n = 0
    stack = [value]
    pop, push = stack.pop, stack.extend
    while stack:
        v = pop()
        if type(v) is dict:
            n += len(v)
            v = v.values()
        elif type(v) is not list:
            continue
        push(compress(v, map(_IS_CONTAINER, map(type, v))))
    return n


def decode_checked(raw: bytes | str) -> tuple[Any, list[Violation]]:
    """``(value, violations)`` of a JSON text: ``(None, [json])`` when it is not JSON, else the
    decoded value with a ``duplicate-key`` violation for every key written twice in one object."""
    try:
        value = _decode(raw)
    except (msgspec.DecodeError, ValueError, RecursionError):
        value, failed = _decode_stdlib(raw)
        if failed is not None:
            return None, [failed]
    if type(raw) is bytes and _is_canonical(value, raw):
        return value, []  # the text is exactly the value's own encoding: no key was written twice
    if _key_tokens(raw) != _key_count(value):
        return value, duplicate_keys(raw)
    return value, []


#: the encoding every medshare producer writes (medshare.envelope.encode_value: compact JSON,
#: sorted keys, UTF-8); a message equal to the re-encoding of its decoded value cannot hold a
#: duplicate key, and the comparison (one C encode and a memcmp) is the cheapest proof
_canonical = msgspec.json.Encoder(order="sorted").encode


def _is_canonical(value: Any, raw: bytes) -> bool:
    try:
        return _canonical(value) == raw
    except (msgspec.EncodeError, OverflowError, TypeError, ValueError):  # e.g. an int beyond 64 bits
        return False


class _Pairs(list):
    """An object as decoded with every key kept (``object_pairs_hook``)."""


def duplicate_keys(raw: bytes | str) -> list[Violation]:
    """A ``duplicate-key`` violation for each key written twice in one object of ``raw``."""
    try:
        tree = json.loads(raw, object_pairs_hook=_Pairs)
    except (ValueError, RecursionError):
        return []
    out: list[Violation] = []
    stack: list[tuple[Any, str]] = [(tree, "")]
    while stack:
        node, path = stack.pop()
        if type(node) is _Pairs:
            counts: dict[str, int] = {}
            for k, _ in node:
                counts[k] = counts.get(k, 0) + 1
            for k, n in counts.items():
                if n > 1:
                    out.append(Violation(f"{path}{_safe_key(k)}", DUPLICATE_KEY,
                                         f"key {_safe_key(k)!r} appears {n} times in one object: "
                                         "which value counts is ambiguous"))
            stack.extend((v, f"{path}{_safe_key(k)}.") for k, v in reversed(node))
        elif type(node) is list:
            base = path[:-1] if path.endswith(".") else path
            stack.extend((v, f"{base}[{i}].") for i, v in reversed(list(enumerate(node))))
    return out


def _decode_stdlib(raw: bytes | str) -> tuple[Any, Violation | None]:
    try:
        return json.loads(raw), None
    except UnicodeDecodeError as exc:
        return None, Violation("", JSON, f"not UTF-8 (bad byte at position {exc.start})")
    except json.JSONDecodeError as exc:
        return None, Violation("", JSON, f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    except (ValueError, RecursionError):
        return None, Violation("", JSON, "not JSON")


def compile_contract(contract: Contract) -> RecordValidator:
    """Build the validator of ``contract`` (use ``contract.validator()``, which caches it)."""
    if len(contract.parts) > 1:
        return _compile_kinds(contract)
    rules = [r for scope, r in contract.record_rules if scope == ""]
    check = _object_check(contract.top_fields, rules, contract,
                          allow_extra=contract.extra_fields_allowed, masked=False)
    return RecordValidator(contract.id, contract.version, contract.max_record_bytes, check,
                           compile_fast(contract))


def _compile_kinds(contract: Contract) -> RecordValidator:
    """Several record kinds on one topic: each record is checked against the kind it selects."""
    kinds = [(part.selector, part.validator()) for part in contract.parts]

    def pick(record: dict) -> RecordValidator:
        for selector, v in kinds:
            if selector is None or selector in record:
                return v
        return kinds[-1][1]

    def check(record: dict, prefix: str, out: list) -> None:
        pick(record)._check(record, prefix, out)

    def fast(record: dict) -> bool:
        return pick(record)._fast(record)

    return RecordValidator(contract.id, contract.version, contract.max_record_bytes, check, fast)
