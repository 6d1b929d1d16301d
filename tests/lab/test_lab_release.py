"""Release: the agreement's fields only, one audit event that the audit store accepts, idempotent
per period, refused when the agreement or the check says no; on the real broker, the released mart
reaches that insurer's credentials and no other insurer's."""

from __future__ import annotations

import json
import time

import pytest
from kafka import TopicPartition
from kafka import errors as kerr

from medshare import topics as t
from medshare.lab.exceptions import ReleaseRefused
from medshare.lab.release import prepare, release
from privacy.agreements import load_agreements

pytestmark = pytest.mark.integration  # a real DuckDB lab (and, below, a real broker)


def test_prepared_release_carries_only_the_agreements_fields(sim_lab):
    cfg, _, _, _ = sim_lab
    agreements = load_agreements()
    p = prepare("cost_by_disease_age_band", "hhb", "actuarial", "2026-01", cfg=cfg, agreements=agreements)
    grant = agreements.grant("hhb", "actuarial", "mart:cost_by_disease_age_band")
    named = set(grant.output_fields)
    rows = [r for r in p.records if "manifest" not in r]
    assert rows and len(rows) == p.rows
    meta = {"release_id", "mart", "mart_version", "period", "row_no"}
    for r in rows:
        assert set(r) - meta <= named and r["release_id"] == p.release_id and r["period"] == "2026-01"
        assert r["persons"] >= 10
        assert "cell_key" not in r and "source_loaded_at" not in r and "out_of_pocket_p50" not in r
    # a small simulated lab: most cells are below k and only leave merged into coarser age bands
    assert p.disclosure.rows_coarsened > 0 and p.disclosure.rows_suppressed > 0
    assert {r["age_band"] for r in rows} & {"all", *(f"{a}-{a + 9}" for a in range(0, 80, 10)), "80+"}
    manifest = p.records[-1]["manifest"]
    assert manifest["rows"] == p.rows and manifest["k"] == 10
    assert manifest["rows_suppressed"] == p.disclosure.rows_suppressed
    # shenlife: gender and visit_type dropped, self_pay banded
    s = prepare("cost_by_disease_age_band", "shenlife", "actuarial", "2026-01", cfg=cfg, agreements=agreements)
    for r in (r for r in s.records if "manifest" not in r):
        assert "gender" not in r and "visit_type" not in r and isinstance(r["self_pay"], str)
        assert r["persons"] >= 20


def test_audit_event_is_one_valid_release_event(sim_lab):
    from privacy.audit import parse_event

    cfg, _, _, _ = sim_lab
    p = prepare("multi_card_signals", "hhb", "supervision", cfg=cfg)
    event, _ = parse_event(json.dumps(p.audit_event).encode())
    assert event.kind == "release" and event.release_id == p.release_id
    assert event.basis == "aggregate" and event.dataset == "insurer.hhb.marts.v1" and event.k == 5
    assert event.rows == p.rows and event.suppressed == p.disclosure.rows_suppressed
    assert event.agreement_version.startswith("sha256:") and event.fields["event_week"] == "plain"


def test_release_id_depends_on_content_only(sim_lab):
    cfg, _, _, _ = sim_lab
    a = prepare("innovative_drug_use", "hhb", "actuarial", cfg=cfg)
    b = prepare("innovative_drug_use", "hhb", "actuarial", cfg=cfg)
    assert a.release_id == b.release_id and a.audit_id == b.audit_id
    c = prepare("innovative_drug_use", "hhb", "actuarial", "2026-01", cfg=cfg)
    assert c.release_id != a.release_id


@pytest.mark.parametrize("mart, insurer, purpose, reason", [
    ("multi_card_signals", "shenlife", "supervision", "no supervision purpose"),
    ("innovative_drug_use", "shenlife", "actuarial", "does not grant mart innovative_drug_use"),
    ("claim_frequency_severity", "hhb", "actuarial", "does not grant mart claim_frequency_severity"),
])
def test_refused_releases_send_nothing(sim_lab, mart, insurer, purpose, reason):
    cfg, _, _, _ = sim_lab
    with pytest.raises(ReleaseRefused, match=reason) as info:
        release(mart, insurer, purpose, cfg=cfg)
    assert info.value.result is not None and not info.value.result.ok


# --- on the broker ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def insurers(kafka_broker):
    from medshare.onboard import onboard_insurer

    return {code: onboard_insurer(code, cfg=kafka_broker) for code in ("hhb", "shenlife")}


def _foreign_read(bundle, topic):
    """Assign a foreign topic's partition directly; kafka-python 3 only logs the broker's refusal."""
    from kafka import KafkaConsumer

    from medshare.kafka import client_config

    c = KafkaConsumer(group_id=None, enable_auto_commit=False, **client_config(bundle))
    try:
        c.assign([TopicPartition(topic, 0)])
        c.seek_to_beginning()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if c.poll(timeout_ms=500):
                return True
            if topic in c._cluster.unauthorized_topics:
                raise kerr.TopicAuthorizationFailedError(topic)
        return False
    finally:
        c.close()


def _end_offset(cfg, topic: str) -> int:
    from medshare import kafka as mk

    c = mk.consumer("pipeline", None, cfg=cfg)
    try:
        tp = TopicPartition(topic, 0)
        return c.end_offsets([tp])[tp]
    finally:
        c.close()


def test_released_mart_reaches_only_its_insurer(sim_lab, kafka_broker, insurers, unique):
    from medshare.insurer_client import consume

    cfg = sim_lab[0].model_copy(update={k: getattr(kafka_broker, k) for k in
                                        ("home", "kafka_port", "kafka_controller_port", "bootstrap_servers")})
    period = "2026-01"
    # the broker's home may outlive this session (the lab does not): count only what this test sends
    start = _end_offset(cfg, t.insurer_marts("hhb"))
    first = release("cost_by_disease_age_band", "hhb", "actuarial", period, cfg=cfg)
    assert first.status == "published" and first.rows > 0
    # the same content again: a no-op (the ledger knows it)
    again = release("cost_by_disease_age_band", "hhb", "actuarial", period, cfg=cfg)
    assert again.status == "unchanged" and again.release_id == first.release_id

    got = list(consume(insurers["hhb"], which="marts", decrypt=False, group_suffix=f"lab-{unique}",
                       timeout_s=8))
    mine = [g["record"] for g in got if g["record"].get("release_id") == first.release_id and g["offset"] >= start]
    assert len(mine) == first.rows + 1  # rows + manifest, published once
    assert {g["topic"] for g in got} == {"insurer.hhb.marts.v1"}
    assert mine[-1]["manifest"]["rows"] == first.rows

    # shenlife's credentials on hhb's marts topic: the broker refuses
    foreign = {**insurers["shenlife"], "topics": {"marts": t.insurer_marts("hhb")}}
    assert list(consume(foreign, which="marts", decrypt=False, group_suffix=f"lab-{unique}", timeout_s=5)) == []
    with pytest.raises(kerr.TopicAuthorizationFailedError):
        _foreign_read(insurers["shenlife"], t.insurer_marts("hhb"))

    # exactly one audit event for the release, on governance.audit.v1
    from medshare import kafka as mk

    c = mk.consumer("pipeline", None, cfg=cfg, isolation_level="read_committed")
    try:
        tps = [TopicPartition(t.AUDIT, p) for p in c.partitions_for_topic(t.AUDIT)]
        c.assign(tps)
        c.seek_to_beginning()
        audits = []
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            for records in c.poll(timeout_ms=500).values():
                audits += [json.loads(m.value) for m in records]
    finally:
        c.close()
    mine_audit = [a for a in audits if a.get("release_id") == first.release_id]
    assert len(mine_audit) >= 1 and len({a["audit_id"] for a in mine_audit}) == 1  # one event per release id and mine_audit[0]["kind"] == "release" and mine_audit[0]["insurer"] == "hhb"
