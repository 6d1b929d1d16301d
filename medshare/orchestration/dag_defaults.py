"""Defaults every medshare DAG shares: owner, retries with exponential backoff, timeouts, start.

Kept here so the DAG files stay wiring only and the integrity test can check one policy.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum

from medshare.orchestration.tasks import TIMEZONE

OWNER = "medshare-data-engineering"
#: the first interval any DAG knows about (runs before it are backfills)
START_DATE = pendulum.datetime(2026, 1, 1, tz=TIMEZONE)
#: the tag every medshare DAG carries (filter in the UI)
TAG = "medshare"

DEFAULT_ARGS = {
    "owner": OWNER,
    "retries": 3,
    "retry_delay": timedelta(minutes=1),
    # 1 min, 2 min, 4 min ... capped: a broker restart or a locked DuckDB file clears up by itself
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=30),
    "execution_timeout": timedelta(hours=1),
    "depends_on_past": False,
}
