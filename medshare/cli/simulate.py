"""``medshare simulate``: the synthetic medical-insurance platform publishes its events."""

from __future__ import annotations

from pathlib import Path

import typer

from medshare.cli.output import JSON_OPTION, emit_json

EPILOG = """Examples:

  medshare simulate --persons 1000 --days 30 --seed 7

  medshare simulate --persons 200 --days 5 --no-kafka --jsonl /tmp/sim --json

  medshare simulate --persons 100000 --days 300 --no-kafka   # ≈ 1M settlements, batch only

Output goes to $MEDSHARE_HOME/sim/seed<S>/: the batch snapshot — settlements and 2208 revocations
as the national interface's JSON Lines (batch/settlements/date=YYYY-MM-DD/part-NNNNN.jsonl, what
`medshare platform ingest` reads), notes, consents and enrolments as Parquet
(batch/<table>/date=YYYY-MM-DD/part-NNNNN.parquet) —, malformed.jsonl (topic, event_id, kind of
each deliberately malformed event) and summary.json.
"""


def simulate_cmd(
    persons: int = typer.Option(1000, "--persons", help="Number of enrollees (参保人)."),
    days: int = typer.Option(30, "--days", help="Number of simulated days."),
    seed: int = typer.Option(42, "--seed", help="Random seed: the same seed gives byte-identical events."),
    start_date: str = typer.Option("2026-01-01", "--start-date", help="First simulated day (YYYY-MM-DD)."),
    insurers: str = typer.Option("hhb,shenlife", "--insurers",
                                 help="Comma-separated insurer codes persons may authorise."),
    malformed_rate: float = typer.Option(0.01, "--malformed-rate",
                                         help="Share of events that are deliberately malformed (0..1)."),
    enrolments: bool = typer.Option(True, "--enrolments/--no-enrolments",
                                    help="Publish 投保/退保 events for the insurers that have a product "
                                         "(contracts/products)."),
    kafka: bool = typer.Option(True, "--kafka/--no-kafka",
                               help="Publish to the platform topics as the `platform` principal."),
    batch: bool = typer.Option(True, "--batch/--no-batch", help="Write the batch snapshot (settlements as interface JSON Lines, the rest Parquet)."),
    jsonl: Path | None = typer.Option(None, "--jsonl", help="Also write one <topic>.jsonl per topic here."),
    out: Path | None = typer.Option(None, "--out", help="Run folder (default: $MEDSHARE_HOME/sim/seed<S>)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Simulate the Shanghai medical-insurance platform: settlements, e-medical notes, consents, enrolments."""
    from datetime import date

    from medshare.errors import UserError
    from medshare.simulate.run import SimConfig, run

    try:
        first_day = date.fromisoformat(start_date)
    except ValueError:
        raise UserError(f"--start-date {start_date!r} is not a date like 2026-01-01") from None
    try:
        cfg = SimConfig(
            persons=persons,
            days=days,
            seed=seed,
            start_date=first_day,
            insurers=tuple(c.strip() for c in insurers.split(",") if c.strip()),
            malformed_rate=malformed_rate,
            enrolments=enrolments,
        )
    except ValueError as exc:
        raise UserError(f"simulate: {exc}") from None
    summary = run(cfg, out, kafka=kafka, batch=batch, jsonl_dir=jsonl, progress=not quiet and not as_json)
    if as_json:
        emit_json(summary)
        return
    topics = summary["topics"]
    sinks = [name for name in ("kafka", "batch", "jsonl") if name in summary["sinks"]]
    typer.echo(
        f"simulated {summary['events']:,} events for {persons:,} persons over {days} days "
        f"({summary['start_date']}..{summary['end_date']}): "
        f"{topics['platform.settlements.v2']:,} settlements, {topics['platform.emr-notes.v1']:,} notes, "
        f"{topics['platform.consents.v1']:,} consents, {topics['platform.enrolments.v1']:,} enrolment events; "
        f"{summary['malformed_total']:,} malformed "
        f"({summary['consents']['out_of_order']} consents out of order)"
    )
    typer.echo(f"to {', '.join(sinks) or 'no sink'}; run folder {summary['run_dir']} "
               f"({summary['seconds']} s, {summary['settlements_per_second']:,} settlements/s)")


def register(app: typer.Typer) -> None:
    """Add ``medshare simulate`` to the medshare app."""
    app.command("simulate", epilog=EPILOG)(simulate_cmd)
