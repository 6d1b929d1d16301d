"""``medshare claims``: insurer products, enrolment, and how a claim was computed (docs/claims.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from medshare.cli.output import JSON_OPTION, emit_json

claims_app = typer.Typer(
    help="Insurer rules run inside the pipeline (商保规则请进来): products, enrolment, claim explanations.",
    no_args_is_help=True,
)


def _products():
    from medshare.claims.products import ProductError, load_products
    from medshare.errors import UserError

    try:
        return load_products()
    except ProductError as exc:
        raise UserError(exc.summary()) from None


@claims_app.command("products", epilog="Example: medshare claims products --json")
def products_cmd(as_json: bool = JSON_OPTION) -> None:
    """List the product versions the claims engine evaluates (contracts/products/)."""
    ps = _products()
    rows = [{
        "insurer": p.insurer, "product_id": p.product_id, "version": p.version, "name": p.name,
        "effective_from": p.effective_from.isoformat(),
        "effective_to": p.effective_to.isoformat() if p.effective_to else None,
        "illustrative": p.illustrative, "payer_order": p.payer_order,
        "plans": [pl.id for pl in p.plans], "special_drugs": len(p.special_drugs), "fingerprint": p.fingerprint,
        "pre_existing": p.pre_existing.model_dump(mode="json") if p.pre_existing else None,
        "sources": [s.url for s in p.sources], "unconfirmed": list(p.unconfirmed),
        "benefits": [{"id": b.id, "name": b.name, "parts": list(b.parts),
                      "deductible": b.deductible.model_dump(mode="json") if b.deductible else None,
                      "ratio": str(b.ratio), "pre_existing_ratio": str(b.pre_existing_ratio)
                      if b.pre_existing_ratio is not None else None, "annual_cap": float(b.annual_cap),
                      "when": b.when.model_dump(mode="json", exclude_none=True)}
                     for b in p.benefits],
        "exclusions": [{"id": e.id, "reason": e.reason} for e in p.exclusions],
    } for p in ps]
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        until = r["effective_to"] or "open"
        flag = " (illustrative figures)" if r["illustrative"] else ""
        typer.echo(f"{r['insurer']:10} {r['product_id']}@{r['version']}  {r['effective_from']}..{until}  "
                   f"plans {', '.join(r['plans'])}, payer order {r['payer_order']}{flag}")
        for b in r["benefits"]:
            pre = f", pre-existing {b['pre_existing_ratio']}" if b["pre_existing_ratio"] else ""
            ded = b["deductible"]
            dtxt = (f", deductible {float(ded['amount']):,.0f}" + (
                " -> " + " -> ".join(f"{float(x):,.0f}" for x in ded["claim_free_steps"]) if ded["claim_free_steps"]
                else "")) if ded else ", no deductible"
            typer.echo(f"    {b['id']:24} {'+'.join(b['parts']):22} ratio {b['ratio']}{pre}, "
                       f"cap {b['annual_cap']:,.2f}{dtxt}")
        for e in r["exclusions"]:
            typer.echo(f"    excludes {e['id']}: {e['reason']}")


@claims_app.command("enrol", epilog="Example: medshare claims enrol enrolments.jsonl")
def enrol_cmd(
    file: Path = typer.Argument(..., help="JSON lines of enrol/cancel events (format in docs/claims.md)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Apply enrolment events (from 随申办 or the insurer) to the enrolment registry; idempotent."""
    from medshare.claims.enrolment import EnrolmentRegistry, read_jsonl
    from medshare.claims.state import claims_database
    from medshare.errors import UserError

    if not file.is_file():
        raise UserError(f"{file}: no such file")
    try:
        events = read_jsonl(file)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    reg = EnrolmentRegistry(claims_database())
    try:
        result = reg.apply_many(events)
        result["enrolments"] = reg.count()
    finally:
        reg.close()
    if as_json:
        emit_json(result)
    else:
        typer.echo(f"{file}: applied {result['applied']}, duplicates {result['duplicates']}, "
                   f"rejected {len(result['rejected'])} (registry: {result['enrolments']} enrolments)")
        for eid, reason in result["rejected"][:10]:
            typer.secho(f"  rejected {eid or '-'}: {reason}", fg=typer.colors.YELLOW, err=True)
    if result["rejected"]:
        raise UserError(f"{len(result['rejected'])} event(s) in {file} were rejected")


def explain(settlement_id: str, insurer: str) -> dict[str, Any]:
    """The stored computation of one claim (the API behind ``medshare claims explain``)."""
    from medshare.claims.state import ClaimStore, claims_database
    from medshare.errors import UserError

    store = ClaimStore(claims_database())
    try:
        entry = store.entry(insurer, settlement_id)
        refund = next((e for e in store.entries(insurer=insurer) if e.reverses == settlement_id), None) \
            if entry is not None and entry.reversed_by else None
    finally:
        store.close()
    if entry is None:
        raise UserError(f"no claim for settlement {settlement_id} and insurer {insurer} "
                        "(not enrolled, no consent, not processed yet, or not a settlement id)")
    ex = dict(entry.explanation)
    ex.pop("policy_no", None)  # identity stays out of the explanation output
    return {
        "claim_id": entry.claim_id, "insurer": entry.insurer, "settlement_id": entry.settlement_id,
        "event_type": entry.kind, "reverses": entry.reverses, "reversed_by": entry.reversed_by,
        "reversal_claim_id": refund.claim_id if refund else None,
        "product_id": entry.product_id, "product_version": entry.product_version, "year": entry.year,
        "consent_id": entry.consent_id, "person_key": entry.person_key, "applied_at": entry.applied_at,
        "total_payable": round(entry.total_payable / 100, 2),
        "rule_ids": (entry.result or {}).get("rule_ids", []), "explanation": ex,
    }


@claims_app.command(
    "explain", epilog="Example: medshare claims explain ST2026011100343897 --insurer hhb --json")
def explain_cmd(
    settlement_id: str = typer.Argument(..., help="The settlement (or refund) id."),
    insurer: str = typer.Option(..., "--insurer", help="Insurer code, e.g. hhb."),
    as_json: bool = JSON_OPTION,
) -> None:
    """How a claim was computed: product version, rules, items, deductible and caps before/after.

    For authorised operators and compliance officers: it reads the pipeline's claim ledger, which
    holds item names and amounts (never names or ID numbers).
    """
    out = explain(settlement_id, insurer)
    if as_json:
        emit_json(out)
        return
    ex = out["explanation"]
    typer.echo(f"claim {out['claim_id']} ({out['event_type']}) — {out['product_id']}@{out['product_version']}, "
               f"year {out['year']}, consent {out['consent_id']}")
    if out["reverses"]:
        typer.echo(f"reverses settlement {out['reverses']}: its recorded effect is taken back exactly")
    if out["reversed_by"]:
        typer.echo(f"reversed later by refund {out['reversed_by']}")
    typer.echo(explain_text(ex))
    typer.echo(f"total payable {out['total_payable']:,.2f}")


def explain_text(ex: dict[str, Any]) -> str:
    """An explanation (as stored in the ledger) in words: pre-existing decision, items, duties, coordination."""
    lines = []
    d = ex.get("deductible") or {}
    if d:
        lines.append(f"deductible (all duties) {d['amount']:,.2f}: used {d['used']:,.2f}, "
                     f"remaining {d['remaining']:,.2f}")
    pre = ex.get("pre_existing_decision") or {}
    if pre.get("window"):
        ev = "; ".join(f"{e['code']} on {e['date']} ({e['group']})" for e in pre.get("evidence", [])) or "none"
        lines.append(f"pre-existing: {'yes' if pre['pre_existing'] else 'no'} — history {pre['window'][0]}.."
                     f"{pre['window'][1]}: {ev}")
    for it in ex.get("items", []):
        to = ", ".join(f"{part} {it[part]:,.2f} -> {dest}" for part, dest in it["to"].items())
        lines.append(f"  item {it['index']:>2} {it['item_code']} {it['item_name'] or ''}: {to or 'nothing personal'}")
        for part, why in (it.get("refused") or {}).items():
            for w in why:
                lines.append(f"           {part} refused by {w['duty']}: {w['reason']}")
    for b in ex.get("benefits", []):
        if "eligible" in b:
            ded = b.get("deductible")
            dtxt = f"deductible taken {ded['taken']:,.2f} (remaining {ded['remaining_after']:,.2f})" if ded \
                else "no deductible"
            cut = f", coordination -{b['coordination_cut']:,.2f}" if b.get("coordination_cut") else ""
            lines.append(f"  {b['rule_id']}: eligible {b['eligible']:,.2f}, {dtxt}, x {b['ratio']} ({b['ratio_kind']}) "
                         f"= {b['before_cap']:,.2f}; cap {b['cap']:,.2f} used {b['cap_used_before']:,.2f} -> "
                         f"{b['cap_used_after']:,.2f}{' (cap reached)' if b['cap_reached'] else ''}{cut}; "
                         f"pays {b['payable']:,.2f}")
        else:
            lines.append(f"  {b['rule_id']}: {b.get('duty')} {b['payable']:,.2f}; cap used "
                         f"{b['cap_used_before']:,.2f} -> {b['cap_used_after']:,.2f}")
    c = ex.get("coordination")
    if c:
        others = ", ".join(f"{k} {v:,.2f}" for k, v in c["paid_before_by_others"].items()) or "none"
        lines.append(f"coordination: own share {c['own_share']:,.2f}, paid before by {others}, left "
                     f"{c['left_before']:,.2f}, reduced by {c['reduced_by']:,.2f}")
    return "\n".join(lines)


@claims_app.command(
    "calculate", epilog="Example: medshare claims calculate --product hhb-huibao --input case.json --json")
def calculate_cmd(
    product: str = typer.Option(..., "--product", help="Product id, e.g. hhb-huibao."),
    input_file: Path = typer.Option(..., "--input", help="JSON: enrolment, history, settlements, other_payments."),
    as_json: bool = JSON_OPTION,
) -> None:
    """What a product would pay for a person's settlements, computed without Kafka (商保计算器).

    The same code as the claims processor: per settlement the payable per duty, deductible used and
    remaining, caps, the pre-existing decision from the history, the payer coordination and the
    reason for every refusal. Input format: docs/claims.md "The calculator".
    """
    import json

    from medshare.claims.calculator import CalculatorInputError, calculate, render
    from medshare.errors import UserError

    if not input_file.is_file():
        raise UserError(f"{input_file}: no such file")
    try:
        spec = json.loads(input_file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{input_file}: not JSON ({exc})") from None
    ps = _products()
    if product not in ps.product_ids():
        raise UserError(f"--product {product}: not a loaded product (known: {', '.join(ps.product_ids())})")
    try:
        result = calculate(ps, spec, product)
    except (CalculatorInputError, KeyError, ValueError) as exc:
        raise UserError(f"{input_file}: {exc}") from None
    if as_json:
        emit_json(result)
    else:
        typer.echo(render(result))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the medshare app."""
    app.add_typer(claims_app, name="claims")
