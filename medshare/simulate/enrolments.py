"""投保/退保 events: who holds which insurer product (a 沪惠保-style city-wide product, a commercial one).

Planned like the consents (:mod:`medshare.simulate.consents`), so a million persons cost almost
nothing up front:

1. :func:`enrol_days` walks the persons once with one random stream and picks, per insurer that has
   a product, whether the person holds it and when the platform publishes the enrolment: most on
   the first morning, before any clinic opens (policies bought before the run: the feed starts
   with them), the rest spread over the run (new purchases, covered from the moment of purchase).
2. On that day :func:`plan` rebuilds the enrolment from the person's own stream: policy number,
   channel, the declared pre-existing conditions (既往症: a person with a chronic condition or a
   cancer often declares it) and the cover period; some enrolments are cancelled (退保) on a later
   day.

Enrolment does not depend on consent: some enrolled persons never authorise claims and some who
authorise are not enrolled, so a consumer must ask both. Cover runs to the end of the calendar
year (the policy year of the products and of the claim accumulators); renewals are not simulated.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from medshare.simulate.ids import SH_TZ, at, iso, scramble, seed_offset, sub_rng

#: chance a person holds the product of the 1st, 2nd, ... insurer (that has one)
ENROL_RATES = (0.35, 0.20, 0.10, 0.05)
CANCEL_RATE = 0.06
#: share of persons with a chronic condition or a cancer who declare it at enrolment
DECLARE_RATE = 0.6
#: share of enrolments published on the first morning (policies that exist before the run)
FIRST_DAY_SHARE = 0.75
CHANNELS = ("随申办", "insurer_app", "counter")
_CHANNEL_WEIGHTS = (60, 30, 10)
#: at most this many insurers (enrolment ids reserve one slot per insurer)
MAX_INSURERS = 32


def enrol_rate(k: int) -> float:
    return ENROL_RATES[k] if k < len(ENROL_RATES) else ENROL_RATES[-1]


def products_of(insurers: tuple[str, ...]) -> dict[int, tuple[str, str]]:
    """``{slot: (insurer, product_id)}`` for the insurers that sell a product (contracts/products)."""
    from medshare.claims.products import load_products

    products = load_products()
    out = {}
    for slot, code in enumerate(insurers):
        ids = products.product_ids(code)
        if ids:
            out[slot] = (code, sorted(ids)[0])
    return out


def enrol_days(seed: int, persons: int, days: int, slots: list[int]) -> dict[int, tuple[array, array, array]]:
    """``{day: (person indices, seconds after midnight, insurer slots)}`` of every enrolment's publication."""
    rng = sub_rng(seed, "enrolment-days")
    buckets: dict[int, tuple[array, array, array]] = {}
    for i in range(persons):
        for k, slot in enumerate(slots):
            if rng.random() >= enrol_rate(k):
                continue
            if rng.random() < FIRST_DAY_SHARE or days == 1:
                day, second = 0, rng.randrange(300, 7 * 3600)
            else:
                day, second = rng.randrange(1, days), rng.randrange(8 * 3600, 22 * 3600)
            idx, secs, sl = buckets.setdefault(day, (array("I"), array("I"), array("B")))
            idx.append(i)
            secs.append(second)
            sl.append(slot)
    return buckets


@dataclass(frozen=True)
class EnrolmentStep:
    """One enrolment event before it has an event id: what, when, and when it is published."""

    action: str
    enrolment_id: str
    insurer_code: str
    product_id: str
    policy_no: str
    valid_from: datetime
    valid_to: datetime
    pre_existing: tuple[str, ...]
    channel: str
    event_time: datetime
    publish_day: int
    publish_second: int


def enrolment_id(index: int, slot: int, seed: int = 0) -> str:
    """Unique per person and insurer within a seed; no identifier can be read from it."""
    n = (index * MAX_INSURERS + slot + seed_offset(seed, "enrolment-id", 10**14)) % 10**14
    return f"EN{scramble(n, 10**14, 9_576_890_767, 7_654_321):014d}"


def policy_no(code: str, year: int, index: int, slot: int, seed: int = 0) -> str:
    n = (index * MAX_INSURERS + slot + seed_offset(seed, "policy-no", 10**12)) % 10**12
    return f"{code.upper()}{year}{scramble(n, 10**12, 7_368_787_331, 2_916_421):012d}"


def plan(seed: int, index: int, slot: int, code: str, product_id: str, start: date, days: int, day: int,
         second: int, condition: str | None) -> list[EnrolmentStep]:
    """The enrolment of person ``index`` with insurer ``slot`` published on ``day``, and its cancel if any."""
    rng = sub_rng(seed, "enrolment", index, slot)
    when = at(start + timedelta(days=day), second)
    existing = day == 0  # published on the first morning: bought before the run
    valid_from = datetime(when.year, 1, 1, tzinfo=SH_TZ) if existing else when
    valid_to = datetime(valid_from.year + 1, 1, 1, tzinfo=SH_TZ)
    declared = (condition[:3],) if condition and rng.random() < DECLARE_RATE else ()
    channel = rng.choices(CHANNELS, weights=_CHANNEL_WEIGHTS)[0]
    eid = enrolment_id(index, slot, seed)
    pno = policy_no(code, valid_from.year, index, slot, seed)
    steps = [EnrolmentStep("enrol", eid, code, product_id, pno, valid_from, valid_to, declared, channel, when,
                           day, second)]
    if day < days - 1 and rng.random() < CANCEL_RATE:
        cancel_day = rng.randint(day + 1, days - 1)
        cancel_second = rng.randrange(8 * 3600, 22 * 3600)
        cancelled = at(start + timedelta(days=cancel_day), cancel_second)
        steps.append(EnrolmentStep("cancel", eid, code, product_id, pno, valid_from, valid_to, (),
                                   rng.choices(CHANNELS, weights=_CHANNEL_WEIGHTS)[0], cancelled,
                                   cancel_day, cancel_second))
    return steps


def enrolment_record(step: EnrolmentStep, event_id: str, person_no: str) -> dict[str, Any]:
    """A ``platform.enrolments.v1`` record (fields exactly as docs/conventions.md; a cancel names only
    the enrolment it ends: its terms are null). No resident ID: the registry keeps person_no only."""
    enrol = step.action == "enrol"
    return {
        "event_id": event_id,
        "enrolment_id": step.enrolment_id,
        "action": step.action,
        "person_no": person_no,
        "insurer_code": step.insurer_code,
        "product_id": step.product_id if enrol else None,
        "policy_no": step.policy_no if enrol else None,
        "valid_from": iso(step.valid_from) if enrol else None,
        "valid_to": iso(step.valid_to) if enrol else None,
        "pre_existing": list(step.pre_existing),
        "channel": step.channel,
        "event_time": iso(step.event_time),
    }
