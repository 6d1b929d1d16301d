"""``medshare run``: the stream processors, and ``medshare status``."""

from __future__ import annotations

import typer

from medshare.cli.output import JSON_OPTION, emit_json

run_app = typer.Typer(help="Run a stream processor (consent-sync, router, deidentify, lab-sink).",
                      no_args_is_help=True)


def _runner(name: str):
    def command(
        until_idle: bool = typer.Option(False, "--until-idle", help="Exit once caught up (batch runs, tests)."),
        workers: int = typer.Option(1, min=1, help="Processes in the consumer group (scale by partitions)."),
        idle_seconds: float = typer.Option(3.0, help="With --until-idle: seconds with nothing new before exiting."),
        metrics_port: int | None = typer.Option(None, help="Serve Prometheus metrics on 127.0.0.1:PORT."),
        batch_size: int = typer.Option(500, min=1, help="Records per batch (one Kafka transaction each)."),
        instance: str = typer.Option(
            "0", envvar="MEDSHARE_INSTANCE",
            help="This instance's stable id (its transactional id is medshare-NAME-INSTANCE): unique per "
            "replica, the same across its restarts. 'hostname' uses the host name (one per container)."),
        metrics_host: str = typer.Option("127.0.0.1", help="Address for --metrics-port (0.0.0.0 in containers)."),
        log_format: str = typer.Option("text", envvar="MEDSHARE_LOG_FORMAT", help="text or json (one object per line)."),
        as_json: bool = JSON_OPTION,
    ) -> None:
        from streams.logs import configure
        from streams.runtime import RunOptions
        from streams.service import run_workers, start_metrics_server

        configure(name, log_format)
        import socket

        if metrics_port:
            start_metrics_server(metrics_port, host=metrics_host)
        inst = socket.gethostname() if instance == "hostname" else instance
        results = run_workers(name, workers, RunOptions(until_idle=until_idle, idle_s=idle_seconds,
                                                          max_records=batch_size, instance=inst))
        if as_json:
            emit_json(results)
        else:
            for r in results:
                typer.echo(f"{name}: consumed={r['consumed']} published={r['published']} "
                           f"quarantined={r['quarantined']} disclosed={r['disclosed']}")

    command.__doc__ = f"Run the {name} processor (Ctrl-C or SIGTERM drains and commits)."
    return command


def status(as_json: bool = JSON_OPTION) -> None:
    """Broker, topics and every processor's counters (consumed, published, quarantined, disclosed, lag)."""
    from medshare import broker
    from medshare.config import settings
    from streams.runtime import read_statuses

    st = broker.status()
    procs = read_statuses()
    topics = []
    if st.running or not settings().manages_broker:
        from medshare.onboard import topic_overview

        topics = topic_overview()
    if as_json:
        emit_json({"broker": st.as_dict(), "topics": topics, "processors": procs})
        return
    typer.echo(f"broker: {'running at ' + st.bootstrap if st.running else 'not running'}")
    for t in topics:
        typer.echo(f"  {t['topic']:<34} {t['offsets']:>8} offsets")
    for p in procs:
        typer.echo(f"{p['processor']}[{p['instance']}] {p['state']}: consumed={p['consumed']} "
                   f"published={p['published']} quarantined={p['quarantined']} "
                   f"disclosed={p['disclosed']} lag={p['lag']}")


def register(app: typer.Typer) -> None:
    from streams.registry import PROCESSORS

    for name in PROCESSORS:
        run_app.command(name)(_runner(name))
    app.add_typer(run_app, name="run")
    app.command("status")(status)
