"""The small vocabularies a contract may use, mapped onto :mod:`contracts.formats`.

*Named formats* (a property's ``customProperties: [{property: format, value: <name>}]``) check one
string value; each has a regex (for derived JSON Schema and Great Expectations) and a checker
that may do more than a regex can (GB 11643 check digit, real calendar dates).

*Record rules* (``quality: [{type: custom, engine: medshare, implementation: {rule: <kind>, ...}}]``
on a schema object, or on an array's item object) check several fields of one record together.

Nothing here ever puts a value into a message: checkers return a reason such as
``"18 chars, check digit mismatch"`` and the validator decides what of the value may be shown.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from contracts import formats as f
from contracts.exceptions import ContractError

# --- named formats ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Format:
    """A named format: ``pattern`` for regex-only engines, ``check`` for the full rule.

    ``semantic`` is the hot path's extra test, run only on values that already match ``pattern``
    (check digit, real calendar date); ``check`` explains a failure and is run only then.
    """

    name: str
    pattern: str
    check: Callable[[str], str | None]  # None: fine; else a reason that never contains the value
    description: str
    semantic: Callable[[str], bool] | None = None


def _regex_checker(pattern: str, what: str) -> Callable[[str], str | None]:
    rx = re.compile(pattern)

    def check(value: str) -> str | None:
        if rx.fullmatch(value) is None:
            return f"{len(value)} chars, not {what}"
        return None

    return check


def _check_resident_id(value: str) -> str | None:
    n = len(value)
    if n != 18:
        return f"{n} chars, a resident ID has 18"
    if re.fullmatch(f.RESIDENT_ID, value) is None:
        return "18 chars, not the GB 11643 shape (6-digit region, birth date, 3-digit sequence, check)"
    try:
        f.resident_id_birth_date(value)
    except ValueError:
        return "18 chars, birth date is not a calendar date"
    if f.resident_id_check_char(value[:17]) != value[17].upper():
        return "18 chars, check digit mismatch"
    return None


def _check_date(value: str) -> str | None:
    if f.fullmatch(f.DATE, value) is None:
        return "not YYYY-MM-DD"
    if not f.is_valid_date(value):
        return "not a calendar date"
    return None


def _check_datetime(value: str) -> str | None:
    if f.fullmatch(f.DATETIME, value) is None:
        return "not ISO 8601 with seconds and an offset (2026-03-05T10:21:07+08:00)"
    if not f.is_valid_datetime(value):
        return "not a real date and time"
    return None


def _resident_id_ok(value: str) -> bool:
    """Assumes the GB 11643 shape matched: the birth date is real and the check digit right."""
    try:
        f.resident_id_birth_date(value)
    except ValueError:
        return False
    return f.resident_id_check_char(value[:17]) == value[17].upper()


def _date_ok(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _datetime_ok(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


_ITEM_CODE = f"(?:{f.DRUG_CODE}|{f.DEVICE_CODE}|{f.SERVICE_CODE})"

FORMATS: dict[str, Format] = {
    fm.name: fm
    for fm in (
        Format("resident_id", f.RESIDENT_ID, _check_resident_id, "居民身份证号码, GB 11643 check digit",
               _resident_id_ok),
        Format("mobile", f.MOBILE, _regex_checker(f.MOBILE, "a mainland mobile number"), "mobile number"),
        Format("icd10", f.ICD10, _regex_checker(f.ICD10, "an ICD-10 code"), "ICD-10 (医保版) code"),
        Format("drug_code", f.DRUG_CODE, _regex_checker(f.DRUG_CODE, "a national drug code"), "国家医保药品编码"),
        Format("device_code", f.DEVICE_CODE, _regex_checker(f.DEVICE_CODE, "a national device code"),
               "国家医保医用耗材编码"),
        Format("service_code", f.SERVICE_CODE, _regex_checker(f.SERVICE_CODE, "a service item code"),
               "医疗服务项目编码"),
        Format("item_code", _ITEM_CODE, _regex_checker(_ITEM_CODE, "a drug, device or service code"),
               "drug, device or service code (rule code-by-category pins which)"),
        Format("institution_code", f.INSTITUTION_CODE,
               _regex_checker(f.INSTITUTION_CODE, "an institution code"), "定点医药机构编码"),
        Format("person_no", f.PERSON_NO, _regex_checker(f.PERSON_NO, "a platform person number"),
               "医保个人编号"),
        Format("card_no", f.CARD_NO, _regex_checker(f.CARD_NO, "a social-security card number"),
               "社会保障卡卡号"),
        Format("date", f.DATE, _check_date, "YYYY-MM-DD, a real calendar day", _date_ok),
        Format("datetime", f.DATETIME, _check_datetime, "ISO 8601 date-time with offset", _datetime_ok),
        Format("envelope", f.ENVELOPE, _regex_checker(f.ENVELOPE, "an mse1 ciphertext envelope"),
               "field-level ciphertext (privacy/crypto.py)"),
    )
}


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise ContractError(f"unknown format {name!r} (known: {', '.join(sorted(FORMATS))})") from None


# --- record rules -----------------------------------------------------------------------------

#: ``(field path, message)``: a failure of a record rule, message free of field values
Failure = tuple[str, str]


@dataclass(frozen=True)
class RecordRule:
    """A compiled cross-field rule: ``check(obj)`` returns failures, never raises on bad input."""

    name: str
    kind: str
    fields: tuple[str, ...]
    check: Callable[[Mapping[str, Any]], list[Failure]]
    description: str = ""


def _num(v: Any) -> float | None:
    """A finite JSON number, else None (wrong types are reported by the field checks)."""
    if type(v) is int or (type(v) is float and math.isfinite(v)):
        return v
    return None


def _args(args: Mapping[str, Any], kind: str, *names: str) -> list[Any]:
    missing = [n for n in names if n not in args]
    if missing:
        raise ContractError(f"record rule {kind!r} needs argument(s) {', '.join(missing)}")
    return [args[n] for n in names]


def _sum_equals(args: Mapping[str, Any]) -> tuple[tuple[str, ...], Callable]:
    parts, total = _args(args, "sum-equals", "parts", "total")
    tol = float(args.get("tolerance", 0.01)) + 1e-9

    def check(obj: Mapping[str, Any]) -> list[Failure]:
        t = _num(obj.get(total))
        vals = [_num(obj.get(p)) for p in parts]
        if t is None or any(v is None for v in vals):
            return []
        s = sum(vals)  # type: ignore[arg-type]
        if abs(s - t) > tol:
            return [(total, f"{' + '.join(parts)} = {s:.2f} but {total} = {t:.2f} (tolerance {tol:.2f})")]
        return []

    return (*parts, total), check


def _items_sum(args: Mapping[str, Any]) -> tuple[tuple[str, ...], Callable]:
    array, field, total = _args(args, "items-sum", "array", "field", "total")
    tol = float(args.get("tolerance", 0.01)) + 1e-9

    def check(obj: Mapping[str, Any]) -> list[Failure]:
        t = _num(obj.get(total))
        items = obj.get(array)
        if t is None or type(items) is not list:
            return []
        vals = [_num(it.get(field)) if type(it) is dict else None for it in items]
        if any(v is None for v in vals):
            return []
        s = sum(vals)  # type: ignore[arg-type]
        if abs(s - t) > tol:
            return [(total, f"sum of {array}[].{field} = {s:.2f} but {total} = {t:.2f} (tolerance {tol:.2f})")]
        return []

    return (array, total), check


def _parse_time(v: Any) -> date | datetime | None:
    if type(v) is not str:
        return None
    try:
        if len(v) == 10:
            return date.fromisoformat(v)
        return datetime.fromisoformat(v)
    except ValueError:
        return None


def _not_before(args: Mapping[str, Any]) -> tuple[tuple[str, ...], Callable]:
    field, ref = _args(args, "not-before", "field", "reference")

    def check(obj: Mapping[str, Any]) -> list[Failure]:
        a, b = _parse_time(obj.get(field)), _parse_time(obj.get(ref))
        if a is None or b is None or type(a) is not type(b):
            return []
        try:
            if a < b:  # type: ignore[operator]
                return [(field, f"{field} is before {ref}")]
        except TypeError:  # naive vs aware datetimes: the format rule reports it
            return []
        return []

    return (field, ref), check


def _age_at(born: date, at: date) -> int:
    return at.year - born.year - ((at.month, at.day) < (born.month, born.day))


def _resident_id_consistent(args: Mapping[str, Any]) -> tuple[tuple[str, ...], Callable]:
    (id_field,) = _args(args, "resident-id-consistent", "id")
    birth, gender, age, at = args.get("birth_date"), args.get("gender"), args.get("age"), args.get("at")

    def check(obj: Mapping[str, Any]) -> list[Failure]:
        rid = obj.get(id_field)
        if type(rid) is not str or _RID_SHAPE(rid) is None:
            return []  # the format rule reports a bad ID (a wrong check digit alone still compares)
        try:
            born = f.resident_id_birth_date(rid)
        except ValueError:
            return []
        out: list[Failure] = []
        if birth and type(obj.get(birth)) is str and obj[birth] != born.isoformat():
            out.append((birth, f"{birth} differs from the birth date in {id_field}"))
        if gender and type(obj.get(gender)) is str and obj[gender] != f.resident_id_gender(rid):
            out.append((gender, f"{gender} differs from the sex digit of {id_field}"))
        if age and type(obj.get(age)) is int:
            when = _parse_time(obj.get(at)) if at else None
            ref = when.date() if isinstance(when, datetime) else when
            if ref is not None and obj[age] != _age_at(born, ref):
                out.append((age, f"{age} is not the age at {at} given the birth date in {id_field}"))
        return out

    return tuple(x for x in (id_field, birth, gender, age) if x), check


_RID_SHAPE = re.compile(f.RESIDENT_ID).fullmatch


def _refund(args: Mapping[str, Any]) -> tuple[tuple[str, ...], Callable]:
    type_field, ref_field, amounts = _args(args, "refund", "type_field", "ref_field", "amounts")
    refund_value = args.get("refund_value", "refund")

    def check(obj: Mapping[str, Any]) -> list[Failure]:
        kind = obj.get(type_field)
        if type(kind) is not str:
            return []
        ref = obj.get(ref_field)
        out: list[Failure] = []
        if kind == refund_value:
            if ref is None:
                out.append((ref_field, f"a {refund_value} must name the settlement it reverses in {ref_field}"))
            for a in amounts:
                v = _num(obj.get(a))
                if v is not None and v > 0:
                    out.append((a, f"a {refund_value} carries negated amounts: {a} = {v:.2f} > 0"))
        else:
            if ref is not None:
                out.append((ref_field, f"only a {refund_value} may set {ref_field}"))
            for a in amounts:
                v = _num(obj.get(a))
                if v is not None and v < 0:
                    out.append((a, f"a {kind} carries non-negative amounts: {a} = {v:.2f} < 0"))
        return out

    return (type_field, ref_field, *amounts), check


def _code_by_category(args: Mapping[str, Any]) -> tuple[tuple[str, ...], Callable]:
    code, category, mapping = _args(args, "code-by-category", "code", "category", "formats")
    compiled = {cat: re.compile(get_format(name).pattern) for cat, name in mapping.items()}

    def check(obj: Mapping[str, Any]) -> list[Failure]:
        c, cat = obj.get(code), obj.get(category)
        if type(c) is not str or type(cat) is not str or cat not in compiled:
            return []
        if compiled[cat].fullmatch(c) is None:
            return [(code, f"{code} is not a {mapping[cat]} although {category} is {cat!r}")]
        return []

    return (code, category), check


def _required_when(args: Mapping[str, Any]) -> tuple[tuple[str, ...], Callable]:
    """``fields`` are required (present, not null) when ``field`` equals ``equals``."""
    field, equals, fields = _args(args, "required-when", "field", "equals", "fields")
    if not isinstance(fields, list) or not fields or not all(isinstance(x, str) for x in fields):
        raise ContractError("record rule 'required-when': fields must be a non-empty list of field names")

    def check(obj: Mapping[str, Any]) -> list[Failure]:
        if obj.get(field) != equals:
            return []
        return [(name, f"required when {field} is {equals!r}") for name in fields if obj.get(name) is None]

    return (field, *fields), check


RULE_KINDS: dict[str, Callable[[Mapping[str, Any]], tuple[tuple[str, ...], Callable]]] = {
    "sum-equals": _sum_equals,
    "items-sum": _items_sum,
    "not-before": _not_before,
    "resident-id-consistent": _resident_id_consistent,
    "refund": _refund,
    "code-by-category": _code_by_category,
    "required-when": _required_when,
}


def compile_rule(name: str, implementation: Mapping[str, Any], description: str = "") -> RecordRule:
    """Build a record rule from a contract's ``implementation`` mapping (``rule`` names its kind)."""
    kind = implementation.get("rule")
    if kind not in RULE_KINDS:
        raise ContractError(
            f"record rule {name!r}: unknown kind {kind!r} (known: {', '.join(sorted(RULE_KINDS))})"
        )
    fields, check = RULE_KINDS[kind]({k: v for k, v in implementation.items() if k != "rule"})
    return RecordRule(name=name, kind=kind, fields=tuple(fields), check=check, description=description)


# --- showing values safely --------------------------------------------------------------------


def shape(value: Any) -> str:
    """A masked description of a value: its type, length and character classes, never its content.

    ``"110101199003071234"`` → ``"str, 18 chars: 9×18"``; ``"张三"`` → ``"str, 2 chars: 汉×2"``.
    """
    if isinstance(value, str):
        runs: list[list[Any]] = []
        for ch in value[:256]:
            c = "9" if ch.isdigit() else "A" if ch.isascii() and ch.isalpha() else (
                "汉" if "\u4e00" <= ch <= "\u9fff" else "·")
            if runs and runs[-1][0] == c:
                runs[-1][1] += 1
            else:
                runs.append([c, 1])
        classes = " ".join(f"{c}×{n}" for c, n in runs[:8]) + (" …" if len(runs) > 8 or len(value) > 256 else "")
        return f"str, {len(value)} chars: {classes}" if value else "str, empty"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return f"array of {len(value)}"
    if isinstance(value, dict):
        return f"object of {len(value)} keys"
    return type(value).__name__


def show(value: Any, limit: int = 60) -> str:
    """A short display of a non-sensitive value (JSON-like, truncated)."""
    if isinstance(value, str):
        text = value if len(value) <= limit else value[:limit] + "…"
        return repr(text)
    if isinstance(value, list | dict):
        return shape(value)
    return repr(value)[:limit]


def json_type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def is_finite_number(value: Any) -> bool:
    return type(value) is int or (type(value) is float and math.isfinite(value))


def as_list(value: Sequence[Any] | None) -> list[Any]:
    return list(value) if value else []
