"""The erasure ledger: acknowledgements checked against requests, overdue requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool

from privacy.erasure import ErasureLedger, check_ack, overdue, request_id


def _ledger():
    return ErasureLedger(create_engine("sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}))


def _req(insurer="hhb", days_ago=20, due_days=15, ids=("a1", "a2")):
    at = datetime(2026, 5, 1, tzinfo=UTC) - timedelta(days=days_ago)
    us = int(at.timestamp() * 1e6)
    return {"request_id": request_id(insurer, "C1", "revoked", ids), "insurer": insurer, "consent_id": "C1",
            "reason": "revoked", "records": [{"audit_id": i} for i in ids], "_requested_us": us,
            "_due_us": us + due_days * 86_400_000_000}


def test_request_ids_do_not_depend_on_order_and_differ_by_content():
    assert request_id("hhb", "C1", "revoked", ["b", "a"]) == request_id("hhb", "C1", "revoked", ["a", "b"])
    assert request_id("hhb", "C1", "revoked", ["a"]) != request_id("hhb", "C1", "revoked", ["a", "b"])


def test_an_ack_must_name_every_requested_record_of_its_own_insurer():
    ledger = _ledger()
    req = _req()
    ledger.record(req)
    ledger.record(req)  # idempotent
    assert ledger.requested() == {"a1", "a2"}
    rid = req["request_id"]
    assert check_ack(ledger, "hhb", {"request_id": rid, "erased": ["a1", "a2"]})[0]["request_id"] == rid
    assert "does not name 1" in check_ack(ledger, "hhb", {"request_id": rid, "erased": ["a1"]})[1]
    assert "not shenlife's" in check_ack(ledger, "shenlife", {"request_id": rid, "erased": ["a1", "a2"]})[1]
    assert "unknown erasure request" in check_ack(ledger, "hhb", {"request_id": "er-x", "erased": []})[1]
    assert "needs request_id" in check_ack(ledger, "hhb", ["nope"])[1]


def test_overdue_lists_unacknowledged_requests_past_their_deadline():
    ledger = _ledger()
    late, fresh = _req(days_ago=20), _req(days_ago=2, ids=("b1",))
    ledger.record(late)
    ledger.record(fresh)
    now = datetime(2026, 5, 1, tzinfo=UTC)
    got = overdue(ledger.engine, now)
    assert [r["request_id"] for r in got["hhb"]] == [late["request_id"]]
    ledger.mark_acked(late["request_id"], int(now.timestamp() * 1e6), "ack-x")
    assert overdue(ledger.engine, now) == {}
    assert ledger.status_by_audit_id()["a1"]["acked_at"] is not None
