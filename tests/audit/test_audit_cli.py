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


# --- the tree: sth, prove, consistency, public-key, sign, and verify's tree heads ---------------------


def aid(home, seq: int) -> str:
    from privacy.audit import AuditStore

    with AuditStore.open(home) as store:
        return store.entries()[seq - 1].audit_id


def failed(res, fragment: str) -> bool:
    return res.exit_code == 1 and isinstance(res.exception, UserError) and fragment in str(res.exception)


def test_tree_commands_before_anything_is_signed(cli, home):
    assert failed(run(cli, "sth"), "no signed tree head yet")
    assert failed(run(cli, "public-key"), "no audit log signing key")
    # a proof needs no tree head: it is against the whole tree, and says so
    res = run(cli, "prove", aid(home, 2))
    assert res.exit_code == 0 and "leaf 1 (entry #2) of the tree of 4 entries" in res.output
    assert "no stored tree head signs that root yet" in res.output


def test_sign_then_sth_prove_consistency(cli, home):
    import base64

    res = run(cli, "sign", "--no-publish", "--json")
    assert res.exit_code == 0, res.output
    th = json.loads(res.stdout)
    assert th["tree_size"] == 4
    assert json.loads(run(cli, "sth", "--json").stdout) == th
    key = json.loads(run(cli, "public-key", "--json").stdout)
    assert key["public_key"] == th["public_key"] and key["pem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert run(cli, "public-key").stdout.strip() == th["public_key"]
    human = run(cli, "sth").output
    assert f"tree head: 4 entries, root {th['root_hash']}" in human and th["signature"] in human
    proof = json.loads(run(cli, "prove", aid(home, 3), "--json").stdout)
    assert (proof["leaf_index"], proof["tree_size"], proof["root_hash"]) == (2, 4, th["root_hash"])
    assert json.loads(base64.b64decode(proof["leaf_input"]))["record_id"] == "ST2026030500000003"
    assert "that root is signed by the tree head of" in run(cli, "prove", aid(home, 3)).output
    cons = json.loads(run(cli, "consistency", "1", "4", "--json").stdout)
    assert cons["second_root"] == th["root_hash"] and len(cons["proof"]) == 2
    assert "is a prefix of the tree of 4 entries" in run(cli, "consistency", "1", "4").output
    # signing again with nothing new returns the same head
    assert json.loads(run(cli, "sign", "--no-publish", "--json").stdout) == th


@pytest.mark.parametrize(("args", "fragment"), [
    (("prove", "no-such-id"), "no entry with audit id 'no-such-id'"),
    (("prove", "#3", "--tree-size", "2"), "not in a tree of size 2"),
    (("prove", "#3", "--tree-size", "9"), "give a size from 3 to 4"),
    (("consistency", "3", "2"), "0 < FIRST <= SECOND"),
    (("consistency", "1", "5"), "out of range: the log has 4 entries"),
    (("verify", "--public-key", "bm90IGEga2V5"), "--public-key: an Ed25519 public key is 32 bytes"),
])
def test_tree_command_errors_name_what_failed(cli, home, args, fragment):
    args = [aid(home, 3) if a == "#3" else a for a in args]
    res = run(cli, *args)
    assert failed(res, fragment), (res.exception, res.output)


def test_verify_without_a_broker_says_the_topic_was_not_read(cli, home):
    assert run(cli, "sign", "--no-publish").exit_code == 0
    res = run(cli, "verify", "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["tree"]["valid"] == 1 and out["tree"]["signed_size"] == 4
    assert out["tree"]["topic"]["read"] is False and out["tree"]["topic"]["error"]
    assert "tree heads on the topic not read" in run(cli, "verify").output
    assert failed(run(cli, "verify", "--topic"), "cannot read the tree heads on governance.audit-tree-heads.v1")


def test_sign_without_a_broker_keeps_the_head_and_says_it_is_unpublished(cli, home):
    from privacy.audit import AuditStore

    assert failed(run(cli, "sign", "--json"), "signed but not published")
    with AuditStore.open(home) as store:
        assert len(store.unpublished_tree_heads()) == 1, "kept, to be published at the next check"


def test_verify_pins_the_homes_key(cli, home, tmp_path):
    """A tree head in the store signed by another key fails verify (the home's key is pinned)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from privacy.audit import AuditStore

    assert run(cli, "sign", "--no-publish").exit_code == 0
    with AuditStore.open(home) as store:
        store.append([record_event(50)])
        store.sign_tree_head(Ed25519PrivateKey.generate())
    res = run(cli, "verify", "--json")
    assert res.exit_code == 1
    assert json.loads(res.stdout)["first_problem"]["kind"] == "tree-head-signature"
    res = run(cli, "sign", "--no-publish")
    assert res.exit_code == 0, "the signer ignores heads it did not sign"
