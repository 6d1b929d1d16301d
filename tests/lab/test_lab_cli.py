"""``medshare lab``: the commands over the sim lab (the group is registered on a local Typer app, as
medshare.cli.main does with every module in COMMAND_MODULES)."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from medshare.cli import lab as lab_cli
from medshare.errors import UserError

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def app():
    a = typer.Typer()
    lab_cli.register(a)

    @a.callback()
    def _root() -> None:
        pass

    return a


@pytest.fixture
def lab_env(sim_lab, monkeypatch):
    from medshare.config import reload_settings

    cfg, path, _, _ = sim_lab
    monkeypatch.setenv("MEDSHARE_LAB_URL", str(path))
    reload_settings()
    yield cfg
    monkeypatch.delenv("MEDSHARE_LAB_URL")
    reload_settings()


def test_help(app):
    r = CliRunner().invoke(app, ["lab", "--help"])
    assert r.exit_code == 0 and "release" in r.output and "check" in r.output


def test_check_json(app, lab_env):
    r = CliRunner().invoke(app, ["lab", "check", "multi_card_signals", "--insurer", "hhb", "--purpose",
                                 "supervision", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["ok"] and d["k"] == 5 and d["rows_out"] > 0


def test_check_refused_names_why(app, lab_env):
    r = CliRunner().invoke(app, ["lab", "check", "multi_card_signals", "--insurer", "shenlife", "--purpose",
                                 "supervision"])
    assert r.exit_code != 0
    assert isinstance(r.exception, UserError) and "no supervision purpose" in str(r.exception)


def test_release_dry_run(app, lab_env):
    r = CliRunner().invoke(app, ["lab", "release", "cost_by_disease_age_band", "--insurer", "shenlife",
                                 "--purpose", "actuarial", "--period", "2026-01", "--dry-run", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["status"] == "dry-run" and d["release_id"].startswith("rel-") and d["disclosure"]["k"] == 20
