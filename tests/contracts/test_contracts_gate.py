"""scripts/contracts-gate.sh on a throwaway git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from contracts import registry

ROOT = Path(__file__).resolve().parents[2]
GATE = ROOT / "scripts" / "contracts-gate.sh"
SRC = Path(registry.CONTRACTS_DIR) / "platform.consents.v1.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"})


def _gate(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(GATE), *args], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, "PYTHON": sys.executable})


def _write(repo: Path, edit=None, version: str | None = None, name: str = "platform.consents.v1.yaml") -> None:
    doc = yaml.safe_load(SRC.read_text())
    if edit:
        edit(doc)
    if version:
        doc["version"] = version
    path = repo / "contracts" / "odcs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", message)


@pytest.fixture
def repo(tmp_path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _write(repo)
    _commit(repo, "first")
    return repo


def _props(doc):
    return doc["schema"][0]["properties"]


def test_first_commit_has_nothing_to_compare(repo):
    res = _gate(repo)
    assert res.returncode == 0 and "nothing to check" in res.stdout


def test_compatible_change_passes(repo):
    _write(repo, lambda d: _props(d)[2]["enum"].append({"value": "suspend"}), version="1.1.0")
    _commit(repo, "widen action")
    res = _gate(repo)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "enum-widened" in res.stdout and "contracts-gate: ok" in res.stdout


def test_breaking_change_without_major_bump_fails_naming_field_and_why(repo):
    _write(repo, lambda d: _props(d).pop(10), version="1.1.0")  # channel removed
    _commit(repo, "drop channel")
    res = _gate(repo)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "channel: field-removed" in res.stdout and "major version bump" in res.stdout


def test_breaking_change_with_major_bump_passes(repo):
    _write(repo, lambda d: _props(d).pop(10), version="2.0.0")
    _commit(repo, "drop channel, v2")
    res = _gate(repo)
    assert res.returncode == 0, res.stdout + res.stderr


def test_uncommitted_working_tree_is_checked_against_head(repo):
    _write(repo, lambda d: _props(d)[6]["enum"].pop(), version="1.0.1")  # purpose narrowed
    res = _gate(repo, "HEAD")
    assert res.returncode == 1 and "purpose: enum-narrowed" in res.stdout


def test_new_file_passes_and_removed_file_fails(repo):
    _write(repo, name="platform.other.v1.yaml", edit=lambda d: d.update(id="platform.other.v1"))
    _commit(repo, "new contract")
    res = _gate(repo)
    assert res.returncode == 0 and "new contract" in res.stdout
    (repo / "contracts" / "odcs" / "platform.other.v1.yaml").unlink()
    _commit(repo, "remove it")
    res = _gate(repo)
    assert res.returncode == 1 and "platform.other.v1.yaml: ERROR: contract removed" in res.stdout


def test_gate_passes_on_this_repository_against_head():
    res = subprocess.run(["bash", str(GATE), "HEAD"], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "PYTHON": sys.executable})
    assert res.returncode == 0, res.stdout + res.stderr
