"""``medshare claims products|enrol|explain`` (the group is registered on a local Typer app here)."""

from __future__ import annotations

import json
from datetime import date

import pytest
import typer
from test_claims_engine import settlement
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
    assert "special-drug" in _invoke(app, "claims", "products").output


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
    b.apply_settlement(product, settlement("ST2026050100000001", "2026-05-01", 25000), "hhb", "b" * 32,
                       consent_id="CS1", policy_no="HHB202600000000")
    b.commit()
    store.close()
    ex = json.loads(_invoke(app, "claims", "explain", "ST2026050100000001", "--insurer", "hhb", "--json").output)
    assert ex["total_payable"] == 3500.0  # (25000 - 20000) x 0.7
    assert ex["explanation"]["deductible"] == {"amount": 20000.0, "used_before": 0.0, "used_after": 20000.0,
                                               "remaining_after": 0.0}
    assert "policy_no" not in ex["explanation"]
    text = _invoke(app, "claims", "explain", "ST2026050100000001", "--insurer", "hhb").output
    assert "hhb-huibao@2026.1/benefit/in-catalogue" in text and "total payable 3,500.00" in text
    err = _invoke(app, "claims", "explain", "ST0", "--insurer", "hhb")
    assert "no claim for settlement ST0" in str(err)


def test_enrol_rejects_bad_events(app, tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"event_id": "E1", "action": "enrol"}\nnot json\n')
    assert "not JSON" in str(_invoke(app, "claims", "enrol", str(f)))
