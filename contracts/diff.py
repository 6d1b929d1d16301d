"""Classify the change between two versions of a contract; refuse breaking ones without a major bump.

A change is *compatible* when every consumer of the old contract still reads every record of the
new one and every producer of the old one still satisfies the new one's checks, give or take a
value consumers were told to tolerate:

=========================  ==========  ==================================================
kind                       breaking?   example
=========================  ==========  ==================================================
field-removed              yes         a field disappears
field-renamed              yes         a field disappears and one of the same type appears
type-changed               yes         ``string`` → ``integer``
required-field-added       yes         a new field with ``required: true``
made-required              yes         optional → required
made-optional              yes         required → optional (consumers relied on it)
enum-narrowed              yes         an allowed value removed (or an enum added)
format-added/-changed      yes         a named format added or swapped
pattern-added/-changed     yes         a regex added or changed
constraint-tightened       yes         maxLength down, minimum up, maxItems down, ...
max-bytes-tightened        yes         ``maxRecordBytes`` down
extra-fields-forbidden     yes         ``extraFields`` allow → forbid
primary-key-changed        yes         a different key (per record kind when a topic carries several)
rule-added/-changed        yes         a new or different cross-field rule
quality-tightened          yes         a table quality bound narrowed, or a rule added
tag-removed                yes         a classification tag removed (privacy code reads tags)
optional-field-added       no          a new field without ``required``; a new record kind on a topic
enum-widened               no          an allowed value added
format-/pattern-removed    no          a check dropped
constraint-relaxed         no          maxLength up, ...
max-bytes-relaxed          no
extra-fields-allowed       no
rule-removed               no
quality-relaxed            no          a table quality bound widened, or a rule removed
tag-added                  no
description-changed        no          description, business name, examples, labels
=========================  ==========  ==================================================

A breaking change is an error unless the major version went up (``1.4.0`` → ``2.0.0``).

    python -m contracts.diff OLD.yaml NEW.yaml [--json]     (what scripts/contracts-gate.sh runs)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from contracts.exceptions import ContractError
from contracts.model import Contract, Field, custom

BREAKING_KINDS = frozenset({
    "id-changed", "field-removed", "field-renamed", "type-changed", "required-field-added", "made-required",
    "made-optional", "enum-narrowed", "format-added", "format-changed", "pattern-added", "pattern-changed",
    "constraint-tightened", "max-bytes-tightened", "extra-fields-forbidden", "primary-key-changed",
    "rule-added", "rule-changed", "quality-tightened", "tag-removed",
})

# (option, direction): +1 means a larger value is stricter (minimum), -1 a smaller one (maximum)
_BOUNDS = {
    "minLength": 1, "maxLength": -1, "minimum": 1, "maximum": -1, "exclusiveMinimum": 1,
    "exclusiveMaximum": -1, "minItems": 1, "maxItems": -1,
}


@dataclass(frozen=True)
class Change:
    kind: str
    field: str
    detail: str

    @property
    def breaking(self) -> bool:
        return self.kind in BREAKING_KINDS

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "breaking": self.breaking}

    def __str__(self) -> str:
        where = self.field or "(contract)"
        return f"{'BREAKING' if self.breaking else 'compatible'} {self.kind} {where}: {self.detail}"


@dataclass
class DiffReport:
    old_id: str
    new_id: str
    old_version: str
    new_version: str
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    @property
    def major_bumped(self) -> bool:
        return _major(self.new_version) > _major(self.old_version)

    @property
    def errors(self) -> list[str]:
        """Breaking changes that are not allowed (no major version bump), one line each."""
        out = []
        if self.old_id != self.new_id:
            out.append(f"contract id changed from {self.old_id} to {self.new_id}: compare a contract with itself")
        if _version(self.new_version) < _version(self.old_version):
            out.append(f"version went backwards: {self.old_version} → {self.new_version}")
        if not self.major_bumped:
            for c in self.breaking:
                if c.kind == "id-changed":
                    continue
                out.append(f"{c.field or '(contract)'}: {c.kind}: {c.detail} — a breaking change needs a major "
                           f"version bump ({self.old_version} → {self.new_version} is not one)")
        return out

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {"contract": self.new_id, "old_version": self.old_version, "new_version": self.new_version,
                "ok": self.ok, "major_bumped": self.major_bumped, "changes": [c.to_dict() for c in self.changes],
                "errors": self.errors, "warnings": self.warnings}


def _version(v: str) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in v.split("."))
    except ValueError:
        return (0,)


def _major(v: str) -> int:
    return _version(v)[0]


# --- fields -----------------------------------------------------------------------------------


def _all_fields(c: Contract) -> dict[str, Field]:
    """Every field by path, plus pseudo fields for scalar array items (``x[]``) and map values (``x{}``)."""
    out = {f.path: f for f in c.fields}
    for f in c.fields:
        items = f.prop.items
        if f.logical_type == "array" and items is not None and (items.logicalType or "string") != "object":
            out[f"{f.path}[]"] = Field(path=f"{f.path}[]", name="", logical_type=items.logicalType or "string",
                                       required=True, tags=(), prop=items)
        if f.logical_type == "map" and f.prop.map is not None and f.prop.map.value is not None:
            v = f.prop.map.value
            out[f"{f.path}{{}}"] = Field(path=f"{f.path}{{}}", name="", logical_type=v.logicalType or "string",
                                         required=True, tags=(), prop=v)
    return out


def _parent(path: str) -> str:
    return path.rsplit(".", 1)[0] if "." in path else ""


def _signature(f: Field) -> tuple[Any, ...]:
    return (f.logical_type, f.format, f.pattern, f.enum, f.tags)


def _compare_bounds(path: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    for opt, direction in _BOUNDS.items():
        a, b = old.get(opt), new.get(opt)
        if a == b:
            continue
        if a is None:
            yield Change("constraint-tightened", path, f"{opt} {b} added")
        elif b is None:
            yield Change("constraint-relaxed", path, f"{opt} {a} removed")
        elif (b - a) * direction > 0:
            yield Change("constraint-tightened", path, f"{opt} {a} → {b}")
        else:
            yield Change("constraint-relaxed", path, f"{opt} {a} → {b}")
    a, b = old.get("multipleOf"), new.get("multipleOf")
    if a != b:
        if b is None:
            yield Change("constraint-relaxed", path, f"multipleOf {a} removed")
        elif a is not None and b != 0 and (a / b) == round(a / b):
            yield Change("constraint-relaxed", path, f"multipleOf {a} → {b}")
        else:
            yield Change("constraint-tightened", path, f"multipleOf {a} → {b}")
    if bool(old.get("uniqueItems")) != bool(new.get("uniqueItems")):
        kind = "constraint-tightened" if new.get("uniqueItems") else "constraint-relaxed"
        yield Change(kind, path, f"uniqueItems {bool(old.get('uniqueItems'))} → {bool(new.get('uniqueItems'))}")


def _compare_checks(path: str, a: Field, b: Field) -> Iterator[Change]:
    """Enum, format and pattern: what values a field accepts."""
    if a.enum != b.enum:
        old_set = set(a.enum) if a.enum is not None else None
        new_set = set(b.enum) if b.enum is not None else None
        if new_set is None:
            yield Change("enum-widened", path, "enum removed: any value allowed")
        elif old_set is None:
            yield Change("enum-narrowed", path, f"enum of {len(new_set)} values added")
        else:
            if old_set - new_set:
                yield Change("enum-narrowed", path, f"values removed: {sorted(map(str, old_set - new_set))}")
            if new_set - old_set:
                yield Change("enum-widened", path, f"values added: {sorted(map(str, new_set - old_set))}")
            if old_set == new_set:
                yield Change("description-changed", path, "enum labels or order changed")
    for what, x, y in (("format", a.format, b.format), ("pattern", a.pattern, b.pattern)):
        if x == y:
            continue
        if x is None:
            yield Change(f"{what}-added", path, f"{what} {y!r} added")
        elif y is None:
            yield Change(f"{what}-removed", path, f"{what} {x!r} removed")
        else:
            yield Change(f"{what}-changed", path, f"{what} {x!r} → {y!r}")


def _compare_field(path: str, a: Field, b: Field) -> Iterator[Change]:
    if a.logical_type != b.logical_type:
        yield Change("type-changed", path, f"{a.logical_type} → {b.logical_type}")
        return
    if a.required != b.required:
        yield (Change("made-required", path, "optional → required") if b.required
               else Change("made-optional", path, "required → optional: consumers may rely on it being present"))
    yield from _compare_checks(path, a, b)
    yield from _compare_bounds(path, a.options, b.options)
    for tag in sorted(set(a.tags) - set(b.tags)):
        yield Change("tag-removed", path, f"classification tag {tag!r} removed (privacy and lineage read it)")
    for tag in sorted(set(b.tags) - set(a.tags)):
        yield Change("tag-added", path, f"tag {tag!r} added")
    for attr in ("description", "businessName", "examples", "classification"):
        if getattr(a.prop, attr) != getattr(b.prop, attr):
            yield Change("description-changed", path, f"{attr} changed")


def _field_changes(old: Contract, new: Contract) -> Iterator[Change]:
    a, b = _all_fields(old), _all_fields(new)
    removed = [p for p in a if p not in b]
    added = [p for p in b if p not in a]
    renamed: dict[str, str] = {}
    for p in removed:
        # a rename: one removed and one added field under the same parent with the same signature
        candidates = [q for q in added if _parent(q) == _parent(p) and _signature(b[q]) == _signature(a[p])
                      and q not in renamed.values()]
        if len(candidates) == 1:
            renamed[p] = candidates[0]
    for p in removed:
        if any(p.startswith(r + ".") or p.startswith(r + "[]") for r in removed if r != p):
            continue  # inside a removed parent: the parent's change says it
        if p in renamed:
            yield Change("field-renamed", p, f"renamed to {renamed[p]!r}? consumers reading {p!r} break")
        else:
            yield Change("field-removed", p, "consumers reading it break")
    for p in added:
        if p in renamed.values() or any(p.startswith(q + ".") or p.startswith(q + "[]") for q in added if q != p):
            continue
        if b[p].required and not p.endswith(("[]", "{}")):
            yield Change("required-field-added", p, "producers of the old contract do not send it")
        else:
            yield Change("optional-field-added", p, "new optional field")
    for p in a:
        if p in b:
            yield from _compare_field(p, a[p], b[p])


# --- contract-level -----------------------------------------------------------------------------


def _bound_pair(q: Any) -> tuple[float, float]:
    lo, hi = float("-inf"), float("inf")
    if q.mustBeBetween:
        lo, hi = q.mustBeBetween
    for attr, side in (("mustBeGreaterOrEqualTo", 0), ("mustBeGreaterThan", 0), ("mustBeLessOrEqualTo", 1),
                       ("mustBeLessThan", 1)):
        v = getattr(q, attr)
        if v is not None:
            lo, hi = (v, hi) if side == 0 else (lo, v)
    if q.mustBe is not None:
        lo = hi = q.mustBe
    return lo, hi


def _quality_changes(old: Contract, new: Contract) -> Iterator[Change]:
    def keyed(c: Contract) -> dict[tuple[str, str], Any]:
        return {(col or "", q.metric or q.rule or ""): q for col, q in c.table_quality()}

    a, b = keyed(old), keyed(new)
    for k in a.keys() - b.keys():
        yield Change("quality-relaxed", k[0], f"table rule {k[1]} removed")
    for k in b.keys() - a.keys():
        yield Change("quality-tightened", k[0], f"table rule {k[1]} added")
    for k in a.keys() & b.keys():
        (lo1, hi1), (lo2, hi2) = _bound_pair(a[k]), _bound_pair(b[k])
        if (lo1, hi1) == (lo2, hi2):
            continue
        kind = "quality-tightened" if lo2 > lo1 or hi2 < hi1 else "quality-relaxed"
        yield Change(kind, k[0], f"{k[1]} bounds [{lo1}, {hi1}] → [{lo2}, {hi2}]")
    fa, fb = old.freshness(), new.freshness()
    if fa != fb:
        if fb is None:
            yield Change("quality-relaxed", fa[0] if fa else "", "freshness SLA removed")
        elif fa is None:
            yield Change("quality-tightened", fb[0], "freshness SLA added")
        else:
            from contracts.gx import _UNITS

            sa, sb = fa[1] * _UNITS.get(fa[2], 86400), fb[1] * _UNITS.get(fb[2], 86400)
            kind = "quality-tightened" if sb < sa or fa[0] != fb[0] else "quality-relaxed"
            yield Change(kind, fb[0], f"freshness {fa[1]:g}{fa[2]} → {fb[1]:g}{fb[2]}")


def _rule_changes(old: Contract, new: Contract) -> Iterator[Change]:
    def rules(c: Contract) -> dict[str, Any]:
        out = {}
        for quality in [c.schema.quality or []] + [f.prop.items.quality or [] for f in c.fields
                                                    if f.logical_type == "array" and f.prop.items is not None]:
            for q in quality:
                if q.type == "custom" and q.engine == "medshare":
                    out[q.name] = q.implementation
        return out

    a, b = rules(old), rules(new)
    for name in sorted(a.keys() - b.keys()):
        yield Change("rule-removed", "", f"record rule {name!r} removed")
    for name in sorted(b.keys() - a.keys()):
        yield Change("rule-added", "", f"record rule {name!r} added")
    for name in sorted(a.keys() & b.keys()):
        if a[name] != b[name]:
            yield Change("rule-changed", "", f"record rule {name!r}: {a[name]} → {b[name]}")


def _contract_changes(old: Contract, new: Contract) -> Iterator[Change]:
    if old.id != new.id:
        yield Change("id-changed", "", f"{old.id} → {new.id}")
    ma, mb = old.max_record_bytes, new.max_record_bytes
    if ma != mb:
        tightened = mb is not None and (ma is None or mb < ma)
        yield Change("max-bytes-tightened" if tightened else "max-bytes-relaxed", "", f"maxRecordBytes {ma} → {mb}")
    if old.extra_fields_allowed != new.extra_fields_allowed:
        yield (Change("extra-fields-allowed", "", "fields the contract does not name are now tolerated")
               if new.extra_fields_allowed else
               Change("extra-fields-forbidden", "", "fields the contract does not name are now violations"))
    # with several record kinds each kind has its own key, compared kind by kind (_kind_changes)
    if len(old.parts) == 1 and len(new.parts) == 1 and old.primary_key != new.primary_key:
        yield Change("primary-key-changed", "", f"{old.primary_key} → {new.primary_key}")
    for attr in ("description", "name", "tags", "status"):
        if getattr(old.odcs, attr) != getattr(new.odcs, attr):
            yield Change("description-changed", "", f"contract {attr} changed")
    for prop in ("topic", "table"):
        if custom(old.odcs, prop) != custom(new.odcs, prop):
            yield Change("field-renamed" if custom(old.odcs, prop) else "description-changed", "",
                         f"{prop} {custom(old.odcs, prop)} → {custom(new.odcs, prop)}")


def _record_changes(old: Contract, new: Contract) -> list[Change]:
    return [*_field_changes(old, new), *_rule_changes(old, new), *_quality_changes(old, new)]


def _kind_changes(old: Contract, new: Contract) -> Iterator[Change]:
    """Field, rule and quality changes; per record kind when a topic carries several."""
    if len(old.parts) == 1 and len(new.parts) == 1:
        yield from _record_changes(old, new)
        return
    a = {p.schema.name: p for p in old.parts}
    b = {p.schema.name: p for p in new.parts}
    for name in a.keys() - b.keys():
        yield Change("field-removed", f"{name}:", "record kind removed: its consumers break")
    for name in b.keys() - a.keys():
        yield Change("optional-field-added", f"{name}:", "new record kind")
    for name in [n for n in a if n in b]:
        if a[name].selector != b[name].selector:
            yield Change("primary-key-changed", f"{name}:",
                         f"selectWhenPresent {a[name].selector} → {b[name].selector}")
        if a[name].primary_key != b[name].primary_key:
            yield Change("primary-key-changed", f"{name}:", f"{a[name].primary_key} → {b[name].primary_key}")
        for c in _record_changes(a[name], b[name]):
            yield Change(c.kind, f"{name}:{c.field}", c.detail)


def diff(old: Contract, new: Contract) -> DiffReport:
    """Every change from ``old`` to ``new``, classified; ``report.errors`` says what the gate refuses."""
    report = DiffReport(old.id, new.id, old.version, new.version)
    report.changes = [*_contract_changes(old, new), *_kind_changes(old, new)]
    if report.changes and report.new_version == report.old_version:
        report.warnings.append(f"the contract changed but its version is still {new.version}")
    suffix = new.id.rsplit(".", 1)[-1]
    if suffix.startswith("v") and suffix[1:].isdigit() and int(suffix[1:]) != new.major:
        report.warnings.append(f"id {new.id} names major {suffix[1:]} but the version is {new.version}: "
                               "a new major usually gets a new topic (…v2)")
    return report


def diff_files(old_path: str, new_path: str) -> DiffReport:
    return diff(Contract.from_file(old_path), Contract.from_file(new_path))


def format_report(report: DiffReport, label: str | None = None) -> str:
    head = (f"{label or report.new_id}: {report.old_version} → {report.new_version}, "
            f"{len(report.changes)} change(s), {len(report.breaking)} breaking")
    lines = [head]
    lines += [f"  {c}" for c in report.changes]
    lines += [f"  warning: {w}" for w in report.warnings]
    lines += [f"  ERROR: {e}" for e in report.errors]
    if report.ok:
        lines.append("  ok")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m contracts.diff", description="Classify a contract change.")
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--label", help="name to print (e.g. the file path in the repository)")
    args = parser.parse_args(argv)
    try:
        old = Contract.from_file(args.old)
    except ContractError as exc:
        print(f"{args.label or args.old}: previous version unreadable, not compared: {exc}", file=sys.stderr)
        return 0
    try:
        new = Contract.from_file(args.new)
    except ContractError as exc:
        print(f"{args.label or args.new}: ERROR: {exc}", file=sys.stderr)
        return 2
    report = diff(old, new)
    if args.json:
        print(json.dumps({"file": args.label, **report.to_dict()}, ensure_ascii=False, indent=2))
    else:
        print(format_report(report, args.label))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
