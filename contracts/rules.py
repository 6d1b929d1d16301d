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
from dataclasses import field as dc_field
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
    #: a regex matching exactly the values ``pattern`` and ``semantic`` accept together (proven
    #: equal by a test), so a regex engine in C can decide the whole format
    exact: str | None = None


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


def _check_interface_datetime(value: str) -> str | None:
    if f.fullmatch(f.INTERFACE_DATETIME, value) is None:
        return "not yyyy-MM-dd HH:mm:ss (the interface's date-time, e.g. 2026-03-05 10:21:07)"
    if not f.is_valid_interface_datetime(value):
        return "not a real date and time"
    return None


def _interface_datetime_ok(value: str) -> bool:
    return f.is_valid_interface_datetime(value)


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
        # the national platform interface (docs/platform-interface.md)
        Format("platform_id", f.PLATFORM_ID, _regex_checker(f.PLATFORM_ID, "an interface id (1-30 letters or digits)"),
               "人员编号/结算ID/就诊ID: 字符型 30"),
        Format("icd10_chs", f.ICD10_CHS, _regex_checker(f.ICD10_CHS, "an ICD-10 医保版 2.0 code"),
               "ICD-10 医保版 2.0 diagnosis, with x extensions (C34.900x001)"),
        Format("icd9cm3_chs", f.ICD9CM3_CHS, _regex_checker(f.ICD9CM3_CHS, "an ICD-9-CM-3 医保版 operation code"),
               "医保版 ICD-9-CM-3 operation"),
        Format("tcm_diag", f.TCM_DIAG, _regex_checker(f.TCM_DIAG, "a TCM disease/syndrome code"),
               "中医病证 code (shape only)"),
        Format("west_drug_code", f.WEST_DRUG_CODE, _regex_checker(f.WEST_DRUG_CODE, "a national western-drug code"),
               "国家医保药品编码 西药 (X + 22)"),
        Format("tcm_patent_code", f.TCM_PATENT_CODE,
               _regex_checker(f.TCM_PATENT_CODE, "a national Chinese-patent-medicine code"), "国家医保药品编码 中成药 (Z…)"),
        Format("herb_code", f.HERB_CODE, _regex_checker(f.HERB_CODE, "a herbal-pieces code"), "中药饮片 (T…, shape only)"),
        Format("service_code_15", f.SERVICE_CODE_15,
               _regex_checker(f.SERVICE_CODE_15, "a 15-digit medical-service code"), "医疗服务项目分类与代码 (15 digits)"),
        Format("consumable_code", f.CONSUMABLE_CODE,
               _regex_checker(f.CONSUMABLE_CODE, "a national consumable code"), "医保医用耗材编码 (C + 19 digits)"),
        Format("med_list_code", f.MED_LIST_CODE,
               _regex_checker(f.MED_LIST_CODE, "a drug, herb, service or consumable code"),
               "医疗目录编码: any national list code (rule code-by-category pins which)"),
        Format("hospital_code", f.HOSPITAL_CODE, _regex_checker(f.HOSPITAL_CODE, "a hospital code (H + 11 digits)"),
               "定点医疗机构编码"),
        Format("pharmacy_code", f.PHARMACY_CODE, _regex_checker(f.PHARMACY_CODE, "a pharmacy code (P + 11 digits)"),
               "定点零售药店编码"),
        Format("fixmedins_code", f.FIXMEDINS_CODE,
               _regex_checker(f.FIXMEDINS_CODE, "an institution code (H or P + 11 digits)"), "定点医药机构编码"),
        Format("interface_datetime", f.INTERFACE_DATETIME, _check_interface_datetime,
               "yyyy-MM-dd HH:mm:ss, China Standard Time (the interface's 日期时间型)", _interface_datetime_ok,
               exact=f.INTERFACE_DATETIME_EXACT),
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
    #: the implementation's arguments (without ``rule``), as the contract gives them
    args: Mapping[str, Any] = dc_field(default_factory=dict, hash=False, compare=False)


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


def _fen(v: float) -> int:
    """An amount in yuan as whole fen (分); amounts carry at most 2 decimals (multipleOf 0.01)."""
    return round(v * 100)


def _amount_args(args: Mapping[str, Any]) -> tuple[bool, float]:
    """``(exact_fen, tolerance)``: with ``unit: fen`` sums compare in whole fen, exactly by default."""
    unit = args.get("unit")
    if unit not in (None, "yuan", "fen"):
        raise ContractError(f"record rule: unit must be 'fen' or 'yuan', not {unit!r}")
    if unit == "fen":
        return True, float(args.get("tolerance", 0))
    return False, float(args.get("tolerance", 0.01)) + 1e-9


def _differ(s: float, t: float, fen: bool, tol: float) -> bool:
    if fen:
        return abs(_fen(s) - _fen(t)) > tol
    return abs(s - t) > tol


def _how_far(s: float, t: float, fen: bool, tol: float) -> str:
    if fen:
        d = _fen(s) - _fen(t)
        return f"differs by {abs(d)} fen" + (f", tolerance {tol:g} fen" if tol else "")
    return f"tolerance {tol:.2f}"


def _parts_sum(obj: Mapping[str, Any], parts: Sequence[str], optional: frozenset[str], fen: bool) -> float | None:
    total = 0
    for p in parts:
        v = obj.get(p)
        if v is None and p in optional:
            continue
        n = _num(v)
        if n is None:
            return None
        total += _fen(n) if fen else n
    return total / 100 if fen else total


def _sum_equals(args: Mapping[str, Any]) -> tuple[tuple[str, ...], Callable]:
    """``parts`` add up to ``total``; ``optional`` parts count as 0 when absent or null."""
    parts, total = _args(args, "sum-equals", "parts", "total")
    fen, tol = _amount_args(args)
    optional = frozenset(args.get("optional", ()))

    def fail(s: float, t: float) -> list[Failure]:
        return [(total, f"{' + '.join(parts)} = {s:.2f} but {total} = {t:.2f} ({_how_far(s, t, fen, tol)})")]

    if fen or optional:
        def check(obj: Mapping[str, Any]) -> list[Failure]:
            t = _num(obj.get(total))
            s = _parts_sum(obj, parts, optional, fen)
            if t is None or s is None:
                return []
            return fail(s, t) if _differ(s, t, fen, tol) else []

        return (*parts, total), check

    def check_yuan(obj: Mapping[str, Any]) -> list[Failure]:  # the plain case, kept lean for the hot path
        t = _num(obj.get(total))
        vals = [_num(obj.get(p)) for p in parts]
        if t is None or None in vals:
            return []
        s = sum(vals)  # type: ignore[arg-type]
        return fail(s, t) if abs(s - t) > tol else []

    return (*parts, total), check_yuan


def _sum_at_most(args: Mapping[str, Any]) -> tuple[tuple[str, ...], Callable]:
    """``parts`` add up to no more than ``total`` (in whole fen); ``optional`` parts count as 0."""
    parts, total = _args(args, "sum-at-most", "parts", "total")
    optional = frozenset(args.get("optional", ()))

    def fail(s: float, t: float) -> list[Failure]:
        return [(parts[0] if len(parts) == 1 else total,
                 f"{' + '.join(parts)} = {s:.2f} exceeds {total} = {t:.2f} by {_fen(s) - _fen(t)} fen")]

    if optional:
        def check(obj: Mapping[str, Any]) -> list[Failure]:
            t = _num(obj.get(total))
            s = _parts_sum(obj, parts, optional, True)
            if t is None or s is None:
                return []
            return fail(s, t) if _fen(s) > _fen(t) else []

        return (*parts, total), check

    isfinite = math.isfinite

    def check_lean(obj: Mapping[str, Any]) -> list[Failure]:
        # the same as above with _num, _fen and _parts_sum inlined: v2 checks it twice per fee line
        fen = 0
        for p in parts:
            v = obj.get(p)
            if type(v) is int or (type(v) is float and isfinite(v)):
                fen += round(v * 100)
            else:
                return []
        t = obj.get(total)
        if not (type(t) is int or (type(t) is float and isfinite(t))):
            return []
        s = fen / 100
        return fail(s, t) if round(s * 100) > round(t * 100) else []

    return (*parts, total), check_lean


def _items_sum(args: Mapping[str, Any]) -> tuple[tuple[str, ...], Callable]:
    array, field, total = _args(args, "items-sum", "array", "field", "total")
    fen, tol = _amount_args(args)

    def check(obj: Mapping[str, Any]) -> list[Failure]:
        t = _num(obj.get(total))
        items = obj.get(array)
        if t is None or type(items) is not list:
            return []
        vals = [_num(it.get(field)) if type(it) is dict else None for it in items]
        if None in vals:
            return []
        s = sum(map(_fen, vals)) / 100 if fen else sum(vals)  # type: ignore[arg-type]
        if _differ(s, t, fen, tol):
            return [(total, f"sum of {array}[].{field} = {s:.2f} but {total} = {t:.2f} "
                            f"({_how_far(s, t, fen, tol)})")]
        return []

    return (array, total), check


def _items_count(args: Mapping[str, Any]) -> tuple[tuple[str, ...], Callable]:
    """Between ``min`` and ``max`` items of ``array`` have ``field`` equal to ``equals``
    (``skip_empty``: an empty or absent array passes)."""
    array, field, equals = _args(args, "items-count", "array", "field", "equals")
    lo, hi, skip_empty = args.get("min"), args.get("max"), bool(args.get("skip_empty", False))
    if lo is None and hi is None:
        raise ContractError("record rule 'items-count' needs min or max")

    def check(obj: Mapping[str, Any]) -> list[Failure]:
        items = obj.get(array)
        if type(items) is not list or (skip_empty and not items):
            return []
        n = sum(1 for it in items if type(it) is dict and it.get(field) == equals)
        if (lo is not None and n < lo) or (hi is not None and n > hi):
            want = f"exactly {lo}" if lo == hi else f"at least {lo}" if hi is None else (
                f"at most {hi}" if lo is None else f"{lo} to {hi}")
            return [(array, f"{n} item(s) with {field} = {equals!r}, {want} needed")]
        return []

    return (array,), check


def _items_unique(args: Mapping[str, Any]) -> tuple[tuple[str, ...], Callable]:
    """No two items of ``array`` share a value of ``field``."""
    array, field = _args(args, "items-unique", "array", "field")

    def check(obj: Mapping[str, Any]) -> list[Failure]:
        items = obj.get(array)
        if type(items) is not list:
            return []
        seen: dict[Any, int] = {}
        for i, it in enumerate(items):
            v = it.get(field) if type(it) is dict else None
            if v is None or type(v) in (list, dict):
                continue
            if v in seen:
                return [(f"{array}[{i}].{field}", f"{field} repeats the value of {array}[{seen[v]}]")]
            seen[v] = i
        return []

    return (array,), check


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
    """Birth date, sex and age agree with the resident ID.

    ``gender_codes`` maps the ID's ``M``/``F`` to the record's codes (the interface writes ``gend``
    1/2); ``when: {field: value}`` applies the rule only then (``certno`` is a resident ID only when
    ``psn_cert_type`` is ``01``).
    """
    (id_field,) = _args(args, "resident-id-consistent", "id")
    birth, gender, age, at = args.get("birth_date"), args.get("gender"), args.get("age"), args.get("at")
    custom_codes = args.get("gender_codes")
    codes = dict(custom_codes or {"M": "M", "F": "F"})
    when = dict(args.get("when") or {})

    def check(obj: Mapping[str, Any]) -> list[Failure]:
        if any(obj.get(k) != v for k, v in when.items()):
            return []
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
        sex = codes.get(f.resident_id_gender(rid))
        known = not custom_codes or obj.get(gender) in codes.values()  # gend 0/9: not stated, not compared
        if gender and type(obj.get(gender)) is str and known and obj[gender] != sex:
            out.append((gender, f"{gender} differs from the sex digit of {id_field}"))
        if age and type(obj.get(age)) is int:
            when_t = _parse_time(obj.get(at)) if at else None
            ref = when_t.date() if isinstance(when_t, datetime) else when_t
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
    """``code`` has the format ``formats[category]`` names (regex and, if the format has one, its
    semantic check such as the GB 11643 check digit); categories not in ``formats`` are not pinned."""
    code, category, mapping = _args(args, "code-by-category", "code", "category", "formats")
    compiled = {cat: (re.compile(get_format(name).pattern), get_format(name)) for cat, name in mapping.items()}

    def check(obj: Mapping[str, Any]) -> list[Failure]:
        c, cat = obj.get(code), obj.get(category)
        if type(c) is not str or type(cat) is not str or cat not in compiled:
            return []
        rx, fmt = compiled[cat]
        if rx.fullmatch(c) is None:
            return [(code, f"{code} is not a {mapping[cat]} although {category} is {cat!r}")]
        if fmt.semantic is not None and not fmt.semantic(c):
            return [(code, f"{code} is not a valid {mapping[cat]} ({fmt.check(c)}) although {category} is {cat!r}")]
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
    "sum-at-most": _sum_at_most,
    "items-sum": _items_sum,
    "items-count": _items_count,
    "items-unique": _items_unique,
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
    args = {k: v for k, v in implementation.items() if k != "rule"}
    fields, check = RULE_KINDS[kind](args)
    return RecordRule(name=name, kind=kind, fields=tuple(fields), check=check, description=description, args=args)


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
