"""The processors' producer writes each record into its batch with ``medshare.kafka.append_record``
instead of kafka-python's ``MemoryRecordsBuilder.append``: the batches must be byte-identical, and a
full batch must refuse the same record."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from kafka.record.memory_records import MemoryRecordsBuilder

from medshare.kafka import append_record

_blob = st.one_of(st.none(), st.binary(max_size=300), st.binary(min_size=16300, max_size=17000))
_headers = st.lists(st.tuples(st.text(max_size=20), st.one_of(st.none(), st.binary(max_size=200))), max_size=6)
_record = st.tuples(st.one_of(st.none(), st.integers(0, 2**41)), _blob, _blob, _headers)


def _builders(batch_size: int, compression: int = 0):
    return (MemoryRecordsBuilder(2, compression, batch_size), MemoryRecordsBuilder(2, compression, batch_size))


@settings(max_examples=150, deadline=None)
@given(records=st.lists(_record, min_size=1, max_size=40), batch_size=st.sampled_from([200, 4096, 262144]),
       transactional=st.booleans())
def test_batches_are_byte_identical(records, batch_size, transactional):
    ours, theirs = _builders(batch_size)
    t0 = 1_765_000_000_000
    for ts, key, value, headers in records:
        # kafka-python stamps a missing timestamp with the clock: give both the same one
        ts = t0 if ts is None else ts
        got = append_record(ours, ts, key, value, headers)
        want = theirs.append(ts, key, value, headers)
        assert (got is None) == (want is None)
        if want is not None:
            assert got == want.size
    for b in (ours, theirs):
        b.set_producer_state(4711, 3, 17, transactional)
        b.close()
    assert ours.buffer() == theirs.buffer()
    assert ours.next_offset() == theirs.next_offset()


def test_a_missing_timestamp_is_the_clock():
    ours = MemoryRecordsBuilder(2, 0, 4096)
    append_record(ours, None, b"k", b"v", [])
    assert abs(ours._builder._first_timestamp - __import__("time").time() * 1000) < 5000


def test_wrong_types_are_refused_as_kafka_python_refuses_them():
    import pytest

    for bad in ({"key": "text"}, {"value": 5}):
        kwargs = {"key": b"k", "value": b"v", **bad}
        with pytest.raises(TypeError):
            MemoryRecordsBuilder(2, 0, 4096).append(1, kwargs["key"], kwargs["value"], [])
        with pytest.raises(TypeError):
            append_record(MemoryRecordsBuilder(2, 0, 4096), 1, kwargs["key"], kwargs["value"], [])
    with pytest.raises(TypeError):
        append_record(MemoryRecordsBuilder(2, 0, 4096), 1.5, b"k", b"v", [])


def test_a_closed_builder_takes_nothing():
    b = MemoryRecordsBuilder(2, 0, 4096)
    b.close()
    assert append_record(b, 1, b"k", b"v", []) is None
