"""``medshare contracts``: check records, validate lab tables, diff contract versions.

A thin layer over :mod:`contracts` (registry, validator, gx, diff): everything here can be called
from Python, a test or a DAG directly.
"""

from __future__ import annotations

from pathlib import Path

import typer

from medshare.cli.output import JSON_OPTION, emit_json
from medshare.errors import UserError

contracts_app = typer.Typer(
    help="Data contracts (ODCS v3): check records, validate lab tables, diff versions.",
    no_args_is_help=True,
)


def _resolve(ref: str):
    from contracts import registry
    from contracts.exceptions import ContractError

    try:
        return registry.resolve(ref)
    except ContractError as exc:
        raise UserError(str(exc)) from None


@contracts_app.command("list")
def list_cmd(as_json: bool = JSON_OPTION) -> None:
    """List the registered contracts with their version, topic or table, and field counts."""
    from contracts import registry

    rows = []
    for cid in registry.ids():
        c = registry.load(cid)
        rows.append({"id": c.id, "version": c.version, "topic": c.topic, "table": c.table,
                     "fields": len(c.top_fields), "direct_identifiers": c.fields_tagged("direct-identifier"),
                     "max_record_bytes": c.max_record_bytes, "file": c.origin})
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        where = r["table"] or r["topic"] or "-"
        typer.echo(f"{r['id']:<28} {r['version']:<8} {where:<26} {r['fields']:>3} fields")


@contracts_app.command(
    "check",
    epilog="Example: medshare contracts check platform.settlements.v1 var/sim/run1/settlements.jsonl",
)
def check_cmd(
    contract_id: str = typer.Argument(..., help="Contract id (or topic, or a contract YAML file)."),
    file: Path = typer.Argument(..., help="JSON Lines file: one record per line ('-' for stdin)."),
    as_json: bool = JSON_OPTION,
    limit: int = typer.Option(0, "--limit", help="Print at most this many violations (0: all)."),
) -> None:
    """Check every line of FILE against a contract; list every violation by line number.

    Exits 1 when any line fails. Identifier values are never printed, only their shape.
    """
    import sys

    contract = _resolve(contract_id)
    validator = contract.validator()
    if str(file) == "-":
        lines = sys.stdin.buffer
    elif not file.is_file():
        raise UserError(f"no file {file}")
    else:
        lines = file.open("rb")
    total = bad = 0
    found: list[dict] = []
    try:
        for n, line in enumerate(lines, start=1):
            raw = line.rstrip(b"\r\n")
            if not raw.strip():
                continue
            total += 1
            _, violations = validator.validate_bytes(raw)
            if violations:
                bad += 1
                found.extend({"line": n, **v.to_dict()} for v in violations)
    finally:
        if lines is not sys.stdin.buffer:
            lines.close()
    summary = {"contract": contract.id, "version": contract.version, "file": str(file), "records": total,
               "valid": total - bad, "invalid": bad, "violations": found}
    if as_json:
        emit_json(summary)
    else:
        shown = found if limit <= 0 else found[:limit]
        for v in shown:
            where = v["field"] or "(record)"
            value = f"  [{v['value']}]" if v["value"] else ""
            typer.echo(f"{file}:{v['line']}: {where}: {v['rule']}: {v['message']}{value}")
        if len(shown) < len(found):
            typer.echo(f"... {len(found) - len(shown)} more violation(s)")
        typer.echo(f"{contract.id} {contract.version}: {total} record(s), {total - bad} valid, {bad} invalid, "
                   f"{len(found)} violation(s)")
    if bad:
        raise typer.Exit(1)


@contracts_app.command(
    "validate",
    epilog="Example: medshare contracts validate lab_settlements --html var/reports/lab_settlements.html",
)
def validate_cmd(
    table: str = typer.Argument(..., help="Lab table (lab_settlements) or its contract id (lab.settlements.v1)."),
    database: str = typer.Option(None, "--database", help="DuckDB file (default: the lab's, settings().lab_database)."),
    as_json: bool = JSON_OPTION,
    html_out: Path = typer.Option(None, "--html", help="Also write a human-readable HTML summary here."),
    sample: int = typer.Option(10, "--sample", help="Failing row keys to show per failed expectation."),
) -> None:
    """Run the Great Expectations suite generated from the table's contract on the lab table.

    Exits 1 when a critical expectation fails (warnings such as freshness do not fail the run).
    """
    from contracts import gx as contracts_gx
    from contracts import registry
    from contracts.exceptions import ContractError

    try:
        contract = registry.for_table(table)
        run = contracts_gx.validate_table(table, database, contract=contract, sample=sample)
    except ContractError as exc:
        raise UserError(str(exc)) from None
    if html_out is not None:
        html_out.parent.mkdir(parents=True, exist_ok=True)
        html_out.write_text(run.to_html(), encoding="utf-8")
    if as_json:
        emit_json(run.to_dict())
    else:
        for o in run.outcomes:
            if o.success:
                continue
            mark = "FAIL" if o.severity == "critical" else "warn"
            keys = ", ".join("/".join(str(v) for v in k.values()) for k in o.sample_keys)
            count = f" {o.unexpected_count} row(s)" if o.unexpected_count else ""
            typer.echo(f"{mark} {o.expectation} [{o.column or '(table)'}] {o.rule}:{count}"
                       f"{f' e.g. {keys}' if keys else ''}{f' observed {o.observed}' if o.observed is not None else ''}")
        typer.echo(f"{run.table} ({run.contract_id} {run.contract_version}): {run.rows} rows, "
                   f"{len(run.outcomes)} expectations, {len(run.failed)} failed: "
                   f"{'PASSED' if run.success else 'FAILED'}{f'; HTML: {html_out}' if html_out else ''}")
    if not run.success:
        raise typer.Exit(1)


@contracts_app.command(
    "diff",
    epilog="Example: medshare contracts diff old/platform.settlements.v1.yaml contracts/odcs/platform.settlements.v1.yaml",
)
def diff_cmd(
    old: str = typer.Argument(..., help="Old contract: a YAML file (or a registered id)."),
    new: str = typer.Argument(..., help="New contract: a YAML file (or a registered id)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Classify every change from OLD to NEW as compatible or breaking.

    Exits 1 when a breaking change comes without a major version bump, naming the field and why.
    """
    from contracts.diff import diff, format_report

    report = diff(_resolve(old), _resolve(new))
    if as_json:
        emit_json(report.to_dict())
    else:
        typer.echo(format_report(report))
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the ``contracts`` group to the medshare app."""
    app.add_typer(contracts_app, name="contracts")
