"""Shared fixtures.

Tests never touch the demo's state: they run with their own home (``var/test``) and their own
broker ports (29092/29093). ``kafka_broker`` starts the real broker once per session (fresh
state if it was not already running) and stops it at the end if it started it.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# set before any medshare module reads its settings
os.environ.setdefault("MEDSHARE_HOME", str(ROOT / "var" / "test"))
os.environ.setdefault("MEDSHARE_KAFKA_PORT", "29092")
os.environ.setdefault("MEDSHARE_KAFKA_CONTROLLER_PORT", "29093")
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
