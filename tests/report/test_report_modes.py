"""The compliance report and the disclosure log show the mode of each claims grant (detail/result)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "audit"))

from audit_helpers import record_event  # noqa: E402


def test_agreements_section_names_each_claims_grants_mode():
    from medshare.report import _agreements
    from privacy.agreements import load_agreements

    rows = {(a["insurer"], g["purpose"], g["source"]): g["mode"] for a in _agreements(load_agreements(), None, None)
            for g in a["grants"]}
    assert rows[("hhb", "claims", "platform.settlements.v2")] == "result"
    assert rows[("shenlife", "claims", "platform.settlements.v2")] == "detail"
    assert rows[("hhb", "actuarial", "mart:cost_by_disease_age_band")] is None


def test_disclosures_are_counted_per_mode(tmp_path):
    from medshare.config import Settings
    from medshare.report import _disclosures
    from privacy.audit import AuditStore

    cfg = Settings(home=tmp_path / "home")
    store = AuditStore.open(cfg)
    try:
        store.append([record_event(1, insurer="shenlife", mode="detail"),
                      record_event(2, insurer="shenlife", mode="detail"),
                      {**record_event(3, insurer="hhb", mode="result"), "kind": "claim-result"}])
        # the log keeps the mode in the hashed event
        assert [e.event.get("mode") for e in store.entries()] == ["detail", "detail", "result"]
    finally:
        store.close()
    d = _disclosures(cfg, None, None)["by_insurer"]
    assert d["shenlife"]["purposes"]["claims"]["modes"] == {"detail": 2}
    assert d["hhb"]["purposes"]["claims"]["modes"] == {"result": 1}


def test_a_bad_mode_is_refused_by_the_log():
    import pytest

    from privacy.audit import AuditRejected, parse_event

    with pytest.raises(AuditRejected, match="mode"):
        parse_event(record_event(1, mode="everything"))
