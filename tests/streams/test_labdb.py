"""The lab database upserts by key: replays and redeliveries never duplicate rows."""

from __future__ import annotations

import os
import uuid

import pytest

from streams.labdb import LabDB

pytestmark = pytest.mark.integration  # a real DuckDB file


def _row(sid: str, total: float) -> dict:
    return {"settlement_id": sid, "event_type": "settlement", "person_key": "a" * 32,
            "event_hour": "2026-03-05T10:00:00+08:00", "event_month": "2026-03", "gender": "F",
            "age_band": "40-44", "district": "徐汇区", "insurance_type": "310", "visit_type": "11",
            "institution_code": "H31010400001", "admission_month": "2026-03", "length_of_stay": 0,
            "diagnosis_code": "E11.9", "items": [{"item_code": "X" * 23, "amount": total}],
            "total_amount": total, "fund_paid": total, "account_paid": 0, "self_pay": 0, "self_expense": 0,
            "loaded_at": "2026-03-05T10:00:01+08:00"}


def test_upsert_is_idempotent(tmp_path):
    db = LabDB(str(tmp_path / "lab.duckdb"))
    assert db.write({"lab_settlements": [_row("S1", 10.0), _row("S2", 20.0)]}) == 2
    # a redelivery of S1 (and a correction of S2) in a later batch, plus S2 twice in one batch
    db.write({"lab_settlements": [_row("S1", 10.0), _row("S2", 21.0), _row("S2", 22.5)]})
    rows = db.query("select settlement_id, total_amount from lab_settlements order by 1")
    assert [(r[0], float(r[1])) for r in rows] == [("S1", 10.0), ("S2", 22.5)]


def test_failed_batch_writes_nothing(tmp_path):
    db = LabDB(str(tmp_path / "lab.duckdb"))
    bad = _row("S3", 5.0)
    bad["length_of_stay"] = "not a number"
    with pytest.raises(Exception):  # noqa: B017 - any database error
        db.write({"lab_settlements": [_row("S4", 1.0), bad]})
    assert db.query("select count(*) from lab_settlements")[0][0] == 0


@pytest.mark.skipif(not os.environ.get("MEDSHARE_TEST_POSTGRES_URL"),
                    reason="MEDSHARE_TEST_POSTGRES_URL not set (make test starts a throwaway Postgres)")
def test_upsert_is_idempotent_on_postgres():
    url = os.environ["MEDSHARE_TEST_POSTGRES_URL"]
    db = LabDB(url)
    assert db.postgres
    sid = f"S-pg-{uuid.uuid4().hex[:8]}"
    db.write({"lab_settlements": [_row(sid, 10.0)]})
    db.write({"lab_settlements": [_row(sid, 12.0), _row(sid, 13.0)]})
    rows = db.query("select total_amount from lab_settlements where settlement_id = %s", [sid])
    assert [float(r[0]) for r in rows] == [13.0]
