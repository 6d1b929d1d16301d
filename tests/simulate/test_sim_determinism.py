"""The same seed gives byte-identical events; generation is lazy, so huge runs start at once."""

from __future__ import annotations

import hashlib
import time
import tracemalloc
from itertools import islice

import pytest

from medshare.simulate.run import SimConfig, Simulation, iter_events
from medshare.topics import PLATFORM_SETTLEMENTS


def _fingerprint(cfg: SimConfig) -> tuple[int, str]:
    h = hashlib.sha256()
    n = 0
    for ev in iter_events(cfg):
        n += 1
        for part in (ev.topic, ev.key, ev.event_id, ev.malformed or "-", ev.day.isoformat()):
            h.update(part.encode())
        h.update(ev.value)
    return n, h.hexdigest()


def test_same_seed_same_bytes() -> None:
    cfg = SimConfig(persons=600, days=12, seed=77, malformed_rate=0.05)
    assert _fingerprint(cfg) == _fingerprint(SimConfig(persons=600, days=12, seed=77, malformed_rate=0.05))


def test_different_seed_different_events() -> None:
    a = list(islice(iter_events(SimConfig(persons=600, days=5, seed=1)), 200))
    b = list(islice(iter_events(SimConfig(persons=600, days=5, seed=2)), 200))
    assert [e.value for e in a] != [e.value for e in b]
    # ids do not collide across seeds either, so two runs can share the topics
    assert not {e.event_id for e in a} & {e.event_id for e in b}
    assert not {e.key for e in a} & {e.key for e in b}


def test_start_date_moves_every_time() -> None:
    from datetime import date

    events = list(islice(iter_events(SimConfig(persons=300, days=3, seed=1, start_date=date(2027, 6, 1))), 100))
    assert all(e.record is None or e.record["event_time"].startswith("2027-06-0") for e in events)


def test_generation_is_lazy() -> None:
    # ~25 million settlements if run to the end; the first ones must come at once
    cfg = SimConfig(persons=200_000, days=3650, seed=3)
    started = time.perf_counter()
    stream = iter_events(cfg)
    first = list(islice(stream, 2000))
    assert time.perf_counter() - started < 15
    assert len(first) == 2000
    stream.close()


def test_memory_stays_flat_over_many_days() -> None:
    cfg = SimConfig(persons=300, days=400, seed=4, malformed_rate=0.0)
    tracemalloc.start()
    try:
        settlements = 0
        peak_after_warmup = None
        for n, ev in enumerate(iter_events(cfg)):
            settlements += ev.topic == PLATFORM_SETTLEMENTS
            if n == 1000:
                tracemalloc.reset_peak()
            if n == 3000:
                peak_after_warmup = tracemalloc.get_traced_memory()[1]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert settlements > 3000
    assert peak_after_warmup is not None
    assert peak < 3 * peak_after_warmup + 2_000_000, "memory must not grow with the number of events"


def test_a_simulation_runs_once() -> None:

    sim = Simulation(SimConfig(persons=10, days=1, seed=1))
    list(sim.events())
    with pytest.raises(RuntimeError):
        list(sim.events())
