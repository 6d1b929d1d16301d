"""The runtime's alignment of co-partitioned inputs, with a stand-in consumer (no broker).

The rule under test (``Runner._take``): the next record of a partition is released only when every
other topic of that partition number has a buffered record or has been read to the end offset the
broker reported after that record was polled. No wall-clock wait releases anything.
"""

from __future__ import annotations

import random
import time
from collections import namedtuple

from kafka import TopicPartition

from medshare.config import Settings
from streams.runtime import Runner, RunOptions

Msg = namedtuple("Msg", "topic partition offset timestamp")
C, S, N = "platform.consents.v1", "platform.settlements.v2", "platform.emr-notes.v1"


class FakeConsumer:
    """Assigned partition 0 of the given topics; end offsets and positions are set by the test."""

    def __init__(self, ends: dict, positions: dict, topics=(S, N)) -> None:
        self._ends, self._pos = ends, positions
        self.topics = topics
        self.end_offset_calls = 0
        self.paused: set = set()

    def assignment(self):
        return {TopicPartition(t, 0) for t in self.topics}

    def end_offsets(self, tps):
        self.end_offset_calls += 1
        return {tp: self._ends[tp] for tp in tps if tp in self._ends}

    def position(self, tp, timeout_ms=None):
        return self._pos[tp]

    def pause(self, *tps):
        self.paused |= set(tps)

    def resume(self, *tps):
        self.paused -= set(tps)


class Aligned:
    name, inputs, align_inputs = "t", (S, N), True
    align_order = (C, S, N)


def _runner(tmp_path, **opts) -> Runner:
    r = Runner(Aligned(), RunOptions(**opts), Settings(home=tmp_path, kafka_port=23999))
    r._reset_alignment()
    return r


def _msgs(topic: str, n: int, ts0: int = 1000, first: int = 0) -> dict:
    return {TopicPartition(topic, 0): [Msg(topic, 0, first + i, ts0 + i) for i in range(n)]}


def test_a_never_fetched_empty_topic_does_not_hold_records_back(tmp_path):
    """Notes' partition is empty: settlements go at once, end offsets asked once, not per record."""
    sp, np_ = TopicPartition(S, 0), TopicPartition(N, 0)
    consumer = FakeConsumer(ends={sp: 3, np_: 0}, positions={sp: 3, np_: 0})
    r = _runner(tmp_path)
    assert [m.offset for m in r._take(consumer, _msgs(S, 3))] == [0, 1, 2]
    assert consumer.end_offset_calls == 1


def test_a_lagging_topic_holds_records_back_however_long(tmp_path):
    """Notes exist that were not fetched yet: the settlements wait — and keep waiting (no timeout)."""
    sp, np_ = TopicPartition(S, 0), TopicPartition(N, 0)
    consumer = FakeConsumer(ends={sp: 3, np_: 5}, positions={sp: 3, np_: 0})
    r = _runner(tmp_path)
    assert r._take(consumer, _msgs(S, 3)) == []
    assert r._poll_timeout_ms() == 20  # blocked: poll briefly for the lagging topic's records
    time.sleep(0.05)
    for _ in range(20):  # however many polls come back empty
        assert r._take(consumer, {}) == []
    # the notes arrive: everything goes, in publish-time order across the two topics
    consumer._pos[np_] = 5
    got = r._take(consumer, {np_: [Msg(N, 0, i, 1000 + 2 * i) for i in range(5)]})
    assert [(m.topic, m.timestamp) for m in got] == sorted(((m.topic, m.timestamp) for m in got),
                                                           key=lambda x: (x[1], x[0] != S))
    assert len(got) == 8


def test_an_end_offset_older_than_the_record_is_asked_again(tmp_path):
    """'Read to the end' must be as the broker saw it after the record was polled: an earlier answer
    (from before a consent was appended) does not count."""
    sp, np_ = TopicPartition(S, 0), TopicPartition(N, 0)
    consumer = FakeConsumer(ends={sp: 1, np_: 0}, positions={sp: 1, np_: 0})
    r = _runner(tmp_path)
    assert [m.offset for m in r._take(consumer, _msgs(S, 1))] == [0]
    # a note is appended, then a settlement published after it is polled
    consumer._ends[np_] = 1
    time.sleep(0.01)
    assert r._take(consumer, _msgs(S, 1, ts0=2000, first=1)) == []
    assert consumer.end_offset_calls == 2


def test_ties_go_to_the_topic_listed_first(tmp_path):
    cp, sp = TopicPartition(C, 0), TopicPartition(S, 0)
    consumer = FakeConsumer(ends={cp: 1, sp: 1}, positions={cp: 1, sp: 1}, topics=(C, S))
    r = _runner(tmp_path)
    got = r._take(consumer, {sp: [Msg(S, 0, 0, 5000)], cp: [Msg(C, 0, 0, 5000)]})
    assert [m.topic for m in got] == [C, S]


def test_a_full_buffer_pauses_its_partition_until_drained(tmp_path):
    sp, np_ = TopicPartition(S, 0), TopicPartition(N, 0)
    consumer = FakeConsumer(ends={sp: 100, np_: 1}, positions={sp: 100, np_: 0})
    r = _runner(tmp_path, align_buffer_max=10, max_records=500)
    assert r._take(consumer, _msgs(S, 12)) == []
    assert consumer.paused == {sp}
    consumer._pos[np_] = 1
    got = r._take(consumer, {np_: [Msg(N, 0, 0, 999)]})
    assert len(got) == 13 and got[0].topic == N
    assert consumer.paused == set()


def test_buffered_work_is_not_held_by_a_long_poll(tmp_path):
    sp, np_ = TopicPartition(S, 0), TopicPartition(N, 0)
    consumer = FakeConsumer(ends={sp: 10, np_: 0}, positions={sp: 10, np_: 0})
    r = _runner(tmp_path, max_records=4, poll_ms=500)
    assert r._poll_timeout_ms() == 500  # nothing in hand: wait for records
    assert [m.offset for m in r._take(consumer, _msgs(S, 10))] == [0, 1, 2, 3]
    assert r._poll_timeout_ms() == 0  # six records in hand: take them without waiting
    assert [m.offset for m in r._take(consumer, {})] == [4, 5, 6, 7]
    assert [m.offset for m in r._take(consumer, {})] == [8, 9]
    assert r._poll_timeout_ms() == 500


def test_any_interleaving_of_fetches_gives_the_publish_order(tmp_path):
    """However the fetches of two co-partitioned topics interleave and however long one lags, the
    records come out in publish-time order (ties: the topic listed first)."""
    cp, sp = TopicPartition(C, 0), TopicPartition(S, 0)
    for seed in range(30):
        rng = random.Random(seed)
        consents = [Msg(C, 0, i, ts) for i, ts in enumerate(sorted(rng.sample(range(1000), 40)))]
        settlements = [Msg(S, 0, i, ts) for i, ts in enumerate(sorted(rng.sample(range(1000), 60)))]
        consumer = FakeConsumer(ends={cp: 40, sp: 60}, positions={cp: 0, sp: 0}, topics=(C, S))
        r = _runner(tmp_path, max_records=rng.choice([1, 7, 500]))
        queues = {cp: list(consents), sp: list(settlements)}
        out = []
        for _ in range(10_000):
            if not any(queues.values()) and not any(r._buffers.values()):
                break
            polled = {}
            tp = rng.choice([cp, sp])
            if queues[tp]:
                k = rng.randint(1, 15)
                polled[tp], queues[tp] = queues[tp][:k], queues[tp][k:]
                consumer._pos[tp] += len(polled[tp])
            out += r._take(consumer, polled)
        want = sorted(consents + settlements, key=lambda m: (m.timestamp, m.topic != C))
        assert [(m.topic, m.offset) for m in out] == [(m.topic, m.offset) for m in want], seed


def test_a_run_of_one_topic_stops_at_records_polled_after_the_end_offsets_were_asked(tmp_path):
    """The runtime releases a run of one topic's records after one test of the empty co-inputs; a
    record polled after that answer was given is tested afresh (and here held back by a new note)."""
    sp, np_ = TopicPartition(S, 0), TopicPartition(N, 0)
    consumer = FakeConsumer(ends={sp: 3, np_: 0}, positions={sp: 3, np_: 0})
    r = _runner(tmp_path, max_records=2)
    assert [m.offset for m in r._take(consumer, _msgs(S, 3))] == [0, 1]  # the batch limit holds
    consumer._ends[np_] = 1  # a note is appended, then settlements published after it are polled
    time.sleep(0.01)
    assert [m.offset for m in r._take(consumer, _msgs(S, 2, ts0=2000, first=3))] == [2]
    assert consumer.end_offset_calls == 2
    assert r._blocked == {0}
