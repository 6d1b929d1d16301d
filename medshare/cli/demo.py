"""``medshare demo``: the README's main command."""

from __future__ import annotations

import typer

from medshare.cli.output import JSON_OPTION, emit_json


def demo(
    persons: int = typer.Option(300, min=1, help="Synthetic enrollees."),
    days: int = typer.Option(30, min=1, help="Days of settlements to simulate."),
    seed: int = typer.Option(7, help="Simulator seed (same seed, same events)."),
    fresh: bool = typer.Option(True, "--fresh/--keep", help="Start from empty local state (default) or keep it."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Run medshare end to end on synthetic data: broker, insurers, platform events, pipeline, outputs."""
    from medshare.demo import DemoOptions, run_demo

    report = run_demo(DemoOptions(persons=persons, days=days, seed=seed, fresh=fresh),
                      say=(lambda _m: None) if as_json else typer.echo)
    if as_json:
        emit_json(report.steps)
        return
    topics = next((s["result"] for s in report.steps if s["step"] == "topics"), [])
    typer.echo("\nmessages per topic:")
    for row in topics:
        typer.echo(f"  {row['topic']:<34} {row['messages']:>8}")
    typer.echo("\nnext: `medshare topics list`, `medshare broker credentials insurer-hhb --json`, "
               "`medshare broker stop` when done")


def register(app: typer.Typer) -> None:
    app.command("demo", epilog="Example: medshare demo --persons 1000 --days 90")(demo)
