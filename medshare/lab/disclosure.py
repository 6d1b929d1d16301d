"""Disclosure control: the check every mart passes before a row of it leaves the lab.

What a mart may release is decided by data, not code: the insurer's sharing agreement (does it grant
this mart for this purpose? what is k, its ``min_group_size``?) and the mart's ODCS contract
(``contracts/odcs/lab.mart.<mart>.yaml``: which columns are ``quasi-identifier`` and with which
coarser ``generalisation`` levels, which are ``direct-identifier``, how each measure merges).

The check, in order (the first failure refuses the whole mart):

1. the insurer has an agreement in effect that grants ``mart:<mart>`` for the purpose;
2. the mart has a contract; no column is tagged ``direct-identifier``; no column is a person key
   (``pseudonym`` tag, or a known identifier name); the rows have no column the contract lacks;
3. there is a group-size column (``personsField``, default ``persons``) — without it nothing can
   be verified — and the rows are not per-person (a mart whose every row describes one person);
4. small cells: every row describing fewer than k persons is recoded to the next coarser level of
   the contract's generalisation hierarchy (age 5y -> 10y -> ``all``), and merged with the other
   small rows that share the coarser cell; merged cells reaching k are released, the rest go up a
   level, and what is still below k after the last level is suppressed. Each row goes into at most
   one released cell, so released cells never overlap (no differencing between them);
5. a final guard: no released row describes fewer than k persons.

Persons add up when cells merge only because the marts assign each person one band per period
(the band at their first settlement of the month or year: see the dbt models). Measures whose
contract ``aggregation`` is ``none`` (percentiles, ratios) cannot be merged and are null in merged
cells.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from contracts.model import DIRECT_IDENTIFIER, QUASI_IDENTIFIER, custom

#: names that always mean a person-level column, whatever the contract says
PERSON_COLUMNS = frozenset({"person_key", "person_no", "resident_id", "name", "phone", "address", "card_no",
                            "settlement_id", "note_id",
                            # the national interface's (platform.settlements.v2, lab.settlements.v2)
                            "psn_no", "psn_name", "certno", "brdy", "setl_id", "mdtrt_id", "revoked_setl_id",
                            "feedetl_sn"})
PSEUDONYM = "pseudonym"
MART_PREFIX = "mart:"


# --- generalisation levels ------------------------------------------------------------------

def age_band_10y(value: Any) -> Any:
    """``40-44`` and ``45-49`` -> ``40-49``; ``80-84`` and ``85+`` -> ``80+``."""
    if not isinstance(value, str) or value == "all":
        return value
    low = value.rstrip("+").split("-")[0]
    if not low.isdigit():
        return value
    start = int(low) // 10 * 10
    return "80+" if start >= 80 else f"{start}-{start + 9}"


def quarter(value: Any) -> Any:
    """``2026-02`` -> ``2026-Q1``."""
    if isinstance(value, str) and len(value) == 7 and value[4] == "-" and value[5:].isdigit():
        return f"{value[:4]}-Q{(int(value[5:]) - 1) // 3 + 1}"
    return value


def everything(value: Any) -> Any:
    return "all"


#: the levels a contract may name in a property's ``generalisation`` list
LEVELS: dict[str, Callable[[Any], Any]] = {"age_band_10y": age_band_10y, "quarter": quarter, "all": everything}


# --- results --------------------------------------------------------------------------------

@dataclass
class Check:
    """One step of the disclosure check."""

    name: str
    ok: bool
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


@dataclass
class DisclosureResult:
    """The outcome of :func:`check_mart`: ``ok`` and, if so, the rows that may leave the lab."""

    mart: str
    insurer: str
    purpose: str
    k: int | None = None
    ok: bool = False
    reason: str | None = None
    checks: list[Check] = field(default_factory=list)
    quasi_identifiers: list[str] = field(default_factory=list)
    rows_in: int = 0
    #: rows released as they were
    rows_kept: int = 0
    #: input rows released only inside a coarser merged cell, and the merged cells made of them
    rows_coarsened: int = 0
    merged_cells: int = 0
    #: input rows withheld, and the persons they described (an upper bound: a person may be in several)
    rows_suppressed: int = 0
    persons_suppressed: int = 0
    #: how many released cells were coarsened to each level, e.g. {"age_band:age_band_10y": 3}
    generalised: dict[str, int] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list, repr=False)

    @property
    def rows_out(self) -> int:
        return len(self.rows)

    def refuse(self, check: str, reason: str) -> DisclosureResult:
        self.checks.append(Check(check, False, reason))
        self.ok, self.reason, self.rows = False, reason, []
        return self

    def to_dict(self) -> dict[str, Any]:
        """Everything but the rows (for logs, XCom, ``--json``)."""
        return {
            "mart": self.mart, "insurer": self.insurer, "purpose": self.purpose, "k": self.k, "ok": self.ok,
            "reason": self.reason, "checks": [c.to_dict() for c in self.checks],
            "quasi_identifiers": self.quasi_identifiers, "rows_in": self.rows_in, "rows_out": self.rows_out,
            "rows_kept": self.rows_kept, "rows_coarsened": self.rows_coarsened, "merged_cells": self.merged_cells,
            "rows_suppressed": self.rows_suppressed, "persons_suppressed": self.persons_suppressed,
            "generalised": self.generalised,
        }


# --- the check --------------------------------------------------------------------------------

def mart_contract(mart: str):
    """The ODCS contract of mart ``mart`` (id ``lab.mart.<mart>``)."""
    from contracts import registry

    return registry.load(f"lab.mart.{mart}")


def check_mart(
    mart: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    insurer: str,
    purpose: str,
    agreements: Any = None,
    contract: Any = None,
    today: date | None = None,
) -> DisclosureResult:
    """Check ``rows`` of ``mart`` for release to ``insurer`` for ``purpose``; never raises on a refusal.

    ``agreements`` (an :class:`privacy.agreements.AgreementSet`) and ``contract`` default to the
    shipped ones; tests pass their own.
    """
    res = DisclosureResult(mart=mart, insurer=insurer, purpose=purpose, rows_in=len(rows))
    grant = _grant(res, agreements, today)
    if grant is None:
        return res
    res.k = k = int(grant.min_group_size or 0)
    if contract is None:
        from contracts.exceptions import ContractNotFound

        try:
            contract = mart_contract(mart)
        except ContractNotFound as exc:
            return res.refuse("contract", f"mart {mart} has no contract: {exc}")
    res.checks.append(Check("contract", True, f"{contract.id} {contract.version}"))
    if not _columns_ok(res, contract, rows):
        return res
    persons_field = str(contract.custom("personsField", "persons"))
    if not _persons_ok(res, contract, rows, persons_field):
        return res
    res.quasi_identifiers = [f for f in contract.fields_tagged(QUASI_IDENTIFIER) if "." not in f]
    _small_cells(res, contract, rows, persons_field, k)
    bad = [r for r in res.rows if (r.get(persons_field) or 0) < k]
    if bad:  # cannot happen by construction; a guard for the guard
        return res.refuse("released-rows", f"{len(bad)} released row(s) still describe fewer than {k} persons")
    res.checks.append(Check("released-rows", True, f"{res.rows_out} row(s), each of at least {k} persons"))
    res.ok = True
    return res


def _grant(res: DisclosureResult, agreements: Any, today: date | None):
    """The agreement's grant of this mart for this purpose, or ``None`` after refusing."""
    from datetime import datetime

    from privacy.agreements import SHANGHAI, load_agreements

    agreements = agreements if agreements is not None else load_agreements()
    try:
        agreement = agreements.for_insurer(res.insurer)
    except KeyError:
        res.refuse("agreement", f"insurer {res.insurer!r} has no sharing agreement")
        return None
    day = today or datetime.now(SHANGHAI).date()
    if not agreement.in_effect(day):
        res.refuse("agreement", f"agreement {agreement.label} of {res.insurer} is not in effect on {day}")
        return None
    if not agreement.grants_for(res.purpose):
        res.refuse("agreement", f"agreement {agreement.label} grants {res.insurer} no {res.purpose} purpose")
        return None
    grants = agreement.grants_for(res.purpose, MART_PREFIX + res.mart)
    if not grants:
        res.refuse("agreement", f"agreement {agreement.label} does not grant mart {res.mart} to "
                                f"{res.insurer} for {res.purpose}")
        return None
    grant = grants[0]
    if not grant.is_aggregate or not grant.min_group_size:
        res.refuse("agreement", f"the {res.purpose} grant of mart {res.mart} is not an aggregate grant with k")
        return None
    res.checks.append(Check("agreement", True, f"{agreement.label} grants mart:{res.mart} for {res.purpose}, "
                                               f"k={grant.min_group_size}"))
    return grant


def _columns_ok(res: DisclosureResult, contract: Any, rows: Sequence[Mapping[str, Any]]) -> bool:
    direct = contract.fields_tagged(DIRECT_IDENTIFIER)
    if direct:
        res.refuse("identifiers", f"mart {res.mart} has column(s) tagged direct-identifier: {', '.join(direct)}")
        return False
    known = set(contract.field_names())
    person_cols = sorted({f for f in contract.fields_tagged(PSEUDONYM)} | (PERSON_COLUMNS & known))
    present = set().union(*(r.keys() for r in rows)) if rows else set()
    person_cols += sorted((PERSON_COLUMNS & present) - set(person_cols))
    if person_cols:
        res.refuse("per-person", f"mart {res.mart} has person-level column(s): {', '.join(person_cols)}")
        return False
    unknown = sorted(present - known)
    if unknown:
        res.refuse("columns", f"mart {res.mart} rows have column(s) its contract does not describe: "
                              f"{', '.join(unknown)}")
        return False
    res.checks.append(Check("identifiers", True, "no direct-identifier or person-level column"))
    return True


def _persons_ok(res: DisclosureResult, contract: Any, rows: Sequence[Mapping[str, Any]], persons_field: str) -> bool:
    if persons_field not in contract.field_names():
        res.refuse("group-size", f"mart {res.mart} has no {persons_field!r} column: group sizes cannot be verified")
        return False
    missing = sum(1 for r in rows if not isinstance(r.get(persons_field), int | float))
    if missing:
        res.refuse("group-size", f"{missing} row(s) of {res.mart} have no {persons_field} count")
        return False
    if rows and all(r[persons_field] <= 1 for r in rows):
        res.refuse("per-person", f"every row of {res.mart} describes at most one person: per-person rows")
        return False
    res.checks.append(Check("group-size", True, f"group size from {persons_field!r}"))
    return True


def _small_cells(res: DisclosureResult, contract: Any, rows: Sequence[Mapping[str, Any]],
                 persons_field: str, k: int) -> None:
    """Keep rows of at least k persons; coarsen and merge the rest level by level; suppress leftovers."""
    fields = {f.name: f for f in contract.top_fields}
    pk = contract.primary_key
    aggregation = {n: str(custom(f.prop, "aggregation")) for n, f in fields.items()
                   if custom(f.prop, "aggregation") is not None}
    dims = [n for n in fields if n not in aggregation and n not in pk]
    steps: list[tuple[str, str]] = []  # (column, level) in contract order, finest first
    for qi in res.quasi_identifiers:
        for level in custom(fields[qi].prop, "generalisation") or []:
            if level not in LEVELS:
                raise ValueError(f"{contract.id}: {qi}: unknown generalisation level {level!r} "
                                 f"(known: {', '.join(LEVELS)})")
            steps.append((qi, str(level)))

    keep = [dict(r) for r in rows if r[persons_field] >= k]
    # a cell of no person (only refunds of care outside it) describes nobody to merge with: withheld
    empty = [dict(r) for r in rows if r[persons_field] <= 0]
    small = [dict(r) for r in rows if 0 < r[persons_field] < k]
    res.rows_kept = len(keep)
    released = keep
    recoded = small
    for column, level in steps:
        if not recoded:
            break
        fn = LEVELS[level]
        recoded = [{**r, column: fn(r.get(column))} for r in recoded]
        groups: dict[tuple, list[dict[str, Any]]] = {}
        for r in recoded:
            groups.setdefault(tuple(r.get(d) for d in dims), []).append(r)
        still: list[dict[str, Any]] = []
        for members in groups.values():
            merged = _merge(members, dims, aggregation, pk)
            if merged[persons_field] >= k:
                released.append(merged)
                res.merged_cells += 1
                res.rows_coarsened += len(members)
                tag = f"{column}:{level}"
                res.generalised[tag] = res.generalised.get(tag, 0) + 1
            else:
                still.extend(members)
        recoded = still
    res.rows_suppressed = len(recoded) + len(empty)
    res.persons_suppressed = int(sum(r[persons_field] for r in recoded))
    res.rows = released
    res.checks.append(Check(
        "k-anonymity", True,
        f"k={k} on {', '.join(res.quasi_identifiers) or 'no quasi-identifier'}: {res.rows_kept} kept, "
        f"{res.rows_coarsened} merged into {res.merged_cells} coarser cell(s), {res.rows_suppressed} suppressed"))


def _merge(members: Iterable[Mapping[str, Any]], dims: Sequence[str], aggregation: Mapping[str, str],
           pk: Sequence[str]) -> dict[str, Any]:
    members = list(members)
    out: dict[str, Any] = {d: members[0].get(d) for d in dims}
    for col, how in aggregation.items():
        values = [m.get(col) for m in members if m.get(col) is not None]
        if how == "sum":
            total = sum(values) if values else None
            out[col] = round(total, 2) if isinstance(total, float) else total
        elif how == "max":
            out[col] = max(values) if values else None
        elif how == "min":
            out[col] = min(values) if values else None
        else:  # none: percentiles and ratios do not merge
            out[col] = None
    for key in pk:
        out[key] = "|".join(str(out.get(d)) for d in dims)
    return out
