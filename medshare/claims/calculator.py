"""The claims calculator (商保计算器): what a product would pay for a person's settlements, without Kafka.

Input (JSON; docs/claims.md "The calculator")::

    {"enrolment": {"product": "hhb-huibao", "plan": "standard", "start": "2026-01-01",
                   "claim_free_years": 0},
     "history": [{"date": "2024-05-01", "diagnosis": "C50.900"}],
     "settlements": [<platform.settlements.v2 records, in order; 2208 revocations too>],
     "other_payments": {"ST2026…": {"other-insurer": 1200.00}}}

It runs exactly the stream processor's path below the Kafka layer: each record through the one
adapter (:func:`medshare.claims.claimable.to_claimable`), then :class:`medshare.claims.state.ClaimBatch`
(``apply_settlement`` / ``apply_refund``, which call :func:`medshare.claims.engine.compute` and
``reverse``) on an in-memory claim store, with the diagnosis history kept as the processor keeps it
(each settlement's diagnoses are added after it is decided). ``tests/claims/test_claims_calculator.py``
runs the same cases through the processor's handler and compares.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from medshare.claims.engine import Terms, yuan
from medshare.claims.products import ProductSet, fen

#: what a settlement line needs (platform.settlements.v2, docs/platform-interface.md)
_NEEDED = ("setl_id", "psn_no", "setl_time", "med_type", "fixmedins_code", "feedetail", "medfee_sumamt",
           "fund_pay_sumamt", "psn_part_amt")


class CalculatorInputError(ValueError):
    """The input file is not what the calculator needs; the message names the place and the field."""


def _check(spec: Mapping[str, Any]) -> None:
    if not isinstance(spec, Mapping):
        raise CalculatorInputError("input: a JSON object with enrolment, settlements (and history, other_payments)")
    en = spec.get("enrolment")
    if not isinstance(en, Mapping) or not en.get("product") or not en.get("start"):
        raise CalculatorInputError("enrolment: needs product and start (YYYY-MM-DD)")
    try:
        date.fromisoformat(str(en["start"]))
    except ValueError:
        raise CalculatorInputError(f"enrolment.start: {en['start']!r} is not a date (YYYY-MM-DD)") from None
    sts = spec.get("settlements")
    if not isinstance(sts, list) or not sts:
        raise CalculatorInputError("settlements: a non-empty list of settlement records")
    seen: set[str] = set()
    for i, s in enumerate(sts):
        if not isinstance(s, Mapping):
            raise CalculatorInputError(f"settlements[{i}]: not an object")
        if "revoke" in s:
            rev = s["revoke"]
            if not isinstance(rev, Mapping) or rev.get("setl_id") not in seen:
                raise CalculatorInputError(f"settlements[{i}]: a revocation (revoke.setl_id) must name a settlement "
                                           "listed before it")
            continue
        missing = [k for k in _NEEDED if k not in s]
        if missing:
            raise CalculatorInputError(f"settlements[{i}] ({s.get('setl_id', '?')}): missing {', '.join(missing)}")
        seen.add(str(s["setl_id"]))
    for j, h in enumerate(spec.get("history") or []):
        if not isinstance(h, Mapping) or not h.get("date") or not h.get("diagnosis"):
            raise CalculatorInputError(f"history[{j}]: needs date and diagnosis")


def calculate(products: ProductSet, spec: Mapping[str, Any], product_id: str | None = None) -> dict[str, Any]:
    """Per settlement: payable per duty, deductibles, caps, pre-existing decision, coordination, refusals."""
    from datetime import datetime

    from medshare.claims.claimable import claims_view, to_claimable
    from medshare.claims.state import ClaimStore

    _check(spec)
    en = spec["enrolment"]
    pid = product_id or en["product"]
    if en["product"] != pid:
        raise CalculatorInputError(f"enrolment.product is {en['product']}, --product is {pid}")
    start = date.fromisoformat(str(en["start"]))
    history = {(str(h["date"]), str(h["diagnosis"])) for h in spec.get("history") or []}
    others_in = spec.get("other_payments") or {}
    store = ClaimStore.memory()
    batch = store.batch()
    insurer = None
    rows = []
    times: dict[str, str] = {}
    try:
        for line in spec["settlements"]:
            s = claims_view(line)
            if "revoke" in line:  # a 2208 has no time of its own: the product version of its settlement
                s["event_time"] = times[line["revoke"]["setl_id"]]
            else:
                times[s["settlement_id"]] = s["event_time"]
            claim = to_claimable(s)
            at = datetime.fromisoformat(s["event_time"])
            product = products.find(pid, at)
            if product is None:
                rows.append({"settlement_id": claim.settlement_id, "event_type": claim.event_type,
                             "refused": f"no version of {pid} in effect on {claim.day}", "total_payable": 0.0})
                if claim.event_type == "settlement":  # the processor keeps every settlement's diagnoses
                    history |= {(claim.day, d) for d in claim.diagnoses}
                continue
            insurer = product.insurer
            if claim.event_type == "refund":
                app = batch.apply_refund(products, s, insurer)
            else:
                terms = Terms(plan=en.get("plan"), claim_free_years=int(en.get("claim_free_years") or 0),
                              start=start, history=tuple(sorted(history)))
                others = {k: fen(v) for k, v in (others_in.get(claim.settlement_id) or {}).items()}
                app = batch.apply_settlement(product, claim, insurer, "calculator", terms, others=others)
                history |= {(claim.day, d) for d in claim.diagnoses}
            rows.append(_row(claim, app))
    finally:
        store.close()
    return {"product_id": pid, "plan": en.get("plan"), "start": start.isoformat(), "settlements": rows,
            "total_payable": round(sum(r["total_payable"] for r in rows), 2)}


def _row(claim: Any, app: Any) -> dict[str, Any]:
    if app.status != "new":
        return {"settlement_id": claim.settlement_id, "event_type": claim.event_type,
                "refused": app.reason or app.status, "total_payable": 0.0}
    out, ex = app.outcome, app.entry.explanation
    refusals = []
    for it in ex.get("items", []):
        for part, dest in it["to"].items():
            if dest == "not-covered":
                refusals.append({"item": it["index"], "item_code": it["item_code"], "part": part,
                                 "amount": it[part],
                                 "reasons": it.get("refused", {}).get(part) or [{"duty": None,
                                                                                 "reason": "no duty pays this part"}]})
            elif dest.startswith("excluded:"):
                refusals.append({"item": it["index"], "item_code": it["item_code"], "part": part, "amount": it[part],
                                 "reasons": [{"duty": None, "reason": f"exclusion {dest[9:]}"}]})
    return {
        "settlement_id": claim.settlement_id, "event_type": claim.event_type, "reverses": app.entry.reverses,
        "year": app.entry.year,
        "payable": {k: yuan(v) for k, v in out.payable.items()}, "total_payable": yuan(out.total),
        "duties": ex.get("benefits", []), "deductible": ex.get("deductible"),
        "deductible_returned": ex.get("deductible_returned"),
        "caps": {k: yuan(v) for k, v in sorted(out.after.caps_used.items())},
        "pre_existing": ex.get("pre_existing_decision"), "coordination": ex.get("coordination"),
        "refusals": refusals, "rule_ids": list(out.rule_ids),
    }


def render(result: Mapping[str, Any]) -> str:
    """The calculator's text report."""
    lines = [f"product {result['product_id']} plan {result['plan'] or 'default'}, enrolled from {result['start']}"]
    for r in result["settlements"]:
        head = f"{r['settlement_id']} ({r['event_type']})"
        if "refused" in r:
            lines.append(f"{head}: pays 0.00 — {r['refused']}")
            continue
        if r["event_type"] == "refund":
            lines.append(f"{head}: reverses {r['reverses']}, takes back {-r['total_payable']:,.2f} "
                         f"({', '.join(f'{k} {-v:,.2f}' for k, v in r['payable'].items() if v) or 'nothing'})")
            continue
        pre = r["pre_existing"] or {}
        lines.append(f"{head}: pays {r['total_payable']:,.2f}")
        if pre.get("evidence") is not None:
            ev = "; ".join(f"{e['code']} on {e['date']} ({e['group']})" for e in pre["evidence"]) or "none"
            lines.append(f"  pre-existing: {'yes' if pre['pre_existing'] else 'no'} (window {pre['window'][0]}.."
                         f"{pre['window'][1]}, history in window: {ev})")
        for d in r["duties"]:
            ded = d.get("deductible")
            dtxt = (f"deductible {ded['amount']:,.2f} (claim-free years {ded['claim_free_years']}): used "
                    f"{ded['used_before']:,.2f} + {ded['taken']:,.2f}, remaining {ded['remaining_after']:,.2f}; "
                    if ded else "no deductible; ")
            cut = f", coordination -{d['coordination_cut']:,.2f}" if d.get("coordination_cut") else ""
            lines.append(f"  {d['duty']:24} eligible {d['eligible']:,.2f}; {dtxt}x {d['ratio']} ({d['ratio_kind']}) "
                         f"= {d['before_cap']:,.2f}; cap {d['cap']:,.2f} used {d['cap_used_before']:,.2f} -> "
                         f"{d['cap_used_after']:,.2f}{' (cap reached)' if d['cap_reached'] else ''}{cut}; "
                         f"pays {d['payable']:,.2f}")
        c = r["coordination"]
        others = ", ".join(f"{k} {v:,.2f}" for k, v in c["paid_before_by_others"].items()) or "none"
        lines.append(f"  coordination: total {c['total']:,.2f}, basic funds "
                     f"{', '.join(f'{k} {v:,.2f}' for k, v in c['basic_funds'].items())}, own share "
                     f"{c['own_share']:,.2f}, paid before by {others}, left {c['left_before']:,.2f}; computed "
                     f"{c['computed']:,.2f}, reduced by {c['reduced_by']:,.2f}")
        for f in r["refusals"]:
            why = "; ".join(f"{x['duty'] or '-'}: {x['reason']}" for x in f["reasons"])
            lines.append(f"  refused item {f['item']} {f['item_code']} {f['part']} {f['amount']:,.2f}: {why}")
    lines.append(f"total payable {result['total_payable']:,.2f}")
    return "\n".join(lines)
