"""A rebalance during a batch: the broker refuses the batch's offsets for the old group generation.

The runtime aborts the transaction, hands the batch back (positions rewound to its first records,
records buffered for alignment included) and carries on; any other failure still aborts and exits.
Stand-in consumer and producer, no broker (the cluster test runs two instances on the real one).
"""

from __future__ import annotations

from collections import deque, namedtuple
from types import SimpleNamespace

import pytest
from kafka import TopicPartition
from kafka import errors as kerr

from medshare.config import Settings
from medshare.envelope import Outgoing
from streams.runtime import Runner, RunOptions

Msg = namedtuple("Msg", "topic partition offset timestamp key value headers")
S = "platform.settlements.v2"


class _Result:
    def __init__(self, exc: Exception | None) -> None:
        self.exc = exc

    def wait(self) -> None:
        if self.exc:
            raise self.exc


class FakeProducer:
    def __init__(self, offsets_error: Exception | None) -> None:
        self.events: list[str] = []
        self._transaction_manager = SimpleNamespace(
            send_offsets_to_transaction=lambda offsets, gm: _Result(offsets_error))
        self._sender = SimpleNamespace(wakeup=lambda: None)

    def begin_transaction(self) -> None:
        self.events.append("begin")

    def send(self, topic, **_kw) -> None:
        self.events.append(f"send {topic}")

    def commit_transaction(self) -> None:
        self.events.append("commit")

    def abort_transaction(self) -> None:
        self.events.append("abort")


class FakeConsumer:
    def __init__(self, tps) -> None:
        self.tps, self.seeks = set(tps), {}

    def assignment(self):
        return self.tps

    def seek(self, tp, offset) -> None:
        self.seeks[tp] = offset

    def group_metadata(self):
        return object()


class Echo:
    name, inputs = "echo", (S,)

    def __init__(self) -> None:
        self.committed = 0

    def begin_batch(self) -> None: ...

    def handle(self, msg, counters):
        counters.disclosed += 1
        return [Outgoing("lab.echo.v1", msg.value, msg.key, [])]

    def quarantine(self, msg, reason): ...

    def before_commit(self) -> None:
        self.committed += 1

    def close(self) -> None: ...


def _batch(partition: int, offsets) -> list[Msg]:
    return [Msg(S, partition, o, 1000 + o, b"k", b"{}", []) for o in offsets]


def _runner(tmp_path) -> Runner:
    r = Runner(Echo(), RunOptions(), Settings(home=tmp_path, kafka_port=23997))
    r._reset_alignment()
    return r


@pytest.mark.parametrize("error", [
    kerr.CommitFailedError("Transaction offset commit failed due to consumer group metadata mismatch: "
                           "IllegalGenerationError"),
    kerr.FencedInstanceIdError(),
])
def test_a_rebalance_mid_batch_gives_the_batch_back(tmp_path, error):
    r = _runner(tmp_path)
    p0, p1 = TopicPartition(S, 0), TopicPartition(S, 1)
    r._buffers[p1] = deque((0.0, m) for m in _batch(1, [12, 13]))  # (polled at, message), waiting for alignment
    consumer, producer = FakeConsumer({p0, p1}), FakeProducer(error)
    r._process_batch(consumer, producer, _batch(0, [5, 6, 7]) + _batch(1, [10, 11]))
    assert producer.events[0] == "begin" and producer.events[-1] == "abort" and "commit" not in producer.events
    # nothing of the batch (nor of what was buffered) is skipped if this instance keeps the partitions
    assert consumer.seeks == {p0: 5, p1: 10}
    assert r._buffers == {}
    c = r.counters
    assert (c.consumed, c.disclosed, c.batches, c.extra) == (0, 0, 0, {"rebalance_aborts": 1})


def test_a_rebalance_seen_first_by_a_send_is_recognised(tmp_path):
    """kafka-python may report it from the next send(): a KafkaError carrying the CommitFailedError."""
    r = _runner(tmp_path)
    p0 = TopicPartition(S, 0)
    consumer, producer = FakeConsumer({p0}), FakeProducer(None)
    lost = kerr.CommitFailedError("consumer group metadata mismatch: IllegalGenerationError")

    def send(topic, **_kw):
        raise kerr.KafkaError("Cannot perform send because at least one previous transactional or idempotent "
                              "request has failed with errors.", lost)

    producer.send = send
    r._process_batch(consumer, producer, _batch(0, [3, 4]))
    assert producer.events[-1] == "abort" and consumer.seeks == {p0: 3}


def test_a_partition_no_longer_assigned_is_not_sought(tmp_path):
    r = _runner(tmp_path)
    p0 = TopicPartition(S, 0)
    consumer = FakeConsumer({TopicPartition(S, 2)})
    r._process_batch(consumer, FakeProducer(kerr.CommitFailedError("x")), _batch(0, [1, 2]))
    assert p0 not in consumer.seeks


def test_any_other_failure_aborts_and_stops(tmp_path):
    r = _runner(tmp_path)
    consumer = FakeConsumer({TopicPartition(S, 0)})
    producer = FakeProducer(kerr.TransactionalIdAuthorizationFailedError())
    with pytest.raises(kerr.TransactionalIdAuthorizationFailedError):
        r._process_batch(consumer, producer, _batch(0, [1]))
    assert producer.events[-1] == "abort" and consumer.seeks == {}


def test_a_clean_batch_commits(tmp_path):
    r = _runner(tmp_path)
    consumer, producer = FakeConsumer({TopicPartition(S, 0)}), FakeProducer(None)
    r._process_batch(consumer, producer, _batch(0, [1, 2]))
    assert producer.events == ["begin", "send lab.echo.v1", "send lab.echo.v1", "commit"]
    assert (r.counters.consumed, r.counters.batches) == (2, 1)


def test_the_handler_rebuilds_its_shared_state_before_the_first_batch_after_an_assignment(tmp_path):
    """At start and after each rebalance, once, before begin_batch (streams.runtime: Handler.partitions_assigned)."""
    from streams.runtime import _rebalance_listener

    calls: list[str] = []
    h = Echo()
    h.partitions_assigned = lambda: calls.append("assigned")
    h.begin_batch = lambda: calls.append("begin")
    r = Runner(h, RunOptions(), Settings(home=tmp_path, kafka_port=23997))
    r._reset_alignment()
    p0 = TopicPartition(S, 0)
    consumer = FakeConsumer({p0})
    r._process_batch(consumer, FakeProducer(None), _batch(0, [1]))
    r._process_batch(consumer, FakeProducer(None), _batch(0, [2]))
    assert calls == ["assigned", "begin", "begin"]
    _rebalance_listener(r).on_partitions_assigned({p0})
    r._process_batch(consumer, FakeProducer(None), _batch(0, [3]))
    assert calls[3:] == ["assigned", "begin"]


class ListenerConsumer(FakeConsumer):
    def __init__(self, tps) -> None:
        super().__init__(tps)
        self._paused: set = set()

    def paused(self):
        return set(self._paused)

    def pause(self, *tps) -> None:
        self._paused |= set(tps)

    def resume(self, *tps) -> None:
        self._paused -= set(tps)


def test_buffered_records_of_a_partition_kept_across_a_rebalance_are_fetched_again(tmp_path):
    """kafka-python keeps the position of a partition the member gets back: the records buffered
    for alignment (fetched, not handled) are sought back to, not skipped; a paused one is resumed."""
    from streams.runtime import _rebalance_listener

    r = _runner(tmp_path)
    p0, p1, p2 = TopicPartition(S, 0), TopicPartition(S, 1), TopicPartition(S, 2)
    consumer = ListenerConsumer({p0, p1, p2})
    r._consumer = consumer
    r._buffers[p0] = deque((0.0, m) for m in _batch(0, [7, 8, 9]))
    r._buffers[p1] = deque((0.0, m) for m in _batch(1, [4]))
    consumer.pause(p0)
    r._paused.add(p0)
    listener = _rebalance_listener(r)
    listener.on_partitions_revoked({p0, p1, p2})  # eager: everything is announced as revoked
    assert r._buffers == {} and r._paused == set() and consumer.paused() == set()
    consumer.tps = {p0, p2}  # p1 went to another instance (it starts from the committed offset)
    listener.on_partitions_assigned({p0, p2})
    assert consumer.seeks == {p0: 7}
    assert r._reassigned and r._rewind_to == {}


def test_lost_partitions_restart_from_their_committed_offsets(tmp_path):
    from streams.runtime import _rebalance_listener

    r = _runner(tmp_path)
    p0 = TopicPartition(S, 0)
    consumer = ListenerConsumer({p0})
    r._consumer = consumer
    r._buffers[p0] = deque((0.0, m) for m in _batch(0, [3, 4]))
    listener = _rebalance_listener(r)
    listener.on_partitions_lost({p0})
    listener.on_partitions_assigned({p0})
    assert r._buffers == {} and consumer.seeks == {}
