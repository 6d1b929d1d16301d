"""Identifiers and times of simulated events: deterministic, derived from the seed, never the clock."""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, timedelta, timezone

#: Shanghai time; every simulated time carries this offset
SH_TZ = timezone(timedelta(hours=8))


def sub_rng(seed: int, *parts: object) -> random.Random:
    """An independent random stream for ``(seed, *parts)``.

    String seeds go through SHA-512 inside :mod:`random`, so the stream does not depend on
    ``PYTHONHASHSEED`` and any person or day can be regenerated on its own (random access).
    """
    return random.Random("/".join([str(seed), *map(str, parts)]))


def scramble(n: int, modulus: int, mult: int = 7_368_787, add: int = 2_916_421) -> int:
    """A bijection of ``0..modulus-1`` (for powers of ten): unique numbers that do not look sequential."""
    return (n * mult + add) % modulus


def seed_offset(seed: int, what: str, modulus: int) -> int:
    """A per-seed shift for numbered ids, so runs with different seeds do not reuse the same ids."""
    digest = hashlib.sha256(f"{seed}/{what}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % modulus


def at(day: date, seconds: int) -> datetime:
    """``day`` plus ``seconds`` after midnight, Shanghai time (``seconds`` may exceed one day)."""
    return datetime(day.year, day.month, day.day, tzinfo=SH_TZ) + timedelta(seconds=seconds)


def iso(ts: datetime) -> str:
    """``2026-03-05T10:21:07+08:00``."""
    return ts.replace(microsecond=0).isoformat()


class DayCounters:
    """Per-day sequence numbers for ids like ``ST20260105`` + 8 digits (unique per day and prefix)."""

    def __init__(self, seed: int = 0) -> None:
        self._next: dict[tuple[str, date], int] = {}
        self._offset = seed_offset(seed, "day-counters", 10**8)

    def next_id(self, prefix: str, day: date) -> str:
        key = (prefix, day)
        n = self._next.get(key, 0)
        self._next[key] = n + 1
        ymd = day.year * 10_000 + day.month * 100 + day.day
        return f"{prefix}{ymd}{scramble((n + self._offset) % 10**8, 10**8):08d}"

    def forget_before(self, day: date) -> None:
        """Drop counters of days that can no longer receive ids (keeps memory flat on long runs)."""
        for key in [k for k in self._next if k[1] < day]:
            del self._next[key]
