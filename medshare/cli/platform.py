"""``medshare platform``: take in what the national medical-insurance platform interface produces.

A thin layer over :mod:`medshare.ingest`; the record's shape lives in the
``platform.settlements.v2`` contract and docs/platform-interface.md maps every field.
"""

from __future__ import annotations

from pathlib import Path

import typer

from medshare.cli.output import JSON_OPTION

platform_app = typer.Typer(
    help="The national platform interface (2207/2204/2203 settlements, 2208 revocations).",
    no_args_is_help=True,
)

INGEST_EPILOG = """Each line of FILE is one settlement as the interface returns it:

  {"setlinfo": {...}, "setldetail": [...], "feedetail": [...], "diseinfo": [...]}

or a revocation (2208 结算撤销):

  {"revoke": {"setl_id": "...", "psn_no": "...", "mdtrt_id": "..."}}

Examples:

  medshare platform ingest settlements.jsonl --dry-run

  medshare platform ingest settlements.jsonl --json

Exit code 1 when any line was refused (with --dry-run nothing is published; without it refused
lines are sealed into pipeline.quarantine.v1 with their reasons).
"""


@platform_app.command("ingest", epilog=INGEST_EPILOG)
def ingest_cmd(
    file: Path = typer.Argument(..., help="JSON Lines file of interface output ('-' for stdin)."),
    dry_run: bool = typer.Option(False, "--dry-run",
                                 help="Validate only: publish nothing, connect to nothing."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Validate interface output against platform.settlements.v2 and publish it as the platform."""
    from medshare.ingest import dumps, ingest, summary_lines

    result = ingest(file, dry_run=dry_run)
    if as_json:
        typer.echo(dumps(result))
    else:
        for line in summary_lines(result):
            typer.echo(line)
    if result.quarantined:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``medshare platform`` to the medshare app."""
    app.add_typer(platform_app, name="platform")
