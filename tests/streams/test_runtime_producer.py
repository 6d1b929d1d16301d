"""The processors' transactional producer without per-record futures, and offsets sent ahead.

``medshare.kafka.producer(record_futures=False)`` skips kafka-python's future per ``send()``; the
runtime learns of a failed batch from ``commit_transaction``. These tests show, on the real broker,
that records still arrive when the commit succeeds, that a batch the broker refuses still fails
the commit (nothing silently dropped), and that offsets sent at the start of a transaction
(``send_offsets_async``) are committed with it — or not at all when it aborts.
"""

from __future__ import annotations

import pytest
from kafka import OffsetAndMetadata, TopicPartition

from medshare import kafka as mk
from medshare import topics as t
from tests.streams.pipeline_helpers import read_topic

pytestmark = pytest.mark.integration

SCRATCH = "pipeline.runtime-producer-test.v1"
#: the refused transaction stays open until the broker times it out, holding back read_committed
#: readers of its partitions: it gets a topic of its own
REFUSED = "pipeline.runtime-producer-refused-test.v1"


@pytest.fixture(scope="module")
def scratch(kafka_broker):
    from medshare import acls

    acls.ensure_topics([t.TopicSpec(SCRATCH, kafka_broker.partitions), t.TopicSpec(REFUSED, 1)], kafka_broker)
    return kafka_broker


def _producer(cfg, unique: str, **overrides):
    p = mk.producer("pipeline", cfg=cfg, transactional_id=f"medshare-test-lean-{unique}", record_futures=False,
                    linger_ms=10, max_in_flight_requests_per_connection=5, **overrides)
    p.init_transactions()
    return p


def test_lean_sends_arrive_when_the_transaction_commits(scratch, unique):
    p = _producer(scratch, unique)
    try:
        p.begin_transaction()
        for i in range(300):
            assert p.send(SCRATCH, value=f"{unique}-{i}".encode(), key=f"k{i % 7}".encode()) is mk.NO_FUTURE
        p.commit_transaction()
    finally:
        p.close()
    got = sorted(m.value.decode() for m in read_topic(scratch, SCRATCH) if m.value.decode().startswith(unique))
    assert got == sorted(f"{unique}-{i}" for i in range(300))


def test_a_refused_batch_still_fails_the_commit(scratch, unique):
    """The pipeline may not write platform topics: without futures the commit must still raise.

    (The runtime then aborts and exits; the broker's own transaction timeout cleans up here.
    kafka-python raises at its next metadata refresh, with or without futures: every 2 s here,
    5 minutes by default.)
    """
    from kafka import errors as kerr

    p = _producer(scratch, unique, metadata_max_age_ms=2000)
    try:
        p.begin_transaction()
        p.send(REFUSED, value=f"{unique}-ok".encode())
        p.send(t.PLATFORM_SETTLEMENTS, value=f"{unique}-refused".encode())
        with pytest.raises(kerr.TopicAuthorizationFailedError):
            p.commit_transaction()
    finally:
        p.close(timeout=5)


def _committed(cfg, group: str, tp: TopicPartition) -> int | None:
    c = mk.consumer("pipeline", group, cfg=cfg)
    try:
        return c.committed(tp)
    finally:
        c.close()


def test_offsets_sent_ahead_commit_with_the_transaction_or_not_at_all(scratch, unique):
    group = f"medshare-test-offsets-{unique}"
    tp = TopicPartition(SCRATCH, 0)
    consumer = mk.consumer("pipeline", group, cfg=scratch)
    consumer.assign([tp])
    p = _producer(scratch, unique)
    try:
        p.begin_transaction()
        sent = mk.send_offsets_async(p, {tp: OffsetAndMetadata(5, "", -1)}, consumer.group_metadata())
        p.send(SCRATCH, value=f"{unique}-a".encode())
        sent.wait()
        p.abort_transaction()
        assert _committed(scratch, group, tp) is None

        p.begin_transaction()
        sent = mk.send_offsets_async(p, {tp: OffsetAndMetadata(7, "", -1)}, consumer.group_metadata())
        p.send(SCRATCH, value=f"{unique}-b".encode())
        sent.wait()
        p.commit_transaction()
        assert _committed(scratch, group, tp) == 7
    finally:
        p.close()
        consumer.close()
    assert [m.value.decode() for m in read_topic(scratch, SCRATCH) if m.value.decode().startswith(unique)] == \
        [f"{unique}-b"]
