"""Fixtures of the simulator tests."""

from __future__ import annotations

import pytest
from sim_helpers import SMALL, Run, simulate


@pytest.fixture(scope="session")
def small_run() -> Run:
    """One small run (1,500 persons, 21 days, 5 % malformed), shared by the session."""
    return simulate(SMALL)
