"""The simulated platform's event stream and the run that sends it to the sinks.

Time runs day by day from ``start_date``. Each day is first *planned* as a list of light jobs
(who visits, who authorises, which stays end, which 2208 revocations are due), sorted by time of day, and
then each job is *materialised* into records only when the consumer of :meth:`Simulation.events`
asks for the next event. Memory therefore depends on one day's plan, never on the number of
settlements; persons are rebuilt from ``(seed, index)`` when needed (with an LRU cache).

Randomness comes from independent streams keyed by what they decide (``day/7``, ``visit/7/123``,
``stay/ST…``, ``person/42``, ``malformed/7``), so the same seed gives byte-identical events and
one part of the world can change without reshuffling the rest.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from medshare.config import private_dir, private_file
from medshare.envelope import encode_value
from medshare.ingest import event_id
from medshare.simulate import catalogue as cat
from medshare.simulate import consents as cons
from medshare.simulate import enrolments as enr
from medshare.simulate import malformed as mal_mod
from medshare.simulate import notes, settlements
from medshare.simulate.ids import DayCounters, at, iso, sub_rng
from medshare.simulate.persons import MAX_WEIGHT, Person, make_person, profile
from medshare.simulate.settlements import VISIT_EMERGENCY, VISIT_INPATIENT, VISIT_PHARMACY, VISIT_SPECIAL
from medshare.topics import (
    PLATFORM_CONSENTS,
    PLATFORM_EMR_NOTES,
    PLATFORM_ENROLMENTS,
    PLATFORM_SETTLEMENTS,
    check_insurer_code,
)

#: outpatient visits of a weight-1 person per day (mean weight ≈ 1.7, so ≈ 12 visits a year)
VISIT_RATE = 0.02
#: chance an outpatient settlement has an e-medical-record note (stays always have two)
OUTPATIENT_NOTE_RATE = 0.7
#: chance a settlement is revoked (2208 结算撤销) one to seven days later
REFUND_RATE = 0.005
#: weekday visit factors, Monday first
_WEEKDAY = (1.1, 1.05, 1.0, 1.0, 1.0, 0.55, 0.45)
#: card numbers have 8 digits, so at most this many distinct persons
MAX_PERSONS = 10**8


@dataclass(frozen=True)
class SimConfig:
    """What to simulate. Checked when built: bad values raise ``ValueError`` naming the option."""

    persons: int = 1000
    days: int = 30
    seed: int = 42
    start_date: date = date(2026, 1, 1)
    insurers: tuple[str, ...] = ("hhb", "shenlife")
    malformed_rate: float = 0.01
    visit_rate: float = VISIT_RATE
    #: publish 投保/退保 events for the insurers that have a product (``platform.enrolments.v1``)
    enrolments: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "insurers", tuple(self.insurers))
        if not 1 <= self.persons <= MAX_PERSONS:
            raise ValueError(f"persons must be between 1 and {MAX_PERSONS:,}, got {self.persons}")
        if self.days < 1:
            raise ValueError(f"days must be at least 1, got {self.days}")
        if not 0.0 <= self.malformed_rate <= 1.0:
            raise ValueError(f"malformed rate must be between 0 and 1, got {self.malformed_rate}")
        if not 0.0 < self.visit_rate <= 1.0:
            raise ValueError(f"visit rate must be in (0, 1], got {self.visit_rate}")
        if not self.insurers:
            raise ValueError("at least one insurer code is needed")
        if len(set(self.insurers)) != len(self.insurers):
            raise ValueError(f"insurer codes repeat: {', '.join(self.insurers)}")
        if len(self.insurers) > cons.MAX_INSURERS:
            raise ValueError(f"at most {cons.MAX_INSURERS} insurers, got {len(self.insurers)}")
        for code in self.insurers:
            check_insurer_code(code)
        if self.start_date.year < 1990:
            raise ValueError(f"start date {self.start_date} is too early")

    @property
    def end_date(self) -> date:
        """The last simulated day."""
        return self.start_date + timedelta(days=self.days - 1)


@dataclass(slots=True)
class SimEvent:
    """One message of the platform, ready for any sink."""

    topic: str
    #: Kafka key: the person's ``person_no`` (``psn_no`` on settlements)
    key: str
    #: ``ms-event-id``: the record's natural id (set even when the value is broken); settlements and
    #: revocations: UUID5 of ``settlement:<setl_id>`` / ``revoke:<setl_id>``, as ``platform ingest``
    event_id: str
    value: bytes
    #: the record as published; ``None`` when ``value`` is not JSON (``broken_json``)
    record: dict[str, Any] | None
    #: publication day (the batch partition)
    day: date
    malformed: str | None = None
    detail: str | None = None
    #: ``ms-trace``: the event this one derives from (a note's settlement, a revocation's settlement)
    trace: str | None = None


@dataclass
class Stay:
    person: int
    diagnosis: str
    institution: str
    admitted: datetime
    discharge_day: int
    discharge_second: int
    settlement_id: str
    record_no: str
    mdtrt_id: str = ""


@dataclass
class Stats:
    topics: Counter = field(default_factory=Counter)
    malformed: Counter = field(default_factory=Counter)
    malformed_by_topic: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    event_types: Counter = field(default_factory=Counter)
    visit_types: Counter = field(default_factory=Counter)
    note_types: Counter = field(default_factory=Counter)
    consent_actions: Counter = field(default_factory=Counter)
    enrolment_actions: Counter = field(default_factory=Counter)
    #: valid (not malformed) events per insurer: enrolments, cancels, enrolments declaring a condition
    enrolled: Counter = field(default_factory=Counter)
    cancelled: Counter = field(default_factory=Counter)
    declared: Counter = field(default_factory=Counter)
    granted: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    revoked: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    out_of_order: list[str] = field(default_factory=list)
    out_of_order_count: int = 0
    still_in_hospital: int = 0
    special_drug_settlements: int = 0
    total_amount_fen: int = 0
    first_event_time: str | None = None
    last_event_time: str | None = None


def poisson(rng: random.Random, mu: float) -> int:
    """A Poisson draw (Knuth for small means, the normal approximation above 30)."""
    if mu <= 0:
        return 0
    if mu >= 30:
        return max(0, round(rng.gauss(mu, math.sqrt(mu))))
    limit, k, p = math.exp(-mu), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


Job = tuple[int, int, str, Any]


class Simulation:
    """The platform for one :class:`SimConfig`; iterate :meth:`events`, then read :meth:`summary`."""

    def __init__(self, cfg: SimConfig, person_cache: int = 200_000) -> None:
        self.cfg = cfg
        self.stats = Stats()
        self._person = lru_cache(maxsize=person_cache)(self._make_person)
        self._counters = DayCounters(cfg.seed)
        self._pending: dict[int, list[Job]] = defaultdict(list)
        self._inpatient: dict[int, int] = {}
        self._seq = 0
        self._mal_rng = random.Random(0)
        #: enrolment events draw their malformations from their own stream, and their jobs take
        #: negative sequence numbers: the other topics' events stay byte-identical with or without them
        self._enrol_mal_rng = random.Random(0)
        self._enrol_seq = 0
        self._products = enr.products_of(cfg.insurers) if cfg.enrolments else {}
        self._started = False

    # --- public ----------------------------------------------------------------------------
    def events(self, on_day: Callable[[int, date], None] | None = None) -> Iterator[SimEvent]:
        """All events, lazily, day by day; ``on_day(index, day)`` is called after each day.

        A :class:`Simulation` runs once: build a new one to replay the same events.
        """
        if self._started:
            raise RuntimeError("a Simulation yields its events once; build a new one to replay them")
        self._started = True
        cfg = self.cfg
        sessions = cons.grant_days(cfg.seed, cfg.persons, cfg.days, len(cfg.insurers))
        enrolments = enr.enrol_days(cfg.seed, cfg.persons, cfg.days, sorted(self._products)) \
            if self._products else {}
        for d in range(cfg.days):
            day = cfg.start_date + timedelta(days=d)
            self._mal_rng = sub_rng(cfg.seed, "malformed", d)
            self._enrol_mal_rng = sub_rng(cfg.seed, "malformed-enrolment", d)
            jobs = self._plan(d, day, sessions.pop(d, None), enrolments.pop(d, None))
            for second, seq, kind, payload in jobs:
                yield from self._materialise(d, day, second, seq, kind, payload)
            self._counters.forget_before(day)
            if on_day is not None:
                on_day(d, day)

    def summary(self) -> dict[str, Any]:
        s, cfg = self.stats, self.cfg
        return {
            "seed": cfg.seed,
            "persons": cfg.persons,
            "days": cfg.days,
            "start_date": cfg.start_date.isoformat(),
            "end_date": cfg.end_date.isoformat(),
            "insurers": list(cfg.insurers),
            "malformed_rate": cfg.malformed_rate,
            "events": sum(s.topics.values()),
            "topics": {t: s.topics.get(t, 0) for t in (PLATFORM_SETTLEMENTS, PLATFORM_EMR_NOTES, PLATFORM_CONSENTS,
                                                        PLATFORM_ENROLMENTS)},
            "malformed": dict(sorted(s.malformed.items())),
            "malformed_total": sum(s.malformed.values()),
            "malformed_by_topic": {t: dict(sorted(c.items())) for t, c in sorted(s.malformed_by_topic.items())},
            "settlements": {
                "event_types": dict(sorted(s.event_types.items())),
                "visit_types": dict(sorted(s.visit_types.items())),
                "with_special_drug": s.special_drug_settlements,
                "total_amount": settlements.yuan(s.total_amount_fen),
                "stays_open_at_end": s.still_in_hospital,
            },
            "notes": dict(sorted(s.note_types.items())),
            "consents": {
                "actions": dict(sorted(s.consent_actions.items())),
                # persons with a valid (not malformed) grant, per insurer and purpose
                "consenting_persons": {i: dict(sorted(s.granted[i].items())) for i in cfg.insurers},
                "revoked": {i: dict(sorted(s.revoked[i].items())) for i in cfg.insurers},
                "out_of_order": s.out_of_order_count,
                # grants published after their own revoke (first 1000)
                "out_of_order_consent_ids": s.out_of_order[:1000],
            },
            "enrolments": {
                "actions": dict(sorted(s.enrolment_actions.items())),
                "products": {code: product for code, product in self._products.values()},
                # valid (not malformed) events per insurer
                "enrolled": {i: s.enrolled.get(i, 0) for i in cfg.insurers},
                "cancelled": {i: s.cancelled.get(i, 0) for i in cfg.insurers},
                "declaring_pre_existing": {i: s.declared.get(i, 0) for i in cfg.insurers},
            },
            "first_event_time": s.first_event_time,
            "last_event_time": s.last_event_time,
        }

    # --- planning --------------------------------------------------------------------------
    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _next_enrol_seq(self) -> int:
        self._enrol_seq -= 1
        return self._enrol_seq

    def _plan(self, d: int, day: date, sessions: Any, enrolments: Any = None) -> list[Job]:
        cfg = self.cfg
        rng = sub_rng(cfg.seed, "day", d)
        jobs: list[Job] = self._pending.pop(d, [])
        if sessions is not None:
            for i, second in zip(*sessions, strict=True):
                jobs.append((second, self._next_seq(), "consent_session", i))
        if enrolments is not None:
            for i, second, slot in zip(*enrolments, strict=True):
                jobs.append((second, self._next_enrol_seq(), "enrolment", (i, slot)))
        mu = cfg.persons * cfg.visit_rate * MAX_WEIGHT * _WEEKDAY[day.weekday()]
        for _ in range(poisson(rng, mu)):
            i = rng.randrange(cfg.persons)
            prof = profile(cfg.seed, i)
            # thinning: a candidate becomes a visit with probability weight / MAX_WEIGHT
            if rng.random() * MAX_WEIGHT >= prof.weight or self._inpatient.get(i, -1) >= d:
                continue
            visit_type = self._visit_type(rng, prof.condition, prof.age)
            jobs.append((self._time_of_day(rng, visit_type), self._next_seq(), "visit", (i, visit_type)))
        jobs.sort(key=lambda j: (j[0], j[1]))
        return jobs

    @staticmethod
    def _visit_type(rng: random.Random, condition: str | None, age: int) -> str:
        """med_type: 11 outpatient, 13 emergency, 14 门诊慢特病, 21 inpatient, 41 pharmacy purchase."""
        dx = cat.DIAGNOSES_BY_CODE.get(condition) if condition else None
        roll = rng.random()
        if dx is not None and dx.kind == "cancer":
            return "14" if roll < 0.45 else "21" if roll < 0.51 else "41" if roll < 0.55 else \
                "13" if roll < 0.57 else "11"
        if dx is not None:
            if dx.special_outpatient and roll < 0.4:
                return "14"
            return "21" if roll > 0.97 else "41" if roll > 0.80 else "13" if roll > 0.77 else "11"
        stay = 0.03 if age >= 65 else 0.012
        return "21" if roll < stay else "13" if roll < stay + 0.04 else "41" if roll < stay + 0.12 else "11"

    @staticmethod
    def _time_of_day(rng: random.Random, visit_type: str) -> int:
        if visit_type == "21":  # admission: office hours mostly, emergencies any time
            return rng.randrange(8 * 3600, 17 * 3600) if rng.random() < 0.6 else rng.randrange(24 * 3600)
        if visit_type == "14":
            return rng.randrange(8 * 3600, 16 * 3600)
        if visit_type == "13":
            return rng.randrange(24 * 3600)
        if visit_type == "41":
            return rng.randrange(8 * 3600, 21 * 3600)
        roll = rng.random()
        if roll < 0.6:
            return rng.randrange(7 * 3600 + 1800, 12 * 3600)
        if roll < 0.9:
            return rng.randrange(13 * 3600, 17 * 3600)
        return rng.randrange(17 * 3600, 21 * 3600)

    # --- materialising -------------------------------------------------------------------
    def _make_person(self, index: int) -> Person:
        return make_person(self.cfg.seed, index, self.cfg.start_date)

    def _materialise(self, d: int, day: date, second: int, seq: int, kind: str, payload: Any) -> Iterable[SimEvent]:
        if kind == "visit":
            i, visit_type = payload
            if visit_type == "21":
                return self._admission(d, day, second, seq, i)
            return self._outpatient(d, day, second, seq, i, visit_type)
        if kind == "discharge":
            return self._discharge(d, day, payload)
        if kind == "refund":
            return self._refund(day, second, payload)
        if kind == "consent_session":
            return self._consent_session(d, day, second, payload)
        if kind == "consent_step":
            i, step = payload
            return [self._consent_event(day, i, step)]
        if kind == "enrolment":
            return self._enrolment(d, day, second, *payload)
        if kind == "enrolment_step":
            i, step = payload
            return [self._enrolment_event(day, i, step)]
        raise AssertionError(f"unknown job kind {kind}")

    def _diagnosis(self, rng: random.Random, person: Person, visit_type: str) -> cat.Diagnosis:
        own = cat.DIAGNOSES_BY_CODE.get(person.condition) if person.condition else None
        if visit_type == "14" and own is not None:
            return own
        if own is not None and own.kind == "cancer" and (visit_type == "21" or rng.random() < 0.7):
            return own
        if own is not None and visit_type == "11" and rng.random() < 0.6:
            return own
        kind = "inpatient" if visit_type == "21" else "acute"
        fits = [x for x in cat.diagnoses_of(kind) if person.age >= x.min_age and x.sex in (None, person.gender)]
        return rng.choice(fits)

    def _institution(self, rng: random.Random, person: Person, dx: cat.Diagnosis | None,
                     visit_type: str) -> cat.Institution:
        if visit_type == VISIT_PHARMACY or dx is None:
            near = [p for p in cat.PHARMACIES if p.district_code == person.district_code]
            return rng.choice(near) if near and rng.random() < 0.7 else rng.choice(cat.PHARMACIES)
        if visit_type == VISIT_EMERGENCY:
            return rng.choice([i for i in cat.INSTITUTIONS if i.level >= 2 and i.kind == "general"])
        specialist = {"onc": "cancer", "heme": "cancer", "psych": "psych", "obst": "women_children",
                      "gyn": "women_children"}.get(dx.tag)
        if specialist and rng.random() < 0.5:
            return rng.choice([i for i in cat.INSTITUTIONS if i.kind == specialist])
        if dx.kind == "cancer":
            return rng.choice([i for i in cat.INSTITUTIONS if i.level == 3 and i.kind == "general"])
        if visit_type == "11" and rng.random() < 0.45:
            near = [i for i in cat.INSTITUTIONS if i.kind == "community" and i.district_code == person.district_code]
            if near:
                return near[0]
        hospitals = [i for i in cat.INSTITUTIONS if i.kind == "general"]
        if rng.random() < 0.5:
            local = [i for i in hospitals if i.district_code == person.district_code]
            if local:
                return rng.choice(local)
        return rng.choice(hospitals)

    def _emit(self, topic: str, key: str, event_id: str, record: dict[str, Any], day: date,
              trace: str | None = None, mal_rng: random.Random | None = None, when: str | None = None) -> SimEvent:
        """Publish ``record`` as is, or, at the malformed rate, broken in a way that fits ``topic``.

        ``when``: the event's time for the summary (ISO with offset) if the record has no ``event_time``.
        """
        s = self.stats
        mal = mal_rng or self._mal_rng
        s.topics[topic] += 1
        when = when or record["event_time"]
        if s.first_event_time is None or when < s.first_event_time:
            s.first_event_time = when
        if s.last_event_time is None or when > s.last_event_time:
            s.last_event_time = when
        if self.cfg.malformed_rate and mal.random() < self.cfg.malformed_rate:
            kind, (value, broken, detail) = mal_mod.corrupt(mal, topic, record)
            s.malformed[kind] += 1
            s.malformed_by_topic[topic][kind] += 1
            return SimEvent(topic, key, event_id, value, broken, day, kind, detail, trace)
        return SimEvent(topic, key, event_id, encode_value(record), record, day, None, None, trace)

    def _note(self, rng: random.Random, note_type: str, when: datetime, settlement_id: str, person: Person,
              inst: cat.Institution, dx: cat.Diagnosis, day: date, **dates: Any) -> SimEvent:
        text, _spans = notes.compose_note(rng, note_type, person, inst, dx, **dates)
        note_id = self._counters.next_id("NT", day)
        record = {
            "note_id": note_id,
            "settlement_id": settlement_id,
            "person_no": person.person_no,
            "event_time": iso(when),
            "institution_code": inst.code,
            "note_type": note_type,
            "text": text,
        }
        ev = self._emit(PLATFORM_EMR_NOTES, person.person_no, note_id, record, day, trace=settlement_id)
        if ev.malformed is None:
            self.stats.note_types[note_type] += 1
        return ev

    def _settlement(self, rng: random.Random, d: int, day: date, record: dict[str, Any],
                    lines: list[settlements.Line], settled: datetime) -> SimEvent:
        s = self.stats
        s.event_types["settlement"] += 1
        s.visit_types[record["med_type"]] += 1
        s.total_amount_fen += sum(line.amount_fen for line in lines)
        if any(line.item.special_drug for line in lines):
            s.special_drug_settlements += 1
        if rng.random() < REFUND_RATE:
            refund_day = d + rng.randint(1, 7)
            if refund_day < self.cfg.days:
                self._pending[refund_day].append(
                    (rng.randrange(8 * 3600, 17 * 3600), self._next_seq(), "refund", record))
        return self._emit(PLATFORM_SETTLEMENTS, record["psn_no"], event_id("settlement", record), record, day,
                          when=iso(settled))

    def _visit(self, rng: random.Random, setl_id: str, mdtrt_id: str, settled: datetime, first_fee: datetime,
               person: Person, inst: cat.Institution, med_type: str, dx: cat.Diagnosis | None) -> settlements.Visit:
        tag = dx.tag if dx is not None else "general"
        dept = "药房" if inst.is_pharmacy else "急诊科" if med_type == VISIT_EMERGENCY else \
            cat.DEPARTMENTS.get(tag, "全科医学科")
        doctor = f"D{inst.code[1:]}{rng.randrange(1000):03d}"
        return settlements.Visit(setl_id, mdtrt_id, settled, person, inst, med_type, doctor, dept, first_fee)

    def _outpatient(self, d: int, day: date, second: int, seq: int, i: int, visit_type: str) -> Iterator[SimEvent]:
        rng = sub_rng(self.cfg.seed, "visit", d, seq)
        person = self._person(i)
        if visit_type == VISIT_PHARMACY:
            own = cat.DIAGNOSES_BY_CODE.get(person.condition) if person.condition else None
            dx = own if own is not None and own.kind == "chronic" and rng.random() < 0.8 else None
        else:
            dx = self._diagnosis(rng, person, visit_type)
        inst = self._institution(rng, person, dx, visit_type)
        if visit_type == VISIT_PHARMACY:
            lines = settlements.pharmacy_lines(rng, dx)
        elif visit_type == VISIT_SPECIAL:
            lines = settlements.special_outpatient_lines(rng, dx)
        elif visit_type == VISIT_EMERGENCY:
            lines = settlements.emergency_lines(rng, dx)
        else:
            lines = settlements.outpatient_lines(rng, dx, inst, long_prescription=dx.kind == "chronic")
        split = settlements.split_amounts(rng, person, visit_type, max(inst.level, 1), lines)
        settled = at(day, second)
        sid = self._counters.next_id("ST", day)
        visit = self._visit(rng, sid, self._counters.next_id("MD", day), settled,
                            settled - timedelta(minutes=rng.randint(5, 90 if visit_type != VISIT_PHARMACY else 10)),
                            person, inst, visit_type, dx)
        record = settlements.settlement_record(rng, visit, dx, lines, split)
        if dx is not None and not inst.is_pharmacy and rng.random() < OUTPATIENT_NOTE_RATE:
            written = settled - timedelta(minutes=rng.randint(5, 60))
            yield self._note(rng, "outpatient", written, sid, person, inst, dx, day, visit_date=day,
                             drug_names=[ln.item.name for ln in lines if ln.item.category == "drug"][:4])
        yield self._settlement(rng, d, day, record, lines, settled)

    def _admission(self, d: int, day: date, second: int, seq: int, i: int) -> Iterator[SimEvent]:
        cfg = self.cfg
        rng = sub_rng(cfg.seed, "visit", d, seq)
        person = self._person(i)
        dx = self._diagnosis(rng, person, "21")
        inst = self._institution(rng, person, dx, "21")
        los = rng.randint(*dx.los)
        discharge_day = d + los
        admitted = at(day, second)
        stay = Stay(i, dx.code, inst.code, admitted, discharge_day, rng.randrange(9 * 3600, 16 * 3600),
                    self._counters.next_id("ST", cfg.start_date + timedelta(days=discharge_day)),
                    notes.record_no(rng, "admission", day), self._counters.next_id("MD", day))
        self._inpatient[i] = discharge_day
        if discharge_day < cfg.days:
            self._pending[discharge_day].append((stay.discharge_second, self._next_seq(), "discharge", stay))
        else:
            self.stats.still_in_hospital += 1
        written = min(admitted + timedelta(minutes=rng.randint(30, 180)), at(day, 24 * 3600 - 1))
        yield self._note(rng, "admission", written, stay.settlement_id, person, inst, dx, day, visit_date=day,
                         admission_date=day, record_number=stay.record_no)

    def _discharge(self, d: int, day: date, stay: Stay) -> Iterator[SimEvent]:
        rng = sub_rng(self.cfg.seed, "stay", stay.settlement_id)
        person = self._person(stay.person)
        dx = cat.DIAGNOSES_BY_CODE[stay.diagnosis]
        inst = cat.INSTITUTIONS_BY_CODE[stay.institution]
        admission = stay.admitted.date()
        lines = settlements.inpatient_lines(rng, dx, (day - admission).days)
        split = settlements.split_amounts(rng, person, VISIT_INPATIENT, inst.level, lines)
        settled = at(day, stay.discharge_second)
        visit = self._visit(rng, stay.settlement_id, stay.mdtrt_id, settled, stay.admitted, person, inst,
                            VISIT_INPATIENT, dx)
        record = settlements.settlement_record(rng, visit, dx, lines, split)
        written = max(settled - timedelta(minutes=rng.randint(30, 240)), at(day, 0))
        yield self._note(rng, "discharge", written, stay.settlement_id, person, inst, dx, day, visit_date=day,
                         admission_date=admission, discharge_date=day, record_number=stay.record_no,
                         drug_names=[ln.item.name for ln in lines if ln.item.category == "drug"][-3:])
        self._inpatient.pop(stay.person, None)
        yield self._settlement(rng, d, day, record, lines, settled)

    def _refund(self, day: date, second: int, original: dict[str, Any]) -> Iterator[SimEvent]:
        """A 2208 结算撤销 of ``original`` (published on the same topic and key, so after it)."""
        record = settlements.revocation_record(original)
        self.stats.event_types["revocation"] += 1
        yield self._emit(PLATFORM_SETTLEMENTS, original["psn_no"], event_id("revoke", record), record, day,
                         trace=original["setl_id"], when=iso(at(day, second)))

    def _consent_session(self, d: int, day: date, second: int, i: int) -> Iterator[SimEvent]:
        cfg = self.cfg
        for step in cons.plan(cfg.seed, i, cfg.insurers, cfg.start_date, cfg.days, d, second):
            if step.publish_day == d:
                yield self._consent_event(day, i, step)
            else:
                self._pending[step.publish_day].append((step.publish_second, self._next_seq(), "consent_step",
                                                        (i, step)))

    def _notice_id(self, step: cons.ConsentStep) -> str | None:
        """The notice of the agreement in force when the person consented (None: no agreement)."""
        if not hasattr(self, "_notices"):
            try:
                from privacy.notice import NoticeBook

                self._notices = NoticeBook.load()
            except Exception:  # noqa: BLE001 - no agreements here: consents then name no notice
                self._notices = None
        if self._notices is None:
            return None
        n = self._notices.current(step.insurer_code, step.purpose, step.event_time)
        return n.notice_id if n is not None else None

    def _consent_event(self, day: date, i: int, step: cons.ConsentStep) -> SimEvent:
        person = self._person(i)
        # ids are numbered by publication day: a late grant's own day may be closed already
        event_id = self._counters.next_id("CE", day)
        record = cons.consent_record(step, event_id, person.person_no, person.resident_id,
                                     notice_id=self._notice_id(step))
        ev = self._emit(PLATFORM_CONSENTS, person.person_no, event_id, record, day)
        self.stats.consent_actions[step.action] += 1
        if step.out_of_order:
            self.stats.out_of_order_count += 1
            self.stats.out_of_order.append(step.consent_id)
        if ev.malformed is None:
            counter = self.stats.granted if step.action == "grant" else self.stats.revoked
            counter[step.insurer_code][step.purpose] += 1
        return ev


    def _enrolment(self, d: int, day: date, second: int, i: int, slot: int) -> Iterator[SimEvent]:
        cfg = self.cfg
        code, product = self._products[slot]
        condition = profile(cfg.seed, i).condition
        for step in enr.plan(cfg.seed, i, slot, code, product, cfg.start_date, cfg.days, d, second, condition):
            if step.publish_day == d:
                yield self._enrolment_event(day, i, step)
            else:
                self._pending[step.publish_day].append((step.publish_second, self._next_enrol_seq(),
                                                        "enrolment_step", (i, step)))

    def _enrolment_event(self, day: date, i: int, step: enr.EnrolmentStep) -> SimEvent:
        person = self._person(i)
        event_id = self._counters.next_id("EE", day)
        record = enr.enrolment_record(step, event_id, person.person_no)
        ev = self._emit(PLATFORM_ENROLMENTS, person.person_no, event_id, record, day, mal_rng=self._enrol_mal_rng)
        self.stats.enrolment_actions[step.action] += 1
        if ev.malformed is None:
            if step.action == "enrol":
                self.stats.enrolled[step.insurer_code] += 1
                self.stats.declared[step.insurer_code] += bool(step.pre_existing)
            else:
                self.stats.cancelled[step.insurer_code] += 1
        return ev


def iter_events(cfg: SimConfig) -> Iterator[SimEvent]:
    """The platform's events for ``cfg``, lazily (see :class:`Simulation` for the summary too)."""
    return Simulation(cfg).events()


def default_run_dir(seed: int, settings_: Any = None) -> Path:
    """``<MEDSHARE_HOME>/sim/seed<S>``."""
    from medshare.config import settings

    return (settings_ or settings()).sim_dir / f"seed{seed}"


def run_simulation(config: SimConfig, cfg: Any = None, **options: Any) -> dict[str, Any]:
    """:func:`run` with the run folder and Kafka connection taken from medshare ``Settings`` ``cfg``."""
    options.setdefault("run_dir", default_run_dir(config.seed, cfg))
    return run(config, kafka_cfg=cfg, **options)


def run(
    cfg: SimConfig,
    run_dir: Path | None = None,
    *,
    kafka: bool = True,
    batch: bool = True,
    jsonl_dir: Path | None = None,
    progress: bool = False,
    kafka_cfg: Any = None,
) -> dict[str, Any]:
    """Simulate ``cfg`` into the chosen sinks; write ``summary.json`` and ``malformed.jsonl``.

    ``run_dir`` defaults to ``settings().sim_dir / f"seed{seed}"``; files a previous run of the
    same folder left (batch, sidecar, summary) are replaced. Returns the summary.
    """
    import json

    from medshare.simulate import sinks as sk

    home = default_run_dir(cfg.seed, kafka_cfg).parent
    run_dir = Path(run_dir) if run_dir is not None else home / f"seed{cfg.seed}"
    # Kafka first: if the broker is not there, fail before any file is touched
    outputs: list[sk.Sink] = [sk.KafkaSink(cfg=kafka_cfg)] if kafka else []
    if run_dir.parent == home:
        private_dir(home)  # the simulator's home (var/sim): owner only
    private_dir(run_dir)  # each run's files: owner only (a folder the user named is not widened)
    outputs.append(sk.MalformedSidecar(run_dir / "malformed.jsonl"))
    if batch:
        outputs.append(sk.BatchSink(run_dir / "batch"))
    if jsonl_dir is not None:
        outputs.append(sk.JsonlSink(Path(jsonl_dir)))
    sim = Simulation(cfg)
    started = time.perf_counter()
    bar = sk.DayProgress(cfg.days, enabled=progress)

    def day_done(d: int, day: date) -> None:
        for out in outputs:
            out.end_day(day)
        bar.advance(sum(sim.stats.topics.values()))

    ok = False
    try:
        with bar:
            for ev in sim.events(on_day=day_done):
                for out in outputs:
                    out.write(ev)
        ok = True
    finally:
        sink_info = {}
        for out in outputs:
            info = out.close(ok)
            if info:
                sink_info.update(info)
    elapsed = time.perf_counter() - started
    summary = sim.summary()
    summary["run_dir"] = str(run_dir)
    summary["sinks"] = sink_info
    summary["seconds"] = round(elapsed, 3)
    summary["settlements_per_second"] = round(summary["topics"][PLATFORM_SETTLEMENTS] / elapsed, 1) if elapsed else None
    private_file(run_dir / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return summary
