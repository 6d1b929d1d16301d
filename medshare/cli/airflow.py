"""``medshare airflow``: run Airflow locally with the project's DAGs (up, down, status, dags, trigger)."""

from __future__ import annotations

import typer

from medshare.cli.output import JSON_OPTION, emit_json

airflow_app = typer.Typer(help="Airflow standalone on SQLite with the project's DAGs: up, down, dags, trigger.",
                          no_args_is_help=True)


@airflow_app.command("up", epilog="Example: medshare airflow up --port 8080")
def up_cmd(
    port: int = typer.Option(8080, help="Port of the Airflow UI / API server."),
    timeout: float = typer.Option(180.0, help="Seconds to wait for the UI to answer."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Start `airflow standalone` (SQLite, AIRFLOW_HOME=$MEDSHARE_HOME/airflow, DAGs from dags/)."""
    from medshare.orchestration import local

    st = local.start(port=port, timeout=timeout)
    if as_json:
        emit_json(st.to_dict())
        return
    typer.echo(f"Airflow is up at {st.url} (pid {st.pid}, process group; AIRFLOW_HOME {st.home})")
    typer.echo(f"  user admin; password in {st.password_file}")
    typer.echo(f"  log: {st.log}")
    typer.echo("  trigger a DAG: medshare airflow trigger platform_extract; stop: medshare airflow down")


@airflow_app.command("down")
def down_cmd() -> None:
    """Stop the standalone Airflow started by `medshare airflow up` (its whole process group)."""
    from medshare.orchestration import local

    typer.echo("Airflow stopped" if local.stop() else "Airflow was not running")


@airflow_app.command("status")
def status_cmd(as_json: bool = JSON_OPTION) -> None:
    """Whether the local Airflow runs, where its UI and files are."""
    from medshare.orchestration import local

    st = local.status()
    if as_json:
        emit_json(st.to_dict())
    else:
        typer.echo(f"running at {st.url} (pid {st.pid})" if st.running else f"not running (home {st.home})")


@airflow_app.command("dags", epilog="Example: medshare airflow dags --json")
def dags_cmd(as_json: bool = JSON_OPTION) -> None:
    """List the project's DAGs as Airflow parses them (import errors fail the command)."""
    from medshare.errors import UserError
    from medshare.orchestration import local

    local.prepare()
    proc = local.airflow_cmd(["dags", "list", "--output", "json"], capture_output=True, text=True)
    errors = local.airflow_cmd(["dags", "list-import-errors", "--output", "json"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise UserError(f"airflow dags list failed: {proc.stderr.strip()[-500:]}")
    import json

    dags = json.loads(proc.stdout.strip().splitlines()[-1] or "[]")
    if errors.returncode == 0 and errors.stdout.strip().startswith("["):
        import_errors = json.loads(errors.stdout.strip().splitlines()[-1])
    else:
        import_errors = []
    if as_json:
        emit_json({"dags": dags, "import_errors": import_errors})
    else:
        for d in dags:
            typer.echo(f"{d['dag_id']:<20} paused={d.get('is_paused')}  {d.get('fileloc', '')}")
    if import_errors:
        raise UserError(f"{len(import_errors)} DAG file(s) failed to import: "
                        + "; ".join(str(e.get("filename")) for e in import_errors))


@airflow_app.command("trigger", epilog="Example: medshare airflow trigger platform_extract --test "
                     "--date 2026-03-02T00:00:00+08:00")
def trigger_cmd(
    dag_id: str = typer.Argument(..., help="DAG id, e.g. platform_extract."),
    conf: str | None = typer.Option(None, help='Run configuration as JSON, e.g. \'{"force": true}\'.'),
    date: str | None = typer.Option(None, "--date", help="Logical date / run-after (ISO 8601)."),
    test: bool = typer.Option(False, "--test", help="Run it here and now with `airflow dags test` "
                              "(no scheduler needed; output in the terminal)."),
) -> None:
    """Trigger a DAG run on the running Airflow, or run it in the foreground with --test."""
    from medshare.errors import UserError
    from medshare.orchestration import local

    if test:
        local.prepare()
        args = ["dags", "test", dag_id] + ([date] if date else [])
    else:
        if not local.status().running:
            raise UserError("Airflow is not running: `medshare airflow up`, or use --test")
        # DAGs start paused; a run triggered on a paused DAG would wait forever
        local.airflow_cmd(["dags", "unpause", dag_id], capture_output=True)
        typer.echo(f"{dag_id} unpaused (its schedule now runs too; pause it in the UI if unwanted)")
        args = ["dags", "trigger", dag_id] + (["--logical-date", date] if date else [])
    if conf:
        args += ["--conf", conf]
    proc = local.airflow_cmd(args)
    if proc.returncode != 0:
        raise UserError(f"airflow {' '.join(args[:3])} failed (exit {proc.returncode})")


def register(app: typer.Typer) -> None:
    app.add_typer(airflow_app, name="airflow")
