"""``medshare lab``: build the lab's dbt marts, check them, release them to insurers.

A thin layer over :mod:`medshare.lab` (``dbt``, ``disclosure``, ``release``): a test or a DAG calls
the same functions directly.
"""

from __future__ import annotations

import typer

from medshare.cli.output import JSON_OPTION, emit_json
from medshare.errors import UserError

lab_app = typer.Typer(help="The data lab: dbt marts, disclosure check, release to insurers.",
                      no_args_is_help=True)

PURPOSE_HELP = "actuarial or supervision (the agreement's purpose)."
PERIOD_HELP = "Only this period: YYYY-MM (or YYYY for yearly marts). Default: every period ('all')."


@lab_app.command("build", epilog="Example: medshare lab build --docs --json")
def build_cmd(
    target: str | None = typer.Option(None, "--target", help="dbt target: duckdb (default) or postgres."),
    select: str | None = typer.Option(None, "--select", help="dbt node selection, e.g. marts."),
    full_refresh: bool = typer.Option(False, "--full-refresh", help="Rebuild incremental marts from scratch."),
    docs: bool = typer.Option(False, "--docs", help="Also run dbt docs generate."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Run ``dbt build`` (models, data tests, unit tests) on the lab database."""
    from medshare.lab import dbt
    from medshare.lab.exceptions import DbtFailed

    try:
        run = dbt.build(target=target, select=select, full_refresh=full_refresh)
        runs = [run.to_dict()]
        if docs:
            runs.append(dbt.docs_generate(target=target).to_dict())
    except DbtFailed as exc:
        raise UserError(str(exc)) from None
    if as_json:
        emit_json(runs)
        return
    for r in runs:
        counts = ", ".join(f"{n} {k}" for k, n in sorted(r["counts"].items()))
        typer.echo(f"{' '.join(r['command'])}: ok in {r['seconds']} s ({counts})")


@lab_app.command("check", epilog="Example: medshare lab check cost_by_disease_age_band --insurer hhb "
                                 "--purpose actuarial --json")
def check_cmd(
    mart: str = typer.Argument(..., help="Mart (dbt model) name, e.g. cost_by_disease_age_band."),
    insurer: str = typer.Option(..., "--insurer", help="Insurer code, e.g. hhb."),
    purpose: str = typer.Option(..., "--purpose", help=PURPOSE_HELP),
    period: str | None = typer.Option(None, "--period", help=PERIOD_HELP),
    as_json: bool = JSON_OPTION,
) -> None:
    """Run the disclosure check on a mart for an insurer and purpose; exit 1 when it is refused."""
    from medshare.lab.disclosure import check_mart, mart_contract
    from medshare.lab.exceptions import LabError
    from medshare.lab.store import read_mart

    try:
        try:
            contract = mart_contract(mart)
            field = str(contract.custom("periodField", "event_month"))
        except LookupError:
            contract, field = None, "event_month"
        rows = read_mart(mart, period=period, period_field=field) if contract is not None else []
    except (LabError, ValueError) as exc:
        raise UserError(str(exc)) from None
    res = check_mart(mart, rows, insurer=insurer, purpose=purpose)
    if as_json:
        emit_json(res.to_dict())
    else:
        for c in res.checks:
            typer.echo(f"{'ok ' if c.ok else 'NO '} {c.name:<14} {c.detail}")
    if not res.ok:
        raise UserError(f"{mart} may not go to {insurer} for {purpose}: {res.reason}")


@lab_app.command("release", epilog="Example: medshare lab release cost_by_disease_age_band --insurer hhb "
                                   "--purpose actuarial --period 2026-01")
def release_cmd(
    mart: str | None = typer.Argument(None, help="Mart (dbt model) name; omit with --all."),
    insurer: str | None = typer.Option(None, "--insurer", help="Insurer code, e.g. hhb."),
    purpose: str | None = typer.Option(None, "--purpose", help=PURPOSE_HELP),
    period: str | None = typer.Option(None, "--period", help=PERIOD_HELP),
    all_grants: bool = typer.Option(False, "--all", help="Every mart every agreement grants."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and project, send nothing."),
    force: bool = typer.Option(False, "--force", help="Publish even if the same content was released."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Check a mart and publish it to insurer.CODE.marts.v1 with one audit event (idempotent per period)."""
    from medshare.lab.exceptions import LabError, ReleaseRefused
    from medshare.lab.release import release, release_all

    try:
        if all_grants:
            results = release_all(period=period, dry_run=dry_run, lineage=True)
        else:
            if not (mart and insurer and purpose):
                raise UserError("give MART, --insurer and --purpose (or --all)")
            results = [release(mart, insurer, purpose, period, dry_run=dry_run, force=force, lineage=True).to_dict()]
    except ReleaseRefused as exc:
        raise UserError(exc.reason) from None
    except (LabError, ValueError, KeyError) as exc:
        raise UserError(str(exc)) from None
    if as_json:
        emit_json(results if all_grants else results[0])
    else:
        for r in results:
            d = r.get("disclosure") or {}
            typer.echo(f"{r['status']:<10} {r['insurer']:<10} {r['mart']:<28} {r['period']:<8} "
                       f"rows={r.get('rows', 0)} suppressed={d.get('rows_suppressed', 0)} "
                       f"{r.get('release_id') or r.get('reason', '')}")
    if any(r["status"] == "refused" for r in results):
        raise typer.Exit(1)


@lab_app.command("ledger")
def ledger_cmd(as_json: bool = JSON_OPTION) -> None:
    """List the releases made from this lab (the release ledger)."""
    from medshare.lab.store import ReleaseLedger

    entries = ReleaseLedger().entries()
    if as_json:
        emit_json(entries)
        return
    for e in entries:
        typer.echo(f"{e['released_at']}  {e['insurer']:<10} {e['mart']:<28} {e['period']:<8} "
                   f"rows={e['rows_released']} {e['release_id']}")


@lab_app.command("retention", epilog="Example: medshare lab retention --dry-run --json")
def retention_cmd(
    dry_run: bool = typer.Option(False, "--dry-run", help="Count the rows that would be deleted; delete nothing."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Delete lab rows older than the longest retention of the grants that read a lab mart.

    Rows whose month is before the cutoff month go from every lab table (v2 settlements and
    revocations, notes, the kept v1 settlements)
    (the next dbt run rebuilds the marts from what remains). The run is recorded for the report.
    """
    from medshare.lab.retention import enforce_lab_retention

    result = enforce_lab_retention(dry_run=dry_run)
    if as_json:
        emit_json(result)
        return
    if result["rule"] is None:
        typer.echo(result["note"])
        return
    r = result["rule"]
    typer.echo(f"rule: keep {r['retention']} (longest mart grant: {r['insurer']} {r['purpose']} {r['source']}); "
               f"cutoff {result['cutoff']}, rows before {result['cutoff_month']} "
               f"{'would be ' if dry_run else ''}deleted")
    for table, n in result["deleted"].items():
        typer.echo(f"  {table:<16} {'would delete' if dry_run else 'deleted'} {n}, kept {result['kept'][table]}")


def register(app: typer.Typer) -> None:
    app.add_typer(lab_app, name="lab")
