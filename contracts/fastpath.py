"""The validator's fast path: one yes/no predicate per contract, with no generated code.

Most records conform. For them, validation is one call of the predicate :func:`compile_fast`
builds; only when it says no does the explaining path (:mod:`contracts.validator`) run, which
collects every violation. The explaining path is authoritative; the two agree on every JSON value
(``tests/contracts/test_contracts_validator.py`` checks it on random records with hypothesis).

How it is fast without generating source: the contract is translated once into msgspec types — a
``Struct`` per object (``forbid_unknown_fields`` when the contract forbids extra fields),
``Literal`` for string and integer enums, ``Meta`` for lengths, item counts, bounds and regexes
(formats anchored as ``^(?:…)\\Z`` so msgspec's ``search`` acts as ``fullmatch``) — and
:func:`msgspec.convert` checks a decoded record against them in C. What msgspec cannot say runs
afterwards in Python, only for records that passed: format semantics (GB 11643 check digit, real
calendar dates), ``multipleOf``, ``uniqueItems``, number enums, a second regex, and the record
rules. Number fields get bounds of ±``sys.float_info.max`` when they have none, so NaN and
infinities fail as they do in the explaining path.

Contract content (field names, enums, patterns, bounds) only becomes data: msgspec type
parameters and values held by closures. Nothing is turned into code.

The fast path assumes JSON values, as a decoder produces them (``validate_bytes`` is what the
stream hot path calls). msgspec reads Python-only stand-ins (a tuple for an array, a ``str``
subclass) as the JSON they encode to, where the explaining path names their type.
"""

from __future__ import annotations

import datetime
import json
import re
import sys
from collections.abc import Callable, Iterable
from functools import partial
from itertools import chain, compress, cycle, repeat
from operator import add, call, gt, is_not, itemgetter, le, lt, methodcaller, mul, sub, truediv
from typing import TYPE_CHECKING, Annotated, Any, Literal, Optional

import msgspec

from contracts.rules import RecordRule, get_format

if TYPE_CHECKING:
    from contracts.model import Contract, Field

Pred = Callable[[Any], bool]

_FLOAT_MAX = sys.float_info.max
_TOLERANCE = 1e-6  # as the explaining path: |v / step - round(v / step)| <= 1e-6


def _multiples_ok(values: Iterable[Any], steps: Iterable[Any]) -> bool:
    qs = tuple(map(truediv, values, steps))
    return not qs or max(map(abs, map(sub, qs, map(round, qs)))) <= _TOLERANCE


def _unique(v: list) -> bool:
    """As the explaining path: hashable items by value, others by their sorted JSON text."""
    try:
        return len(v) == len(set(v))
    except TypeError:
        return len(v) == len({json.dumps(x, sort_keys=True) for x in v})


def _inner_fields(path: str, contract: Contract) -> list[Field]:
    return [f for f in contract.fields if f.path.startswith(path)
            and "." not in f.path[len(path):] and "[]" not in f.path[len(path):]]


def _pseudo(fld: Field, path: str, prop: Any) -> Field:
    from contracts.model import Field as _Field

    return _Field(path=path, name="", logical_type=prop.logicalType or "string", required=True,
                  tags=fld.tags, prop=prop)


def _all_of(preds: list[Pred]) -> Pred | None:
    if not preds:
        return None
    if len(preds) == 1:
        return preds[0]
    checks = tuple(preds)

    def check(v: Any) -> bool:
        return all(map(call, checks, repeat(v)))

    return check


class _Builder:
    """Translates a contract's fields into msgspec types plus Python post-checks."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self.structs = 0
        #: required number fields whose only Python check is multipleOf, by path: their object
        #: checks them all at once
        self.stepped: dict[str, Any] = {}
        #: number fields whose only Python check is multipleOf (optional ones too), by path
        self.step_only: dict[str, Any] = {}

    # --- one value ------------------------------------------------------------------------------
    def value(self, fld: Field) -> tuple[Any, Pred | None]:
        """``(msgspec type, post-check of a non-null value or None)`` of one field."""
        lt_ = fld.logical_type
        if lt_ in ("string", "date", "timestamp"):
            return self._string(fld)
        if lt_ == "integer":
            return self._integer(fld)
        if lt_ == "number":
            return self._number(fld)
        if lt_ == "boolean":
            return bool, None
        if lt_ == "array":
            return self._array(fld)
        if lt_ == "map":
            return self._map(fld)
        return self.struct(_inner_fields(f"{fld.path}.", self.contract), [], fld.path or "value")

    def _string(self, fld: Field) -> tuple[Any, Pred | None]:
        opts = fld.options
        min_len, max_len = opts.get("minLength"), opts.get("maxLength")
        if (fld.format == "date" and fld.enum is None and not fld.pattern and min_len is None
                and max_len is None):
            # msgspec parses YYYY-MM-DD in C and refuses a day that does not exist: exactly the
            # date format's regex and calendar check (tests/contracts: the two paths agree)
            return datetime.date, None
        regexes = []  # (pattern for msgspec, its own check)
        post: list[Pred] = []
        if fld.format:
            fmt = get_format(fld.format)
            if fmt.exact is not None:  # one regex decides shape and semantics: msgspec checks all of it
                regexes.append((f"^(?:{fmt.exact})\\Z", re.compile(fmt.exact).fullmatch))
            else:
                regexes.append((f"^(?:{fmt.pattern})\\Z", re.compile(fmt.pattern).fullmatch))
                if fmt.semantic is not None:
                    post.append(fmt.semantic)
        if fld.pattern:
            regexes.append((fld.pattern, re.compile(fld.pattern).search))
        enum = fld.enum
        if enum is not None:
            if enum and all(type(e) is str for e in enum):
                typ: Any = Literal[tuple(enum)]  # type: ignore[valid-type]
            else:
                typ = str
                post.append(frozenset(enum).__contains__)
            if min_len is not None:
                post.append(lambda v, n=min_len: len(v) >= n)
            if max_len is not None:
                post.append(lambda v, n=max_len: len(v) <= n)
            post.extend(check for _, check in regexes)
            return typ, _all_of(post)
        meta: dict[str, Any] = {}
        if min_len is not None:
            meta["min_length"] = min_len
        if max_len is not None:
            meta["max_length"] = max_len
        if regexes:
            meta["pattern"] = regexes[0][0]
            post.extend(check for _, check in regexes[1:])
        return (Annotated[str, msgspec.Meta(**meta)] if meta else str), _all_of(post)

    def _bounds(self, fld: Field, integer: bool) -> tuple[dict[str, Any], list[Pred]]:
        """msgspec ``Meta`` bounds (one lower, one upper) and post-checks for the rest."""
        opts = fld.options
        meta: dict[str, Any] = {}
        post: list[Pred] = []
        usable = (lambda b: type(b) is int) if integer else (lambda b: type(b) in (int, float))
        for key, meta_key, op, left in (("minimum", "ge", le, True), ("exclusiveMinimum", "gt", lt, True),
                                        ("maximum", "le", le, False), ("exclusiveMaximum", "lt", lt, False)):
            b = opts.get(key)
            if b is None:
                continue
            side = ("ge", "gt") if left else ("le", "lt")
            if usable(b) and not any(k in meta for k in side):
                meta[meta_key] = b
            elif left:
                post.append(lambda v, b=b, op=op: op(b, v))
            else:
                post.append(lambda v, b=b, op=op: op(v, b))
        if not integer:  # NaN and infinities fail a bound, as the explaining path refuses them
            if "ge" not in meta and "gt" not in meta:
                meta["ge"] = -_FLOAT_MAX
            if "le" not in meta and "lt" not in meta:
                meta["le"] = _FLOAT_MAX
        return meta, post

    def _integer(self, fld: Field) -> tuple[Any, Pred | None]:
        meta, post = self._bounds(fld, integer=True)
        if fld.options.get("multipleOf") is not None:
            post.append(_multiple_check(fld.options["multipleOf"]))
        enum = fld.enum
        if enum is not None and enum and all(type(e) is int for e in enum):
            # a Literal takes no bounds: check those in Python
            return Literal[tuple(enum)], _all_of(_meta_checks(meta) + post)  # type: ignore[valid-type]
        if enum is not None:
            post.append(frozenset(enum).__contains__)
        return (Annotated[int, msgspec.Meta(**meta)] if meta else int), _all_of(post)

    def _number(self, fld: Field) -> tuple[Any, Pred | None]:
        meta, post = self._bounds(fld, integer=False)
        if fld.enum is not None:
            post.append(frozenset(fld.enum).__contains__)
        step = fld.options.get("multipleOf")
        if step is not None:
            if not post and fld.required and fld.path not in self.stepped:
                self.stepped[fld.path] = step  # checked with its siblings in one step (_object_post)
            else:
                if not post:
                    self.step_only[fld.path] = step  # an array's items may check it in one pass
                post.append(_multiple_check(step))
        return Annotated[float, msgspec.Meta(**meta)], _all_of(post)

    def _array(self, fld: Field) -> tuple[Any, Pred | None]:
        opts = fld.options
        items = fld.prop.items
        post: list[Pred] = []
        if items is None:
            item_type: Any = Any
        elif (items.logicalType or "string") == "object":
            rules = [r for scope, r in self.contract.record_rules if scope == f"{fld.path}[]"]
            item_type, items_post = self.struct(_inner_fields(f"{fld.path}[].", self.contract), rules, fld.path,
                                                items=True)
            if items_post is not None:
                post.append(items_post)
        else:
            item_type, item_post = self.value(_pseudo(fld, f"{fld.path}[]", items))
            if item_post is not None:
                post.append(lambda v, p=item_post: all(map(p, v)))
        if opts.get("uniqueItems"):
            post.insert(0, _unique)
        meta = {k: opts[o] for k, o in (("min_length", "minItems"), ("max_length", "maxItems"))
                if opts.get(o) is not None}
        typ = list[item_type]  # type: ignore[valid-type]
        return (Annotated[typ, msgspec.Meta(**meta)] if meta else typ), _all_of(post)

    def _map(self, fld: Field) -> tuple[Any, Pred | None]:
        value = fld.prop.map.value if fld.prop.map is not None else None
        if value is None:
            return dict[Any, Any], None
        value_type, value_post = self.value(_pseudo(fld, f"{fld.path}{{}}", value))
        post = None if value_post is None else (lambda v, p=value_post: all(map(p, v.values())))
        return dict[Any, value_type], post  # type: ignore[valid-type]

    # --- one object ---------------------------------------------------------------------------
    def struct(self, fields: list[Field], rules: list[RecordRule], hint: str,
               items: bool = False) -> tuple[Any, Pred | None]:
        """A ``Struct`` for an object and the post-check of a (type-checked) dict of it.

        ``items``: the post-check is of a whole list of such objects (an array's items), so the
        ``multipleOf`` of all items' fields is one arithmetic pass over the list.
        """
        self.structs += 1
        spec: list[tuple[Any, ...]] = []
        rename: dict[str, str] = {}
        required_posts: list[tuple[str, Pred]] = []
        optional_posts: list[tuple[str, Pred]] = []
        steps: list[tuple[str, Any]] = []
        optional_steps: list[tuple[str, Any]] = []
        # fields in the order of their JSON names: msgspec matches keys fastest in field order, and
        # every medshare producer writes sorted keys (envelope.encode_value)
        for i, fld in enumerate(sorted(fields, key=lambda f: f.name)):
            attr = f"f{i}"
            rename[attr] = fld.name
            typ, post = self.value(fld)
            if fld.required:
                spec.append((attr, typ))
            else:
                spec.append((attr, Optional[typ], None))  # noqa: UP045 - a runtime type for msgspec
            if not fld.required and fld.path in self.step_only:
                optional_steps.append((fld.name, self.step_only[fld.path]))
            elif post is not None:
                (required_posts if fld.required else optional_posts).append((fld.name, post))
            if fld.path in self.stepped:
                steps.append((fld.name, self.stepped[fld.path]))
        name = "Contract_" + re.sub(r"\W", "_", hint)[:40] + f"_{self.structs}"
        # gc=False: the structs are built and dropped at once, never part of a cycle (cheaper to make)
        struct = msgspec.defstruct(name, spec, rename=rename, kw_only=True, gc=False,
                                   forbid_unknown_fields=not self.contract.extra_fields_allowed)
        if items:
            whole, rest = _items_rules(rules, {f.name: f for f in fields})
            each = _object_post(required_posts, optional_posts, [r.check for r in rest])
            return struct, _items_post(each, steps, optional_steps, whole)
        lean, rest = self._lean_rules(rules, {f.name: f for f in fields})
        if len(steps) < 3:  # one vectorised pass pays off from three fields on
            required_posts += [(n, _multiple_check(step)) for n, step in steps]
            steps = []
        return struct, _object_post(required_posts, optional_posts, [r.check for r in rest], steps,
                                    optional_steps, lean)

    def _lean_rules(self, rules: list[RecordRule], fields: dict[str, Field]) -> tuple[list[Pred], list[RecordRule]]:
        """``(predicates for the rules msgspec's types let run lean, the other rules)``.

        ``sum-equals`` and ``items-sum`` in whole fen over number fields (msgspec has made every
        present value a finite int or float): the fen sums in C (``map``), the comparison as the
        rule makes it. A part the rule does not call optional must be a required field (an absent
        one makes the rule pass, which the lean form does not do).
        """
        lean: list[Pred] = []
        rest: list[RecordRule] = []
        by_path = {f.path: f for f in self.contract.fields}

        def number(name: Any, need_required: bool = False) -> bool:
            f = fields.get(name) if type(name) is str else None
            return (f is not None and f.logical_type in ("number", "integer")
                    and (f.required or not need_required))

        for rule in rules:
            a = rule.args
            fen = a.get("unit") == "fen"
            optional = a.get("optional") or ()
            if (rule.kind == "sum-equals" and fen and isinstance(a.get("parts"), list) and number(a.get("total"))
                    and all(number(p, need_required=p not in optional) for p in a["parts"])):
                lean.append(_sum_equals_fen(list(a["parts"]), a["total"], float(a.get("tolerance", 0))))
                continue
            array = fields.get(a.get("array")) if rule.kind == "items-sum" and type(a.get("array")) is str else None
            item = by_path.get(f"{array.path}[].{a.get('field')}") if array is not None else None
            if (fen and array is not None and array.logical_type == "array" and item is not None and item.required
                    and item.logical_type in ("number", "integer") and number(a.get("total"))):
                lean.append(_items_sum_fen(a["array"], a["field"], a["total"], float(a.get("tolerance", 0))))
                continue
            rest.append(rule)
        return lean, rest


def _multiple_check(step: Any) -> Pred:
    def check(v: Any) -> bool:
        q = v / step
        return abs(q - round(q)) <= _TOLERANCE

    return check


def _meta_checks(meta: dict[str, Any]) -> list[Pred]:
    ops = {"ge": (le, True), "gt": (lt, True), "le": (le, False), "lt": (lt, False)}
    out: list[Pred] = []
    for key, b in meta.items():
        op, left = ops[key]
        out.append((lambda v, b=b, op=op: op(b, v)) if left else (lambda v, b=b, op=op: op(v, b)))
    return out


def _getter(names: list[str]) -> Callable[[dict], tuple] | None:
    """One C-level fetch of several keys, always as a tuple (a missing key raises KeyError)."""
    if not names:
        return None
    return itemgetter(*(names * 2 if len(names) == 1 else names))  # itemgetter of one key: a bare value


def _present_multiples(names: tuple[str, ...], steps: tuple[Any, ...]) -> Callable[[dict], bool]:
    """The ``multipleOf`` of optional number fields, those present and not null, in one pass."""
    present = partial(is_not, None)

    def check(o: dict) -> bool:
        values = tuple(map(o.get, names))
        keep = tuple(map(present, values))
        return _multiples_ok(compress(values, keep), compress(steps, keep))

    return check


def _sum_equals_fen(parts: list[str], total: str, tol: float) -> Pred:
    """``sum-equals`` in whole fen: absent or null parts count 0, an absent total passes."""
    present = partial(is_not, None)
    parts_t = tuple(parts)

    def check(o: dict) -> bool:
        t = o.get(total)
        if t is None:
            return True
        fen = sum(map(round, map(mul, filter(present, map(o.get, parts_t)), repeat(100))))
        return not abs(round(fen / 100 * 100) - round(t * 100)) > tol

    return check


def _items_sum_fen(array: str, field: str, total: str, tol: float) -> Pred:
    """``items-sum`` in whole fen over an array whose items all have ``field`` (a required number)."""
    get = itemgetter(field)

    def check(o: dict) -> bool:
        t, items = o.get(total), o.get(array)
        if t is None or type(items) is not list:
            return True
        fen = sum(map(round, map(mul, map(get, items), repeat(100))))
        return not abs(round(fen / 100 * 100) - round(t * 100)) > tol

    return check


def _object_post(required: list[tuple[str, Pred]], optional: list[tuple[str, Pred]],
                 rules: list[Callable], steps: list[tuple[str, Any]] = (),  # type: ignore[assignment]
                 optional_steps: list[tuple[str, Any]] = (), lean: list[Pred] = ()) -> Pred | None:  # type: ignore[assignment]
    """The Python part of an object's check, run on a dict msgspec already accepted.

    Required values are fetched with one ``itemgetter`` and their checks applied by ``map`` in C;
    the ``multipleOf`` of all required number fields is one arithmetic pass (``steps``), of the
    optional ones present another (``optional_steps``); other optional values are checked only
    when present and not null; ``lean`` are record rules as predicates (see ``_lean_rules``).
    """
    checks: list[Pred] = []
    if optional_steps:
        checks.append(_present_multiples(tuple(n for n, _ in optional_steps), tuple(s for _, s in optional_steps)))
    checks.extend(lean)
    rest = _object_post_rest(required, optional, rules, steps)
    if rest is not None:
        checks.append(rest)
    return _all_of(checks)


def _object_post_rest(required: list[tuple[str, Pred]], optional: list[tuple[str, Pred]],
                      rules: list[Callable], steps: list[tuple[str, Any]]) -> Pred | None:
    if not (required or optional or rules or steps):
        return None
    posts = tuple(p for _, p in required)
    # one required value: fetched and checked once (itemgetter of one key gives a bare value, so
    # _getter doubles the key; checking it twice cost a v2 settlement a second date-time check
    # per fee line)
    get_required = _getter([n for n, _ in required]) if len(required) > 1 else None
    single_name, single_post = required[0] if len(required) == 1 else (None, None)
    step_values = tuple(s for _, s in steps) * (2 if len(steps) == 1 else 1)
    get_stepped = _getter([n for n, _ in steps])
    opt = tuple(optional)
    rule_checks = tuple(rules)

    def check(o: dict) -> bool:
        if get_stepped is not None and not _multiples_ok(get_stepped(o), step_values):
            return False
        if get_required is not None and not all(map(call, posts, get_required(o))):
            return False
        if single_post is not None and not single_post(o[single_name]):
            return False
        for name, post in opt:
            v = o.get(name)
            if v is not None and not post(v):
                return False
        return not rule_checks or not any(map(call, rule_checks, repeat(o)))

    return check


def _items_post(each: Pred | None, steps: list[tuple[str, Any]], optional_steps: list[tuple[str, Any]] = (),  # type: ignore[assignment]
                whole: list[Pred] = ()) -> Pred | None:  # type: ignore[assignment]
    """The check of a list of objects: every item's required ``multipleOf`` fields in one pass, each
    optional one in one pass over the items that have it, the rules that check all items at once
    (``whole``, see :func:`_items_rules`), then ``each`` per item."""
    if not (steps or optional_steps or whole):
        return None if each is None else (lambda v: all(map(each, v)))
    get = _getter([n for n, _ in steps]) if steps else None
    step_values = tuple(s for _, s in steps) * (2 if len(steps) == 1 else 1)
    optional = tuple((methodcaller("get", name), step) for name, step in optional_steps)
    present = partial(is_not, None)
    lists = tuple(whole)

    def check(v: list) -> bool:
        if get is not None and not _multiples_ok(chain.from_iterable(map(get, v)), cycle(step_values)):  # type: ignore[arg-type]
            return False
        for get_optional, step in optional:
            if not _multiples_ok(filter(present, map(get_optional, v)), repeat(step)):
                return False
        if lists and not all(map(call, lists, repeat(v))):
            return False
        return each is None or all(map(each, v))

    return check


def _items_rules(rules: list[RecordRule], fields: dict[str, Field]) -> tuple[list[Pred], list[RecordRule]]:
    """``(checks of a whole list of items, the rules left to check per item)``.

    A rule goes over all items at once, with its arithmetic and lookups in C, where the item's
    types make its own guards always pass: ``sum-at-most`` without optional parts over required
    numbers (msgspec has made them finite ints or floats), ``code-by-category`` over a required
    string code and category. Each computes what the rule computes, in the same operations
    (``tests/contracts``: the fast path agrees with the explaining path, rule by rule).
    """
    whole: list[Pred] = []
    rest: list[RecordRule] = []

    def required(name: Any, types: tuple[str, ...]) -> bool:
        """A required field whose msgspec type admits only JSON values of these logical types."""
        f = fields.get(name) if type(name) is str else None
        return f is not None and f.required and f.logical_type in types

    for rule in rules:
        a = rule.args
        if (rule.kind == "sum-at-most" and not a.get("optional") and isinstance(a.get("parts"), list)
                and all(required(p, ("number", "integer")) for p in [*a["parts"], a.get("total")])):
            whole.append(_sum_at_most_all(list(a["parts"]), a["total"]))
        elif (rule.kind == "code-by-category" and required(a.get("code"), ("string",))
              and required(a.get("category"), ("string",)) and isinstance(a.get("formats"), dict)):
            whole.append(_code_by_category_all(a["code"], a["category"], a["formats"]))
        else:
            rest.append(rule)
    return whole, rest


def _sum_at_most_all(parts: list[str], total: str) -> Pred:
    """``sum-at-most`` (whole fen, no optional parts) of every item: ``round(s * 100) >
    round(t * 100)`` fails, where ``s`` is the parts' fen sum over 100, as the rule computes it."""
    get = itemgetter(*parts, total)
    k = len(parts) + 1

    def check(v: list) -> bool:
        fen = list(map(round, map(mul, chain.from_iterable(map(get, v)), repeat(100))))
        sums: Any = fen[0::k]
        for j in range(1, k - 1):
            sums = map(add, sums, fen[j::k])
        within = map(round, map(mul, map(truediv, sums, repeat(100)), repeat(100)))
        return not any(map(gt, within, fen[k - 1::k]))

    return check


def _code_by_category_all(code: str, category: str, formats: dict[str, str]) -> Pred:
    """``code-by-category`` of every item: the code matches the format its category names (regex, and
    the format's semantic check if it has one); categories not named are not pinned."""
    def matcher(name: str) -> Callable[[str], Any]:
        fmt = get_format(name)
        rx = re.compile(fmt.pattern).fullmatch
        if fmt.semantic is None:
            return rx
        semantic = fmt.semantic
        return lambda c: rx(c) is not None and semantic(c)

    by_category = {cat: matcher(name) for cat, name in formats.items()}
    get_category, get_code = itemgetter(category), itemgetter(code)
    unpinned = _unpinned

    def check(v: list) -> bool:
        return all(map(call, map(by_category.get, map(get_category, v), repeat(unpinned)), map(get_code, v)))

    return check


def _unpinned(_code: str) -> bool:
    return True


def compile_fast(contract: Contract) -> Callable[[dict], bool]:
    """The fast-path predicate of a contract's record (True: no violation at all)."""
    rules = [r for scope, r in contract.record_rules if scope == ""]
    struct, post = _Builder(contract).struct(contract.top_fields, rules, contract.id)
    convert = msgspec.convert

    def fast(record: dict) -> bool:
        try:
            convert(record, struct)
            return post is None or post(record)
        except Exception:  # noqa: BLE001 - msgspec's ValidationError, or a rule that raised: explain
            return False

    return fast
