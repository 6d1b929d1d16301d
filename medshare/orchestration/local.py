"""Airflow on this machine: ``airflow standalone`` on SQLite with the project's DAGs.

``AIRFLOW_HOME`` is ``$MEDSHARE_HOME/airflow``; the DAGs folder is the project's ``dags/``;
examples are off; cosmos and dbt telemetry are off. ``start`` runs standalone in its own process
group (``setsid``), so ``stop`` can interrupt the whole group (scheduler, API server, DAG
processor, triggerer and their children) and nothing is left running.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from medshare.config import PROJECT_ROOT, Settings, settings
from medshare.orchestration.lineage import openlineage_env

DEFAULT_PORT = 8080


def airflow_home(cfg: Settings | None = None) -> Path:
    return (cfg or settings()).home / "airflow"


def airflow_env(cfg: Settings | None = None, port: int | None = None) -> dict[str, str]:
    """The environment every local ``airflow`` command runs with (on top of ``os.environ``)."""
    cfg = cfg or settings()
    bin_dir = str(Path(sys.executable).parent)
    env = {
        "AIRFLOW_HOME": str(airflow_home(cfg)),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "GX_ANALYTICS_ENABLED": "false",
        # one machine: a LocalExecutor with 32 idle workers is ~1 GB for nothing
        "AIRFLOW__CORE__PARALLELISM": os.environ.get("AIRFLOW__CORE__PARALLELISM", "4"),
        "MEDSHARE_HOME": str(cfg.home),
        # OpenLineage from every task and DAG run, through medshare's transport (docs/lineage.md)
        **openlineage_env(),
        # standalone starts its components as `airflow ...`: the venv's bin must come first
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
    }
    if port is not None:
        env["AIRFLOW__API__PORT"] = str(port)
        # task processes reach the API server here; Airflow's default assumes port 8080
        env["AIRFLOW__API__BASE_URL"] = f"http://localhost:{port}"
        env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] = f"http://localhost:{port}/execution/"
    return env


def airflow_cmd(args: list[str], cfg: Settings | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run ``airflow ARGS`` with the local environment."""
    exe = str(Path(sys.executable).parent / "airflow")
    return subprocess.run([exe, *args], env={**os.environ, **airflow_env(cfg)}, **kwargs)


def prepare(cfg: Settings | None = None) -> None:
    """What any local ``airflow`` command needs: a migrated SQLite database and dbt's manifest."""
    from medshare.errors import UserError
    from medshare.orchestration.transform import ensure_manifest

    cfg = cfg or settings()
    home = airflow_home(cfg)
    home.mkdir(parents=True, exist_ok=True)
    ensure_manifest(cfg)  # lab_transform is rendered from dbt's manifest
    if not (home / "airflow.db").exists():
        proc = airflow_cmd(["db", "migrate"], cfg, capture_output=True, text=True)
        if proc.returncode != 0:
            raise UserError(f"airflow db migrate failed: {proc.stderr.strip()[-500:]}")


@dataclass
class Standalone:
    running: bool
    pid: int | None
    url: str
    home: str
    log: str
    password_file: str

    def to_dict(self) -> dict:
        return asdict(self)


def _pid_file(cfg: Settings) -> Path:
    return airflow_home(cfg) / "standalone.pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while condition() and time.monotonic() < deadline:
        time.sleep(0.5)


def _state(cfg: Settings) -> tuple[int | None, int]:
    path = _pid_file(cfg)
    if not path.exists():
        return None, DEFAULT_PORT
    data = json.loads(path.read_text())
    return (data["pid"] if _alive(data["pid"]) else None), int(data.get("port", DEFAULT_PORT))


def status(cfg: Settings | None = None) -> Standalone:
    cfg = cfg or settings()
    home = airflow_home(cfg)
    pid, port = _state(cfg)
    return Standalone(running=pid is not None, pid=pid, url=f"http://localhost:{port}", home=str(home),
                      log=str(home / "standalone.log"),
                      password_file=str(home / "simple_auth_manager_passwords.json.generated"))


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def start(cfg: Settings | None = None, port: int = DEFAULT_PORT, timeout: float = 180.0) -> Standalone:
    """Start ``airflow standalone`` (idempotent) and wait until its UI answers."""
    from medshare.errors import UserError

    cfg = cfg or settings()
    st = status(cfg)
    if st.running:
        return st
    if _port_open(port):
        raise UserError(f"port {port} is already in use; pass --port")
    home = airflow_home(cfg)
    prepare(cfg)
    log = open(home / "standalone.log", "ab")  # noqa: SIM115 - handed to the child
    exe = str(Path(sys.executable).parent / "airflow")
    proc = subprocess.Popen([exe, "standalone"], env={**os.environ, **airflow_env(cfg, port)}, stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                            cwd=str(home))
    log.close()
    _pid_file(cfg).write_text(json.dumps({"pid": proc.pid, "port": port}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise UserError(f"airflow standalone exited with code {proc.returncode}; see {home / 'standalone.log'}")
        if _port_open(port):
            return status(cfg)
        time.sleep(1)
    raise UserError(f"airflow standalone did not answer on port {port} within {timeout:.0f} s; "
                    f"see {home / 'standalone.log'} (stop it with `medshare airflow down`)")


def stop(cfg: Settings | None = None, timeout: float = 15.0) -> bool:
    """Interrupt standalone's process group, then end what is left; False if it was not running."""
    cfg = cfg or settings()
    pid, _ = _state(cfg)
    if pid is None:
        _pid_file(cfg).unlink(missing_ok=True)
        return False
    pgid = os.getpgid(pid)
    # what ENVIRONMENT.md found to stop standalone cleanly: SIGINT to the group, then SIGTERM the parent
    os.killpg(pgid, signal.SIGINT)
    _wait(lambda: _alive(pid), 5.0)
    if _alive(pid):
        os.kill(pid, signal.SIGTERM)
    _wait(lambda: _group_alive(pgid), timeout)
    if _group_alive(pgid):
        # measured: the scheduler's LocalExecutor workers outlive INT and TERM for a minute or more
        os.killpg(pgid, signal.SIGTERM)
        _wait(lambda: _group_alive(pgid), 5.0)
    if _group_alive(pgid):
        os.killpg(pgid, signal.SIGKILL)
        _wait(lambda: _group_alive(pgid), 5.0)
    _pid_file(cfg).unlink(missing_ok=True)
    return True
