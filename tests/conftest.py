"""Shared fixtures.

Tests never touch the demo's state: they run with their own home (``var/test``) and their own
broker ports (29092/29093). ``kafka_broker`` starts the real broker once per session (fresh
state if it was not already running) and stops it at the end if it started it.

Under pytest-xdist (``make test TEST_WORKERS=2``) each worker is a session of its own with its own
home (``var/test-gw0``, …), its own broker ports (base + 20 per worker) and its own Postgres
database: workers never share a broker, a state file or a table.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# property tests judge behaviour, never speed: a loaded machine (CI, xdist) must not fail them
settings.register_profile("medshare", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("medshare")

ROOT = Path(__file__).resolve().parents[1]

# set before any medshare module reads its settings
os.environ.setdefault("MEDSHARE_HOME", str(ROOT / "var" / "test"))
os.environ.setdefault("MEDSHARE_KAFKA_PORT", "29092")
os.environ.setdefault("MEDSHARE_KAFKA_CONTROLLER_PORT", "29093")


def _per_worker() -> None:
    """An xdist worker's own home, broker ports and Postgres database (derived from the base ones)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or os.environ.get("MEDSHARE_TEST_WORKER") == worker:
        return
    n = int(worker[2:])
    os.environ["MEDSHARE_TEST_WORKER"] = worker
    os.environ["MEDSHARE_HOME"] = f"{os.environ['MEDSHARE_HOME']}-{worker}"
    base = int(os.environ["MEDSHARE_KAFKA_PORT"]) + 20 * (n + 1)
    os.environ["MEDSHARE_KAFKA_PORT"] = str(base)
    os.environ["MEDSHARE_KAFKA_CONTROLLER_PORT"] = str(base + 1)
    url = os.environ.get("MEDSHARE_TEST_POSTGRES_URL")
    if url:
        from urllib.parse import urlparse, urlunparse

        import psycopg2

        name = f"medshare_test_{worker}"
        con = psycopg2.connect(url)
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute("select 1 from pg_database where datname = %s", (name,))
            if cur.fetchone() is None:
                cur.execute(f"create database {name}")
        con.close()
        os.environ["MEDSHARE_TEST_POSTGRES_URL"] = urlunparse(urlparse(url)._replace(path=f"/{name}"))


_per_worker()
os.environ.setdefault("MEDSHARE_PARTITIONS", "3")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("TLDEXTRACT_CACHE", str(ROOT / ".cache" / "tldextract"))


@pytest.fixture(scope="session")
def kafka_broker():
    """The running local broker's settings; topics and core ACLs exist."""
    from medshare import broker
    from medshare.config import reload_settings

    cfg = reload_settings()
    started_here = False
    if not broker.status(cfg).running:
        # a fresh broker state each session that starts its own broker
        if cfg.home.exists() and cfg.home.name == "test":
            shutil.rmtree(cfg.home)
        broker.start(cfg, quiet=True)
        started_here = True
    else:
        broker.start(cfg, quiet=True)  # ensures topics and ACLs
    yield cfg
    if started_here and not os.environ.get("MEDSHARE_KEEP_BROKER"):
        broker.stop(cfg)


@pytest.fixture
def unique() -> str:
    """A short unique suffix for consumer groups and record ids."""
    return uuid.uuid4().hex[:10]
