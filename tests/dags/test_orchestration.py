"""The orchestration's logic without Airflow or a broker: batch rows back to the platform's bytes,
the extract ledger, the key-rotation policy, the configuration and the validation error text."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

DAY = date(2026, 3, 1)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    from medshare.simulate.run import SimConfig, Simulation, run

    cfg = SimConfig(persons=300, days=2, seed=5, malformed_rate=0.05, start_date=DAY)
    root = tmp_path_factory.mktemp("sim")
    run(cfg, root, kafka=False)
    return root / "batch", list(Simulation(cfg).events())


def test_a_day_is_rebuilt_byte_for_byte_in_the_platforms_order(batch):
    """Table rows come back as the platform's bytes; interface lines as the records the simulator
    published (accepted) or refused naming field and rule (the malformed ones), by the ingest's code."""
    from medshare.envelope import encode_value, header_map
    from medshare.ingest import event_id
    from medshare.orchestration.extract import InterfaceLine, day_messages
    from medshare.topics import PLATFORM_SETTLEMENTS

    root, events = batch
    day_events = [e for e in events if e.day == DAY]
    msgs = day_messages(root, DAY)
    assert len(msgs) == len(day_events)
    by_id = {e.event_id: e for e in day_events}
    lines = [m for m in msgs if isinstance(m, InterfaceLine)]
    settlements = [e for e in day_events if e.topic == PLATFORM_SETTLEMENTS]
    assert len(lines) == len(settlements) and any(e.malformed for e in settlements)
    for m, e in zip(lines, settlements, strict=True):  # the interface file keeps the platform's order
        res = m.result
        if e.malformed is None:
            assert res.accepted, (e.event_id, res.violations)
            assert event_id(res.kind, res.record) == e.event_id
            assert encode_value(res.record) == e.value  # the published record, byte for byte
        else:
            assert not res.accepted, f"malformed ({e.malformed}, {e.detail}) line {res.line} was accepted"
            assert all(v.field is not None and v.rule for v in res.violations)
    for m in msgs:
        if isinstance(m, InterfaceLine):
            continue
        e = by_id[m.event_id]
        assert m.value == e.value, f"{e.malformed or 'valid'} event {e.event_id} changed"
        assert m.topic == e.topic
        h = header_map(m.headers)
        assert h["ms-event-id"] == e.event_id and h["ms-producer"] == "platform-extract"
        if e.record is not None and isinstance(e.record.get("person_no"), str):
            assert m.key == e.key.encode()
    assert any(e.malformed for e in day_events if e.topic != PLATFORM_SETTLEMENTS)
    for topic in {e.topic for e in day_events} - {PLATFORM_SETTLEMENTS}:  # each topic in the platform's order
        assert [m.event_id for m in msgs if m.topic == topic] == [e.event_id for e in day_events if e.topic == topic]


class FakeFuture:
    def add_errback(self, fn):
        return self


@dataclass
class FakeProducer:
    sent: list = field(default_factory=list)

    def send(self, topic, value, key, headers):
        self.sent.append((topic, value, key, headers))
        return FakeFuture()

    def flush(self, timeout=None):
        pass


def _config(tmp_path, batch_dir=None, **kw):
    from medshare.config import Settings
    from medshare.orchestration.config import OrchestrationConfig

    return OrchestrationConfig(settings=Settings(home=tmp_path), batch_dir=batch_dir, **kw)


def test_extract_publishes_a_day_once_unless_forced(batch, tmp_path):
    from medshare.envelope import header_map
    from medshare.orchestration.extract import extract_day
    from medshare.topics import PLATFORM_SETTLEMENTS, QUARANTINE

    root, events = batch
    day = [e for e in events if e.day == DAY]
    config = _config(tmp_path, root)
    p = FakeProducer()
    first = extract_day(DAY, config, producer=p, run_id="r1")
    refused = sum(e.topic == PLATFORM_SETTLEMENTS and e.malformed is not None for e in day)
    assert refused and first["quarantined"] == refused == first["topics"][QUARANTINE]
    assert first["published"] == len(day) - refused and len(p.sent) == len(day)
    assert first["settlements"]["accepted"] == sum(e.topic == PLATFORM_SETTLEMENTS and not e.malformed for e in day)
    assert sum(first["settlements"]["reasons"].values()) >= refused
    # accepted interface lines go out as the simulator published them, with the ingest's event ids
    published = {header_map(h)["ms-event-id"]: v for t, v, _, h in p.sent if t == PLATFORM_SETTLEMENTS}
    assert published == {e.event_id: e.value for e in day if e.topic == PLATFORM_SETTLEMENTS and not e.malformed}
    assert {header_map(h)["ms-producer"] for t, _, _, h in p.sent if t == PLATFORM_SETTLEMENTS} == {"platform-extract"}
    # refused lines are sealed quarantine records naming the batch file and line, never the plaintext
    for t, v, _, _ in p.sent:
        if t == QUARANTINE:
            q = json.loads(v)
            assert q["contract_id"] == PLATFORM_SETTLEMENTS and q["quarantined_by"] == "platform-extract"
            assert q["source_event_id"].startswith(f"settlements/date={DAY.isoformat()}/part-00000.jsonl:")
    again = extract_day(DAY, config, producer=p, run_id="r2")
    assert again["skipped"] and again["published"] == 0 and again["previous"]["run_id"] == "r1"
    assert len(p.sent) == len(day)
    forced = extract_day(DAY, config, producer=p, force=True)
    assert forced["published"] == first["published"] and forced["forced"]


def test_a_day_missing_from_the_snapshot_is_an_error_naming_it(batch, tmp_path):
    from medshare.orchestration.exceptions import BatchNotFoundError
    from medshare.orchestration.extract import extract_day

    with pytest.raises(BatchNotFoundError, match="2026-04-01"):
        extract_day(date(2026, 4, 1), _config(tmp_path, batch[0]), producer=FakeProducer())


def test_batch_root_defaults_to_the_newest_simulator_batch(tmp_path):
    from medshare.orchestration.exceptions import BatchNotFoundError

    config = _config(tmp_path)
    with pytest.raises(BatchNotFoundError, match="medshare simulate"):
        config.batch_root()
    (tmp_path / "sim" / "seed1" / "batch").mkdir(parents=True)
    assert config.batch_root() == tmp_path / "sim" / "seed1" / "batch"


def test_config_from_the_environment(monkeypatch, tmp_path):
    from medshare.orchestration.config import resolve

    monkeypatch.setenv("MEDSHARE_BATCH_DIR", str(tmp_path))
    monkeypatch.setenv("MEDSHARE_KEY_MAX_AGE_DAYS", "30")
    config = resolve()
    assert config.batch_dir == tmp_path and config.key_max_age_days == 30
    with pytest.raises(ValueError, match="max age"):
        _config(tmp_path, key_max_age_days=-1)


def test_kafka_connection_selects_a_secured_external_cluster(monkeypatch, tmp_path):
    """The Airflow connection medshare_kafka names the brokers and how to reach them (TLS, CA, SASL)."""
    import json

    from medshare.kafka import bundle, client_config, ensure_credentials
    from medshare.orchestration.config import resolve

    monkeypatch.setenv("MEDSHARE_HOME", str(tmp_path))
    monkeypatch.setenv("AIRFLOW_CONN_MEDSHARE_KAFKA", json.dumps({
        "conn_type": "generic", "host": "kafka-1.example", "port": 9093,
        "extra": {"security_protocol": "SASL_SSL", "ssl_cafile": "/etc/kafka/ca.pem",
                  "sasl_mechanism": "SCRAM-SHA-256"}}))
    cfg = resolve(use_airflow=True).settings
    assert (cfg.bootstrap, cfg.security_protocol, str(cfg.cafile), cfg.sasl_mechanism) == (
        "kafka-1.example:9093", "SASL_SSL", "/etc/kafka/ca.pem", "SCRAM-SHA-256")
    ensure_credentials(["pipeline"], cfg)
    conf = client_config(bundle("pipeline", cfg))
    assert conf["ssl_cafile"] == "/etc/kafka/ca.pem" and conf["ssl_check_hostname"] is True
    # a protocol that is neither is refused, not passed on to the client
    monkeypatch.setenv("AIRFLOW_CONN_MEDSHARE_KAFKA", json.dumps({
        "conn_type": "generic", "host": "kafka-1.example", "port": 9093, "extra": {"security_protocol": "SSL"}}))
    with pytest.raises(ValueError, match="security protocol"):
        resolve(use_airflow=True)


def test_rotation_policy_by_age_once_per_interval(tmp_path, monkeypatch):
    from medshare.orchestration import keys as okeys
    from privacy import keys

    config = _config(tmp_path)
    for code in ("hhb", "shenlife"):
        keys.create_insurer_keypair(code, cfg=config.settings)
    monkeypatch.setattr(okeys, "insurers", lambda config: ["hhb", "shenlife"])
    now = datetime.now(UTC)
    kept = okeys.rotate_due(config, "w1", max_age_days=30, now=now)
    assert [e["action"] for e in kept] == ["kept", "kept"]
    later = now + timedelta(days=31)
    rotated = okeys.rotate_due(config, "w1", max_age_days=30, now=later)
    assert [(e["action"], e["rotated_to"]) for e in rotated] == [("rotated", 2), ("rotated", 2)]
    again = okeys.rotate_due(config, "w1", max_age_days=0, now=later)
    assert [e["action"] for e in again] == ["already-rotated", "already-rotated"]
    live = okeys.live_report(config)
    assert [(v["version"], v["status"]) for v in live["hhb"]] == [(1, "previous"), (2, "current")]


def test_validation_error_names_each_failed_expectation():
    from contracts.gx import Outcome, TableRun
    from medshare.orchestration.exceptions import LabValidationError

    failed = Outcome("expect_column_values_to_not_be_null", "required", "person_key", False, "critical",
                     "person_key is required", unexpected_count=1, sample_keys=[{"settlement_id": "ST1"}])
    warn = Outcome("expect_column_max_to_be_between", "freshness", "loaded_at", False, "warning", "fresh")
    run = TableRun("lab_settlements", "lab.settlements.v1", "1.0.0", "lab.duckdb", 3, "now", 0.1, [failed, warn])
    msg = str(LabValidationError([run]))
    assert "lab_settlements: expect_column_values_to_not_be_null on person_key [rule required] (1 rows): " \
           "settlement_id=ST1" in msg
    assert "freshness" not in msg
