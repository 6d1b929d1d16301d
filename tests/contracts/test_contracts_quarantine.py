"""Quarantine records: built, sealed, opened, scrubbed; the replay ledger; replay without a broker;
a processor loop that quarantines every kind of bad input and keeps running."""

from __future__ import annotations

import json
import os
import stat
from collections import namedtuple

import pytest
from contract_records import BAD_RID_CASES, fresh
from typer.testing import CliRunner

from contracts import registry
from contracts.exceptions import QuarantineError
from contracts.quarantine import (
    MAX_SEALED_BYTES,
    REPLAY_HEADER,
    QuarantineWriter,
    ReplayLedger,
    key_hash,
    replay_one,
)
from medshare.envelope import encode_value, header_map, make_headers

S = "platform.settlements.v1"
Message = namedtuple("Message", "topic partition offset key value headers")


def _msg(value: bytes | None, offset: int = 0, topic: str = S) -> Message:
    return Message(topic, 1, offset, b"3100000012345678", value,
                   make_headers(topic, "simulator", event_id=f"ev-{offset}"))


def _quarantine(writer: QuarantineWriter, msg: Message, **kw) -> dict:
    _, violations = registry.validator(msg.topic).validate_bytes(msg.value)
    return writer.build(raw=msg.value, source_topic=msg.topic, partition=msg.partition, offset=msg.offset,
                        key=msg.key, headers=msg.headers, violations=violations, **kw)


def test_record_conforms_to_its_own_contract(writer):
    rec = fresh(S)
    rec["resident_id"] = "310104198503121230"
    q = _quarantine(writer, _msg(encode_value(rec), offset=42))
    assert registry.validator("pipeline.quarantine.v1").validate(q) == []
    assert q["contract_id"] == S and q["contract_version"] == "1.0.0"
    assert q["source_topic"] == S and q["source_partition"] == 1 and q["source_offset"] == 42
    assert q["source_event_id"] == "ev-42"
    assert q["rules"] == ["format"]
    assert q["key_name"] == "quarantine" and q["cipher"] == "AES-256-GCM"
    from datetime import datetime

    from contracts.quarantine_keys import period_of

    assert q["key_id"] == period_of(datetime.fromisoformat(q["quarantined_at"]))  # the month (UTC)
    period_key = writer.keyring.key(q["key_id"])
    assert q["source_key_hash"] == key_hash(b"3100000012345678", period_key)
    assert len(q["source_key_hash"]) == 32


def test_the_key_is_the_pipeline_secret_of_the_period(home_cfg, writer):
    q = _quarantine(writer, _msg(b"{}", offset=1))
    path = home_cfg.pipeline_dir / "quarantine-keys" / f"{q['key_id']}.key"
    key = path.read_bytes()
    assert len(key) == 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert QuarantineWriter(cfg=home_cfg).keyring.key(q["key_id"]) == key  # the same key next time
    assert writer.key != key  # the legacy key (records without key_id) is another one
    legacy = home_cfg.pipeline_dir / "quarantine.key"
    assert legacy.read_bytes() == writer.key and stat.S_IMODE(legacy.stat().st_mode) == 0o600


def test_open_returns_the_original_value_key_and_headers(writer):
    msg = _msg(b'{"broken": ', offset=3)
    q = _quarantine(writer, msg)
    assert q["rules"] == ["json"]
    opened = writer.open(q)
    assert opened.value == msg.value and opened.key == msg.key and opened.complete
    assert header_map(opened.headers) == header_map(msg.headers)


def test_ciphertexts_are_bound_to_their_quarantine_record(writer, home_cfg, tmp_path):
    a = _quarantine(writer, _msg(b"{}", offset=1))
    b = _quarantine(writer, _msg(b"[]", offset=2))
    for tampered in (
        {**a, "quarantine_id": b["quarantine_id"]},    # re-labelled
        {**a, "payload": b["payload"]},                # payload moved between records
        {**a, "source_topic": "platform.consents.v1"},  # pointed at another topic for replay
        {**a, "payload": a["payload"][:-4] + "AAAA"},  # edited
        {**a, "payload": "not base64!"},
    ):
        with pytest.raises(QuarantineError, match="could not be opened"):
            writer.open(tampered)
    other = QuarantineWriter(key=b"\x01" * 32)
    with pytest.raises(QuarantineError):
        other.open(a)


def test_large_payloads_are_compressed_and_huge_ones_kept_truncated(writer):
    rec = fresh(S)
    rec["address"] = "上海市徐汇区" * 20_000
    raw = encode_value(rec)
    q = _quarantine(writer, _msg(raw))
    assert q["payload_encoding"] == "zlib" and q["payload_complete"] and "max-bytes" in q["rules"]
    assert writer.open(q).value == raw
    noise = os.urandom(MAX_SEALED_BYTES + 1000)
    q = writer.build(raw=noise, source_topic=S, violations=[], rule="json", message="not JSON")
    assert not q["payload_complete"] and q["payload_bytes"] == len(noise)
    assert len(encode_value(q)) < registry.load("pipeline.quarantine.v1").max_record_bytes


def test_tombstone_and_processor_errors(writer):
    q = writer.build(raw=None, source_topic=S, partition=0, offset=1, violations=[],
                     rule="processor-error:KeyError", message="KeyError('x')")
    assert q["payload_encoding"] == "none" and writer.open(q).value is None
    assert q["violations"] == [{"field": "", "rule": "processor-error:KeyError", "message": "KeyError('x')",
                                "value": None}]


def test_ledger_replays_once(tmp_path):
    ledger = ReplayLedger(tmp_path / "ledger.sqlite")
    assert ledger.claim("q-" + "a" * 32, f"{S}/0/5") == (True, None)
    ok, why = ledger.claim("q-" + "a" * 32, f"{S}/0/5")
    assert not ok and "in progress" in why
    ledger.done("q-" + "a" * 32, 2, 99)
    assert ledger.claim("q-" + "a" * 32, f"{S}/0/5") == (False, "already replayed")
    ok, why = ledger.claim("q-" + "b" * 32, f"{S}/0/5")  # the same source message quarantined twice
    assert not ok and "q-" + "a" * 32 in why
    assert ledger.claim("q-" + "c" * 32, None) == (True, None)
    ledger.release("q-" + "c" * 32)
    assert ledger.status("q-" + "c" * 32) is None
    assert ReplayLedger(tmp_path / "ledger.sqlite").status("q-" + "a" * 32) == "done"  # durable


class FakeBroker:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple] = []
        self.fail = fail

    def __call__(self, topic, value, key, headers):
        if self.fail:
            raise ConnectionError("broker down")
        self.sent.append((topic, value, key, headers))
        return 0, len(self.sent) - 1


def test_replay_republishes_once_with_the_replay_header(writer, tmp_path):
    # quarantined by a processor error although the record itself is valid: replayable as is
    msg = _msg(encode_value(fresh(S)), offset=11)
    q = writer.build(raw=msg.value, source_topic=msg.topic, partition=1, offset=11, key=msg.key,
                     headers=msg.headers, violations=[], rule="processor-error:TimeoutError", message="timeout")
    ledger, broker = ReplayLedger(tmp_path / "l.sqlite"), FakeBroker()
    first = replay_one(q, writer, ledger, broker)
    assert first.status == "replayed", first
    [(topic, value, key, headers)] = broker.sent
    assert (topic, value, key) == (S, msg.value, msg.key)
    assert dict(headers)[REPLAY_HEADER] == q["quarantine_id"].encode()
    assert header_map(headers)["ms-event-id"] == "ev-11"
    again = replay_one(q, writer, ledger, broker)
    assert again.status == "already-replayed" and len(broker.sent) == 1


def test_replay_refuses_what_still_fails_and_survives_a_broker_failure(writer, tmp_path):
    bad = _quarantine(writer, _msg(encode_value(fresh(S) | {"visit_type": "99"}), offset=12))
    ledger = ReplayLedger(tmp_path / "l.sqlite")
    out = replay_one(bad, writer, ledger, FakeBroker())
    assert out.status == "still-invalid" and out.violations[0]["rule"] == "enum"
    assert ledger.status(bad["quarantine_id"]) is None  # can be replayed after the fix

    good = writer.build(raw=encode_value(fresh(S)), source_topic=S, partition=0, offset=13, violations=[],
                        rule="processor-error:X", message="x")
    assert replay_one(good, writer, ledger, FakeBroker(fail=True)).status == "failed"
    assert ledger.status(good["quarantine_id"]) is None  # the claim was released
    assert replay_one(good, writer, ledger, FakeBroker()).status == "replayed"
    assert replay_one(good, writer, ledger, FakeBroker(), dry_run=True).status == "already-replayed"

    from_file = writer.build(raw=b"{}", violations=[], rule="json", message="x")
    assert replay_one(from_file, writer, ledger, FakeBroker()).status == "not-replayable"


def _bad_inputs() -> list[tuple[str, bytes, str]]:
    """(kind, message value, expected rule) for every kind of bad input in the issue."""
    big = fresh(S)
    big["address"] = "上" * 100_000
    return [
        ("broken JSON", b'{"settlement_id": ', "json"),
        ("wrong type", encode_value(fresh(S) | {"total_amount": "1260.50"}), "type"),
        ("missing required", encode_value({k: v for k, v in fresh(S).items() if k != "name"}), "required"),
        ("bad check digit", encode_value(fresh(S) | {"resident_id": BAD_RID_CASES[0]}), "format"),
        ("unknown code", encode_value(fresh(S) | {"insurance_type": "320"}), "enum"),
        ("amounts do not add up", encode_value(fresh(S) | {"fund_paid": 1.0}), "payment-parts-sum"),
        ("oversized", encode_value(big), "max-bytes"),
        ("extra field", encode_value(fresh(S) | {"wechat_id": "wx123"}), "extra-field"),
    ]


def test_a_processor_quarantines_every_bad_input_and_keeps_running(writer):
    """The shape every stream processor has: validate, quarantine on failure, carry on."""
    validator = registry.validator(S)
    inputs = [*_bad_inputs(), ("valid", encode_value(fresh(S)), None)]
    processed, quarantined = [], []
    for offset, (_, value, _) in enumerate(inputs):
        msg = _msg(value, offset)
        record, violations = validator.validate_bytes(msg.value)
        if violations:
            q = writer.build(raw=msg.value, source_topic=msg.topic, partition=msg.partition, offset=msg.offset,
                             key=msg.key, headers=msg.headers, violations=violations, processor="test")
            quarantined.append(writer.outgoing(q, "test"))
            continue
        processed.append(record["settlement_id"])
    assert processed == ["ST2026030500012345"]
    assert len(quarantined) == len(inputs) - 1
    for (kind, value, rule), out in zip(inputs, quarantined, strict=False):
        q = json.loads(out.value)
        assert out.topic == "pipeline.quarantine.v1" and out.key == q["quarantine_id"].encode()
        assert rule in q["rules"], (kind, q["rules"])
        assert writer.open(q).value == value


def test_check_command_reports_violations_by_line(tmp_path):
    from medshare.cli.main import app

    lines = [encode_value(fresh(S)), b"", b"{not json", encode_value(fresh(S) | {"visit_type": "99"}),
             encode_value(fresh(S) | {"resident_id": BAD_RID_CASES[0]})]
    path = tmp_path / "s.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    runner = CliRunner()
    res = runner.invoke(app, ["contracts", "check", S, str(path)])
    assert res.exit_code == 1
    assert f"{path}:3: (record): json:" in res.output and f"{path}:4: visit_type: enum:" in res.output
    assert f"{path}:5: resident_id: format:" in res.output and BAD_RID_CASES[0] not in res.output
    assert "4 record(s), 1 valid, 3 invalid" in res.output
    res = runner.invoke(app, ["contracts", "check", S, str(path), "--json"])
    data = json.loads(res.output)
    assert res.exit_code == 1 and data["invalid"] == 3
    assert {(v["line"], v["rule"]) for v in data["violations"]} >= {(3, "json"), (4, "enum"), (5, "format")}
    good = tmp_path / "good.jsonl"
    good.write_bytes(encode_value(fresh(S)) + b"\n")
    assert runner.invoke(app, ["contracts", "check", S, str(good)]).exit_code == 0
    res = runner.invoke(app, ["contracts", "check", "platform.nothing.v1", str(good)])
    assert res.exit_code != 0
