"""A small SQLite ledger of what a scheduled step already did for an interval.

``platform_extract`` records each day it published; ``rotate_keys`` each interval it rotated in.
A rerun or backfill of the same interval reads the ledger and does nothing unless forced, so
reruns never publish a day twice or rotate a key twice. The file lives in the local state folder
(``$MEDSHARE_HOME/state/airflow/ledger.sqlite``), next to the other processors' state.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from medshare.config import Settings

_SCHEMA = """
create table if not exists ledger (
    step text not null,
    scope text not null,
    interval text not null,
    done_at text not null,
    run_id text,
    detail text not null,
    primary key (step, scope, interval)
)
"""


class Ledger:
    """``(step, scope, interval) -> detail``; one row per completed unit of work."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_settings(cls, cfg: Settings) -> Ledger:
        return cls(cfg.state_dir / "airflow" / "ledger.sqlite")

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=30)
        con.execute(_SCHEMA)
        return con

    def get(self, step: str, scope: str, interval: str) -> dict[str, Any] | None:
        with closing(self._connect()) as con:
            row = con.execute("select done_at, run_id, detail from ledger where step=? and scope=? and interval=?",
                              (step, scope, interval)).fetchone()
        if row is None:
            return None
        return {"done_at": row[0], "run_id": row[1], **json.loads(row[2])}

    def record(self, step: str, scope: str, interval: str, detail: dict[str, Any], run_id: str | None = None) -> None:
        with closing(self._connect()) as con, con:
            con.execute("insert or replace into ledger values (?, ?, ?, ?, ?, ?)",
                        (step, scope, interval, datetime.now(UTC).isoformat(timespec="seconds"), run_id,
                         json.dumps(detail, sort_keys=True, default=str)))

    def entries(self, step: str) -> list[dict[str, Any]]:
        with closing(self._connect()) as con:
            rows = con.execute("select scope, interval, done_at, run_id, detail from ledger where step=? "
                               "order by interval, scope", (step,)).fetchall()
        return [{"scope": s, "interval": i, "done_at": d, "run_id": r, **json.loads(x)} for s, i, d, r, x in rows]
