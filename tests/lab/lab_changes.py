"""A day of changes to a built lab, through the lab's own write paths, for the incremental-build tests.

The retention deletes January (``medshare.lab.retention``), the lab sink upserts a February
settlement again with no fee lines, loads two new February settlements of a new person, and loads
a late revocation of a February settlement (all with ``loaded_at`` now). DuckDB or Postgres.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

#: the month the changes delete (retention) and the one they touch
DELETED_MONTH, CHANGED_MONTH = "2026-01", "2026-02"
NEW_PERSON = "f" * 32


def _rows(db, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    con = db.connect()
    try:
        cur = con.cursor() if db.postgres else con
        cur.execute(sql.replace("?", "%s") if db.postgres else sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if k in ("diseinfo", "feedetail") and isinstance(v, str):
            v = json.loads(v)
        elif hasattr(v, "isoformat"):
            v = v.isoformat()
        elif hasattr(v, "as_tuple"):  # Decimal
            v = float(v)
        out[k] = v
    return out


def change_lab(db) -> dict[str, str]:
    """Apply the changes to the lab of ``db`` (a :class:`streams.labdb.LabDB`); returns the ids touched."""
    from medshare.lab.retention import _delete_before

    _delete_before(db, CHANGED_MONTH, dry_run=False)
    now = datetime.now(UTC).isoformat()
    february = [_plain(r) for r in _rows(db, """
        select * from lab_settlements_v2 s where setl_month = ? and not exists
            (select 1 from lab_revocations_v2 r where r.revoked_setl_id = s.setl_id)
        order by setl_id""", [CHANGED_MONTH])]
    with_lines = [r for r in february if len(r["feedetail"]) > 1]
    emptied, revoked = with_lines[0], with_lines[1]
    new = [{**r, "setl_id": f"3900000000000000{n:02d}", "person_key": NEW_PERSON, "loaded_at": now}
           for n, r in enumerate(february[-2:])]
    db.write({
        "lab_settlements_v2": [{**emptied, "feedetail": [], "loaded_at": now}, *new],
        "lab_revocations_v2": [{"revoked_setl_id": revoked["setl_id"], "person_key": revoked["person_key"],
                                "revoked_hour": "2026-02-20T10:00:00+08:00", "revoked_month": CHANGED_MONTH,
                                "loaded_at": now}],
    })
    return {"emptied": emptied["setl_id"], "revoked": revoked["setl_id"], "new": new[0]["setl_id"]}
