"""``medshare lineage``: the OpenLineage store — copy ``governance.lineage.v1`` into it, list, validate.

A thin layer over :mod:`medshare.lineage` and :mod:`medshare.lineage_schema` (docs/lineage.md).
"""

from __future__ import annotations

import typer

from medshare.cli.output import JSON_OPTION, emit_json

lineage_app = typer.Typer(help="The lineage store: pull governance.lineage.v1 into it, list and validate events.",
                          no_args_is_help=True)


@lineage_app.command("pull", epilog="Example: medshare lineage pull --json")
def pull_cmd(
    principal: str = typer.Option("compliance", help="Principal to read the topic as (it must read governance.*)."),
    timeout: float = typer.Option(30.0, help="Seconds to read the topic to its end."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Copy run events on governance.lineage.v1 that the local store lacks into it (idempotent).

    Events other machines and processes published; a second pull adds nothing."""
    from kafka.errors import KafkaError

    from medshare.errors import UserError
    from medshare.lineage import LineageStore, pull
    from medshare.topics import LINEAGE

    try:
        result = pull(principal=principal, timeout_s=timeout)
    except (KafkaError, TimeoutError) as exc:
        raise UserError(f"cannot read {LINEAGE} as {principal}: {type(exc).__name__}: {exc}") from None
    out = {**result.to_dict(), "store": str(LineageStore.open().dir)}
    if as_json:
        emit_json(out)
        return
    typer.echo(f"{LINEAGE}: {result.read} events read, {result.added} added to {out['store']}, "
               f"{result.duplicates} already there, {len(result.rejected)} rejected")
    for r in result.rejected[:20]:
        typer.echo(f"  rejected {r}")


@lineage_app.command("list", epilog="Example: medshare lineage list --job streams.router")
def list_cmd(
    job: str | None = typer.Option(None, help="Only this job name (e.g. streams.router, lab_load.load_and_validate)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Runs in the store, oldest first: time, state, job namespace/name, inputs -> outputs."""
    from medshare.lineage import LineageStore

    events = LineageStore.open().events(job=job)
    rows = [{"time": e.get("eventTime"), "state": e.get("eventType"), "job": _job(e), "run": _run_id(e),
             "inputs": [f"{d.get('namespace')}/{d.get('name')}" for d in e.get("inputs") or []],
             "outputs": [f"{d.get('namespace')}/{d.get('name')}" for d in e.get("outputs") or []]}
            for e in events]
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        typer.echo(f"{r['time']}  {r['state']:<8} {r['job']}  ({len(r['inputs'])} in -> {len(r['outputs'])} out)")


@lineage_app.command("validate", epilog="Example: medshare lineage validate --json")
def validate_cmd(as_json: bool = JSON_OPTION) -> None:
    """Validate every event in the store; exit 1 naming each invalid event and field.

    Against the OpenLineage RunEvent schema and the facet schemas that ship installed."""
    from medshare.errors import UserError
    from medshare.lineage import LineageStore
    from medshare.lineage_schema import validate_event

    events = LineageStore.open().events()
    invalid = []
    for e in events:
        errors = validate_event(e)
        if errors:
            invalid.append({"job": _job(e), "state": e.get("eventType"), "run": _run_id(e), "errors": errors})
    if as_json:
        emit_json({"events": len(events), "invalid": invalid})
    else:
        typer.echo(f"{len(events)} events, {len(invalid)} invalid")
    if invalid:
        first = invalid[0]
        raise UserError(f"{len(invalid)} of {len(events)} events are invalid; first: {first['job']} "
                        f"{first['state']} run {first['run']}: {first['errors'][0]}")


def _job(e: dict) -> str:
    job = e.get("job") or {}
    return f"{job.get('namespace')}/{job.get('name')}"


def _run_id(e: dict) -> str | None:
    return (e.get("run") or {}).get("runId")


def register(app: typer.Typer) -> None:
    app.add_typer(lineage_app, name="lineage")
