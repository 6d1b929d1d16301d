"""The runtime's alignment of co-partitioned inputs, with a stand-in consumer (no broker)."""

from __future__ import annotations

from collections import namedtuple

from kafka import TopicPartition

from medshare.config import Settings
from streams.runtime import Runner, RunOptions

Msg = namedtuple("Msg", "topic partition offset timestamp")
S, N = "platform.settlements.v1", "platform.emr-notes.v1"


class FakeConsumer:
    """Assigned partition 0 of two topics; ``highwater`` unknown until a fetch came back."""

    def __init__(self, highwater: dict, ends: dict, positions: dict) -> None:
        self._high, self._ends, self._pos = highwater, ends, positions
        self.end_offset_calls = 0

    def assignment(self):
        return {TopicPartition(S, 0), TopicPartition(N, 0)}

    def highwater(self, tp):
        return self._high.get(tp)

    def end_offsets(self, tps):
        self.end_offset_calls += 1
        return {tp: self._ends[tp] for tp in tps}

    def position(self, tp, timeout_ms=None):
        return self._pos[tp]


class Aligned:
    name, inputs, align_inputs = "t", (S, N), True


def _runner(tmp_path, **opts) -> Runner:
    r = Runner(Aligned(), RunOptions(**opts), Settings(home=tmp_path, kafka_port=23999))
    return r


def _settlements(n: int) -> dict:
    return {TopicPartition(S, 0): [Msg(S, 0, i, 1000 + i) for i in range(n)]}


def test_a_never_fetched_empty_topic_does_not_hold_records_back(tmp_path):
    """Notes' partition was never fetched (highwater None) but is empty: settlements go at once."""
    sp, np_ = TopicPartition(S, 0), TopicPartition(N, 0)
    consumer = FakeConsumer(highwater={sp: 3}, ends={sp: 3, np_: 0}, positions={sp: 3, np_: 0})
    r = _runner(tmp_path, align_wait_s=60.0)
    assert [m.offset for m in r._take(consumer, _settlements(3))] == [0, 1, 2]
    assert consumer.end_offset_calls == 1  # asked once, not per record


def test_a_lagging_topic_still_holds_records_back(tmp_path):
    """Notes exist that were not fetched yet: the settlements wait for them, however long."""
    sp, np_ = TopicPartition(S, 0), TopicPartition(N, 0)
    consumer = FakeConsumer(highwater={sp: 3}, ends={sp: 3, np_: 5}, positions={sp: 3, np_: 0})
    r = _runner(tmp_path)
    assert r._take(consumer, _settlements(3)) == []
    assert r._poll_timeout_ms() == 20  # blocked: poll briefly for the lagging topic's records
    r._blocked_since[0] -= 3600  # an hour later: still waiting (no timeout decides a result)
    assert r._take(consumer, {}) == []
    # an operator who prefers availability may set a bound
    released = _runner(tmp_path, align_wait_s=0.0)._take(consumer, _settlements(3))
    assert [m.offset for m in released] == [0, 1, 2]


def test_an_unreadable_end_offset_holds_records_back(tmp_path):
    """The notes' end offset cannot be read (their leader failing over): settlements wait."""
    sp, np_ = TopicPartition(S, 0), TopicPartition(N, 0)

    class Failing(FakeConsumer):
        def end_offsets(self, tps):
            raise TimeoutError("no leader")

    consumer = Failing(highwater={sp: 3}, ends={}, positions={sp: 3, np_: 0})
    assert _runner(tmp_path)._take(consumer, _settlements(3)) == []


def test_buffered_work_is_not_held_by_a_long_poll(tmp_path):
    sp, np_ = TopicPartition(S, 0), TopicPartition(N, 0)
    consumer = FakeConsumer(highwater={sp: 10, np_: 0}, ends={}, positions={sp: 10, np_: 0})
    r = _runner(tmp_path, max_records=4, poll_ms=500)
    assert r._poll_timeout_ms() == 500  # nothing in hand: wait for records
    assert [m.offset for m in r._take(consumer, _settlements(10))] == [0, 1, 2, 3]
    assert r._poll_timeout_ms() == 0  # six records in hand: take them without waiting
    assert [m.offset for m in r._take(consumer, {})] == [4, 5, 6, 7]
    assert [m.offset for m in r._take(consumer, {})] == [8, 9]
    assert r._poll_timeout_ms() == 500


def test_equal_timestamps_go_in_the_handlers_input_order(tmp_path):
    """A settlement and its note in the same millisecond: the settlement first (its name is then
    known when the note is redacted), whichever order the assignment set yields the partitions."""
    sp, np_ = TopicPartition(S, 0), TopicPartition(N, 0)
    for order in ((sp, np_), (np_, sp)):
        class Ordered(FakeConsumer):
            def assignment(self, order=order):
                return dict.fromkeys(order)  # an ordered "set"

        consumer = Ordered(highwater={sp: 1, np_: 1}, ends={}, positions={sp: 1, np_: 1})
        r = _runner(tmp_path)
        polled = {np_: [Msg(N, 0, 0, 1000)], sp: [Msg(S, 0, 0, 1000)]}
        assert [m.topic for m in r._take(consumer, polled)] == [S, N]


def test_a_rebalance_drops_the_records_held_for_alignment(tmp_path):
    """After a rebalance the consumer gives held partitions again from their committed offsets:
    records held before must not be handled a second time (nor lost: the partition is set back
    to the first of them)."""
    from types import SimpleNamespace

    sp, np_ = TopicPartition(S, 0), TopicPartition(N, 0)

    class Grouped(FakeConsumer):
        generation, seeks = 1, {}

        def group_metadata(self):
            return SimpleNamespace(generation_id=self.generation)

        def seek(self, tp, offset):
            self.seeks[tp] = offset

    consumer = Grouped(highwater={sp: 10}, ends={sp: 10, np_: 5}, positions={sp: 10, np_: 0})
    r = _runner(tmp_path)
    assert r._take(consumer, _settlements(10)) == []  # held: the notes lag
    consumer.generation = 2  # the group rebalanced; the consumer resumes from the committed offsets
    consumer._pos[np_] = 5
    again = {sp: [Msg(S, 0, i, 1000 + i) for i in range(10)]}
    taken = r._take(consumer, again)
    assert [m.offset for m in taken] == list(range(10))  # once each, not twice
    assert consumer.seeks == {sp: 0}
