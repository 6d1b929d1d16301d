"""Lab retention (issue #20 part 2): rows past the longest mart grant's retention are deleted.

On a DuckDB file made here: rows of months before the cutoff month go, rows of the cutoff month
and after stay, in both lab tables; a dry run deletes nothing; a second run deletes nothing more;
no mart grant means nothing is deleted. The cutoff is checked against the agreements' own
``Retention.expires`` (counting forward from the cutoff reaches today).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from medshare.config import Settings
from medshare.lab.retention import cutoff_date, enforce_lab_retention, longest_mart_retention

NOW = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)
#: the real agreements' longest mart grant is P3Y (hhb): cutoff 2023-12-07, cutoff month 2023-12
MONTHS = ["2021-06", "2023-10", "2023-11", "2023-12", "2024-01", "2026-11"]


@pytest.fixture
def lab(tmp_path):
    from streams.labdb import LabDB

    cfg = Settings(home=tmp_path / "home")
    url = str(tmp_path / "lab.duckdb")
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
    return cfg, url


MONTH_COLUMNS = {"lab_settlements": "event_month", "lab_settlements_v2": "setl_month",
                 "lab_revocations_v2": "revoked_month", "lab_emr_notes": "event_month"}
ALL_THREE = dict.fromkeys(MONTH_COLUMNS, 3)


def _months(url: str, table: str) -> list[str]:
    import duckdb

    con = duckdb.connect(url, read_only=True)
    try:
        return sorted(r[0] for r in con.execute(f"select {MONTH_COLUMNS[table]} from {table}").fetchall())
    finally:
        con.close()


def test_the_rule_is_the_longest_mart_grant_of_the_agreements():
    from privacy.agreements import load_agreements

    agreements = load_agreements()
    rule = longest_mart_retention(agreements)
    marts = [g.retention.approx_days for a in agreements for g in a.grants if g.source.startswith("mart:")]
    assert rule["source"].startswith("mart:") and rule["retention"].approx_days == max(marts)
    # record grants (5 years for claims) do not count: the lab feeds the marts only
    assert rule["retention"].approx_days < max(g.retention.approx_days for a in agreements for g in a.grants)


@pytest.mark.parametrize("today", [date(2026, 12, 7), date(2024, 2, 29), date(2026, 3, 31), date(2026, 1, 1)])
def test_cutoff_counted_forward_reaches_today(today):
    rule = longest_mart_retention()
    cut = cutoff_date(rule["retention"], today)
    assert rule["retention"].expires(cut) <= today
    assert (today - cut).days <= rule["retention"].approx_days + 2


def test_rows_before_the_cutoff_month_are_deleted_newer_kept(lab):
    cfg, url = lab
    result = enforce_lab_retention(cfg, now=NOW, url=url)
    assert result["rule"]["retention"] == "P3Y" and result["cutoff"] == "2023-12-07"
    assert result["cutoff_month"] == "2023-12"
    for table in MONTH_COLUMNS:
        assert _months(url, table) == ["2023-12", "2024-01", "2026-11"], table
        assert result["deleted"][table] == 3 and result["kept"][table] == 3
    runs = json.loads((cfg.state_dir / "retention-runs.json").read_text())
    assert runs["lab-retention"]["deleted"] == ALL_THREE
    again = enforce_lab_retention(cfg, now=NOW, url=url)
    assert again["deleted"] == dict.fromkeys(MONTH_COLUMNS, 0)


def test_dry_run_deletes_nothing(lab):
    cfg, url = lab
    result = enforce_lab_retention(cfg, now=NOW, dry_run=True, url=url)
    assert result["deleted"] == ALL_THREE
    assert all(_months(url, table) == sorted(MONTHS) for table in MONTH_COLUMNS)
    assert not (cfg.state_dir / "retention-runs.json").exists()


def test_no_mart_grant_deletes_nothing(lab):
    cfg, url = lab
    only_records = [SimpleNamespace(insurer="x", grants=[SimpleNamespace(source_kind="topic", source="t")])]
    result = enforce_lab_retention(cfg, now=NOW, url=url, agreements=only_records)
    assert result["rule"] is None and "nothing deleted" in result["note"]
    assert _months(url, "lab_settlements") == sorted(MONTHS)


def test_cli_lab_retention(lab, monkeypatch):
    from medshare.cli.main import app
    from medshare.config import reload_settings

    cfg, url = lab
    monkeypatch.setenv("MEDSHARE_HOME", str(cfg.home))
    monkeypatch.setenv("MEDSHARE_LAB_URL", url)
    reload_settings()
    try:
        res = CliRunner().invoke(app, ["lab", "retention", "--dry-run", "--json"])
        assert res.exit_code == 0, res.output
        out = json.loads(res.output)
        assert out["dry_run"] and out["rule"]["retention"] == "P3Y"
        assert _months(url, "lab_settlements") == sorted(MONTHS)
        res = CliRunner().invoke(app, ["lab", "retention"])
        assert res.exit_code == 0, res.output
        assert "lab_settlements" in res.output and "P3Y" in res.output
        # today's clock: everything before (today - 3 years)'s month is gone, 2026-11 stays
        assert "2026-11" in _months(url, "lab_settlements") and "2021-06" not in _months(url, "lab_settlements")
    finally:
        # the session's own environment back (the test home, not none), then settings read from it:
        # deleting MEDSHARE_HOME here left later in-process CLI calls on the default home
        monkeypatch.undo()
        reload_settings()
