"""Generalisation of quasi-identifiers: the rules an agreement names as ``generalise:<rule>``.

Every rule is ``rule(value, *, at=None)``: ``value`` is the field's value, ``at`` the reference
time of the record (its ``event_time``; only ``age_band`` uses it). ``None`` stays ``None``
(a missing value is not invented; ``gender`` alone maps it to its own unknown, ``"U"``); a value a rule cannot read raises
:class:`~privacy.exceptions.GeneralisationError` instead of passing through unchanged.

=============  =====================================================  ===========================
rule           input                                                  output
=============  =====================================================  ===========================
age_band       birth date (``YYYY-MM-DD``/date) or resident ID        ``"0-4"``, ``"5-9"``, ...,
                                                                      ``"80-84"``, ``"85+"``
birth_year     birth date or resident ID                              ``1984`` (int)
district       resident ID (or its 6-digit region code)               ``"浦东新区"``; ``"其他"``
                                                                      outside Shanghai
month          date, datetime or ISO string                           ``"2026-03"``
week           date, datetime or ISO string                           ISO week ``"2026-W10"``
hour           datetime or ISO string with offset                     ``"2026-03-05T10:00:00+08:00"``
amount_band    number (元)                                             see below
gender         ``M``/``F``                                            the same; anything else ``"U"``
=============  =====================================================  ===========================

Ages are completed years (周岁) on the reference date: the birthday itself counts, and a person
born on 29 February turns a year older on 1 March in common years. Without ``at`` the reference
is today in Shanghai (UTC+8). Datetimes are generalised in their own offset (a Shanghai time
stays a Shanghai date), never converted.

Amount bands, lower bound included, upper excluded::

    [0, 100) "0-100"   [100, 500) "100-500"   [500, 1000) "500-1000"   [1000, 5000) "1000-5000"
    [5000, 10000) "5000-10000"   [10000, 50000) "10000-50000"   [50000, ∞) "50000+"

A negative amount (a refund reverses a settlement with negated amounts) gets the band of its
absolute value inside ``-( )``: ``-250`` → ``"-(100-500)"``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from contracts.formats import RESIDENT_ID, SHANGHAI_DISTRICTS, resident_id_birth_date
from privacy.exceptions import GeneralisationError

SHANGHAI_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
AGE_BAND_WIDTH = 5
AGE_TOP = 85
OTHER_DISTRICT = "其他"
#: (upper bound exclusive, label) in increasing order; at or above the last bound: AMOUNT_TOP
AMOUNT_BANDS: tuple[tuple[int, str], ...] = (
    (100, "0-100"),
    (500, "100-500"),
    (1000, "500-1000"),
    (5000, "1000-5000"),
    (10000, "5000-10000"),
    (50000, "10000-50000"),
)
AMOUNT_TOP = "50000+"

Rule = Callable[..., Any]
#: the extended ISO 8601 forms medshare records use: YYYY-MM-DD, optionally followed by THH:MM...
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|T)")


# --- readers ---------------------------------------------------------------------------------
def _to_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value).date()
        except ValueError:
            pass
    raise GeneralisationError(f"not a date (YYYY-MM-DD or ISO datetime): {_show(value)}")


def _to_datetime(value: object) -> datetime:
    if isinstance(value, str):
        try:
            if not _ISO_DATE.match(value) or "T" not in value:
                raise ValueError("not an extended ISO datetime")
            value = datetime.fromisoformat(value)
        except ValueError:
            raise GeneralisationError(f"not an ISO datetime: {_show(value)}") from None
    if not isinstance(value, datetime):
        raise GeneralisationError(f"not a datetime: {_show(value)}")
    if value.tzinfo is None:
        raise GeneralisationError("datetime has no UTC offset")
    return value


def _birth_date(value: object) -> date:
    """A birth date given as a date, an ISO date string, or a resident ID."""
    if isinstance(value, str) and re.fullmatch(RESIDENT_ID, value):
        try:
            return resident_id_birth_date(value)
        except ValueError:
            raise GeneralisationError("resident ID has an impossible birth date") from None
    return _to_date(value)


def _show(value: object) -> str:
    """How a bad value is named in an error: its type only, never its content (it may be an ID)."""
    return type(value).__name__


# --- rules -----------------------------------------------------------------------------------
def age_in_years(birth: date, on: date) -> int:
    """Completed years on ``on``; a 29 February birthday falls on 1 March in common years."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def age_band(value: object, *, at: object = None) -> str | None:
    """5-year age band at ``at`` (default: today in Shanghai): ``"40-44"``, top band ``"85+"``."""
    if value is None:
        return None
    birth = _birth_date(value)
    on = _to_date(at) if at is not None else datetime.now(SHANGHAI_TZ).date()
    age = age_in_years(birth, on)
    if age < 0:
        raise GeneralisationError("birth date is after the reference date")
    if age >= AGE_TOP:
        return f"{AGE_TOP}+"
    low = age - age % AGE_BAND_WIDTH
    return f"{low}-{low + AGE_BAND_WIDTH - 1}"


def birth_year(value: object, *, at: object = None) -> int | None:
    """The year of birth, from a birth date or a resident ID."""
    return None if value is None else _birth_date(value).year


def district(value: object, *, at: object = None) -> str | None:
    """Shanghai district of a resident ID's region code (``contracts.formats.SHANGHAI_DISTRICTS``).

    Any region outside Shanghai gives ``"其他"``: districts elsewhere would be rare, hence
    identifying, in Shanghai's data.
    """
    if value is None:
        return None
    if isinstance(value, str) and (re.fullmatch(RESIDENT_ID, value) or re.fullmatch(r"\d{6}", value)):
        return SHANGHAI_DISTRICTS.get(value[:6], OTHER_DISTRICT)
    raise GeneralisationError(f"not a resident ID or region code: {_show(value)}")


def month(value: object, *, at: object = None) -> str | None:
    """``YYYY-MM`` of a date or datetime."""
    return None if value is None else _to_date(value).strftime("%Y-%m")


def week(value: object, *, at: object = None) -> str | None:
    """ISO 8601 week ``YYYY-Www`` (the ISO year: 2027-01-01 is in ``2026-W53``)."""
    if value is None:
        return None
    iso = _to_date(value).isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def hour(value: object, *, at: object = None) -> str | None:
    """The datetime truncated to its hour, ISO 8601 with its own offset."""
    if value is None:
        return None
    return _to_datetime(value).replace(minute=0, second=0, microsecond=0).isoformat()


def amount_band(value: object, *, at: object = None) -> str | None:
    """The band of an amount in 元 (see the module docstring); negatives as ``-(band)``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise GeneralisationError(f"not an amount: {_show(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise GeneralisationError("amount is not finite")
    if isinstance(value, Decimal) and not value.is_finite():
        raise GeneralisationError("amount is not finite")
    magnitude = abs(value)
    label = next((name for bound, name in AMOUNT_BANDS if magnitude < bound), AMOUNT_TOP)
    return f"-({label})" if value < 0 else label


def gender(value: object, *, at: object = None) -> str | None:
    """``M`` and ``F`` pass; anything else (unknown, other, malformed) is ``U``."""
    return value if value in ("M", "F") else "U"


#: the rules by name, as agreements write them after ``generalise:``
RULES: dict[str, Rule] = {
    "age_band": age_band,
    "birth_year": birth_year,
    "district": district,
    "month": month,
    "week": week,
    "hour": hour,
    "amount_band": amount_band,
    "gender": gender,
}


def apply(rule: str, value: object, *, at: object = None) -> Any:
    """Apply the rule named ``rule``; an unknown name raises ``GeneralisationError`` listing them."""
    try:
        fn = RULES[rule]
    except KeyError:
        raise GeneralisationError(f"unknown generalisation rule {rule!r}; known: {', '.join(sorted(RULES))}") from None
    return fn(value, at=at)
