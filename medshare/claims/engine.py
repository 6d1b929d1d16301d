"""Claim computation: one claimable settlement, the person-year accumulators and the policy terms in,
the claim out. Pure.

Nothing here touches a database, a clock or Kafka: :func:`compute` is a function of the product
version, the claimable settlement (:mod:`medshare.claims.claimable`), the accumulators before it,
the policy terms (plan, claim-free years, start, the diagnosis history before the start) and what
other payers already paid for the settlement. The stream processor (``streams/claims.py`` through
``medshare.claims.state``) and the calculator (``medshare claims calculate``) both call it.

How a settlement is computed (all amounts in integer 分; docs/claims.md has worked examples):

1. **Pre-existing decision** (:func:`judge_pre_existing`): from the person's diagnoses in the
   product's window before the enrolment's start; the evidence (code, date, condition group) goes
   into the explanation.
2. **Exclusions first.** An item matched by an exclusion is not paid and counts toward nothing.
3. **Each part of each item** (``self_pay``, ``self_expense``) **to the first duty** (in the
   product's order) that lists the part and whose conditions hold; every duty that was tried and
   refused says why (:func:`medshare.claims.rules.why_not`); a part no duty takes is "not covered".
4. **Deductible per duty** — each duty with its own 免赔额 (lower after claim-free years) consumes
   what is left of its year's deductible.
5. **Ratio** per duty: ``round_half_up(after_deductible × ratio)``, the pre-existing ratio when the
   settlement is judged pre-existing.
6. **Cap** per duty: at most what is left of its annual cap.
7. **Payer coordination**: the product pays at most what is left of the person's own share
   (``total − Σ basic funds``) after the commercial payers before it in the declared order; an
   excess is taken off the duties from the last one back, and only what is paid counts toward the
   caps. (The deductible consumed is not reduced: it counts the person's eligible expense.)

A refund (``event_type: refund``) is not recomputed: :func:`reverse` takes back exactly the deltas
recorded when the original settlement was applied. Later settlements are not re-adjudicated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from medshare.claims.claimable import Claimable, apportion  # noqa: F401 - apportion re-exported
from medshare.claims.products import PARTS, Product
from medshare.claims.rules import Context, has_prefix, item_why_not, settlement_why_not
from privacy.agreements import SHANGHAI


def _ints(d: Any) -> dict[str, int]:
    return {k: int(v) for k, v in (d or {}).items() if int(v)}


@dataclass(frozen=True)
class Accumulator:
    """A person's position in one product-year, per duty: deductible used and amount paid (分)."""

    deductibles_used: Mapping[str, int] = field(default_factory=dict)
    caps_used: Mapping[str, int] = field(default_factory=dict)

    def cap_used(self, duty_id: str) -> int:
        return int(self.caps_used.get(duty_id, 0))

    def ded_used(self, duty_id: str) -> int:
        return int(self.deductibles_used.get(duty_id, 0))

    @property
    def deductible_used(self) -> int:
        return sum(self.deductibles_used.values())

    def as_dict(self) -> dict[str, Any]:
        return {"deductibles_used": dict(sorted(self.deductibles_used.items())),
                "caps_used": dict(sorted(self.caps_used.items()))}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Accumulator:
        return cls(_ints(d.get("deductibles_used")), _ints(d.get("caps_used")))


@dataclass(frozen=True)
class Deltas:
    """What one application changed, per duty: deductible consumed and amount paid (分)."""

    deductible: Mapping[str, int]
    paid: Mapping[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {"deductible": dict(sorted(self.deductible.items())), "paid": dict(sorted(self.paid.items()))}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Deltas:
        ded = d.get("deductible")
        return cls(_ints(ded) if isinstance(ded, Mapping) else {}, _ints(d.get("paid")))

    def negated(self) -> Deltas:
        return Deltas({k: -v for k, v in self.deductible.items()}, {k: -v for k, v in self.paid.items()})


@dataclass(frozen=True)
class Terms:
    """What the enrolment says about the person, for one product."""

    plan: str | None = None
    claim_free_years: int = 0
    #: the enrolment's start (Shanghai date): the pre-existing window ends here
    start: date | None = None
    #: (ISO date, ICD-10 code) of the person's diagnoses on the platform (any time; the window filters)
    history: tuple[tuple[str, str], ...] = ()


NO_TERMS = Terms()


@dataclass(frozen=True)
class Outcome:
    """The claim for one settlement (or the reversal of one)."""

    payable: dict[str, int]  # duty id -> 分 (negative for a reversal)
    before: Accumulator
    after: Accumulator
    deltas: Deltas
    rule_ids: tuple[str, ...]
    explanation: dict[str, Any]

    @property
    def total(self) -> int:
        return sum(self.payable.values())


def claim_year(record: Mapping[str, Any]) -> int:
    """The policy year of a settlement: the calendar year of its time in Shanghai."""
    return datetime.fromisoformat(record["event_time"]).astimezone(SHANGHAI).year


def yuan(amount_fen: int) -> float:
    """分 to 元 (a float with at most 2 decimals)."""
    if type(amount_fen) is int and -(2**53) < amount_fen < 2**53:
        return amount_fen / 100
    return round(amount_fen / 100, 2)


def rule_id(product: Product, kind: str, ident: str) -> str:
    return f"{product.label}/{kind}/{ident}"


def _round(amount_fen: int, ratio: Decimal) -> int:
    if ratio == 1:
        return amount_fen
    return int((Decimal(amount_fen) * ratio).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def judge_pre_existing(product: Product, terms: Terms, claim: Claimable) -> dict[str, Any]:
    """Is ``claim`` pre-existing for this person under ``product``? With the evidence.

    The person's diagnoses dated in ``[start − window_days, start)`` are matched against the
    product's condition groups; scope ``condition``: the settlement is pre-existing when one of its
    diagnoses is in a group found in the window; scope ``person``: when any group was found.
    """
    rule = product.pre_existing
    if rule is None:
        return {"pre_existing": False, "rule": "the product has no pre-existing rule"}
    if terms.start is None:
        return {"pre_existing": False, "rule": "no enrolment start: no window"}
    lo = (terms.start - timedelta(days=rule.window_days)).isoformat()
    hi = terms.start.isoformat()
    found: dict[str, dict[str, str]] = {}
    # the window first: a person's history grows with every settlement, the window does not
    for day, code in sorted(h for h in terms.history if lo <= h[0] < hi):
        for g in rule.conditions:
            if g.id not in found and has_prefix(code, g.icd10_prefixes):
                found[g.id] = {"group": g.id, "name": g.name, "code": code, "date": day}
    matched = None
    if rule.scope == "person":
        matched = next(iter(found), None)
    else:
        for g in rule.conditions:
            if g.id in found and any(has_prefix(d, g.icd10_prefixes) for d in claim.diagnoses):
                matched = g.id
                break
    return {"pre_existing": matched is not None, "scope": rule.scope, "window": [lo, hi],
            "evidence": list(found.values()), "matched_group": matched}


def compute(product: Product, claim: Claimable, state: Accumulator, terms: Terms = Terms(),
            others: Mapping[str, int] | None = None) -> Outcome:
    """The claim for ``claim`` given the person-year accumulators ``state``.

    ``others``: payer -> 分 the commercial payers before this product (in the declared order)
    already paid for this settlement. Raises ``ValueError`` for a refund (use :func:`reverse`).
    """
    if claim.event_type != "settlement":
        raise ValueError(f"compute() takes settlements, not {claim.event_type!r} events")
    duties = product.duties_for(terms.plan)
    pre = judge_pre_existing(product, terms, claim)
    ctx = Context(claim, pre["pre_existing"], product.drug_info, product.designated)
    eligible, rules, explained_items = _assign(product, duties, claim, ctx)
    gross_by: dict[str, int] = {}
    rows: dict[str, dict[str, Any]] = {}
    ded_after = dict(state.deductibles_used)
    ded_delta: dict[str, int] = {}
    for d in duties:
        amount = eligible[d.id]
        if amount <= 0:  # most duties of most settlements: nothing eligible, nothing to compute
            gross_by[d.id] = 0
            continue
        ded_total = d.deductible_fen(terms.claim_free_years)
        used = state.ded_used(d.id)
        taken = min(amount, max(0, ded_total - used)) if d.deductible is not None and amount > 0 else 0
        if taken:
            ded_after[d.id] = used + taken
            ded_delta[d.id] = taken
            rules.append(rule_id(product, "deductible", d.id))
        after_ded = amount - taken
        ratio = d.ratio_for(pre["pre_existing"])
        gross = _round(after_ded, ratio)
        cap_before = state.cap_used(d.id)
        capped = min(gross, max(0, d.cap_fen - cap_before))
        gross_by[d.id] = capped
        if amount or capped:
            rows[d.id] = {
                "duty": d.id, "name": d.name, "rule_id": rule_id(product, "benefit", d.id), "eligible": yuan(amount),
                "deductible": ({"amount": yuan(ded_total), "claim_free_years": terms.claim_free_years,
                                "used_before": yuan(used), "taken": yuan(taken), "used_after": yuan(used + taken),
                                "remaining_after": yuan(max(0, ded_total - used - taken))}
                               if d.deductible is not None else None),
                "after_deductible": yuan(after_ded), "ratio": str(ratio),
                "ratio_kind": "pre_existing" if pre["pre_existing"] and d.pre_existing_ratio is not None
                else "standard",
                "before_cap": yuan(gross), "cap": yuan(d.cap_fen), "cap_used_before": yuan(cap_before),
                "cap_reached": gross > capped,
            }
    # payer coordination
    others = {k: v for k, v in (others or {}).items() if v}
    left = max(0, claim.own_share - sum(others.values()))
    computed = sum(gross_by.values())
    excess = max(0, computed - left)
    payable = dict(gross_by)
    for d in reversed(duties):
        if excess <= 0:
            break
        cut = min(excess, payable[d.id])
        payable[d.id] -= cut
        excess -= cut
        if cut and d.id in rows:
            rows[d.id]["coordination_cut"] = yuan(cut)
    caps_after = dict(state.caps_used)
    for d in duties:
        if payable[d.id]:
            caps_after[d.id] = state.cap_used(d.id) + payable[d.id]
        if d.id in rows:
            rows[d.id]["cap_used_after"] = yuan(state.cap_used(d.id) + payable[d.id])
            rows[d.id]["payable"] = yuan(payable[d.id])
    coordination = {
        "order": product.payer_order, "total": yuan(claim.total),
        "basic_funds": {k: yuan(v) for k, v in claim.funds.items()},
        "own_share": yuan(claim.own_share), "paid_before_by_others": {k: yuan(v) for k, v in sorted(others.items())},
        "left_before": yuan(left), "computed": yuan(computed), "payable": yuan(sum(payable.values())),
        "reduced_by": yuan(computed - sum(payable.values())),
    }
    after = Accumulator(ded_after, caps_after)
    deltas = Deltas(ded_delta, {k: v for k, v in payable.items() if v})
    explanation = {
        "product_id": product.product_id, "product_version": product.version,
        "product_fingerprint": product.fingerprint, "plan": product.plan(terms.plan).id,
        "claim_free_years": terms.claim_free_years, "year": claim.year,
        "settlement_id": claim.settlement_id, "institution": {"code": claim.institution_code,
                                                              "level": claim.institution_level,
                                                              "type": claim.institution_type},
        "pre_existing": pre["pre_existing"], "pre_existing_decision": pre,
        "deductible": deductible_summary(product, terms, after),
        "benefits": list(rows.values()), "items": explained_items, "coordination": coordination,
        "total_payable": yuan(sum(payable.values())),
    }
    return Outcome(payable, state, after, deltas, tuple(dict.fromkeys(rules)), explanation)


def _assign(product: Product, duties: tuple[Any, ...], claim: Claimable, ctx: Context
            ) -> tuple[dict[str, int], list[str], list[dict[str, Any]]]:
    """Steps 2-3: each part of each item to an exclusion, the first duty that takes it, or nobody
    (with every refusal's reason). Returns (eligible per duty, rule ids, explained items)."""
    duty_ok = [settlement_why_not(d.when, ctx) for d in duties]
    excl_ok = [settlement_why_not(e.when, ctx) for e in product.exclusions]
    eligible: dict[str, int] = {d.id: 0 for d in duties}
    rules: list[str] = []
    explained_items: list[dict[str, Any]] = []
    # per part, the duties that list it and pass the settlement-level tests (in the product's order)
    open_for = {part: [(k, d) for k, d in enumerate(duties) if part in d.parts and duty_ok[k] is None]
                for part in PARTS}
    open_excl = [e for e, why in zip(product.exclusions, excl_ok, strict=True) if why is None]
    for i, it in enumerate(claim.items):
        if it.self_pay <= 0 and it.self_expense <= 0:
            continue  # nothing of the person's: nothing to pay, nothing to explain
        to: dict[str, str] = {}
        refused: dict[str, list[dict[str, str]]] = {}
        exclusion = None
        for e in open_excl:
            if not e.when.item_level or item_why_not(e.when, ctx, it) is None:
                exclusion = e
                break
        for part, amount in (("self_pay", it.self_pay), ("self_expense", it.self_expense)):
            if amount <= 0:
                continue
            if exclusion is not None:
                to[part] = f"excluded:{exclusion.id}"
                rid = rule_id(product, "exclusion", exclusion.id)
            else:
                taker = None
                for _k, d in open_for[part]:
                    if not d.when.item_level or item_why_not(d.when, ctx, it) is None:
                        taker = d
                        break
                if taker is None:
                    to[part] = "not-covered"
                    refused[part] = [{"duty": d.id, "reason": duty_ok[k] or item_why_not(d.when, ctx, it)}
                                     for k, d in enumerate(duties) if part in d.parts]
                    continue
                to[part] = taker.id
                eligible[taker.id] += amount
                rid = rule_id(product, "benefit", taker.id)
            if rid not in rules:
                rules.append(rid)
        explained_items.append({
            "index": i, "item_code": it.code, "item_name": it.name, "category": it.category,
            "catalogue_class": it.catalogue_class, "on_special_drug_list": it.code in product.drug_info,
            "self_pay": yuan(it.self_pay), "self_expense": yuan(it.self_expense), "to": to,
            **({"refused": refused} if refused else {}),
        })

    return eligible, rules, explained_items


def deductible_summary(product: Product, terms: Terms, acc: Accumulator) -> dict[str, float]:
    """The sum over the duties with a deductible: amount, used, remaining (the claim result's ``deductible``)."""
    amount = used = 0
    got = acc.deductibles_used
    for duty_id, ded in product.deductibles_for(terms.plan, terms.claim_free_years):
        amount += ded
        u = got.get(duty_id, 0)
        used += u if u < ded else ded
    return {"amount": yuan(amount), "used": yuan(used), "remaining": yuan(max(0, amount - used))}


def reverse(product: Product, recorded: Deltas, state: Accumulator, original: str,
            terms: Terms = Terms()) -> Outcome:
    """Undo exactly ``recorded`` (the deltas stored when settlement ``original`` was applied)."""
    caps = dict(state.caps_used)
    for k, v in recorded.paid.items():
        caps[k] = caps.get(k, 0) - v
    deds = dict(state.deductibles_used)
    for k, v in recorded.deductible.items():
        deds[k] = deds.get(k, 0) - v
    after = Accumulator({k: v for k, v in deds.items() if v}, {k: v for k, v in caps.items() if v})
    payable = {b.id: -recorded.paid.get(b.id, 0) for b in product.duties}
    rid = rule_id(product, "refund", "reverse-original")
    explanation = {
        "product_id": product.product_id, "product_version": product.version,
        "product_fingerprint": product.fingerprint, "reverses_settlement": original,
        "deductible": deductible_summary(product, terms, after),
        "deductible_returned": {k: yuan(v) for k, v in sorted(recorded.deductible.items())},
        "benefits": [{"duty": k, "rule_id": rid, "payable": yuan(-v), "cap_used_before": yuan(state.cap_used(k)),
                      "cap_used_after": yuan(after.cap_used(k))} for k, v in sorted(recorded.paid.items())],
        "items": [], "total_payable": yuan(sum(payable.values())),
    }
    return Outcome(payable, state, after, recorded.negated(), (rid,), explanation)


def history_of(claims: Iterable[Claimable]) -> tuple[tuple[str, str], ...]:
    """(date, code) pairs of the diagnoses of ``claims`` (what the state keeps per person)."""
    return tuple(sorted({(c.day, d) for c in claims for d in c.diagnoses}))
