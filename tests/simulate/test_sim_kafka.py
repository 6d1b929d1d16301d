"""The Kafka sink: envelope headers, person keys, raw bytes, failures. Unit tests use a fake producer;
the integration test publishes a small run to the real broker and reads it back."""

from __future__ import annotations

import time
import uuid
from itertools import islice
from pathlib import Path
from typing import Any

import pytest

from medshare.envelope import H_EVENT_ID, H_PRODUCER, H_SCHEMA, H_TRACE, header_map
from medshare.errors import UserError
from medshare.simulate.run import SimConfig, iter_events, run
from medshare.simulate.sinks import KafkaSink
from medshare.topics import PLATFORM_TOPICS


class _Future:
    def __init__(self, error: Exception | None) -> None:
        self.error = error

    def add_errback(self, fn: Any) -> None:
        if self.error is not None:
            fn(self.error)


class FakeProducer:
    def __init__(self, fail_every: int = 0) -> None:
        self.sent: list[dict[str, Any]] = []
        self.fail_every = fail_every
        self.flushed = self.closed = False

    def send(self, topic: str, value: bytes, key: bytes, headers: list[tuple[str, bytes]]) -> _Future:
        self.sent.append({"topic": topic, "value": value, "key": key, "headers": headers})
        failing = self.fail_every and len(self.sent) % self.fail_every == 0
        return _Future(RuntimeError("broker said no") if failing else None)

    def flush(self, timeout: float | None = None) -> None:
        self.flushed = True

    def close(self, timeout: float | None = None) -> None:
        self.closed = True


def test_messages_carry_envelope_headers_and_keys() -> None:
    fake = FakeProducer()
    sink = KafkaSink(producer=fake)
    events = list(islice(iter_events(SimConfig(persons=300, days=3, seed=6, malformed_rate=0.2)), 400))
    for ev in events:
        sink.write(ev)
    info = sink.close()
    assert fake.flushed and fake.closed and info["kafka"]["sent"] == len(events)
    for ev, msg in zip(events, fake.sent, strict=True):
        headers = header_map(msg["headers"])
        assert msg["topic"] == ev.topic and msg["topic"] in PLATFORM_TOPICS
        assert msg["value"] == ev.value and msg["key"] == ev.key.encode()
        assert headers[H_SCHEMA] == ev.topic and headers[H_PRODUCER] == "simulator"
        assert headers[H_EVENT_ID] == ev.event_id != ""
        if ev.trace:
            assert headers[H_TRACE] == ev.trace
    assert any(ev.malformed == "broken_json" for ev in events), "broken values still get an event id"


def test_failed_sends_are_reported() -> None:
    sink = KafkaSink(producer=FakeProducer(fail_every=3))
    for ev in islice(iter_events(SimConfig(persons=50, days=1, seed=1)), 10):
        sink.write(ev)
    with pytest.raises(UserError, match="failed for 3"):
        sink.close()


@pytest.mark.integration
def test_publish_and_read_back(kafka_broker: Any, tmp_path: Path) -> None:
    """A small run lands on the three platform topics: every event once, keys and headers intact."""
    from medshare.kafka import consumer

    seed = uuid.uuid4().int % 10**9  # ids are seed-specific, so earlier runs on the topics do not count
    cfg = SimConfig(persons=150, days=3, seed=seed, malformed_rate=0.2)
    summary = run(cfg, tmp_path / "run", kafka=True, batch=False, kafka_cfg=kafka_broker)
    expected = {ev.event_id: ev for ev in iter_events(cfg)}
    assert summary["sinks"]["kafka"]["sent"] == len(expected) == summary["events"]

    seen: dict[str, Any] = {}
    c = consumer("pipeline", f"medshare-simtest-{uuid.uuid4().hex[:8]}", PLATFORM_TOPICS, cfg=kafka_broker,
                 consumer_timeout_ms=2000)
    try:
        deadline = time.monotonic() + 90
        while len(seen) < len(expected) and time.monotonic() < deadline:
            for msg in c:
                event_id = header_map(msg.headers).get(H_EVENT_ID)
                if event_id in expected:
                    seen[event_id] = msg
    finally:
        c.close()
    assert set(seen) == set(expected)
    for event_id, msg in seen.items():
        ev = expected[event_id]
        assert msg.topic == ev.topic and msg.value == ev.value and msg.key == ev.key.encode()
        assert header_map(msg.headers)[H_SCHEMA] == ev.topic
    assert any(ev.malformed == "broken_json" for ev in expected.values())
