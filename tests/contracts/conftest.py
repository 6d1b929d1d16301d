"""Fixtures of the contract tests: valid records, a private settings home, a quarantine writer."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# the record builders live beside the tests (tests/ is not a package)
sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@pytest.fixture
def home_cfg(tmp_path):
    """Settings with their own home: keys and ledgers land in tmp_path."""
    from medshare.config import Settings

    return Settings(home=tmp_path / "home")


@pytest.fixture
def writer(home_cfg):
    from contracts.quarantine import QuarantineWriter

    return QuarantineWriter(cfg=home_cfg, processor="test")
