"""``medshare report``: the compliance officer's self-contained HTML report (docs/report.md).

A thin layer over :mod:`medshare.report`.
"""

from __future__ import annotations

from pathlib import Path

import typer

from medshare.cli.output import JSON_OPTION, emit_json


def report(
    out: Path = typer.Option(..., "--out", help="Folder to write index.html and report.json into (created)."),
    since: str | None = typer.Option(None, "--since", help="Start of the window (ISO date or time; Shanghai time "
                                     "without an offset), inclusive."),
    until: str | None = typer.Option(None, "--until", help="End of the window, exclusive."),
    no_quality: bool = typer.Option(False, "--no-quality", help="Skip the Great Expectations run over the lab "
                                    "(the data-quality section shows the lineage store's results only)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Write the compliance report: lineage graph, agreements, disclosures, consents, quarantine,
    data quality and the audit chain's verification, as one page that needs no network.

    Example: medshare report --out var/report --since 2026-03-01 --until 2026-04-01
    """
    from medshare.cli.output import parse_time
    from medshare.errors import UserError
    from medshare.report import ReportLeak, write_report

    lo, hi = parse_time(since, "--since"), parse_time(until, "--until")
    if lo and hi and hi <= lo:
        raise UserError("--until must be after --since")
    try:
        data = write_report(out, since=lo, until=hi, quality=not no_quality)
    except ReportLeak as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot write the report to {out}: {exc.strerror or exc}") from None
    summary = {
        "index": str(out / "index.html"), "json": str(out / "report.json"),
        "disclosures": (data.get("disclosures") or {}).get("total", 0),
        "runs": len(data.get("runs") or []),
        "graph": {"nodes": len(data["lineage"]["nodes"]), "edges": len(data["lineage"]["edges"])},
        "quarantine_source": (data.get("quarantine") or {}).get("source"),
        "audit_chain": (data.get("audit_chain") or {}).get("status"),
    }
    if json_out:
        emit_json(summary)
        return
    typer.echo(f"report written to {summary['index']} ({summary['disclosures']} disclosures, "
               f"{summary['runs']} runs, audit chain {summary['audit_chain']})")


def register(app: typer.Typer) -> None:
    app.command("report", help="Write the compliance report (self-contained HTML + JSON).")(report)
