"""On the real broker: a processor quarantines every kind of bad input and keeps running; the
quarantine CLI lists reasons without decrypting; replay republishes once, with ms-replay-of."""

from __future__ import annotations

import json
import time

import pytest
from contract_records import BAD_RID_CASES, fresh
from typer.testing import CliRunner

from contracts import registry
from contracts.quarantine import REPLAY_HEADER, QuarantineWriter, read_quarantine
from medshare import kafka
from medshare.envelope import H_EVENT_ID, encode_value, header_map, make_headers

pytestmark = pytest.mark.integration

S = "platform.settlements.v2"


def _inputs(tag: str) -> list[tuple[str, bytes, str | None]]:
    big = fresh(S)
    big["fixmedins_name"] = "上" * 310_000  # over the contract's 900 KiB, under the broker's 1 MiB
    return [
        (f"{tag}-json", b'{"setl_id": ', "json"),
        (f"{tag}-type", encode_value(fresh(S) | {"medfee_sumamt": "1260.50"}), "type"),
        (f"{tag}-required", encode_value({k: v for k, v in fresh(S).items() if k != "psn_name"}), "required"),
        (f"{tag}-check-digit", encode_value(fresh(S) | {"certno": BAD_RID_CASES[0]}), "certno-by-cert-type"),
        (f"{tag}-unknown-code", encode_value(fresh(S) | {"med_type": "99"}), "enum"),
        (f"{tag}-amounts", encode_value(fresh(S) | {"fund_pay_sumamt": 1.0}), "funds-sum"),
        (f"{tag}-oversized", encode_value(big), "max-bytes"),
        (f"{tag}-extra", encode_value(fresh(S) | {"wechat_id": "wx123"}), "extra-field"),
        (f"{tag}-valid", encode_value(fresh(S, 2) | {"setl_id": "ST2026030599999999"}), None),
    ]


def _produce(cfg, messages, principal="platform"):
    p = kafka.producer(principal, cfg)
    try:
        for topic, value, key, headers in messages:
            p.send(topic, value=value, key=key, headers=headers)
        p.flush(30)
    finally:
        p.close()


def test_bad_inputs_end_in_quarantine_and_the_processor_keeps_running(kafka_broker, unique):
    cfg = kafka_broker
    inputs = _inputs(f"ct-{unique}")
    _produce(cfg, [(S, value, b"3100000012345678", make_headers(S, "test", event_id=eid))
                   for eid, value, _ in inputs])

    # the processor: validate every message; quarantine what fails; process the rest
    validator = registry.validator(S)
    writer = QuarantineWriter(cfg=cfg, processor="contracts-test")
    consumer = kafka.consumer("pipeline", f"medshare-test-contracts-{unique}", [S], cfg)
    out = kafka.producer("pipeline", cfg)
    ours = {eid for eid, _, _ in inputs}
    seen, processed = set(), []
    deadline = time.monotonic() + 90
    try:
        while seen != ours and time.monotonic() < deadline:
            for msgs in consumer.poll(timeout_ms=500).values():
                for m in msgs:
                    eid = header_map(m.headers).get(H_EVENT_ID)
                    if eid not in ours:
                        continue
                    seen.add(eid)
                    record, violations = validator.validate_bytes(m.value)
                    if violations:
                        q = writer.build(raw=m.value, source_topic=m.topic, partition=m.partition,
                                         offset=m.offset, key=m.key, headers=m.headers, violations=violations)
                        o = writer.outgoing(q)
                        out.send(o.topic, value=o.value, key=o.key, headers=o.headers)
                    else:
                        processed.append(eid)
        out.flush(30)
    finally:
        out.close()
        consumer.close()
    assert seen == ours
    assert processed == [f"ct-{unique}-valid"]

    entries = {e.record["source_event_id"]: e.record for e in read_quarantine(cfg)
               if e.record.get("source_event_id") in ours}
    for eid, value, rule in inputs:
        if rule is None:
            assert eid not in entries
            continue
        q = entries[eid]
        assert rule in q["rules"], (eid, q["rules"])
        assert q["source_topic"] == S and q["contract_id"] == S
        assert writer.open(q).value == value
        assert BAD_RID_CASES[0] not in json.dumps(q["violations"], ensure_ascii=False)

    from medshare.cli.main import app

    res = CliRunner().invoke(app, ["quarantine", "list", "--json", "--rule", "max-bytes"])
    assert res.exit_code == 0, res.output
    listed = {r["source_event_id"]: r for r in json.loads(res.output)}
    assert f"ct-{unique}-oversized" in listed and f"ct-{unique}-json" not in listed
    res = CliRunner().invoke(app, ["quarantine", "show", entries[f"ct-{unique}-check-digit"]["quarantine_id"]])
    assert res.exit_code == 0 and "certno: certno-by-cert-type:" in res.output and "check digit" in res.output
    assert BAD_RID_CASES[0] not in res.output


def test_replay_republishes_once(kafka_broker, unique):
    cfg = kafka_broker
    writer = QuarantineWriter(cfg=cfg, processor="contracts-test")
    record = fresh(S) | {"setl_id": f"ST20260305{int(unique[:7], 16) % 10**8:08d}"}
    value = encode_value(record)
    eid = f"ct-replay-{unique}"
    # quarantined for a reason that has since gone away (a processor timeout): replayable as is
    q = writer.build(raw=value, source_topic=S, partition=0, offset=10**9, key=b"3100000012345678",
                     headers=make_headers(S, "simulator", event_id=eid), violations=[],
                     rule="processor-error:TimeoutError", message="downstream timed out")
    o = writer.outgoing(q)
    _produce(cfg, [(o.topic, o.value, o.key, o.headers)], principal="pipeline")
    still_bad = writer.build(raw=b"{", source_topic=S, partition=0, offset=10**9 + 1,
                             headers=make_headers(S, "simulator", event_id=eid + "-bad"), violations=[],
                             rule="json", message="not JSON")
    o = writer.outgoing(still_bad)
    _produce(cfg, [(o.topic, o.value, o.key, o.headers)], principal="pipeline")

    from medshare.cli.main import app

    runner = CliRunner()
    res = runner.invoke(app, ["quarantine", "replay", q["quarantine_id"], still_bad["quarantine_id"], "--json"])
    rows = {r["quarantine_id"]: r for r in json.loads(res.output)}
    assert rows[q["quarantine_id"]]["status"] == "replayed"
    assert rows[still_bad["quarantine_id"]]["status"] == "still-invalid"
    assert res.exit_code == 1  # a named record still fails
    res = runner.invoke(app, ["quarantine", "replay", q["quarantine_id"], "--json"])
    assert res.exit_code == 0 and json.loads(res.output)[0]["status"] == "already-replayed"

    consumer = kafka.consumer("pipeline", f"medshare-test-replay-{unique}", [S], cfg)
    found = []
    deadline = time.monotonic() + 60
    try:
        while not found and time.monotonic() < deadline:
            for msgs in consumer.poll(timeout_ms=500).values():
                found += [m for m in msgs if header_map(m.headers).get(REPLAY_HEADER) == q["quarantine_id"]]
        time.sleep(1)
        for msgs in consumer.poll(timeout_ms=1000).values():
            found += [m for m in msgs if header_map(m.headers).get(REPLAY_HEADER) == q["quarantine_id"]]
    finally:
        consumer.close()
    assert len(found) == 1
    assert found[0].value == value and found[0].key == b"3100000012345678"
    assert header_map(found[0].headers)[H_EVENT_ID] == eid
