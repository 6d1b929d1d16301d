"""``medshare topics``: create and list the pipeline's topics."""

from __future__ import annotations

import typer

from medshare.cli.output import JSON_OPTION, emit_json

topics_app = typer.Typer(help="Create and list topics.", no_args_is_help=True)


@topics_app.command("ensure", epilog="Example: medshare topics ensure --strict --json")
def ensure_cmd(
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if a topic differs in what cannot be changed "
                                                        "in place (partition count, replication factor)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Create missing topics, reconcile the configs of existing ones (min.insync.replicas, unclean
    leader election, retention) and the core ACLs; report what cannot change in place, with its fix.

    Covers the pipeline topics and those of every onboarded insurer (idempotent).
    """
    from medshare import acls
    from medshare import topics as t
    from medshare.config import settings
    from medshare.onboard import onboarded_insurers

    cfg = settings()
    specs = t.pipeline_topic_specs(cfg.partitions)
    for code in onboarded_insurers(cfg):
        specs += t.insurer_topic_specs(code, cfg.partitions)
    report = acls.ensure_topics(specs, cfg)
    acls.apply_grants(acls.core_grants(), cfg)
    out = {**report.as_dict(), "replication_factor": cfg.topic_replication,
           "min_insync_replicas": cfg.topic_min_isr}
    if as_json:
        emit_json(out)
    else:
        typer.echo(f"created {len(report.created)} topic(s): {', '.join(report.created) or '-'}")
        for topic, changes in report.altered.items():
            typer.echo(f"altered {topic}: " + ", ".join(f"{k} {a} -> {b}" for k, (a, b) in changes.items()))
        for d in report.drift:
            typer.echo(f"cannot change in place: {d['topic']} {d['setting']} is {d['have']}, wanted {d['want']}; "
                       f"fix: {d['fix']}", err=True)
    if strict and report.drift:
        raise typer.Exit(1)


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
