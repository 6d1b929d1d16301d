"""The disclosure check: small cells coarsened or suppressed and reported; identifiers, per-person
rows and insurers without the purpose refused. Unit tests: rows built here, nothing started."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from contracts import registry
from contracts.model import Contract
from medshare.lab.disclosure import LEVELS, age_band_10y, check_mart, quarter
from privacy.agreements import load_agreements

TODAY = date(2026, 6, 1)  # both shipped agreements in effect
COST = "cost_by_disease_age_band"


def _cell(age: str, persons: int, *, month: str = "2026-01", dx: str = "E11", total: float = 100.0) -> dict:
    return {
        "cell_key": f"{month}|{dx}|{age}|F|310|11", "event_month": month, "diagnosis_chapter": dx[0],
        "diagnosis_group": dx, "age_band": age, "gender": "F", "insurance_type": "310", "visit_type": "11",
        "persons": persons, "settlements": persons + 1, "total_amount": total, "fund_paid": total / 2,
        "account_paid": 0.0, "self_pay": total / 4, "self_expense": total / 4, "out_of_pocket": total / 2,
        "out_of_pocket_p50": 10.0, "out_of_pocket_p90": 20.0, "source_loaded_at": "2026-02-01T00:00:00+00:00",
    }


@pytest.fixture(scope="module")
def agreements():
    return load_agreements()


def check(rows, insurer="hhb", purpose="actuarial", mart=COST, **kw):
    return check_mart(mart, rows, insurer=insurer, purpose=purpose, today=TODAY, **kw)


@pytest.mark.parametrize("value, expected", [
    ("40-44", "40-49"), ("45-49", "40-49"), ("0-4", "0-9"), ("80-84", "80+"), ("85+", "80+"), ("all", "all"),
])
def test_age_band_10y(value, expected):
    assert age_band_10y(value) == expected


def test_levels():
    assert quarter("2026-02") == "2026-Q1" and quarter("2026-12") == "2026-Q4"
    assert LEVELS["all"]("40-44") == "all"


def test_cells_at_or_above_k_pass_unchanged(agreements):
    rows = [_cell("40-44", 10), _cell("45-49", 25)]
    res = check(rows, agreements=agreements)
    assert res.ok and res.k == 10
    assert res.rows == rows and res.rows_suppressed == 0 and res.merged_cells == 0
    assert res.quasi_identifiers == ["event_month", "age_band", "gender"]


def test_small_cells_are_merged_into_coarser_bands_and_reported(agreements):
    rows = [_cell("40-44", 4, total=40), _cell("45-49", 7, total=70), _cell("60-64", 30)]
    res = check(rows, agreements=agreements)
    assert res.ok
    merged = [r for r in res.rows if r["age_band"] == "40-49"]
    assert len(merged) == 1
    m = merged[0]
    assert m["persons"] == 11 and m["settlements"] == 13 and m["total_amount"] == 110.0
    assert m["out_of_pocket_p50"] is None  # percentiles do not merge
    assert res.rows_kept == 1 and res.rows_coarsened == 2 and res.merged_cells == 1
    assert res.rows_suppressed == 0 and res.generalised == {"age_band:age_band_10y": 1}
    assert all(r["persons"] >= 10 for r in res.rows)
    assert {r["cell_key"] for r in res.rows} == {"2026-01|E11|60-64|F|310|11", "2026-01|E|E11|40-49|F|310|11"}


def test_cells_merge_up_to_all_ages_then_are_suppressed(agreements):
    # 20-24 (3) and 70-74 (4) share no 10-year band: merged at "all" (7 < 10) -> suppressed
    rows = [_cell("20-24", 3), _cell("70-74", 4), _cell("40-44", 12)]
    res = check(rows, agreements=agreements)
    assert res.ok and [r["age_band"] for r in res.rows] == ["40-44"]
    assert res.rows_suppressed == 2 and res.persons_suppressed == 7
    d = res.to_dict()
    assert d["rows_suppressed"] == 2 and "rows" not in d
    # with one more small cell the "all ages" cell reaches k and is released instead
    res = check([*rows, _cell("0-4", 5)], agreements=agreements)
    assert res.rows_suppressed == 0
    assert [r["persons"] for r in res.rows if r["age_band"] == "all"] == [12]


def test_k_comes_from_the_agreement(agreements):
    rows = [_cell("40-44", 15), _cell("45-49", 25)]
    assert check(rows, agreements=agreements).rows_out == 2            # hhb: k = 10
    res = check(rows, insurer="shenlife", agreements=agreements)     # shenlife: k = 20
    assert res.k == 20 and [r["age_band"] for r in res.rows] == ["45-49"]
    assert res.rows_suppressed == 1 and res.persons_suppressed == 15


def test_zero_person_cells_are_withheld(agreements):
    res = check([_cell("40-44", 0, total=-50), _cell("45-49", 30)], agreements=agreements)
    assert res.ok and res.rows_out == 1 and res.rows_suppressed == 1


def test_direct_identifier_column_is_refused(agreements):
    doc = yaml.safe_load(registry.load(f"lab.mart.{COST}").to_yaml())
    doc["schema"][0]["properties"].append({"name": "resident_id", "logicalType": "string",
                                           "tags": ["direct-identifier"]})
    contract = Contract.from_dict(doc, check=False)
    res = check([_cell("40-44", 12)], agreements=agreements, contract=contract)
    assert not res.ok and res.rows == []
    assert "direct-identifier" in res.reason and "resident_id" in res.reason


def test_person_key_column_is_refused(agreements):
    rows = [{**_cell("40-44", 12), "person_key": "a" * 32}]
    res = check(rows, agreements=agreements)
    assert not res.ok and "person_key" in res.reason and res.checks[-1].name == "per-person"


@pytest.mark.parametrize("column", ["psn_no", "certno", "setl_id", "revoked_setl_id"])
def test_national_interface_person_level_columns_are_refused(agreements, column):
    rows = [{**_cell("40-44", 12), column: "310000000000123456"}]
    res = check(rows, agreements=agreements)
    assert not res.ok and column in res.reason and res.checks[-1].name == "per-person"


def test_per_person_rows_are_refused(agreements):
    res = check([_cell("40-44", 1), _cell("45-49", 1, dx="J06")], agreements=agreements)
    assert not res.ok and "per-person" in res.reason


def test_unknown_column_is_refused(agreements):
    res = check([{**_cell("40-44", 12), "district": "徐汇区"}], agreements=agreements)
    assert not res.ok and "district" in res.reason


def test_missing_group_size_is_refused(agreements):
    row = _cell("40-44", 12)
    del row["persons"]
    res = check([row], agreements=agreements)
    assert not res.ok and "persons" in res.reason


def test_insurer_without_the_purpose_is_refused(agreements):
    res = check([_cell("40-44", 12)], insurer="shenlife", purpose="supervision", mart="multi_card_signals",
                agreements=agreements)
    assert not res.ok and res.checks[0].name == "agreement"
    assert "no supervision purpose" in res.reason


def test_mart_not_granted_for_the_purpose_is_refused(agreements):
    res = check([_cell("40-44", 12)], insurer="shenlife", mart="innovative_drug_use", agreements=agreements)
    assert not res.ok and "does not grant mart innovative_drug_use" in res.reason
    res = check([_cell("40-44", 12)], insurer="hhb", purpose="supervision", agreements=agreements)
    assert not res.ok and "does not grant mart cost_by_disease_age_band" in res.reason


def test_unknown_insurer_and_agreement_out_of_effect(agreements):
    assert "no sharing agreement" in check([], insurer="acme", agreements=agreements).reason
    res = check_mart(COST, [], insurer="shenlife", purpose="actuarial", agreements=agreements,
                     today=date(2026, 1, 15))
    assert not res.ok and "not in effect" in res.reason


def test_supervision_signals_are_suppressed_not_coarsened(agreements):
    def sig(inst: str, persons: int) -> dict:
        return {"signal_key": f"{inst}|2026-W02", "event_week": "2026-W02", "event_month": "2026-01",
                "institution_code": inst, "persons": persons, "settlements": persons, "cards_per_contact_max": 3,
                "cluster_hours": 1, "repeat_persons": 0, "settlements_per_person": 1.0,
                "length_of_stay_ratio": None, "amount_ratio": 1.2, "signal_score": 0.1,
                "source_loaded_at": "2026-02-01T00:00:00+00:00"}

    res = check([sig("H1", 4), sig("H2", 5), sig("H3", 40)], purpose="supervision", mart="multi_card_signals",
                agreements=agreements)
    assert res.ok and res.k == 5
    assert [r["institution_code"] for r in res.rows] == ["H2", "H3"]
    assert res.rows_suppressed == 1 and res.persons_suppressed == 4 and res.merged_cells == 0
