"""``medshare demo``: the README's main command."""

from __future__ import annotations

import typer

from medshare.cli.output import JSON_OPTION, emit_json


def demo(
    persons: int = typer.Option(1500, min=1, help="Synthetic enrollees."),
    days: int = typer.Option(30, min=1, help="Days of settlements to simulate."),
    seed: int = typer.Option(7, help="Simulator seed (same seed, same events)."),
    fresh: bool = typer.Option(True, "--fresh/--keep", help="Start from empty local state (default) or keep it."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Run medshare end to end on synthetic data: broker, insurers, platform events, pipeline, outputs."""
    import os

    # multiprocessing's resource tracker (started by a library on first use, inherits this) would
    # warn at the end about semaphores the quick exit below leaves it to clean up — it does clean them
    os.environ["PYTHONWARNINGS"] = ",".join(filter(None, (os.environ.get("PYTHONWARNINGS"),
                                                          "ignore:resource_tracker:UserWarning")))
    from medshare.demo import DemoOptions, run_demo

    report = run_demo(DemoOptions(persons=persons, days=days, seed=seed, fresh=fresh),
                      say=(lambda _m: None) if as_json else typer.echo)
    if as_json:
        emit_json(report.steps)
        _exit_quietly()
    import json

    results = {s["step"]: s["result"] for s in report.steps}
    typer.echo("\noffsets per topic (messages, plus one commit marker per transaction on processor outputs):")
    for row in results.get("topics", []):
        typer.echo(f"  {row['topic']:<34} {row['offsets']:>8}")
    typer.echo("\nprocessors:")
    for step, r in results.items():
        if step.startswith("run "):
            typer.echo(f"  {step.split()[1]:<14} consumed={r['consumed']:<6} published={r['published']:<6} "
                       f"quarantined={r['quarantined']:<4} disclosed={r['disclosed']}")
    typer.echo(f"\nlab tables: {results.get('lab tables')}")
    typer.echo("\nmart releases (each passed or refused by the disclosure check):")
    for r in results.get("release marts to insurers (k-anonymity check)", []):
        detail = f"{r['rows']} rows" if r["status"] != "refused" else f"refused: {r.get('reason')}"
        typer.echo(f"  {r['insurer']:<9} {r['purpose']:<12} {r['mart']:<28} {r['status']:<10} {detail}")
    sample = results.get("insurer shenlife reads its claims", {})
    typer.echo(f"\ninsurer shenlife (mode detail) read {sample.get('records_read', 0)} claims records with its own "
               "credentials; one, identity decrypted with shenlife's private key:")
    rec = sample.get("sample_decrypted") or {}
    shown = {k: rec[k] for k in ("setl_id", "psn_name", "certno", "psn_no", "brdy", "setl_time", "med_type",
                                 "fixmedins_code", "medfee_sumamt", "hifp_pay", "hifmi_pay", "hifob_pay", "maf_pay",
                                 "psn_cash_pay") if k in rec}
    shown["diseinfo"] = [d.get("diag_code") for d in rec.get("diseinfo") or []]
    shown["feedetail"] = f"{len(rec.get('feedetail') or [])} fee lines"
    typer.echo(json.dumps(shown, ensure_ascii=False, indent=2))
    claims = results.get("run claims until caught up", {}).get("extra", {})
    stories = results.get("publish demo claim stories", {}).get("published", [])
    typer.echo(f"\nclaims computed inside the pipeline from {claims.get('enrolment.enrol', 0)} enrolment and "
               f"{claims.get('enrolment.cancel', 0)} cancel events (platform.enrolments.v1), with "
               f"{len(stories)} hand-made settlements that cross the deductibles ({', '.join(stories)}):")
    explained = results.get("explain a paying claim per product", {})
    for code in ("hhb", "shenlife"):
        s = results.get(f"insurer {code} reads its claims", {})
        mode = {"result": " (result grant, 主动赔: only claims that pay, and their reversals, leave)",
                "detail": " (detail grant, 直赔: every claim's result)"}.get(s.get("claims_mode"), "")
        typer.echo(f"\n{code} read {s.get('claim_results', 0)} claim results{mode}, "
                   f"{s.get('claim_results_paying', 0)} paying; one, decrypted by the insurer "
                   "(no diagnosis, no line item leaves):")
        claim = s.get("claim_sample_decrypted") or {}
        typer.echo(json.dumps({k: claim[k] for k in ("claim_id", "person_no", "policy_no", "product_id",
                                                     "payable", "total_payable", "deductible") if k in claim},
                              ensure_ascii=False, indent=2))
        ex = explained.get(code) or {}
        if ex.get("explanation"):
            typer.echo(f"how {ex['claim_id']} was computed (medshare claims explain {ex['settlement_id']} "
                       f"--insurer {code}; for operators, inside the platform):")
            typer.echo(ex["explanation"])
    audit = results.get("verify the disclosure log", {})
    typer.echo(f"\ndisclosure log: {audit.get('entries')} entries, hash chain "
               f"{'verified' if audit.get('ok') else 'BROKEN'} (head {str(audit.get('head_hash'))[:16]}…)")
    typer.echo(f"\ncompliance report: {results.get('write the compliance report', {}).get('path')} "
               "(open it in a browser; it needs no network)")
    typer.echo("\nnext: `medshare status`, `medshare audit insurer hhb`, `medshare audit verify`, `medshare quarantine list`, `medshare insurer consume shenlife --max 3`, "
               "`medshare broker stop` when done")
    _exit_quietly()


def _exit_quietly() -> None:
    """End the process without the interpreter's teardown, so the demo's last lines stay its own.

    DuckDB 2.0's nanobind bindings print a reference-leak report (100+ lines naming internal
    types) when the interpreter shuts down with DuckDB objects still referenced from module state
    (dbt-duckdb, Great Expectations): harmless, and not the demo's to show. Everything the demo
    does is done and flushed by here; the broker it started runs on as its own process.
    """
    import os
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def register(app: typer.Typer) -> None:
    app.command("demo", epilog="Example: medshare demo --persons 1000 --days 90")(demo)
