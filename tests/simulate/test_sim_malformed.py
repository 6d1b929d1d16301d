"""Deliberately malformed events: as many as asked, each broken exactly the way its sidecar kind says."""

from __future__ import annotations

import json
import math
import random
from collections import Counter

import pytest
from sim_checks import problems
from sim_helpers import Run, simulate

from medshare.simulate import malformed as mal
from medshare.simulate.run import SimConfig
from medshare.topics import PLATFORM_CONSENTS, PLATFORM_EMR_NOTES, PLATFORM_ENROLMENTS, PLATFORM_SETTLEMENTS


def test_fraction_is_as_requested(small_run: Run) -> None:
    n = len(small_run.events)
    bad = sum(e.malformed is not None for e in small_run.events)
    p = small_run.cfg.malformed_rate
    assert abs(bad / n - p) < 4 * math.sqrt(p * (1 - p) / n), (bad, n)
    assert small_run.summary["malformed_total"] == bad
    assert Counter(e.malformed for e in small_run.events if e.malformed) == Counter(small_run.summary["malformed"])


@pytest.mark.parametrize("rate", [0.0, 0.2])
def test_other_rates(rate: float) -> None:
    run = simulate(SimConfig(persons=400, days=10, seed=2, malformed_rate=rate))
    n, bad = len(run.events), sum(e.malformed is not None for e in run.events)
    assert abs(bad / n - rate) < 4 * math.sqrt(rate * (1 - rate) / n) + 1e-9


def test_every_kind_appears_on_fitting_topics(small_run: Run) -> None:
    seen = {(e.topic, e.malformed) for e in small_run.events if e.malformed}
    assert {k for _, k in seen} == set(mal.KINDS)
    for topic, kind in seen:
        assert kind in mal.APPLICABLE[topic]


def test_each_flagged_event_is_broken_the_way_it_says(small_run: Run) -> None:
    for ev in small_run.events:
        found = problems(ev.topic, ev.value)
        if ev.malformed is None:
            assert found == set(), (ev.topic, ev.event_id, found)
        else:
            assert found == {ev.malformed}, (ev.topic, ev.event_id, ev.malformed, ev.detail, found)
            assert ev.event_id and ev.key


def test_broken_json_is_not_json_but_keeps_its_id(small_run: Run) -> None:
    broken = [e for e in small_run.events if e.malformed == "broken_json"]
    assert broken
    for ev in broken:
        assert ev.record is None
        with pytest.raises(ValueError):
            json.loads(ev.value)
        ev.value.decode("utf-8")  # still text: a writer crashed mid-record
        assert ev.event_id


@pytest.mark.parametrize("topic", [PLATFORM_SETTLEMENTS, PLATFORM_EMR_NOTES, PLATFORM_CONSENTS, PLATFORM_ENROLMENTS])
def test_each_corrupter_on_each_topic(small_run: Run, topic: str) -> None:
    rng = random.Random(0)
    records = [e.record for e in small_run.of(topic, valid=True)][:40]
    for kind in mal.APPLICABLE[topic]:
        for record in records:
            before = json.dumps(record, sort_keys=True, ensure_ascii=False)
            got_kind, (value, broken, _detail) = mal.corrupt(rng, topic, record, kind)
            assert got_kind == kind
            assert problems(topic, value) == {kind}
            assert json.dumps(record, sort_keys=True, ensure_ascii=False) == before, "the original is untouched"
            assert (broken is None) == (kind == mal.BROKEN_JSON)


def test_kinds_that_do_not_fit_are_refused(small_run: Run) -> None:
    note = small_run.of(PLATFORM_EMR_NOTES, valid=True)[0].record
    with pytest.raises(ValueError):
        mal.corrupt(random.Random(0), PLATFORM_EMR_NOTES, note, mal.AMOUNTS_MISMATCH)


def test_platform_contracts_agree(small_run: Run) -> None:
    """The contract validator (contracts/) passes every valid event and catches every malformed one."""
    from contracts import registry

    validators = {t: registry.validator(t)
                  for t in (PLATFORM_SETTLEMENTS, PLATFORM_EMR_NOTES, PLATFORM_CONSENTS, PLATFORM_ENROLMENTS)}
    for ev in small_run.events:
        _record, violations = validators[ev.topic].validate_bytes(ev.value)
        if ev.malformed is None:
            assert not violations, (ev.topic, ev.event_id, [v.to_dict() for v in violations])
        else:
            assert violations, (ev.topic, ev.event_id, ev.malformed, ev.detail)
