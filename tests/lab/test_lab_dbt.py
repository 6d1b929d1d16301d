"""dbt builds the lab for real (DuckDB) with every model, data test and unit test passing, and the
marts reconcile with the lab's raw totals."""

from __future__ import annotations

import duckdb
import pytest

from medshare.lab import dbt

pytestmark = pytest.mark.integration


def _q(path, sql):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_dbt_build_passes(sim_lab):
    cfg, path, run, seconds = sim_lab
    assert run.success, run.failures
    statuses = dict(run.results)
    assert all(s in ("success", "pass") for s in statuses.values()), run.failures
    # every mart, the unit test and the primary-key tests ran
    for mart in dbt.MARTS:
        assert statuses.get(f"model.medshare_lab.{mart}") == "success", mart
    assert any(uid.startswith("unit_test.") for uid in statuses)
    assert sum(1 for uid in statuses if uid.startswith("test.medshare_lab.unique_")) >= 10
    print(f"dbt build: {seconds:.1f} s")


def test_marts_reconcile_with_raw_lab_totals(sim_lab):
    _, path, _, _ = sim_lab
    # raw: every settlement event's amount, a refund counted in the month of the settlement it reverses
    raw = dict(_q(path, """
        select coalesce(o.event_month, s.event_month) as m, sum(s.total_amount)
        from lab_settlements s
        left join lab_settlements o on s.event_type = 'refund' and o.settlement_id = s.refund_of
        group by 1"""))
    mart = dict(_q(path, "select event_month, sum(total_amount) from marts.cost_by_disease_age_band group by 1"))
    assert mart == raw
    assert len(raw) >= 2
    # and by the refunds' own months, the overall total is the same
    (total,), = _q(path, "select sum(total_amount) from lab_settlements")
    assert sum(mart.values()) == total
    # settlements net of refunds: settlements minus refunds
    (n,), = _q(path, "select sum(case when event_type = 'refund' then -1 else 1 end) from lab_settlements")
    (m,), = _q(path, "select sum(settlements) from marts.cost_by_disease_age_band")
    assert m == n
    # the netted January settlement: its refund (in February) takes it out of January
    (refunded,), = _q(path, """select count(*) from intermediate.int_settlements_netted
                              where refunds > 0 and net_settlements = 0 and event_month = '2026-01'""")
    assert refunded >= 1
    # institution outliers and multi-card signals cover the same (non-reversed) cost
    (outl,), = _q(path, "select sum(total_amount) from marts.institution_cost_outliers")
    (pos,), = _q(path, "select sum(total_amount) from intermediate.int_settlements_netted where net_settlements > 0")
    assert outl == pos


def test_special_drug_use_reconciles_with_items(sim_lab):
    _, path, _, _ = sim_lab
    (raw,), = _q(path, """select sum(amount) from staging.stg_settlement_items where special_drug""")
    (mart,), = _q(path, "select sum(amount) from marts.innovative_drug_use")
    assert raw is not None and mart == raw


def test_claim_frequency_is_distributions_not_persons(sim_lab):
    _, path, _, _ = sim_lab
    cols = [r[0] for r in _q(path, "select column_name from information_schema.columns "
                                   "where table_schema = 'marts' and table_name = 'claim_frequency_severity'")]
    assert "person_key" not in cols
    (rows, persons), = _q(path, "select count(*), sum(persons) from marts.claim_frequency_severity")
    (person_years,), = _q(path, "select count(distinct person_key || event_year) from staging.stg_settlements")
    assert persons == person_years and rows < persons


def test_multi_card_pattern_is_signalled(sim_lab):
    _, path, _, _ = sim_lab
    rows = _q(path, """select event_week, cards_per_contact_max, cluster_hours, repeat_persons, signal_score
                       from marts.multi_card_signals where institution_code = 'H31011500999'""")
    assert rows == [("2026-W03", 5, 2, 5, pytest.approx(rows[0][4]))]
    assert rows[0][4] > 0


def test_incremental_rebuild_is_stable_and_docs_generate(sim_lab):
    cfg, path, _, _ = sim_lab
    before = _q(path, "select * from marts.cost_by_disease_age_band order by cell_key")
    again = dbt.build(cfg=cfg, select="marts")
    assert again.success
    assert _q(path, "select * from marts.cost_by_disease_age_band order by cell_key") == before
    docs = dbt.docs_generate(cfg=cfg)
    assert docs.success
    assert (cfg.lab_dir / "dbt" / "target" / "catalog.json").exists()
