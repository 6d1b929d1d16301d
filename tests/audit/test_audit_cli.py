"""``medshare audit person|insurer|consent|verify`` on a store in a throwaway home."""

from __future__ import annotations

import json
import shutil

import pytest
import typer
from audit_helpers import record_event, release_event, swap_entries
from typer.testing import CliRunner

from contracts.formats import resident_id_check_char
from medshare.cli import audit as audit_cli
from medshare.errors import UserError

RESIDENT = "31010419800101001" + resident_id_check_char("31010419800101001")
OTHER = "31011519900202002" + resident_id_check_char("31011519900202002")
PERSON_NO = "3100000000012345"


@pytest.fixture
def cli():
    app = typer.Typer()
    audit_cli.register(app)
    app.command("noop")(lambda: None)
    return app


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home whose audit store holds two people's disclosures (pseudonymised as the router does)."""
    from medshare.config import reload_settings
    from privacy.audit import AuditStore
    from privacy.pseudonym import Pseudonymiser

    monkeypatch.setenv("MEDSHARE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MEDSHARE_STATE_URL", raising=False)
    cfg = reload_settings()
    p = Pseudonymiser.for_project("audit", cfg=cfg)
    me = {"person_ref": p.pseudonym(PERSON_NO, domain="person_no"),
          "resident_ref": p.pseudonym(RESIDENT, domain="resident_id")}
    other = {"person_ref": p.pseudonym("3100000000099999", domain="person_no"),
             "resident_ref": p.pseudonym(OTHER, domain="resident_id")}
    with AuditStore.open(cfg) as store:
        store.append([
            record_event(1, **me, consent_id="CS1"),
            record_event(2, source="platform.emr-notes.v1", person_ref=me["person_ref"], resident_ref=None,
                         consent_id="CS1"),
            record_event(3, **other, consent_id="CS2", insurer="shenlife"),
            release_event(1),
        ])
    yield cfg
    monkeypatch.undo()
    reload_settings()


def run(cli, *args):
    return CliRunner().invoke(cli, ["audit", *args])


def test_person_by_resident_id_returns_exactly_their_disclosures(cli, home):
    res = run(cli, "person", RESIDENT, "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["count"] == 2 and [e["seq"] for e in out["entries"]] == [1, 2]
    assert RESIDENT not in res.stdout and PERSON_NO not in res.stdout
    res = run(cli, "person", RESIDENT.lower() if RESIDENT.endswith("X") else RESIDENT)
    assert "2 disclosure(s)" in res.stdout and "consent CS1" in res.stdout and "fields:" in res.stdout


def test_person_by_person_no(cli, home):
    out = json.loads(run(cli, "person", "--person-no", PERSON_NO, "--json").stdout)
    assert [e["record_id"] for e in out["entries"]] == ["ST2026030500000001", "ST2026030500000002"]
    out = json.loads(run(cli, "person", OTHER, "--json").stdout)
    assert [e["insurer"] for e in out["entries"]] == ["shenlife"]


def test_insurer_and_consent(cli, home):
    out = json.loads(run(cli, "insurer", "hhb", "--since", "2026-03-05", "--until", "2026-03-06", "--json").stdout)
    assert [e["seq"] for e in out["entries"]] == [1, 2]
    out = json.loads(run(cli, "insurer", "hhb", "--json").stdout)
    assert [e["kind"] for e in out["entries"]] == ["record", "record", "release"]
    assert "release REL-0001" in run(cli, "insurer", "hhb", "--since", "2026-03-06").stdout
    out = json.loads(run(cli, "consent", "CS2", "--json").stdout)
    assert out["count"] == 1 and out["entries"][0]["insurer"] == "shenlife"
    assert "no disclosures under consent CS9" in run(cli, "consent", "CS9").stdout


def test_verify_passes_then_fails_on_a_tampered_copy(cli, home, tmp_path):
    res = run(cli, "verify")
    assert res.exit_code == 0 and res.stdout.startswith("ok: 4 entries") and "checkpoint" in res.stdout
    out = json.loads(run(cli, "verify", "--json").stdout)
    assert out["ok"] and out["entries"] == 4 and out["first_problem"] is None
    copy = tmp_path / "copy.sqlite"
    shutil.copy(home.state_dir / "audit.sqlite", copy)
    swap_entries(copy, 2, 3)
    res = run(cli, "verify", "--db", f"sqlite:///{copy}", "--json")
    assert res.exit_code != 0
    assert isinstance(res.exception, UserError) and "entry #2" in str(res.exception)
    assert json.loads(res.stdout)["first_problem"]["seq"] == 2
    assert run(cli, "verify").exit_code == 0, "the original is untouched"


def test_user_errors(cli, home, tmp_path):
    for args, fragment in [
        (["person"], "RESIDENT_ID or --person-no"),
        (["person", RESIDENT[:17] + ("0" if RESIDENT[17] != "0" else "1")], "GB 11643"),
        (["insurer", "hhb", "--since", "last week"], "--since 'last week'"),
        (["insurer", "hhb", "--on", "later"], "--on 'later'"),
        (["consent", "CS1", "--db", f"sqlite:///{tmp_path / 'none.sqlite'}"], "no audit store"),
        (["verify", "--checkpoint", str(tmp_path / "none.json")], "no such checkpoint"),
    ]:
        res = run(cli, *args)
        assert isinstance(res.exception, UserError), (args, res.output)
        assert fragment in str(res.exception), (args, str(res.exception))


def test_person_lookup_without_an_audit_key(cli, tmp_path, monkeypatch):
    from medshare.config import reload_settings

    monkeypatch.setenv("MEDSHARE_HOME", str(tmp_path / "empty"))
    reload_settings()
    try:
        res = run(cli, "person", RESIDENT)
        assert isinstance(res.exception, UserError) and "nothing has been audited" in str(res.exception)
        assert not (tmp_path / "empty" / "pipeline" / "pseudonym-audit.key").exists(), "no key made up"
    finally:
        monkeypatch.undo()
        reload_settings()
