"""Re-consent (续授权): which consents in force no longer cover what the agreement in force sends."""

from __future__ import annotations

import json
import stat
from datetime import datetime

from test_notice import V1, book, grant_event, v2
from typer.testing import CliRunner

from privacy.agreements import SHANGHAI, AgreementSet, parse_agreement
from privacy.consent import ConsentEvent, ConsentRegistry, ConsentStore
from privacy.renewal import FRESH, PARTIAL, renewals, summary

AT = datetime(2026, 8, 1, tzinfo=SHANGHAI)
OLD = V1.replace("source: platform.settlements.v2", "source: platform.emr-notes.v1").replace(
    "consent_categories: [settlement]", "consent_categories: [settlement, emr]")  # another source


def _setup(new: str):
    b = book(OLD, new)
    current = AgreementSet([parse_agreement(new, "acme-new.yaml")])
    reg = ConsentRegistry(ConsentStore.memory(), notices=b)
    old_notice = b.current("acme", "claims", datetime(2026, 3, 1, tzinfo=SHANGHAI)).notice_id
    new_notice = b.current("acme", "claims", AT).notice_id
    return b, current, reg, old_notice, new_notice


def test_a_renamed_source_needs_fresh_consent_and_a_consent_on_the_new_notice_is_covered():
    b, current, reg, old_notice, new_notice = _setup(v2())
    assert old_notice != new_notice
    assert reg.apply(grant_event(old_notice)).applied == 1
    assert reg.apply(grant_event(new_notice, when="2026-07-15T10:00:00+08:00", event_id="E2", consent_id="C2",
                                 person_no="P2")).applied == 1
    found = renewals(reg.in_force(AT), b, current, AT)
    assert [(r.consent_id, r.person_no, r.status) for r in found] == [("C1", "P1", FRESH)]
    assert found[0].notice_id == old_notice and found[0].notice_in_force == new_notice
    assert found[0].reasons == ("platform.settlements.v2: source platform.settlements.v2 was not in the notice",)
    s = summary(reg.in_force(AT), found, AT)["groups"]
    assert s == [{"insurer": "acme", "purpose": "claims", "in_force": 2, FRESH: 1, PARTIAL: 0, "covered": 1,
                  "reasons": {found[0].reasons[0]: 1}}]


def test_a_new_field_leaves_the_consent_partly_covered_and_a_revoked_or_expired_one_is_not_listed():
    same_source = V1
    new = v2(("      total_amount: plain\n", "      total_amount: plain\n      fixmedins_code: plain\n"))
    b = book(same_source, new)
    current = AgreementSet([parse_agreement(new, "acme-new.yaml")])
    reg = ConsentRegistry(ConsentStore.memory(), notices=b)
    old_notice = b.current("acme", "claims", datetime(2026, 3, 1, tzinfo=SHANGHAI)).notice_id
    assert reg.apply(grant_event(old_notice)).applied == 1
    assert reg.apply(grant_event(old_notice, event_id="E2", consent_id="C2", person_no="P2")).applied == 1
    assert reg.apply(grant_event(old_notice, event_id="E3", consent_id="C3", person_no="P3",
                                 valid_to="2026-07-01T00:00:00+08:00")).applied == 1
    revoke = ConsentEvent.parse({"event_id": "E4", "consent_id": "C2", "action": "revoke", "person_no": "P2",
                                 "insurer_code": "acme", "purpose": "claims",
                                 "event_time": "2026-07-20T10:00:00+08:00"})
    assert reg.apply(revoke).applied == 1
    found = renewals(reg.in_force(AT), b, current, AT)
    assert [(r.consent_id, r.status) for r in found] == [("C1", PARTIAL)]
    assert found[0].reasons == ("platform.settlements.v2: fixmedins_code: new field",)


def test_the_cli_lists_and_writes_requests_owner_only(tmp_path):
    from medshare.cli.main import app

    db = f"sqlite:///{tmp_path / 'state.db'}"
    reg = ConsentRegistry.open(db)
    e = grant_event("sha256:" + "0" * 64, when="2026-07-15T10:00:00+08:00", insurer_code="hhb",
                    valid_to="2030-01-01T00:00:00+08:00")
    assert reg.apply(e).applied == 1
    reg.close()
    out = tmp_path / "renewals.jsonl"
    r = CliRunner().invoke(app, ["consent", "renewals", "--db", db, "--at", "2026-08-01T00:00:00+08:00",
                                 "--out", str(out), "--json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.output)
    hhb = [g for g in report["groups"] if g["insurer"] == "hhb"]
    assert hhb and hhb[0]["in_force"] == 1 and hhb[0][FRESH] == 1 and hhb[0]["covered"] == 0
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [(x["consent_id"], x["person_no"], x["status"]) for x in lines] == [("C1", "P1", FRESH)]
    assert lines[0]["notice_in_force"] and lines[0]["notice_in_force"] != lines[0]["notice_id"]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
