"""``medshare topics``: create and list the pipeline's topics."""

from __future__ import annotations

import typer

from medshare.cli.output import JSON_OPTION, emit_json

topics_app = typer.Typer(help="Create and list topics.", no_args_is_help=True)


@topics_app.command("ensure")
def ensure_cmd(as_json: bool = JSON_OPTION) -> None:
    """Create the pipeline topics and core ACLs that do not exist yet (idempotent)."""
    from medshare import acls

    created = acls.ensure_core()
    if as_json:
        emit_json({"created": created})
    else:
        typer.echo(f"created {len(created)} topic(s): {', '.join(created) or '-'}")


@topics_app.command("list")
def list_cmd(as_json: bool = JSON_OPTION) -> None:
    """List topics with partitions and offsets used (messages, plus transaction markers on processor outputs)."""
    from medshare.onboard import topic_overview

    rows = topic_overview()
    if as_json:
        emit_json(rows)
    else:
        for r in rows:
            typer.echo(f"{r['topic']:<34} partitions={r['partitions']:<3} offsets={r['offsets']}")


def register(app: typer.Typer) -> None:
    app.add_typer(topics_app, name="topics")
