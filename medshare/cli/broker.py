"""``medshare broker``: install, start, stop and inspect the local Kafka broker."""

from __future__ import annotations

from pathlib import Path

import typer

from medshare.cli.output import JSON_OPTION, emit_json

broker_app = typer.Typer(help="Run the local Apache Kafka broker (KRaft, SASL/SCRAM, ACLs).", no_args_is_help=True)


@broker_app.command("install")
def install_cmd() -> None:
    """Fetch the Apache Kafka broker jars with Maven into the cache (once)."""
    from medshare import broker

    typer.echo(f"Kafka jars in {broker.install()}")


@broker_app.command("start", epilog="Example: medshare broker start --nodes 3 && medshare broker status")
def start_cmd(
    nodes: int = typer.Option(None, "--nodes", min=1, max=9,
                              help="Local KRaft nodes (default: as formatted before, else 1). 3: a cluster "
                                   "with a three-voter quorum; topics get replication factor 3, min ISR 2."),
    timeout: float = typer.Option(120.0, help="Seconds to wait for the broker(s) to accept clients."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Start the broker, or every node of the local cluster that is not running (idempotent): fetch jars,
    make the TLS certificates, format storage, start, wait, ensure topics and ACLs."""
    import time

    from medshare import broker

    t0 = time.monotonic()
    st = broker.start(timeout=timeout, quiet=as_json, nodes=nodes)
    if as_json:
        emit_json({**st.as_dict(), "start_s": round(time.monotonic() - t0, 2)})
    else:
        pids = ", ".join(str(n["pid"]) for n in st.nodes)
        typer.echo(f"broker running at {st.bootstrap} ({len(st.nodes)} node(s), pid {pids}, Kafka {st.version}, "
                   f"SASL_SSL) in {time.monotonic() - t0:.1f}s; logs: {st.home}")


@broker_app.command("stop")
def stop_cmd() -> None:
    """Stop the broker, every node of a local cluster (SIGTERM, then SIGKILL after 30 s)."""
    from medshare import broker

    typer.echo("broker stopped" if broker.stop() else "broker was not running")


@broker_app.command("status")
def status_cmd(as_json: bool = JSON_OPTION) -> None:
    """Each node, the active controller and under-replicated partitions; exits 1 unless every node runs."""
    from medshare import broker

    st = broker.status(detail=True)
    if as_json:
        emit_json(st.as_dict())
    else:
        typer.echo(f"{'running' if st.running else 'not running'}: {st.bootstrap}")
        for n in st.nodes:
            role = " (active controller)" if st.controller == n["id"] else ""
            typer.echo(f"  node {n['id']}: {'up' if n['running'] else 'down'} port {n['port']} "
                       f"controller port {n['controller_port']} pid {n['pid'] or '-'}{role}")
        if st.controller is not None:
            typer.echo(f"controller: node {st.controller}; brokers serving clients: {st.brokers}")
        if st.under_replicated is not None:
            typer.echo(f"under-replicated partitions: {len(st.under_replicated)}")
            for p in st.under_replicated[:20]:
                typer.echo(f"  {p['topic']}[{p['partition']}] leader {p['leader']} replicas {p['replicas']} "
                           f"in sync {p['isr']}")
        if st.offline:
            typer.echo(f"offline partitions: {len(st.offline)}")
            for p in st.offline[:20]:
                typer.echo(f"  {p}")
    if not st.running:
        raise typer.Exit(1)


@broker_app.command("credentials", epilog="Example: medshare broker credentials pipeline --json")
def credentials_cmd(
    principal: str = typer.Argument(..., help="admin, pipeline, platform, compliance or insurer-<code>"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Print a principal's connection bundle: bootstrap servers, security protocol (SASL_SSL), the CA file
    that verifies the brokers (ssl_cafile), SASL mechanism, username, password."""
    from medshare.onboard import principal_bundle

    b = principal_bundle(principal)
    if as_json:
        emit_json(b)
    else:
        for k, v in b.items():
            typer.echo(f"{k}: {v}")


@broker_app.command("certificates",
                    epilog="Example: medshare broker certificates --host kafka-1 --host kafka-2 --host kafka-3 "
                           "--host localhost --out secrets/kafka")
def certificates_cmd(
    hosts: list[str] = typer.Option(..., "--host", help="A host name or IP the brokers are reached at (repeat)."),
    out: Path = typer.Option(..., "--out", help="Folder for ca.pem, ca.key, broker.pem, broker.key."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Make a CA and a broker certificate for a deployment's brokers (docker-compose.yml), once.

    For a development or test deployment; in production use your organisation's PKI (docs/deployment.md).
    Keys are written 0600: give the broker's user read access (the apache/kafka image runs as uid 1000).
    """
    from medshare import tls

    b = tls.issue_broker_certificate(out.expanduser().absolute(), [h.strip().lower() for h in hosts])
    files = {"ca": str(b.ca_pem), "certificate": str(b.cert_pem), "key": str(b.key_pem)}
    if as_json:
        emit_json({**files, "hosts": hosts})
    else:
        for k, v in files.items():
            typer.echo(f"{k}: {v}")


def register(app: typer.Typer) -> None:
    app.add_typer(broker_app, name="broker")
