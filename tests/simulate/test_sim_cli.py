"""``medshare simulate``: options, JSON summary, plain errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medshare.cli.main import app
from medshare.errors import UserError

runner = CliRunner()


def test_help_has_an_example() -> None:
    result = runner.invoke(app, ["simulate", "--help"])
    assert result.exit_code == 0
    assert "--persons" in result.output and "medshare simulate --persons" in result.output


def test_json_summary(tmp_path: Path) -> None:
    result = runner.invoke(app, ["simulate", "--persons", "120", "--days", "3", "--seed", "5", "--no-kafka",
                                 "--out", str(tmp_path / "run"), "--jsonl", str(tmp_path / "jsonl"),
                                 "--insurers", "hhb,shenlife,abc", "--malformed-rate", "0.1", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["seed"] == 5 and summary["persons"] == 120 and summary["days"] == 3
    assert set(summary["consents"]["consenting_persons"]) == {"hhb", "shenlife", "abc"}
    assert (tmp_path / "run" / "summary.json").exists()
    assert (tmp_path / "run" / "malformed.jsonl").exists()
    assert (tmp_path / "jsonl" / "platform.settlements.v2.jsonl").exists()
    assert "kafka" not in summary["sinks"]
    # enrolment events for the insurers with a product, in the sidecar's topics when malformed
    assert summary["topics"]["platform.enrolments.v1"] > 0
    assert set(summary["enrolments"]["products"]) == {"hhb", "shenlife"}
    assert (tmp_path / "jsonl" / "platform.enrolments.v1.jsonl").exists()
    sidecar = [json.loads(x) for x in (tmp_path / "run" / "malformed.jsonl").read_text().splitlines()]
    assert sum(x["topic"] == "platform.enrolments.v1" for x in sidecar) == \
        sum(summary["malformed_by_topic"].get("platform.enrolments.v1", {}).values()) > 0


def test_no_enrolments_flag(tmp_path: Path) -> None:
    result = runner.invoke(app, ["simulate", "--persons", "60", "--days", "2", "--no-kafka", "--no-batch",
                                 "--out", str(tmp_path / "run"), "--no-enrolments", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["topics"]["platform.enrolments.v1"] == 0


@pytest.fixture
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh, empty MEDSHARE_HOME for one test (no credentials, no broker), then the old one back."""
    from medshare.config import reload_settings

    monkeypatch.setenv("MEDSHARE_HOME", str(tmp_path / "home"))
    reload_settings()
    yield tmp_path / "home"
    monkeypatch.undo()
    reload_settings()


def test_default_run_dir_is_under_the_home(own_home: Path) -> None:
    result = runner.invoke(app, ["simulate", "--persons", "30", "--days", "2", "--seed", "9", "--no-kafka",
                                 "--no-batch", "-q"])
    assert result.exit_code == 0, result.output
    assert "simulated" in result.output
    assert (own_home / "sim" / "seed9" / "summary.json").exists()
    assert not (own_home / "sim" / "seed9" / "batch").exists()


@pytest.mark.parametrize("args", [
    ["--persons", "0"],
    ["--days", "0"],
    ["--malformed-rate", "1.5"],
    ["--insurers", "HHB"],
    ["--insurers", ""],
    ["--start-date", "2026-13-01"],
])
def test_user_errors(args: list[str], tmp_path: Path) -> None:
    result = runner.invoke(app, ["simulate", "--no-kafka", "--out", str(tmp_path), *args])
    assert isinstance(result.exception, UserError), result.output
    assert "\n" not in str(result.exception)


def test_missing_broker_is_a_user_error(own_home: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["simulate", "--persons", "5", "--days", "1", "--out", str(tmp_path / "r")])
    assert isinstance(result.exception, UserError)
    assert not (tmp_path / "r").exists(), "nothing is written when Kafka is not there"
