"""Reading marts out of the lab database, and the release ledger kept beside them.

The lab database is a DuckDB file (opened per call and closed: DuckDB allows one writer per file
and the lab sink and dbt take turns) or Postgres, through :class:`streams.labdb.LabDB`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from medshare.config import Settings, settings
from medshare.lab.exceptions import LabError

MARTS_SCHEMA = "marts"
LEDGER_TABLE = "lab_release_ledger"
_IDENT = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_PERIOD = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2]))?$")


def _labdb(cfg: Settings):
    from streams.labdb import LabDB

    return LabDB(cfg=cfg)


def _plain(value: Any) -> Any:
    """JSON-friendly values: money as float (2 decimals), times as ISO strings."""
    if isinstance(value, Decimal):
        return float(round(value, 2))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def check_period(period: str | None) -> str | None:
    """``None`` (everything), ``YYYY`` or ``YYYY-MM``; raises ``ValueError`` otherwise."""
    if period is not None and not _PERIOD.match(period):
        raise ValueError(f"period {period!r} is not YYYY or YYYY-MM")
    return period


def read_mart(mart: str, cfg: Settings | None = None, period: str | None = None,
              period_field: str | None = None) -> list[dict[str, Any]]:
    """Every row of mart ``mart`` (optionally those whose ``period_field`` starts with ``period``)."""
    cfg = cfg or settings()
    if not _IDENT.match(mart):
        raise LabError(f"mart name {mart!r} is not a dbt model name")
    check_period(period)
    db = _labdb(cfg)
    sql = f"select * from {MARTS_SCHEMA}.{mart}"
    params: list[Any] = []
    if period and period_field:
        if not _IDENT.match(period_field):
            raise LabError(f"period field {period_field!r} is not a column name")
        sql += f" where {period_field} like {'%s' if db.postgres else '?'}"
        params.append(period + "%")
    con = db.connect()
    try:
        cur = con.cursor() if db.postgres else con
        try:
            cur.execute(sql, params)
        except Exception as exc:  # noqa: BLE001 - duckdb/psycopg2 errors differ; say what is missing
            raise LabError(f"cannot read mart {mart} from the lab database ({exc.__class__.__name__}): "
                           "run `medshare lab build` first") from None
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
    finally:
        con.close()
    return [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in rows]


# --- release ledger ------------------------------------------------------------------------

_LEDGER_COLUMNS = (
    ("release_key", "VARCHAR"),       # insurer|mart|purpose|period
    ("release_id", "VARCHAR"),
    ("insurer", "VARCHAR"),
    ("mart", "VARCHAR"),
    ("purpose", "VARCHAR"),
    ("period", "VARCHAR"),
    ("content_hash", "VARCHAR"),
    ("rows_released", "INTEGER"),
    ("rows_suppressed", "INTEGER"),
    ("audit_id", "VARCHAR"),
    ("released_at", "VARCHAR"),
)


class ReleaseLedger:
    """Which release of (insurer, mart, purpose, period) was last published, with its content hash."""

    def __init__(self, cfg: Settings | None = None) -> None:
        self.db = _labdb(cfg or settings())

    def _exec(self, sql: str, params: list[Any] | tuple = ()) -> list[tuple]:
        db = self.db
        con = db.connect()
        try:
            cur = con.cursor() if db.postgres else con
            cols = ", ".join(f"{c} {t if not db.postgres else t.replace('VARCHAR', 'TEXT')}"
                             for c, t in _LEDGER_COLUMNS)
            cur.execute(f"CREATE TABLE IF NOT EXISTS {LEDGER_TABLE} ({cols}, PRIMARY KEY (release_id))")
            mark = "%s" if db.postgres else "?"
            cur.execute(sql.replace("?", mark), list(params))
            rows = cur.fetchall() if cur.description else []
            con.commit()
            return rows
        finally:
            con.close()

    def latest(self, release_key: str) -> dict[str, Any] | None:
        rows = self._exec(
            f"SELECT {', '.join(c for c, _ in _LEDGER_COLUMNS)} FROM {LEDGER_TABLE} "
            "WHERE release_key = ? ORDER BY released_at DESC LIMIT 1", [release_key])
        return dict(zip([c for c, _ in _LEDGER_COLUMNS], rows[0], strict=True)) if rows else None

    def record(self, entry: dict[str, Any]) -> None:
        cols = [c for c, _ in _LEDGER_COLUMNS]
        self._exec(f"INSERT INTO {LEDGER_TABLE} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                   "ON CONFLICT (release_id) DO NOTHING", [entry.get(c) for c in cols])

    def entries(self) -> list[dict[str, Any]]:
        cols = [c for c, _ in _LEDGER_COLUMNS]
        rows = self._exec(f"SELECT {', '.join(cols)} FROM {LEDGER_TABLE} ORDER BY released_at")
        return [dict(zip(cols, r, strict=True)) for r in rows]
