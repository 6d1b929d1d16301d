"""bench.lab's lab multiplication on a tiny hand-made v2 seed: unique ids, distinct persons, exact
totals, revocations that follow their settlement."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import duckdb
import pytest

from bench.lab import COLUMNS, REVOCATION_COLUMNS, append_day, multiply
from streams.labdb import LAB_REVOCATIONS_V2, LAB_SETTLEMENTS_V2

SEED_ROWS = 1000
PERSONS = 100
INSTITUTIONS = 7
AMOUNTS = ("medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt", "hifp_pay",
           "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay", "oth_fund_pay", "fund_pay_sumamt", "psn_part_amt",
           "acct_pay", "acct_mulaid_pay", "psn_cash_pay", "hosp_part_amt")


def _seed(con) -> None:
    for name, table in (("seed", LAB_SETTLEMENTS_V2), ("seed_revocations", LAB_REVOCATIONS_V2)):
        cols = ", ".join(f"{c} {dk}" for c, dk, _ in table.columns)
        con.execute(f"create table {name} ({cols})")
        con.execute(f"create table {table.name} ({cols}, primary key ({table.key}))")
    start = datetime(2025, 1, 1, 1, tzinfo=UTC)
    rows, revocations = [], []
    for i in range(SEED_ROWS):
        at = start + timedelta(hours=i * 7)
        amount = Decimal(i + 10)
        row = {c: Decimal(0) for c in AMOUNTS}
        row.update({
            "setl_id": f"31{i:016d}", "person_key": f"{i % PERSONS:032x}", "setl_hour": at,
            "setl_month": f"{at + timedelta(hours=8):%Y-%m}", "gend": "2", "age_band": "40-44", "district": "黄浦区",
            "insutype": "310", "psn_type": "11", "med_type": "11", "fixmedins_code": f"H310101{i % INSTITUTIONS:05d}",
            "length_of_stay": 0, "main_diag_code": "J06.900",
            "diseinfo": json.dumps([{"diag_type": "1", "diag_srt_no": 1, "diag_code": "J06.900", "maindiag_flag": "1"}]),
            "feedetail": json.dumps([{"feedetl_sn": "1", "med_list_codg": "001216000010100",
                                      "det_item_fee_sumamt": float(amount)}]),
            "medfee_sumamt": amount, "fund_pay_sumamt": amount, "hifp_pay": amount, "loaded_at": datetime.now(UTC),
        })
        rows.append(row)
        if i % 50 == 49:  # revoked the same hour
            revocations.append({"revoked_setl_id": row["setl_id"], "person_key": row["person_key"],
                                "revoked_hour": at, "revoked_month": row["setl_month"], "loaded_at": datetime.now(UTC)})
    con.executemany(f"insert into seed ({', '.join(COLUMNS)}) values ({', '.join('?' * len(COLUMNS))})",
                    [tuple(r[c] for c in COLUMNS) for r in rows])
    con.executemany(f"insert into seed_revocations ({', '.join(REVOCATION_COLUMNS)}) "
                    f"values ({', '.join('?' * len(REVOCATION_COLUMNS))})",
                    [tuple(r[c] for c in REVOCATION_COLUMNS) for r in revocations])


@pytest.fixture()
def con():
    c = duckdb.connect()
    _seed(c)
    yield c
    c.close()


def test_multiply_scales_exactly(con):
    out = multiply(con, "seed", 5 * SEED_ROWS, institution_groups=3, seed_revocations="seed_revocations")
    assert out == {"seed_rows": SEED_ROWS, "copies": 5, "partial_rows": 0, "rows": 5 * SEED_ROWS,
                   "revocations": 5 * (SEED_ROWS // 50)}
    rows, ids, persons, insts, total = con.execute(
        "select count(*), count(distinct setl_id), count(distinct person_key), count(distinct fixmedins_code), "
        "sum(medfee_sumamt) from lab_settlements_v2").fetchone()
    (seed_total,) = con.execute("select sum(medfee_sumamt) from seed").fetchone()
    assert rows == ids == 5 * SEED_ROWS
    assert persons == 5 * con.execute("select count(distinct person_key) from seed").fetchone()[0]
    assert insts == 3 * INSTITUTIONS  # copies 0 and 3 share the seed's institutions
    assert total == 5 * seed_total
    # every revocation still names a settlement of its own copy and person
    orphans = con.execute("select count(*) from lab_revocations_v2 r left join lab_settlements_v2 s "
                          "on s.setl_id = r.revoked_setl_id "
                          "where s.setl_id is null or s.person_key <> r.person_key").fetchone()[0]
    assert orphans == 0
    # person keys keep the seed's width; times, diagnoses and fee lines are the seed's
    assert con.execute("select min(length(person_key)), max(length(person_key)) from lab_settlements_v2"
                       ).fetchone() == (32, 32)
    assert con.execute("select count(distinct feedetail), count(distinct setl_hour) from lab_settlements_v2"
                       ).fetchone() == con.execute("select count(distinct feedetail), count(distinct setl_hour) "
                                                   "from seed").fetchone()
    # loaded as it happened: two hours after the event
    assert con.execute("select count(*) from lab_settlements_v2 where loaded_at <> setl_hour + interval 2 hour"
                       ).fetchone()[0] == 0


def test_multiply_partial_copy(con):
    out = multiply(con, "seed", 2 * SEED_ROWS + 250, seed_revocations="seed_revocations")
    assert out["copies"] == 3 and out["partial_rows"] == 250 and out["rows"] == 2 * SEED_ROWS + 250
    assert out["revocations"] == 2 * (SEED_ROWS // 50) + 250 // 50
    assert con.execute("select count(distinct setl_id) from lab_settlements_v2").fetchone()[0] == out["rows"]


def test_append_day_adds_the_last_day_once_more(con):
    multiply(con, "seed", 2 * SEED_ROWS, seed_revocations="seed_revocations")
    before = con.execute("select count(*), max(setl_hour) from lab_settlements_v2").fetchone()
    out = append_day(con)
    rows, last = con.execute("select count(*), max(setl_hour) from lab_settlements_v2").fetchone()
    assert out["rows"] > 0 and rows == before[0] + out["rows"]
    assert last > before[1]
    assert con.execute("select count(distinct setl_id) from lab_settlements_v2").fetchone()[0] == rows
    # the revocations of the moved settlements moved with them
    assert con.execute("select count(*) from lab_revocations_v2 r left join lab_settlements_v2 s "
                       "on s.setl_id = r.revoked_setl_id where s.setl_id is null").fetchone()[0] == 0
    # the appended rows are newer than anything loaded before: an incremental run sees only them
    assert con.execute("select min(loaded_at) from lab_settlements_v2 where setl_id like '%n'").fetchone()[0] > \
        con.execute("select max(loaded_at) from lab_settlements_v2 where setl_id not like '%n'").fetchone()[0] - \
        timedelta(hours=6)
