"""个人授权 (personal authorisation) events: who lets which insurer use their data, for what, until when.

A person's consents are planned in two steps so that a million persons cost almost nothing up
front:

1. :func:`grant_days` walks the persons once with one random stream and picks, for those who
   consent at all, the day and second of their first authorisation session (most on the first
   morning, before any clinic opens; the rest spread over the run).
2. On that day :func:`plan` rebuilds the person's grants from the person's own stream: for each
   insurer, ``claims`` and/or ``actuarial``, data categories, channel and validity; some are
   revoked on a later day, and a few of those grants reach the platform topic only after their
   revoke (*out of order*), which consumers must cope with.
"""

from __future__ import annotations

import random
from array import array
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from medshare.simulate.ids import at, iso, scramble, seed_offset, sub_rng

#: chance a person grants ``claims`` to the 1st, 2nd, ... insurer given on the command line
CLAIMS_RATES = (0.40, 0.25, 0.15, 0.10)
ACTUARIAL_RATE = 0.10
REVOKE_RATE = 0.08
#: share of revoked grants that are published after their revoke
OUT_OF_ORDER_RATE = 0.15
FIRST_DAY_SHARE = 0.6
CHANNELS = ("随申办", "insurer_app", "counter")
_CHANNEL_WEIGHTS = (55, 35, 10)
#: at most this many insurers (consent ids reserve 2 slots per insurer)
MAX_INSURERS = 32


def claims_rate(k: int) -> float:
    return CLAIMS_RATES[k] if k < len(CLAIMS_RATES) else CLAIMS_RATES[-1]


def any_consent_rate(n_insurers: int) -> float:
    none = 1.0
    for k in range(n_insurers):
        none *= (1 - claims_rate(k)) * (1 - ACTUARIAL_RATE)
    return 1 - none


def grant_days(seed: int, persons: int, days: int, n_insurers: int) -> dict[int, tuple[array, array]]:
    """``{day: (person indices, seconds after midnight)}`` of each consenting person's first session."""
    rng = sub_rng(seed, "consent-days")
    p_any = any_consent_rate(n_insurers)
    buckets: dict[int, tuple[array, array]] = {}
    for i in range(persons):
        if rng.random() >= p_any:
            continue
        if rng.random() < FIRST_DAY_SHARE or days == 1:
            day, second = 0, rng.randrange(300, 7 * 3600)
        else:
            day, second = rng.randrange(days), rng.randrange(7 * 3600, 23 * 3600)
        idx, secs = buckets.setdefault(day, (array("I"), array("I")))
        idx.append(i)
        secs.append(second)
    return buckets


@dataclass(frozen=True)
class ConsentStep:
    """One consent event before it has an event id: what, when it happened, when it is published."""

    action: str
    consent_id: str
    insurer_code: str
    purpose: str
    data_categories: tuple[str, ...]
    valid_from: datetime
    valid_to: datetime
    channel: str
    event_time: datetime
    publish_day: int
    publish_second: int
    out_of_order: bool = False


def consent_id(index: int, insurer_slot: int, seed: int = 0) -> str:
    """Unique per person, insurer and purpose within a seed; no identifier can be read from it."""
    n = (index * 2 * MAX_INSURERS + insurer_slot + seed_offset(seed, "consent-id", 10**14)) % 10**14
    return f"CS{scramble(n, 10**14, 9_576_890_767, 1_234_567):014d}"


def _channel(rng: random.Random) -> str:
    return rng.choices(CHANNELS, weights=_CHANNEL_WEIGHTS)[0]


def plan(seed: int, index: int, insurers: tuple[str, ...], start: date, days: int,
         day: int, second: int) -> list[ConsentStep]:
    """Every consent event of person ``index``, whose first session is on ``day`` at ``second``."""
    rng = sub_rng(seed, "consent", index)
    wanted: list[tuple[int, str, str]] = []
    while not wanted:  # the person is known to consent to something: draw until it does
        for k, code in enumerate(insurers):
            if rng.random() < claims_rate(k):
                wanted.append((2 * k, code, "claims"))
            if rng.random() < ACTUARIAL_RATE:
                wanted.append((2 * k + 1, code, "actuarial"))
    channel = _channel(rng)
    steps: list[ConsentStep] = []
    t = second
    for slot, code, purpose in wanted:
        t = min(t + rng.randint(5, 90), 24 * 3600 - 1)
        granted = at(start + timedelta(days=day), t)
        months = rng.choices((3, 12, 24), weights=(10, 80, 10))[0]
        categories = ("settlement", "emr") if purpose == "claims" and rng.random() < 0.7 else ("settlement",)
        cid = consent_id(index, slot, seed)
        valid_to = granted + timedelta(days=months * 365 // 12)
        grant = ConsentStep("grant", cid, code, purpose, categories, granted, valid_to, channel, granted, day, t)
        if day < days - 1 and rng.random() < REVOKE_RATE:
            revoke_day = rng.randint(day + 1, days - 1)
            revoke_second = rng.randrange(7 * 3600, 23 * 3600)
            revoked = at(start + timedelta(days=revoke_day), revoke_second)
            steps.append(ConsentStep("revoke", cid, code, purpose, categories, granted, revoked, _channel(rng),
                                     revoked, revoke_day, revoke_second))
            if rng.random() < OUT_OF_ORDER_RATE:
                grant = ConsentStep("grant", cid, code, purpose, categories, granted, valid_to, channel, granted,
                                    revoke_day, revoke_second + 1, out_of_order=True)
        steps.append(grant)
    return steps


def consent_record(step: ConsentStep, event_id: str, person_no: str, resident_id: str,
                   notice_id: str | None = None) -> dict[str, Any]:
    """A ``platform.consents.v1`` record (fields exactly as docs/conventions.md).

    ``notice_id``: the notice (告知书) of the agreement in force the person consented on; left out
    when there is none (consent-sync then refuses the grant).
    """
    record = {
        "event_id": event_id,
        "consent_id": step.consent_id,
        "action": step.action,
        "person_no": person_no,
        "resident_id": resident_id,
        "insurer_code": step.insurer_code,
        "purpose": step.purpose,
        "data_categories": list(step.data_categories),
        "valid_from": iso(step.valid_from),
        "valid_to": iso(step.valid_to),
        "channel": step.channel,
        "event_time": iso(step.event_time),
    }
    if notice_id is not None:
        record["notice_id"] = notice_id
    return record
