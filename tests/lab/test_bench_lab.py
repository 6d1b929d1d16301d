"""bench.lab's lab multiplication on a tiny hand-made seed: unique ids, distinct persons, exact totals."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import duckdb
import pytest

from bench.lab import COLUMNS, append_day, multiply
from streams.labdb import LAB_SETTLEMENTS

SEED_ROWS = 1000
PERSONS = 100
INSTITUTIONS = 7


def _seed(con) -> None:
    cols = ", ".join(f"{c} {dk}" for c, dk, _ in LAB_SETTLEMENTS.columns)
    con.execute(f"create table seed ({cols})")
    con.execute(f"create table lab_settlements ({cols}, primary key (settlement_id))")
    start = datetime(2025, 1, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(SEED_ROWS):
        refund = i % 50 == 49  # reverses the previous settlement, same hour
        at = start + timedelta(hours=(i - 1 if refund else i) * 7)
        amount = Decimal(-(i - 1 + 10) if refund else i + 10)
        rows.append({
            "settlement_id": f"ST{at:%Y%m%d}{i:08d}", "event_type": "refund" if refund else "settlement",
            "refund_of": rows[-1]["settlement_id"] if refund else None, "person_key": f"{(i - 1 if refund else i) % PERSONS:032x}",
            "event_hour": at, "event_month": f"{at + timedelta(hours=8):%Y-%m}", "gender": "F", "age_band": "40-44",
            "district": "黄浦区", "insurance_type": "310", "visit_type": "11",
            "institution_code": f"H310101{i % INSTITUTIONS:05d}", "admission_month": f"{at:%Y-%m}",
            "length_of_stay": 0, "diagnosis_code": "J06.900",
            "items": json.dumps([{"item_code": "X", "amount": float(amount), "quantity": 1}]),
            "total_amount": amount, "fund_paid": amount, "account_paid": 0, "self_pay": 0, "self_expense": 0,
            "loaded_at": datetime.now(UTC),
        })
    con.executemany(f"insert into seed ({', '.join(COLUMNS)}) values ({', '.join('?' * len(COLUMNS))})",
                    [tuple(r[c] for c in COLUMNS) for r in rows])


@pytest.fixture()
def con():
    c = duckdb.connect()
    _seed(c)
    yield c
    c.close()


def test_multiply_scales_exactly(con):
    out = multiply(con, "seed", 5 * SEED_ROWS, institution_groups=3)
    assert out == {"seed_rows": SEED_ROWS, "copies": 5, "partial_rows": 0, "rows": 5 * SEED_ROWS}
    rows, ids, persons, insts, total, refunds = con.execute(
        "select count(*), count(distinct settlement_id), count(distinct person_key), count(distinct institution_code), "
        "sum(total_amount), sum(case when event_type = 'refund' then 1 else 0 end) from lab_settlements").fetchone()
    seed_total, seed_refunds = con.execute(
        "select sum(total_amount), sum(case when event_type = 'refund' then 1 else 0 end) from seed").fetchone()
    assert rows == ids == 5 * SEED_ROWS
    assert persons == 5 * con.execute("select count(distinct person_key) from seed").fetchone()[0]
    assert insts == 3 * INSTITUTIONS  # copies 0 and 3 share the seed's institutions
    assert total == 5 * seed_total and refunds == 5 * seed_refunds
    # every refund still reverses a settlement of its own copy
    orphans = con.execute("select count(*) from lab_settlements r left join lab_settlements s "
                          "on s.settlement_id = r.refund_of where r.refund_of is not null "
                          "and (s.settlement_id is null or s.person_key <> r.person_key)").fetchone()[0]
    assert orphans == 0
    # person keys keep the seed's width; times and items are the seed's
    assert con.execute("select min(length(person_key)), max(length(person_key)) from lab_settlements").fetchone() == (32, 32)
    assert con.execute("select count(distinct items), count(distinct event_hour) from lab_settlements").fetchone() == \
        con.execute("select count(distinct items), count(distinct event_hour) from seed").fetchone()
    # loaded as it happened: two hours after the event
    assert con.execute("select count(*) from lab_settlements where loaded_at <> event_hour + interval 2 hour"
                       ).fetchone()[0] == 0


def test_multiply_partial_copy(con):
    out = multiply(con, "seed", 2 * SEED_ROWS + 250)
    assert out["copies"] == 3 and out["partial_rows"] == 250 and out["rows"] == 2 * SEED_ROWS + 250
    assert con.execute("select count(distinct settlement_id) from lab_settlements").fetchone()[0] == out["rows"]


def test_append_day_adds_the_last_day_once_more(con):
    multiply(con, "seed", 2 * SEED_ROWS)
    before = con.execute("select count(*), max(event_hour) from lab_settlements").fetchone()
    out = append_day(con)
    rows, last = con.execute("select count(*), max(event_hour) from lab_settlements").fetchone()
    assert out["rows"] > 0 and rows == before[0] + out["rows"]
    assert last > before[1]
    assert con.execute("select count(distinct settlement_id) from lab_settlements").fetchone()[0] == rows
    # the appended rows are newer than anything loaded before: an incremental run sees only them
    assert con.execute("select min(loaded_at) from lab_settlements where settlement_id like '%n'").fetchone()[0] > \
        con.execute("select max(loaded_at) from lab_settlements where settlement_id not like '%n'").fetchone()[0] - \
        timedelta(hours=6)
