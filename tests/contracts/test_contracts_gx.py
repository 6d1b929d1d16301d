"""Great Expectations suites generated from the lab contract: pass on clean lab data, fail naming
the expectation on a duplicated settlement_id or a null in a required column; JSON and HTML
outputs never carry identifier or health values."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from contract_records import lab_note, lab_settlement
from typer.testing import CliRunner

from contracts import gx as cgx
from contracts import registry

LAB = "lab.settlements.v1"

#: the lab sink's table layout (streams/labdb.py), without its primary key so duplicates can exist
DDL = """create table lab_settlements (settlement_id VARCHAR, event_type VARCHAR, refund_of VARCHAR,
  person_key VARCHAR, event_hour TIMESTAMPTZ, event_month VARCHAR, gender VARCHAR, age_band VARCHAR,
  district VARCHAR, insurance_type VARCHAR, visit_type VARCHAR, institution_code VARCHAR,
  admission_month VARCHAR, length_of_stay INTEGER, diagnosis_code VARCHAR, items JSON,
  total_amount DECIMAL(14,2), fund_paid DECIMAL(14,2), account_paid DECIMAL(14,2), self_pay DECIMAL(14,2),
  self_expense DECIMAL(14,2), loaded_at TIMESTAMPTZ)"""
NOTES_DDL = """create table lab_emr_notes (note_id VARCHAR, settlement_id VARCHAR, person_key VARCHAR,
  event_month VARCHAR, institution_code VARCHAR, note_type VARCHAR, text_redacted VARCHAR, entities JSON,
  loaded_at TIMESTAMPTZ)"""


def _lab_db(path, rows: list[dict], notes: list[dict] = ()) -> str:
    import duckdb

    con = duckdb.connect(str(path))
    con.execute(DDL)
    con.execute(NOTES_DDL)
    for table, items in (("lab_settlements", rows), ("lab_emr_notes", notes)):
        cols = [r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
            [table]).fetchall()]
        for r in items:
            r = dict(r, loaded_at=datetime.now(UTC).isoformat())
            for k in ("items", "entities"):
                if k in r:
                    r[k] = json.dumps(r[k], ensure_ascii=False)
            con.execute(f"insert into {table} values ({', '.join('?' * len(cols))})", [r.get(c) for c in cols])
    con.close()
    return str(path)


def test_suite_plan_covers_the_contract():
    plans = cgx.build_expectations(registry.load(LAB))
    kinds = {(p.kind, p.column, p.rule) for p in plans}
    assert ("ExpectColumnValuesToBeUnique", "settlement_id", "unique") in kinds
    assert ("ExpectColumnValuesToNotBeNull", "person_key", "required") in kinds
    assert ("ExpectColumnValuesToBeInSet", "insurance_type", "enum") in kinds
    assert ("ExpectColumnValuesToMatchRegex", "diagnosis_code", "format:icd10") in kinds
    assert ("ExpectColumnValuesToBeBetween", "length_of_stay", "range") in kinds
    assert ("ExpectTableRowCountToBeBetween", None, "row-count") in kinds
    assert ("ExpectColumnValuesToNotBeNull", "district", "completeness") in kinds
    fresh = [p for p in plans if p.rule == "freshness"]
    assert fresh and fresh[0].severity == "warning" and fresh[0].column == "event_hour"
    assert {p.rule for p in plans} >= {"payment-parts-sum", "items-sum", "refund-shape"}
    assert len({(p.kind, json.dumps(p.kwargs, sort_keys=True, default=str)) for p in plans}) == len(plans)


def test_suite_runs_on_a_dataframe_without_a_database():
    import pandas as pd

    rows = [lab_settlement(i) for i in range(20)]
    df = pd.DataFrame([dict(r, items=json.dumps(r["items"])) for r in rows])
    run = cgx.validate_dataframe(registry.load(LAB), df)
    assert run.success, [o for o in run.failed]


def test_a_run_prints_no_library_noise_when_the_root_logger_is_at_info():
    """The demo's last step printed GX's INFO lines (a library had set the root logger to INFO)."""
    import subprocess
    import sys

    script = """
import json, logging, sys
logging.basicConfig(level=logging.INFO, stream=sys.stdout)
sys.path[:0] = ['tests/contracts']
import pandas as pd
from contract_records import lab_settlement
from contracts import gx as cgx, registry
rows = [lab_settlement(i) for i in range(5)]
df = pd.DataFrame([dict(r, items=json.dumps(r["items"])) for r in rows])
print("success", cgx.validate_dataframe(registry.load("lab.settlements.v1"), df).success)
"""
    from pathlib import Path

    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    lines = (out.stdout + out.stderr).splitlines()
    assert "success True" in lines
    assert [ln for ln in lines if "great_expectations" in ln] == []




@pytest.mark.integration
def test_clean_lab_table_passes(tmp_path):
    db = _lab_db(tmp_path / "lab.duckdb", [lab_settlement(i) for i in range(30)] +
                 [lab_settlement(30, district=None)], [lab_note(), lab_note(note_id="N9", entities={})])
    run = cgx.validate_table("lab_settlements", db)
    assert run.success and run.rows == 31 and not run.failed, [o for o in run.failed]
    assert len(run.outcomes) > 30
    notes = cgx.validate_table("lab_emr_notes", db)
    assert notes.success, [o for o in notes.failed]


def _failed(run, kind, column=None):
    return [o for o in run.failed if o.expectation == kind and (column is None or o.column == column)]


@pytest.mark.integration
def test_duplicated_settlement_id_fails_naming_the_expectation(tmp_path):
    rows = [lab_settlement(i) for i in range(10)]
    rows.append(lab_settlement(3, person_key="f" * 32))  # the same settlement_id twice
    run = cgx.validate_table("lab_settlements", _lab_db(tmp_path / "lab.duckdb", rows))
    assert not run.success
    [dup] = _failed(run, "expect_column_values_to_be_unique", "settlement_id")
    assert dup.unexpected_count == 2
    assert {k["settlement_id"] for k in dup.sample_keys} == {"ST2026030500000003"}
    assert [o.expectation for o in run.failed] == ["expect_column_values_to_be_unique"]


@pytest.mark.integration
def test_null_in_a_required_column_fails_naming_the_expectation(tmp_path):
    rows = [lab_settlement(i) for i in range(10)]
    rows[4]["diagnosis_code"] = None
    rows[6]["gender"] = None
    run = cgx.validate_table("lab_settlements", _lab_db(tmp_path / "lab.duckdb", rows))
    assert not run.success
    [dx] = _failed(run, "expect_column_values_to_not_be_null", "diagnosis_code")
    assert dx.sample_keys == [{"settlement_id": "ST2026030500000004"}]
    assert dx.sample_values is None  # diagnosis_code is sensitive-health: values never shown
    [g] = _failed(run, "expect_column_values_to_not_be_null", "gender")
    assert g.sample_keys == [{"settlement_id": "ST2026030500000006"}]


@pytest.mark.integration
def test_rule_and_freshness_failures(tmp_path):
    old = datetime.now(UTC) - timedelta(days=30)
    rows = [lab_settlement(i, now=old) for i in range(5)]
    rows[2]["fund_paid"] = 0.0  # payments no longer add up
    rows[3]["diagnosis_code"] = "not-icd"
    run = cgx.validate_table("lab_settlements", _lab_db(tmp_path / "lab.duckdb", rows))
    failed = {(o.rule, o.severity) for o in run.failed}
    assert ("payment-parts-sum", "critical") in failed
    assert ("format:icd10", "critical") in failed
    assert ("freshness", "warning") in failed
    [icd] = [o for o in run.failed if o.rule == "format:icd10"]
    assert icd.sample_values is None and "not-icd" not in run.to_json() and "not-icd" not in run.to_html()
    # freshness alone is a warning: the run still passes
    rows = [lab_settlement(i, now=old) for i in range(5)]
    run = cgx.validate_table("lab_settlements", _lab_db(tmp_path / "lab2.duckdb", rows))
    assert run.success and [o.rule for o in run.failed] == ["freshness"]


@pytest.mark.integration
def test_validate_command_json_and_html(tmp_path):
    from medshare.cli.main import app

    rows = [lab_settlement(i) for i in range(5)]
    rows.append(lab_settlement(1))
    db = _lab_db(tmp_path / "lab.duckdb", rows)
    html = tmp_path / "report" / "lab.html"
    res = CliRunner().invoke(app, ["contracts", "validate", "lab_settlements", "--database", db, "--json",
                                   "--html", str(html)])
    assert res.exit_code == 1, res.output
    data = json.loads(res.output)
    assert data["success"] is False and data["table"] == "lab_settlements" and data["rows"] == 6
    assert any(r["expectation"] == "expect_column_values_to_be_unique" and not r["success"]
               for r in data["results"])
    page = html.read_text()
    assert "FAILED" in page and "expect_column_values_to_be_unique" in page and "ST2026030500000001" in page
    res = CliRunner().invoke(app, ["contracts", "validate", "lab_nothing", "--database", db])
    assert res.exit_code != 0
    res = CliRunner().invoke(app, ["contracts", "validate", "lab_settlements", "--database",
                                   str(tmp_path / "missing.duckdb")])
    assert res.exit_code != 0
