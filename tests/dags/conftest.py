"""Airflow for the DAG tests: its own AIRFLOW_HOME (a temp folder), SQLite, the project's dags/.

The environment is set when this conftest is imported, before any test imports Airflow (Airflow
reads ``AIRFLOW_HOME`` once, at import), including the OpenLineage provider's transport
(:func:`medshare.orchestration.lineage.openlineage_env`): every ``airflow dags test`` emits lineage. ``airflow_db`` migrates the metadata database once per
session; ``airflow_helpers.dags_test`` runs ``airflow dags test`` in a subprocess, as an engineer would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "dags"
BIN = Path(sys.executable).parent

_HOME = Path(tempfile.mkdtemp(prefix="medshare-airflow-test-"))
AIRFLOW_ENV = {
    "AIRFLOW_HOME": str(_HOME),
    "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
    "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
}
# OpenLineage from every task through medshare's transport, as `medshare airflow` configures it
# (imported after MEDSHARE_HOME is set by tests/conftest.py; the module imports no Airflow)
from medshare.orchestration.lineage import openlineage_env  # noqa: E402

AIRFLOW_ENV.update(openlineage_env())
os.environ.update(AIRFLOW_ENV)


@pytest.fixture(scope="session")
def airflow_db():
    """The metadata database, migrated once; removed with the session's AIRFLOW_HOME."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run([str(BIN / "airflow"), "db", "migrate"], env=env, check=True, capture_output=True,
                   timeout=300)
    yield _HOME
    shutil.rmtree(_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def dbt_manifest():
    """dbt's manifest of transforms/ (``dbt parse``; no database): lab_transform is rendered from it."""
    from medshare.config import reload_settings
    from medshare.orchestration.transform import ensure_manifest

    return ensure_manifest(reload_settings())
