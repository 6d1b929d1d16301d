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

#: de-identified platform.settlements.v2 settlements (lab.settlements.v2): the marts read these.
#: Arrays as JSON (diseinfo, feedetail); amounts as the interface gives them (yuan, 2 decimals).
_AMOUNT = ("DECIMAL(14,2)", "NUMERIC(14,2)")
LAB_SETTLEMENTS_V2 = Table("lab_settlements_v2", "setl_id", (
    ("setl_id", "VARCHAR", "TEXT"),
    ("person_key", "VARCHAR", "TEXT"),
    ("setl_hour", "TIMESTAMPTZ", "TIMESTAMPTZ"),
    ("setl_month", "VARCHAR", "TEXT"),
    ("gend", "VARCHAR", "TEXT"),
    ("age_band", "VARCHAR", "TEXT"),
    ("district", "VARCHAR", "TEXT"),
    ("insutype", "VARCHAR", "TEXT"),
    ("psn_type", "VARCHAR", "TEXT"),
    ("med_type", "VARCHAR", "TEXT"),
    ("fixmedins_code", "VARCHAR", "TEXT"),
    ("length_of_stay", "INTEGER", "INTEGER"),
    ("main_diag_code", "VARCHAR", "TEXT"),
    ("diseinfo", "JSON", "JSONB"),
    ("feedetail", "JSON", "JSONB"),
    *((c, *_AMOUNT) for c in (
        "medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt",
        "hifp_pay", "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay", "oth_fund_pay", "fund_pay_sumamt",
        "psn_part_amt", "acct_pay", "acct_mulaid_pay", "psn_cash_pay", "hosp_part_amt")),
    ("loaded_at", "TIMESTAMPTZ", "TIMESTAMPTZ"),
))

#: 2208 revocations (lab.settlements.v2, kind selected by revoked_setl_id): one row per revoked
#: settlement (a repeated revocation upserts the same row)
LAB_REVOCATIONS_V2 = Table("lab_revocations_v2", "revoked_setl_id", (
    ("revoked_setl_id", "VARCHAR", "TEXT"),
    ("person_key", "VARCHAR", "TEXT"),
    ("revoked_hour", "TIMESTAMPTZ", "TIMESTAMPTZ"),
    ("revoked_month", "VARCHAR", "TEXT"),
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

#: lab_settlements (v1) is kept: its rows stay readable, nothing writes it any more (docs/lab.md)
TABLES = {t.name: t for t in (LAB_SETTLEMENTS, LAB_SETTLEMENTS_V2, LAB_REVOCATIONS_V2, LAB_EMR_NOTES)}
#: which table a lab topic lands in (lab.settlements.v2: see :func:`table_for`)
TOPIC_TABLES = {"lab.settlements.v1": LAB_SETTLEMENTS, "lab.settlements.v2": LAB_SETTLEMENTS_V2,
                "lab.emr-notes.v1": LAB_EMR_NOTES}


def table_for(topic: str, record: Mapping[str, Any]) -> Table:
    """The table a lab record lands in: a lab.settlements.v2 revocation in lab_revocations_v2."""
    if topic == "lab.settlements.v2" and "revoked_setl_id" in record:
        return LAB_REVOCATIONS_V2
    return TOPIC_TABLES[topic]


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
