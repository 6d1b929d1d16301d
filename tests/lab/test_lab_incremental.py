"""An incremental dbt build of the lab equals a full rebuild (DuckDB), and only touches what changed.

A copy of the built test lab gets a day of changes (tests/lab/lab_changes.py: the retention
deletes January, a settlement is upserted with no fee lines, a new person settles, a late
revocation); one copy is then built incrementally, another with --full-refresh, and every table
the build makes must hold the same rows. The months and settlements the retention deleted must be
gone from the staging tables, the intermediate tables and the marts.
"""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from medshare.lab import dbt
from tests.lab.lab_changes import CHANGED_MONTH, DELETED_MONTH, change_lab

pytestmark = pytest.mark.integration

#: every table dbt builds (views are queries over these or over the lab)
TABLES = ("staging.stg_settlement_items", "staging.stg_settlement_diagnoses",
          "intermediate.int_settlements_netted", "intermediate.int_special_drug_items",
          *(f"marts.{m}" for m in dbt.MARTS))


def _q(path, sql, params=()):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _rows(path, table):
    return sorted(_q(path, f"select * from {table}"), key=repr)


@pytest.fixture(scope="module")
def rebuilt(sim_lab, tmp_path_factory):
    from streams.labdb import LabDB

    cfg, path, _, _ = sim_lab
    folder = tmp_path_factory.mktemp("incremental")
    inc, full = folder / "incremental.duckdb", folder / "full.duckdb"
    shutil.copy(path, inc)
    changed = change_lab(LabDB(url=str(inc), cfg=cfg))
    shutil.copy(inc, full)
    inc_cfg = cfg.model_copy(update={"lab_url": str(inc)})
    run = dbt.build(cfg=inc_cfg)
    compiled = {r["unique_id"].rsplit(".", 1)[-1]: r.get("compiled_code") or "" for r in json.loads(
        (cfg.lab_dir / "dbt" / "target" / "run_results.json").read_text())["results"]}
    dbt.build(cfg=cfg.model_copy(update={"lab_url": str(full)}), full_refresh=True)
    return inc, full, changed, run, compiled


def test_incremental_build_passes_and_is_incremental(rebuilt):
    _, _, _, run, compiled = rebuilt
    assert run.success, run.failures
    # the staging tables unnested only what was loaded since, the netting only the changed months
    for model in ("stg_settlement_items", "stg_settlement_diagnoses"):
        assert "max(loaded_at)" in compiled[model], model
    assert "max(source_loaded_at)" in compiled["int_settlements_netted"]


@pytest.mark.parametrize("table", TABLES)
def test_incremental_equals_full_rebuild(rebuilt, table):
    inc, full, _, _, _ = rebuilt
    got, want = _rows(inc, table), _rows(full, table)
    assert len(got) == len(want) > 0
    assert got == want


def test_deleted_month_and_replaced_lines_are_gone(rebuilt):
    inc, _, changed, _, _ = rebuilt
    for table in ("intermediate.int_settlements_netted", "intermediate.int_special_drug_items",
                  "marts.cost_by_disease_age_band", "marts.innovative_drug_use", "marts.institution_cost_outliers"):
        assert _q(inc, f"select count(*) from {table} where event_month = ?", [DELETED_MONTH]) == [(0,)], table
    (lab_ids,), = _q(inc, "select count(*) from lab_settlements_v2")
    for table in ("staging.stg_settlement_items", "staging.stg_settlement_diagnoses"):
        orphans = _q(inc, f"""select count(*) from {table} t where not exists
                              (select 1 from lab_settlements_v2 s where s.setl_id = t.settlement_id)""")
        assert orphans == [(0,)], table
    # the settlement upserted with no fee lines has none left; the new person is in; the late revocation nets out
    assert _q(inc, "select count(*) from staging.stg_settlement_items where settlement_id = ?",
              [changed["emptied"]]) == [(0,)]
    assert _q(inc, "select event_month from intermediate.int_settlements_netted where settlement_id = ?",
              [changed["new"]]) == [(CHANGED_MONTH,)]
    assert _q(inc, "select net_settlements, total_amount from intermediate.int_settlements_netted "
                   "where settlement_id = ?", [changed["revoked"]]) == [(0, 0)]
    (raw,), = _q(inc, """select sum(medfee_sumamt) from lab_settlements_v2 s where not exists
                         (select 1 from lab_revocations_v2 r where r.revoked_setl_id = s.setl_id)""")
    (mart,), = _q(inc, "select sum(total_amount) from marts.cost_by_disease_age_band")
    assert lab_ids > 0 and mart == raw
