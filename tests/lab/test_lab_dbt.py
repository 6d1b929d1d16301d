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
    # raw: every settlement not revoked, in the month of the care
    not_revoked = """from lab_settlements_v2 s where not exists
                     (select 1 from lab_revocations_v2 r where r.revoked_setl_id = s.setl_id)"""
    raw = dict(_q(path, f"select setl_month, sum(medfee_sumamt) {not_revoked} group by 1"))
    mart = dict(_q(path, "select event_month, sum(total_amount) from marts.cost_by_disease_age_band group by 1"))
    assert mart == raw
    assert len(raw) >= 2
    # the fund split and the personal part reconcile too, to the fen
    for lab_col, mart_col in (("hifp_pay", "hifp_pay"), ("hifmi_pay", "hifmi_pay"), ("hifob_pay", "hifob_pay"),
                              ("maf_pay", "maf_pay"), ("acct_pay", "account_paid"),
                              ("psn_cash_pay", "cash_paid"), ("fulamt_ownpay_amt", "self_expense"),
                              ("fund_pay_sumamt", "fund_paid")):
        (a,), = _q(path, f"select sum({lab_col}) {not_revoked}")
        (b,), = _q(path, f"select sum({mart_col}) from marts.cost_by_disease_age_band")
        assert a == b, lab_col
    (parts,), = _q(path, "select sum(fund_paid + self_pay + self_expense) from marts.cost_by_disease_age_band")
    (total,), = _q(path, "select sum(total_amount) from marts.cost_by_disease_age_band")
    assert parts == total  # hosp_part_amt is 0 in these records
    # settlements net of revocations
    (n,), = _q(path, f"select count(*) {not_revoked}")
    (m,), = _q(path, "select sum(settlements) from marts.cost_by_disease_age_band")
    assert m == n
    # the January settlement revoked in February is out of January; the orphan revocation is counted
    (revoked,), = _q(path, """select count(*) from intermediate.int_settlements_netted
                             where revocations = 1 and net_settlements = 0 and event_month = '2026-01'""")
    assert revoked >= 1
    assert _q(path, "select settlement_id from intermediate.int_orphan_revocations") == [("310099999999999999",)]
    # the main diagnosis is the settlement's diagnosis; a pharmacy purchase has none
    (groups,), = _q(path, "select count(*) from marts.cost_by_disease_age_band where diagnosis_group = 'NONE'")
    assert groups >= 1
    (mains,), = _q(path, """select count(*) from staging.stg_settlements s join staging.stg_settlement_diagnoses d
                           on d.settlement_id = s.settlement_id and d.is_main where d.diag_code <> s.diagnosis_code""")
    assert mains == 0
    # institution outliers and multi-card signals cover the same (non-revoked) cost
    (outl,), = _q(path, "select sum(total_amount) from marts.institution_cost_outliers")
    (pos,), = _q(path, "select sum(total_amount) from intermediate.int_settlements_netted where net_settlements > 0")
    assert outl == pos


def test_special_drug_use_reconciles_with_fee_lines(sim_lab):
    _, path, _, _ = sim_lab
    (raw,), = _q(path, """select sum(i.amount) from staging.stg_settlement_items i
                         where i.special_drug and not exists (select 1 from lab_revocations_v2 r
                                                              where r.revoked_setl_id = i.settlement_id)""")
    (mart,), = _q(path, "select sum(amount) from marts.innovative_drug_use")
    assert raw is not None and raw > 0 and mart == raw
    # only drug lines flagged 目录特项 or 谈判 count
    codes = {c for (c,) in _q(path, "select distinct item_code from marts.innovative_drug_use")}
    assert codes == {"XL01XEA123B001010100001"}


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
    signals = _q(path, "select * exclude (source_loaded_at) from marts.multi_card_signals order by signal_key")
    again = dbt.build(cfg=cfg, select="marts")
    assert again.success
    assert _q(path, "select * from marts.cost_by_disease_age_band order by cell_key") == before
    # the same figures to the last digit: sums are exact, so the order rows arrive in cannot matter
    full = dbt.build(cfg=cfg, select="multi_card_signals", full_refresh=True)
    assert full.success
    assert _q(path, "select * exclude (source_loaded_at) from marts.multi_card_signals order by signal_key") == signals
    docs = dbt.docs_generate(cfg=cfg)
    assert docs.success
    assert (cfg.lab_dir / "dbt" / "target" / "catalog.json").exists()
