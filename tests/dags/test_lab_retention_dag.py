"""The lab_retention DAG really run with ``airflow dags test`` (issue #20 part 2).

A DuckDB lab of its own (``MEDSHARE_LAB_URL``) with rows on both sides of the cutoff; the run
after 2 March 2026 02:00 Shanghai ends its interval at 2026-03-01T18:00Z, so with the longest mart
grant's P3Y the cutoff month is 2023-03: rows of 2023-02 and before go, 2023-03 and after stay.
The compliance report's PIPL section then shows the run among the last enforcement runs, and a
rerun deletes nothing more.
"""

from __future__ import annotations

import json

import pytest
from airflow_helpers import dags_test

pytestmark = pytest.mark.integration

RUN_AFTER = "2026-03-02T02:00:00+08:00"
MONTHS = ["2022-12", "2023-02", "2023-03", "2024-07", "2026-02"]
#: every lab table and its month column (the v1 table is kept and trimmed too)
TABLES = {"lab_settlements": "event_month", "lab_settlements_v2": "setl_month",
          "lab_revocations_v2": "revoked_month", "lab_emr_notes": "event_month"}


def _months(url: str, table: str) -> list[str]:
    import duckdb

    con = duckdb.connect(url, read_only=True)
    try:
        return sorted(r[0] for r in con.execute(f"select {TABLES[table]} from {table}").fetchall())
    finally:
        con.close()


@pytest.fixture
def lab(kafka_broker, airflow_db, tmp_path):
    from streams.labdb import LabDB

    cfg = kafka_broker
    url = str(tmp_path / "retention-lab.duckdb")
    LabDB(url=url, cfg=cfg).write({
        "lab_settlements": [{"settlement_id": f"ST{i}", "person_key": "pk", "event_month": m}
                            for i, m in enumerate(MONTHS)],
        "lab_settlements_v2": [{"setl_id": f"31{i}", "person_key": "pk", "setl_month": m}
                               for i, m in enumerate(MONTHS)],
        "lab_revocations_v2": [{"revoked_setl_id": f"31{i}", "person_key": "pk", "revoked_month": m}
                               for i, m in enumerate(MONTHS)],
        "lab_emr_notes": [{"note_id": f"N{i}", "settlement_id": f"ST{i}", "event_month": m}
                          for i, m in enumerate(MONTHS)],
    })
    runs = cfg.state_dir / "retention-runs.json"
    if runs.exists():
        runs.unlink()
    return cfg, url


def test_lab_retention_dag_deletes_old_rows_and_the_report_shows_the_run(lab):
    from medshare.rights_report import collect, render_html

    cfg, url = lab
    proc, seconds = dags_test("lab_retention", RUN_AFTER, env={"MEDSHARE_LAB_URL": url})
    print(f"airflow dags test lab_retention: {seconds:.1f} s (rc {proc.returncode})")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "end task task_id=enforce" in proc.stdout or "task_id=enforce" in proc.stdout
    for table in TABLES:
        assert _months(url, table) == ["2023-03", "2024-07", "2026-02"], table
    report = collect(cfg, broker=False)
    run = report["enforcement_runs"]["lab-retention"]
    assert run["cutoff_month"] == "2023-03" and run["retention"] == "P3Y"
    assert run["deleted"] == dict.fromkeys(TABLES, 2)
    assert "lab-retention at " in render_html(report)

    proc, _ = dags_test("lab_retention", RUN_AFTER, env={"MEDSHARE_LAB_URL": url})
    assert proc.returncode == 0, proc.stdout[-4000:]
    again = json.loads((cfg.state_dir / "retention-runs.json").read_text())["lab-retention"]
    assert again["deleted"] == dict.fromkeys(TABLES, 0)
    assert _months(url, "lab_settlements") == ["2023-03", "2024-07", "2026-02"]
