"""``medshare claims products|enrol|explain`` (the group is registered on a local Typer app here)."""

from __future__ import annotations

import json
from datetime import date

import pytest
import typer
from claims_helpers import as_v2, platform_record
from test_claims_engine import item, settlement
from typer.testing import CliRunner

from medshare.cli import claims as claims_cli


@pytest.fixture
def app(tmp_path, monkeypatch):
    from medshare.config import reload_settings

    monkeypatch.setenv("MEDSHARE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MEDSHARE_STATE_URL", raising=False)
    reload_settings()
    a = typer.Typer()
    claims_cli.register(a)

    @a.callback()
    def _root() -> None:  # keep "claims" a sub-command
        pass

    yield a
    monkeypatch.undo()
    reload_settings()


def _invoke(app, *args):
    from medshare.errors import UserError

    try:
        return CliRunner().invoke(app, list(args), catch_exceptions=False)
    except UserError as exc:
        return exc


def test_products_lists_both_shipped_products(app):
    r = _invoke(app, "claims", "products", "--json")
    rows = json.loads(r.output)
    assert {x["product_id"] for x in rows} == {"hhb-huibao", "shenlife-plus"}
    assert all(x["illustrative"] for x in rows)
    text = _invoke(app, "claims", "products").output
    assert "domestic-special-drug" in text and "deductible 12,000 -> 11,000 -> 10,000" in text


def test_enrol_then_explain(app, tmp_path):
    from medshare.claims.enrolment import enrolment_events
    from medshare.claims.products import load_products
    from medshare.claims.state import ClaimStore, claims_database

    f = tmp_path / "enrol.jsonl"
    events = enrolment_events(["3100000000000001"], "hhb", "hhb-huibao", 2026)
    f.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in events) + "\n")
    out = json.loads(_invoke(app, "claims", "enrol", str(f), "--json").output)
    assert out["applied"] == 1 and out["enrolments"] == 1
    assert json.loads(_invoke(app, "claims", "enrol", str(f), "--json").output)["duplicates"] == 1

    product = load_products().find("hhb-huibao", date(2026, 5, 1))
    store = ClaimStore(claims_database())
    b = store.batch()
    from medshare.claims.claimable import from_settlement_v1

    rec = settlement("ST2026050100000001", "2026-05-01", 0.0, [item("120200001", 25000, 25000, "C")], visit="21")
    b.apply_settlement(product, from_settlement_v1(rec), "hhb", "b" * 32, consent_id="CS1",
                       policy_no="HHB202600000000")
    b.commit()
    store.close()
    ex = json.loads(_invoke(app, "claims", "explain", "ST2026050100000001", "--insurer", "hhb", "--json").output)
    assert ex["total_payable"] == 9100.0  # inpatient 自费 (25000 - 12000) x 0.7
    assert ex["explanation"]["deductible"] == {"amount": 12000.0, "used": 12000.0, "remaining": 0.0}
    assert "policy_no" not in ex["explanation"]
    text = _invoke(app, "claims", "explain", "ST2026050100000001", "--insurer", "hhb").output
    assert "hhb-huibao@2026.2/benefit/inpatient-self-pay" in text and "total payable 9,100.00" in text
    err = _invoke(app, "claims", "explain", "ST0", "--insurer", "hhb")
    assert "no claim for settlement ST0" in str(err)


def test_enrol_rejects_bad_events(app, tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"event_id": "E1", "action": "enrol"}\nnot json\n')
    assert "not JSON" in str(_invoke(app, "claims", "enrol", str(f)))


def test_calculate_prints_duties_deductible_coordination_and_refusals(app, tmp_path):
    rec = settlement("ST2026050100000001", "2026-05-01", 0.0, [item("120200001", 25000, 25000, "C")], visit="21")
    low = settlement("ST2026060100000002", "2026-06-01", 0.0, [item("120200001", 5000, 5000, "C")], visit="21",
                     inst="H31010130457")
    f = tmp_path / "case.json"
    f.write_text(json.dumps({"enrolment": {"product": "hhb-huibao", "start": "2026-01-01", "claim_free_years": 2},
                             "history": [], "settlements": [platform_record(as_v2(rec)), platform_record(as_v2(low))],
                             "other_payments": {rec["settlement_id"]: {"other": 10000}}}))
    out = json.loads(_invoke(app, "claims", "calculate", "--product", "hhb-huibao", "--input", str(f),
                             "--json").output)
    first, second = out["settlements"]
    # two claim-free years: deductible 10000; (25000-10000) x 0.7 = 10500; own share 25000, other paid 10000
    assert first["payable"]["inpatient-self-pay"] == 10500.0
    assert first["coordination"]["left_before"] == 15000.0
    assert second["total_payable"] == 0.0
    assert any("needs 二级 or higher" in x["reason"] for r in second["refusals"] for x in r["reasons"])
    text = _invoke(app, "claims", "calculate", "--product", "hhb-huibao", "--input", str(f)).output
    assert "deductible 10,000.00 (claim-free years 2)" in text and "refused item 0 120200001" in text
    f.write_text(json.dumps({"enrolment": {"product": "hhb-huibao", "start": "2026-01-01"},
                             "settlements": [{"setl_id": "ST1"}]}))
    err = _invoke(app, "claims", "calculate", "--product", "hhb-huibao", "--input", str(f))
    assert "settlements[0] (ST1): missing psn_no, setl_time" in str(err)
