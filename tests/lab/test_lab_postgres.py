"""The same dbt project on Postgres (the deployment target): build, incremental rebuild after a day
of changes (tests/lab/lab_changes.py) equal to a full rebuild, reconcile.

Runs when MEDSHARE_TEST_POSTGRES_URL points at a server (scripts/test-postgres.sh start prints
one); a database of its own is created and dropped, so other tests' tables are never touched.
"""

from __future__ import annotations

import json
import os
import uuid
from urllib.parse import urlparse, urlunparse

import duckdb
import pytest

from medshare.lab import dbt

URL = os.environ.get("MEDSHARE_TEST_POSTGRES_URL")

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(not URL, reason="MEDSHARE_TEST_POSTGRES_URL is not set (scripts/test-postgres.sh start)")]


@pytest.fixture
def pg_lab(sim_lab):
    import psycopg2

    from streams.labdb import TABLES, LabDB

    cfg, path, _, _ = sim_lab
    name = f"medshare_lab_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(URL)
    admin.autocommit = True
    admin.cursor().execute(f"create database {name}")
    url = urlunparse(urlparse(URL)._replace(path=f"/{name}"))
    try:
        src = duckdb.connect(str(path), read_only=True)
        rows = {}
        try:
            for table in TABLES:
                cur = src.execute(f"select * from {table}")
                names = [d[0] for d in cur.description]
                rows[table] = [{k: (json.loads(v) if k in ("items", "entities", "diseinfo", "feedetail")
                                    and isinstance(v, str) else v)
                                for k, v in zip(names, r, strict=True)} for r in cur.fetchall()]
        finally:
            src.close()
        pg_cfg = cfg.model_copy(update={"lab_url": url})
        LabDB(url=url, cfg=pg_cfg).write(rows)
        yield pg_cfg, url
    finally:
        admin.cursor().execute(f"drop database if exists {name} with (force)")
        admin.close()


def test_postgres_build_and_reconcile(pg_lab):
    import psycopg2

    from streams.labdb import LabDB
    from tests.lab.lab_changes import DELETED_MONTH, change_lab
    from tests.lab.test_lab_incremental import TABLES

    cfg, url = pg_lab
    assert dbt.default_target(cfg) == "postgres"
    assert dbt.build(cfg=cfg).success
    assert dbt.build(cfg=cfg, select="marts").success  # incremental rebuild, nothing new
    change_lab(LabDB(url=url, cfg=cfg))
    assert dbt.build(cfg=cfg).success  # incremental, every model
    con = psycopg2.connect(url)
    try:
        cur = con.cursor()

        def rows(table):
            cur.execute(f"select * from {table}")
            return sorted(cur.fetchall(), key=repr)

        incremental = {t: rows(t) for t in TABLES}
        con.commit()
        assert dbt.build(cfg=cfg, full_refresh=True).success
        for table in TABLES:
            assert rows(table) == incremental[table], table
        cur.execute("select count(*) from marts.cost_by_disease_age_band where event_month = %s", [DELETED_MONTH])
        assert cur.fetchone() == (0,)
        cur.execute("""select sum(medfee_sumamt), sum(hifp_pay), sum(psn_cash_pay) from lab_settlements_v2 s
                       where not exists (select 1 from lab_revocations_v2 r where r.revoked_setl_id = s.setl_id)""")
        raw = cur.fetchone()
        cur.execute("select sum(total_amount), sum(hifp_pay), sum(cash_paid) from marts.cost_by_disease_age_band")
        mart = cur.fetchone()
        cur.execute("select sum(amount) from marts.innovative_drug_use")
        (drugs,) = cur.fetchone()
        cur.execute("select count(*) from staging.stg_settlement_diagnoses")
        (diagnoses,) = cur.fetchone()
    finally:
        con.close()
    assert mart == raw
    assert drugs > 0 and diagnoses > 0
