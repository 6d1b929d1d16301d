"""Running ``airflow dags test`` from the DAG tests (the environment is set by this folder's conftest)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def dags_test(dag_id: str, run_after: str, conf: str | None = None, env: dict[str, str] | None = None,
              timeout: int = 600) -> tuple[subprocess.CompletedProcess, float]:
    """``airflow dags test DAG_ID RUN_AFTER`` (output captured); returns the process and its seconds."""
    full = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **(env or {})}
    cmd = [str(BIN / "airflow"), "dags", "test", dag_id, run_after]
    if conf:
        cmd += ["--conf", conf]
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=full, capture_output=True, text=True, timeout=timeout)
    return proc, time.perf_counter() - started
