"""The lab database: DuckDB file by default, Postgres via a ``postgresql://`` URL.

Rows are upserted by their primary key, so a replayed or redelivered record never duplicates a
row. The DuckDB connection is opened per batch and closed after commit: DuckDB allows one writing
process per file, and dbt (the lab transforms) must be able to open the file between batches.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from medshare.config import Settings, settings


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    #: (column, DuckDB type, Postgres type)
    columns: tuple[tuple[str, str, str], ...]

    @property
    def column_names(self) -> list[str]:
        return [c for c, _, _ in self.columns]


LAB_SETTLEMENTS = Table("lab_settlements", "settlement_id", (
    ("settlement_id", "VARCHAR", "TEXT"),
    ("event_type", "VARCHAR", "TEXT"),
    ("refund_of", "VARCHAR", "TEXT"),
    ("person_key", "VARCHAR", "TEXT"),
    ("event_hour", "TIMESTAMPTZ", "TIMESTAMPTZ"),
    ("event_month", "VARCHAR", "TEXT"),
    ("gender", "VARCHAR", "TEXT"),
    ("age_band", "VARCHAR", "TEXT"),
    ("district", "VARCHAR", "TEXT"),
    ("insurance_type", "VARCHAR", "TEXT"),
    ("visit_type", "VARCHAR", "TEXT"),
    ("institution_code", "VARCHAR", "TEXT"),
    ("admission_month", "VARCHAR", "TEXT"),
    ("length_of_stay", "INTEGER", "INTEGER"),
    ("diagnosis_code", "VARCHAR", "TEXT"),
    ("items", "JSON", "JSONB"),
    ("total_amount", "DECIMAL(14,2)", "NUMERIC(14,2)"),
    ("fund_paid", "DECIMAL(14,2)", "NUMERIC(14,2)"),
    ("account_paid", "DECIMAL(14,2)", "NUMERIC(14,2)"),
    ("self_pay", "DECIMAL(14,2)", "NUMERIC(14,2)"),
    ("self_expense", "DECIMAL(14,2)", "NUMERIC(14,2)"),
    ("loaded_at", "TIMESTAMPTZ", "TIMESTAMPTZ"),
))

LAB_EMR_NOTES = Table("lab_emr_notes", "note_id", (
    ("note_id", "VARCHAR", "TEXT"),
    ("settlement_id", "VARCHAR", "TEXT"),
    ("person_key", "VARCHAR", "TEXT"),
    ("event_month", "VARCHAR", "TEXT"),
    ("institution_code", "VARCHAR", "TEXT"),
    ("note_type", "VARCHAR", "TEXT"),
    ("text_redacted", "VARCHAR", "TEXT"),
    ("entities", "JSON", "JSONB"),
    ("loaded_at", "TIMESTAMPTZ", "TIMESTAMPTZ"),
))

TABLES = {t.name: t for t in (LAB_SETTLEMENTS, LAB_EMR_NOTES)}
#: which table a lab topic lands in
TOPIC_TABLES = {"lab.settlements.v1": LAB_SETTLEMENTS, "lab.emr-notes.v1": LAB_EMR_NOTES}


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


class LabDB:
    """Upserts into the lab tables; one transaction per :meth:`write`."""

    def __init__(self, url: str | None = None, cfg: Settings | None = None) -> None:
        cfg = cfg or settings()
        self.url = url or cfg.lab_database
        self.postgres = _is_postgres(self.url)
        if not self.postgres:
            cfg.lab_dir.mkdir(parents=True, exist_ok=True)
        self._ensured = False

    # -- connections ----------------------------------------------------------------------
    def connect(self):
        if self.postgres:
            import psycopg2

            return psycopg2.connect(self.url)
        import duckdb

        return duckdb.connect(self.url)

    def _cursor(self, con):
        # a DuckDB cursor is a separate connection with its own transaction: use the connection
        return con.cursor() if self.postgres else con

    def ensure_schema(self, con) -> None:
        cur = self._cursor(con)
        for t in TABLES.values():
            cols = ", ".join(f"{c} {pg if self.postgres else dk}" for c, dk, pg in t.columns)
            cur.execute(f"CREATE TABLE IF NOT EXISTS {t.name} ({cols}, PRIMARY KEY ({t.key}))")
        if self.postgres:
            con.commit()

    # -- writes ---------------------------------------------------------------------------
    def write(self, rows_by_table: Mapping[str, Sequence[Mapping[str, Any]]]) -> int:
        """Upsert every row (last write wins per key) in one transaction; returns rows written."""
        if not any(rows_by_table.values()):
            return 0
        con = self.connect()
        try:
            if not self._ensured:
                self.ensure_schema(con)
                self._ensured = True
            cur = self._cursor(con)
            if not self.postgres:
                cur.execute("BEGIN TRANSACTION")
            n = 0
            for name, rows in rows_by_table.items():
                n += self._upsert(cur, TABLES[name], _last_per_key(TABLES[name], rows))
            con.commit()
            return n
        except Exception:
            con.rollback()
            raise
        finally:
            con.close()

    def _upsert(self, cur, table: Table, rows: Iterable[Mapping[str, Any]]) -> int:
        cols = table.column_names
        marks = ", ".join(["%s" if self.postgres else "?"] * len(cols))
        updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != table.key)
        sql = (f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({marks}) "
               f"ON CONFLICT ({table.key}) DO UPDATE SET {updates}")
        values = [tuple(_cell(r.get(c)) for c in cols) for r in rows]
        if values:
            cur.executemany(sql, values)
        return len(values)

    # -- reads (tests, reports) -------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        con = self.connect()
        try:
            if not self._ensured:
                self.ensure_schema(con)
                self._ensured = True
            cur = self._cursor(con)
            cur.execute(sql, list(params))
            return cur.fetchall()
        finally:
            con.close()


def _cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _last_per_key(table: Table, rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """One row per key within a batch (ON CONFLICT cannot touch the same row twice in one statement)."""
    latest: dict[Any, Mapping[str, Any]] = {}
    for r in rows:
        latest[r[table.key]] = r
    return list(latest.values())
