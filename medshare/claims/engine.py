"""Claim computation: one settlement and the person-year accumulators in, the claim out. Pure.

Nothing here touches a database, a clock or Kafka: :func:`compute` is a function of the product
version, the settlement record, the accumulators before it and the person's declared
pre-existing conditions, so a compliance officer can recompute any result from the disclosure log
and the product file (``medshare claims explain``).

How a settlement is computed (all amounts in integer 分; docs/claims.md has the worked example):

1. **Each item's personal share in two parts.** ``self_expense`` is the item's own 目录外自费.
   ``self_pay`` (目录内个人自付) is reported by the platform per settlement, not per item, so it is
   apportioned over the items' in-catalogue amounts (``amount - self_expense``) pro rata, the
   分 left over by rounding going to the largest remainders (ties: the earlier item).
2. **Exclusions first.** An item matched by an exclusion (or every item, for an exclusion that
   only looks at the settlement) is not paid and does not count toward the deductible.
3. **Each part to the first benefit** (in the product's order) that lists the part and whose
   ``when`` matches; a part no benefit takes is "not covered".
4. **Deductible.** The benefits marked ``deductible: true`` consume what is left of the year's
   deductible, in the product's benefit order; the rest of their amount is payable.
5. **Ratio.** Per benefit, ``round_half_up(after_deductible × ratio)`` — the pre-existing ratio
   when the settlement's diagnosis starts with one of the person's declared prefixes.
6. **Cap.** Per benefit, at most what is left of its annual cap (so a cap can be reached
   mid-settlement: the benefit pays the remainder, and nothing more that year).

A refund (``event_type: refund``) is not recomputed: :func:`reverse` takes away exactly the deltas
recorded when the original settlement was applied (deductible used, cap used, payable), whatever
happened in between. Later settlements are not re-adjudicated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from medshare.claims.products import PARTS, Product, fen
from medshare.claims.rules import Context, has_pre_existing, matches
from privacy.agreements import SHANGHAI


@dataclass(frozen=True)
class Accumulator:
    """A person's position in one product-year: deductible used and, per benefit, amount paid (分)."""

    deductible_used: int = 0
    caps_used: Mapping[str, int] = field(default_factory=dict)

    def cap_used(self, benefit_id: str) -> int:
        return int(self.caps_used.get(benefit_id, 0))

    def as_dict(self) -> dict[str, Any]:
        return {"deductible_used": self.deductible_used, "caps_used": dict(sorted(self.caps_used.items()))}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Accumulator:
        return cls(int(d.get("deductible_used", 0)), {k: int(v) for k, v in (d.get("caps_used") or {}).items()})


@dataclass(frozen=True)
class Deltas:
    """What one application changed: deductible consumed and, per benefit, amount paid (分)."""

    deductible: int
    paid: Mapping[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {"deductible": self.deductible, "paid": dict(sorted(self.paid.items()))}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Deltas:
        return cls(int(d["deductible"]), {k: int(v) for k, v in d["paid"].items()})

    def negated(self) -> Deltas:
        return Deltas(-self.deductible, {k: -v for k, v in self.paid.items()})


@dataclass(frozen=True)
class Outcome:
    """The claim for one settlement (or the reversal of one)."""

    payable: dict[str, int]  # benefit id -> 分 (negative for a reversal)
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
    """分 to 元 (a float with at most 2 decimals).

    For an integer below 2**53 (every amount here) ``amount_fen / 100`` is already the float
    nearest the exact quotient, which is what rounding it to 2 decimals gives back; a claim's
    explanation converts ≈ 30 amounts, so the ``round`` is kept only for other inputs.
    """
    if type(amount_fen) is int and -(2**53) < amount_fen < 2**53:
        return amount_fen / 100
    return round(amount_fen / 100, 2)


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` 分 over ``weights`` pro rata; leftovers to the largest remainders (earlier first)."""
    w_sum = sum(weights)
    if total <= 0 or w_sum <= 0:
        return [0] * len(weights)
    shares = [total * w // w_sum for w in weights]
    rema = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % w_sum), i))
    for i in rema[: total - sum(shares)]:
        shares[i] += 1
    return shares


def rule_id(product: Product, kind: str, ident: str) -> str:
    return f"{product.label}/{kind}/{ident}"


def _round(amount_fen: int, ratio: Decimal) -> int:
    return int((Decimal(amount_fen) * ratio).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def item_parts(record: Mapping[str, Any]) -> list[dict[str, int]]:
    """Each item's ``self_pay`` (apportioned) and ``self_expense`` in 分 (step 1)."""
    items = record.get("items") or []
    own = [max(0, fen(it.get("self_expense") or 0)) for it in items]
    in_cat = [max(0, fen(it.get("amount") or 0) - own[i]) for i, it in enumerate(items)]
    shares = apportion(max(0, fen(record.get("self_pay") or 0)), in_cat)
    return [{"self_pay": shares[i], "self_expense": own[i]} for i in range(len(items))]


def compute(product: Product, record: Mapping[str, Any], state: Accumulator,
            pre_existing: Sequence[str] = ()) -> Outcome:
    """The claim for settlement ``record`` given the person-year accumulators ``state``.

    ``pre_existing``: ICD-10 prefixes declared as the person's pre-existing conditions (from the
    enrolment). Raises ``ValueError`` for a refund (use :func:`reverse`).
    """
    if record.get("event_type", "settlement") != "settlement":
        raise ValueError(f"compute() takes settlements, not {record.get('event_type')!r} events")
    special = product.special_drug_codes
    ctx = Context(visit_type=str(record.get("visit_type", "")), diagnosis_code=str(record.get("diagnosis_code", "")),
                  pre_existing=has_pre_existing(str(record.get("diagnosis_code", "")), tuple(pre_existing)),
                  special_drugs=special)
    items = record.get("items") or []
    parts = item_parts(record)
    eligible: dict[str, int] = {b.id: 0 for b in product.benefits}
    rules: list[str] = []
    explained_items = []
    for i, it in enumerate(items):
        to: dict[str, str] = {}
        exclusion = next((e for e in product.exclusions if matches(e.when, ctx, it)), None)
        for part in PARTS:
            amount = parts[i][part]
            if amount <= 0:
                continue
            if exclusion is not None:
                to[part] = f"excluded:{exclusion.id}"
                rid = rule_id(product, "exclusion", exclusion.id)
            else:
                benefit = next((b for b in product.benefits if part in b.parts and matches(b.when, ctx, it)), None)
                if benefit is None:
                    to[part] = "not-covered"
                    continue
                to[part] = benefit.id
                eligible[benefit.id] += amount
                rid = rule_id(product, "benefit", benefit.id)
            if rid not in rules:
                rules.append(rid)
        explained_items.append({
            "index": i, "item_code": it.get("item_code"), "item_name": it.get("item_name"),
            "category": it.get("category"), "catalogue_class": it.get("catalogue_class"),
            "on_special_drug_list": str(it.get("item_code")) in special,
            "self_pay": yuan(parts[i]["self_pay"]), "self_expense": yuan(parts[i]["self_expense"]), "to": to,
        })

    ded_total = product.deductible_fen
    ded_used = state.deductible_used
    payable: dict[str, int] = {}
    caps_after = dict(state.caps_used)
    explained_benefits = []
    for b in product.benefits:
        amount = eligible[b.id]
        taken = 0
        if b.deductible and amount > 0:
            taken = min(amount, max(0, ded_total - ded_used))
            ded_used += taken
            if taken and rule_id(product, "deductible", "annual") not in rules:
                rules.append(rule_id(product, "deductible", "annual"))
        after_ded = amount - taken
        ratio = b.ratio_for(ctx.pre_existing)
        gross = _round(after_ded, ratio)
        cap_before = state.cap_used(b.id)
        paid = min(gross, max(0, b.cap_fen - cap_before))
        payable[b.id] = paid
        if paid:
            caps_after[b.id] = cap_before + paid
        if amount or paid:
            explained_benefits.append({
                "benefit": b.id, "name": b.name, "rule_id": rule_id(product, "benefit", b.id),
                "eligible": yuan(amount), "deductible_applies": b.deductible, "deductible_taken": yuan(taken),
                "after_deductible": yuan(after_ded), "ratio": str(ratio),
                "ratio_kind": "pre_existing" if ctx.pre_existing and b.pre_existing_ratio is not None else "standard",
                "before_cap": yuan(gross), "cap": yuan(b.cap_fen), "cap_used_before": yuan(cap_before),
                "cap_used_after": yuan(cap_before + paid), "cap_reached": gross > paid, "payable": yuan(paid),
            })
    after = Accumulator(ded_used, caps_after)
    deltas = Deltas(ded_used - state.deductible_used, {k: v for k, v in payable.items() if v})
    explanation = {
        "product_id": product.product_id, "product_version": product.version,
        "product_fingerprint": product.fingerprint, "year": claim_year(record),
        "pre_existing": ctx.pre_existing,
        "deductible": {"amount": yuan(ded_total), "used_before": yuan(state.deductible_used),
                       "used_after": yuan(ded_used), "remaining_after": yuan(max(0, ded_total - ded_used))},
        "benefits": explained_benefits, "items": explained_items,
        "total_payable": yuan(sum(payable.values())),
    }
    return Outcome(payable, state, after, deltas, tuple(rules), explanation)


def reverse(product: Product, recorded: Deltas, state: Accumulator, original: str) -> Outcome:
    """Undo exactly ``recorded`` (the deltas stored when settlement ``original`` was applied)."""
    caps = dict(state.caps_used)
    for k, v in recorded.paid.items():
        caps[k] = caps.get(k, 0) - v
    after = Accumulator(state.deductible_used - recorded.deductible, {k: v for k, v in caps.items() if v})
    payable = {b.id: -recorded.paid.get(b.id, 0) for b in product.benefits}
    rid = rule_id(product, "refund", "reverse-original")
    explanation = {
        "product_id": product.product_id, "product_version": product.version,
        "product_fingerprint": product.fingerprint, "reverses_settlement": original,
        "deductible": {"amount": yuan(product.deductible_fen), "used_before": yuan(state.deductible_used),
                       "used_after": yuan(after.deductible_used),
                       "remaining_after": yuan(max(0, product.deductible_fen - after.deductible_used))},
        "benefits": [{"benefit": k, "rule_id": rid, "payable": yuan(-v), "cap_used_before": yuan(state.cap_used(k)),
                      "cap_used_after": yuan(after.cap_used(k))} for k, v in sorted(recorded.paid.items())],
        "items": [], "total_payable": yuan(sum(payable.values())),
    }
    return Outcome(payable, state, after, recorded.negated(), (rid,), explanation)
