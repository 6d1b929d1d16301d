"""投保/退保 events: a share of persons enrol (most before the run), some cancel later, some declare
their condition as pre-existing; enrolment is independent of consent; the other topics' events are
byte-identical with or without enrolments."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

from sim_helpers import Run, simulate

from medshare.simulate import enrolments as enr
from medshare.simulate.persons import profile
from medshare.simulate.run import SimConfig, iter_events
from medshare.topics import PLATFORM_CONSENTS, PLATFORM_ENROLMENTS, PLATFORM_SETTLEMENTS


def _valid(run: Run, topic: str = PLATFORM_ENROLMENTS) -> list[dict]:
    return [e.record for e in run.of(topic, valid=True)]


def test_a_share_of_persons_enrols_per_insurer(small_run: Run) -> None:
    enrols = [r for r in _valid(small_run) if r["action"] == "enrol"]
    persons = small_run.cfg.persons
    by_insurer = Counter(r["insurer_code"] for r in enrols)
    # the first insurer's product is held by ~35 %, the second's by ~20 % (minus the malformed ones)
    assert 0.28 < by_insurer["hhb"] / persons < 0.40, by_insurer
    assert 0.14 < by_insurer["shenlife"] / persons < 0.25, by_insurer
    assert {r["product_id"] for r in enrols} == {"hhb-huibao", "shenlife-plus"}
    assert all(r["product_id"] == {"hhb": "hhb-huibao", "shenlife": "shenlife-plus"}[r["insurer_code"]]
               for r in enrols)
    summary = small_run.summary["enrolments"]
    assert summary["enrolled"] == dict(by_insurer)
    assert summary["products"] == {"hhb": "hhb-huibao", "shenlife": "shenlife-plus"}
    # ids: one enrolment per person and insurer, event ids unique
    assert len({(r["person_no"], r["insurer_code"]) for r in enrols}) == len(enrols)
    assert len({r["enrolment_id"] for r in enrols}) == len(enrols)
    events = [e for e in small_run.events if e.topic == PLATFORM_ENROLMENTS]
    assert len({e.event_id for e in events}) == len(events)


def test_most_enrolments_exist_before_the_run_the_rest_are_bought_during_it(small_run: Run) -> None:
    start = small_run.cfg.start_date
    enrols = [r for r in _valid(small_run) if r["action"] == "enrol"]
    first_morning = [r for r in enrols if r["event_time"].startswith(start.isoformat())]
    assert 0.65 < len(first_morning) / len(enrols) < 0.85
    for r in enrols:
        when = datetime.fromisoformat(r["event_time"])
        cover_from, cover_to = datetime.fromisoformat(r["valid_from"]), datetime.fromisoformat(r["valid_to"])
        assert cover_to == cover_from.replace(year=cover_from.year + 1, month=1, day=1, hour=0, minute=0, second=0)
        if r in first_morning:
            assert cover_from.isoformat() == f"{start.year}-01-01T00:00:00+08:00" and when.hour < 7
        else:
            assert cover_from == when  # covered from the purchase on
        assert r["policy_no"].startswith(r["insurer_code"].upper() + str(cover_from.year))


def test_cancels_come_after_their_enrolment_and_name_it(small_run: Run) -> None:
    events = [e for e in small_run.events if e.topic == PLATFORM_ENROLMENTS and e.malformed is None]
    enrolled_at: dict[str, int] = {}
    cancels = 0
    for n, e in enumerate(events):
        r = e.record
        if r["action"] == "enrol":
            enrolled_at[r["enrolment_id"]] = n
            continue
        cancels += 1
        assert r["product_id"] is None and r["policy_no"] is None and r["valid_from"] is None
        if r["enrolment_id"] in enrolled_at:  # its enrol may itself have been published malformed
            assert enrolled_at[r["enrolment_id"]] < n
    assert cancels == small_run.summary["enrolments"]["cancelled"]["hhb"] + \
        small_run.summary["enrolments"]["cancelled"]["shenlife"]
    assert 0.02 < cancels / len(enrolled_at) < 0.12


def test_pre_existing_declarations_are_the_persons_condition(small_run: Run) -> None:
    by_person = {e.record["psn_no"]: e for e in small_run.events
                 if e.topic == PLATFORM_SETTLEMENTS and e.malformed is None and "revoke" not in e.record}
    declared = [r for r in _valid(small_run) if r["pre_existing"]]
    assert declared
    assert sum(small_run.summary["enrolments"]["declaring_pre_existing"].values()) == len(declared)
    for r in declared:
        assert len(r["pre_existing"]) == 1 and len(r["pre_existing"][0]) == 3
    # a person who declares a condition and visits the doctor often has it diagnosed
    matches = sum(1 for r in declared if r["person_no"] in by_person
                  and any(d["diag_code"].startswith(r["pre_existing"][0])
                          for d in by_person[r["person_no"]].record["diseinfo"]))
    assert matches > 0


def test_declarations_follow_the_profile() -> None:
    cfg = SimConfig(persons=400, days=3, seed=5, malformed_rate=0.0)
    with_condition = 0
    for i in range(cfg.persons):
        cond = profile(cfg.seed, i).condition
        steps = enr.plan(cfg.seed, i, 0, "hhb", "hhb-huibao", cfg.start_date, cfg.days, 0, 600, cond)
        if cond is None:
            assert steps[0].pre_existing == ()
        else:
            with_condition += 1
            assert steps[0].pre_existing in ((), (cond[:3],))
    assert with_condition > 20


def test_enrolment_is_independent_of_consent(small_run: Run) -> None:
    enrolled = {(r["person_no"], r["insurer_code"]) for r in _valid(small_run) if r["action"] == "enrol"}
    consenting = {(r["person_no"], r["insurer_code"]) for r in _valid(small_run, PLATFORM_CONSENTS)
                  if r["action"] == "grant" and r["purpose"] == "claims"}
    assert enrolled & consenting and enrolled - consenting and consenting - enrolled


def test_other_topics_are_byte_identical_without_enrolments() -> None:
    on = SimConfig(persons=500, days=8, seed=9, malformed_rate=0.05)
    off = SimConfig(persons=500, days=8, seed=9, malformed_rate=0.05, enrolments=False)
    with_enrol = [e for e in iter_events(on)]
    without = list(iter_events(off))
    assert not any(e.topic == PLATFORM_ENROLMENTS for e in without)
    assert any(e.topic == PLATFORM_ENROLMENTS for e in with_enrol)
    strip = [(e.topic, e.event_id, e.value, e.malformed) for e in with_enrol if e.topic != PLATFORM_ENROLMENTS]
    assert strip == [(e.topic, e.event_id, e.value, e.malformed) for e in without]


def test_insurers_without_a_product_get_no_enrolments() -> None:
    run = simulate(SimConfig(persons=300, days=3, seed=2, insurers=("abc", "hhb"), malformed_rate=0.0))
    codes = {r["insurer_code"] for r in _valid(run)}
    assert codes == {"hhb"}
    assert run.summary["enrolments"]["products"] == {"hhb": "hhb-huibao"}
    # the person records carry no resident ID: the registry keeps person_no only
    assert all("resident_id" not in json.loads(e.value) for e in run.of(PLATFORM_ENROLMENTS))
