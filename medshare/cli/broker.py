"""``medshare broker``: install, start, stop and inspect the local Kafka broker."""

from __future__ import annotations

import typer

from medshare.cli.output import JSON_OPTION, emit_json

broker_app = typer.Typer(help="Run the local Apache Kafka broker (KRaft, SASL/SCRAM, ACLs).", no_args_is_help=True)


@broker_app.command("install")
def install_cmd() -> None:
    """Fetch the Apache Kafka broker jars with Maven into the cache (once)."""
    from medshare import broker

    typer.echo(f"Kafka jars in {broker.install()}")


@broker_app.command("start", epilog="Example: medshare broker start && medshare broker status --json")
def start_cmd(
    timeout: float = typer.Option(90.0, help="Seconds to wait for the broker to accept clients."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Start the broker (idempotent): fetch jars, format storage, start, wait, ensure topics and ACLs."""
    import time

    from medshare import broker

    t0 = time.monotonic()
    st = broker.start(timeout=timeout, quiet=as_json)
    if as_json:
        emit_json({**st.as_dict(), "start_s": round(time.monotonic() - t0, 2)})
    else:
        typer.echo(f"broker running at {st.bootstrap} (pid {st.pid}, Kafka {st.version}) "
                   f"in {time.monotonic() - t0:.1f}s; log: {st.log}")


@broker_app.command("stop")
def stop_cmd() -> None:
    """Stop the broker (SIGTERM, then SIGKILL after 30 s)."""
    from medshare import broker

    typer.echo("broker stopped" if broker.stop() else "broker was not running")


@broker_app.command("status")
def status_cmd(as_json: bool = JSON_OPTION) -> None:
    """Say whether the broker runs; exits 1 if it does not."""
    from medshare import broker

    st = broker.status()
    if as_json:
        emit_json(st.as_dict())
    else:
        typer.echo(f"running at {st.bootstrap} (pid {st.pid})" if st.running else "not running")
    if not st.running:
        raise typer.Exit(1)


@broker_app.command("credentials", epilog="Example: medshare broker credentials pipeline --json")
def credentials_cmd(
    principal: str = typer.Argument(..., help="admin, pipeline, platform, compliance or insurer-<code>"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Print a principal's connection bundle (bootstrap, SASL mechanism, username, password)."""
    from medshare.onboard import principal_bundle

    b = principal_bundle(principal)
    if as_json:
        emit_json(b)
    else:
        for k, v in b.items():
            typer.echo(f"{k}: {v}")


def register(app: typer.Typer) -> None:
    app.add_typer(broker_app, name="broker")
