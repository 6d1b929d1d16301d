"""Lab retention: delete lab rows no grant needs any more (PIPL Art. 19: keep no longer than needed).

The lab tables (``lab_settlements_v2``, ``lab_revocations_v2``, ``lab_emr_notes``, and the v1
``lab_settlements`` kept from before the national interface) exist to feed the dbt marts, and the marts
are what insurers receive under aggregate grants (``source: mart:<model>``). So the lab keeps a
row as long as the *longest* retention among the grants whose source is a lab mart, counted back
from now in calendar terms (``P5Y`` → five calendar years). The rule works on whole months: a row
is removed when its month (``event_month``, ``setl_month``, ``revoked_month``: ``YYYY-MM``) is
before the month of the cutoff (a revocation may outlive its settlement by the months between
them: it is then an orphan, which nets nothing out); the cutoff month itself is kept whole, so a mart's monthly aggregate never loses half a
month. With no mart grant at all, nothing is deleted (no agreement says how long to keep — the
lab is not emptied by accident) and the result says so.

The marts are rebuilt from the remaining rows by the normal dbt run (``lab_transform``), not here.
:func:`enforce_lab_retention` is called by ``medshare lab retention`` and the ``lab_retention`` DAG;
a real (not dry) run is recorded for the compliance report's "last enforcement runs".
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from typing import Any

from medshare.config import Settings, settings

#: lab tables and the column their age is read from
TABLE_MONTH_COLUMNS = {"lab_settlements": "event_month", "lab_settlements_v2": "setl_month",
                       "lab_revocations_v2": "revoked_month", "lab_emr_notes": "event_month"}
RUN_NAME = "lab-retention"


def longest_mart_retention(agreements: Any = None) -> dict[str, Any] | None:
    """The grant with the longest retention among grants whose source is a lab mart (None: no such grant)."""
    from privacy.agreements import load_agreements

    agreements = agreements if agreements is not None else load_agreements()
    best: dict[str, Any] | None = None
    for a in agreements:
        for g in a.grants:
            if g.source_kind != "mart":
                continue
            if best is None or g.retention.approx_days > best["retention"].approx_days:
                best = {"insurer": a.insurer, "purpose": g.purpose, "source": g.source, "retention": g.retention}
    return best


def cutoff_date(retention: Any, today: date) -> date:
    """``today`` minus ``retention`` in calendar terms (years and months, then days; month ends clamp)."""
    from datetime import timedelta

    month0 = today.year * 12 + today.month - 1 - retention.months - 12 * retention.years
    year, month = divmod(month0, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day) - timedelta(days=retention.days)


def enforce_lab_retention(cfg: Settings | None = None, now: datetime | None = None, dry_run: bool = False,
                          agreements: Any = None, url: str | None = None) -> dict[str, Any]:
    """Delete lab rows whose event month is before the cutoff month; returns what was (or would be) removed.

    ``{"rule": {...grant...}, "cutoff": "YYYY-MM-DD", "cutoff_month": "YYYY-MM", "deleted": {table: n},
    "kept": {table: n}, "dry_run": bool}``. DuckDB by default, Postgres when the lab URL says so.
    """
    from streams.labdb import LabDB

    cfg = cfg or settings()
    now = now or datetime.now(UTC)
    rule = longest_mart_retention(agreements)
    db = LabDB(url=url, cfg=cfg)
    result: dict[str, Any] = {"dry_run": dry_run, "at": now.isoformat(timespec="seconds"),
                              "database": "postgres" if db.postgres else "duckdb"}
    if rule is None:
        result.update(rule=None, cutoff=None, cutoff_month=None, deleted=dict.fromkeys(TABLE_MONTH_COLUMNS, 0),
                      note="no grant reads a lab mart: no retention applies, nothing deleted")
    else:
        cut = cutoff_date(rule["retention"], now.date())
        month = f"{cut.year:04d}-{cut.month:02d}"
        result.update(rule={**rule, "retention": str(rule["retention"])}, cutoff=cut.isoformat(), cutoff_month=month)
        result.update(_delete_before(db, month, dry_run))
    if not dry_run:
        from medshare.rights_report import record_enforcement_run

        record_enforcement_run(cfg, RUN_NAME, {k: result.get(k) for k in ("cutoff", "cutoff_month", "deleted",
                                                                          "kept", "database")}
                               | {"retention": result["rule"]["retention"] if result["rule"] else None})
    return result


def _delete_before(db: Any, month: str, dry_run: bool) -> dict[str, dict[str, int]]:
    """Count, and unless ``dry_run`` delete, rows of each lab table before ``month`` — one transaction."""
    mark = "%s" if db.postgres else "?"
    con = db.connect()
    deleted: dict[str, int] = {}
    kept: dict[str, int] = {}
    try:
        db.ensure_schema(con)
        cur = con.cursor() if db.postgres else con
        if not db.postgres:
            cur.execute("BEGIN TRANSACTION")
        for table, col in TABLE_MONTH_COLUMNS.items():  # names from this module, never from input
            cur.execute(f"SELECT count(*) FILTER (WHERE {col} < {mark}), count(*) FROM {table}", [month])
            old, total = cur.fetchone()
            deleted[table], kept[table] = int(old), int(total) - int(old)
            if not dry_run and old:
                cur.execute(f"DELETE FROM {table} WHERE {col} < {mark}", [month])
        if dry_run:
            con.rollback()
        else:
            con.commit()
    except Exception:
        con.rollback()
        raise
    finally:
        con.close()
    return {"deleted": deleted, "kept": kept}
