"""Generalisation rules give the documented bands (tables of cases, edges included)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.formats import resident_id_check_char
from privacy import generalise as g
from privacy.exceptions import GeneralisationError

SH = timezone(timedelta(hours=8))


def rid(region: str, birth: str, seq: str = "123") -> str:
    first17 = region + birth + seq
    return first17 + resident_id_check_char(first17)


def test_registry_names():
    assert set(g.RULES) == {"age_band", "birth_year", "district", "month", "week", "hour", "amount_band", "gender"}
    for name, fn in g.RULES.items():
        assert fn.__doc__, name
        assert fn(None) in (None, "U")


@pytest.mark.parametrize(
    ("birth", "at", "band"),
    [
        ("1984-03-05", "2026-03-05", "40-44"),  # birthday on the reference date: 42
        ("1981-03-05", "2026-03-04", "40-44"),  # the day before turning 45
        ("1981-03-05", "2026-03-05", "45-49"),  # turns 45 that day
        ("2026-03-05", "2026-03-05", "0-4"),  # born today
        ("2021-03-06", "2026-03-05", "0-4"),  # 4 years 364 days
        ("2021-03-05", "2026-03-05", "5-9"),
        ("1946-03-06", "2026-03-05", "75-79"),  # 79
        ("1941-03-06", "2026-03-05", "80-84"),  # 84
        ("1941-03-05", "2026-03-05", "85+"),  # 85 that day
        ("1920-01-01", "2026-03-05", "85+"),
        ("2004-02-29", "2024-02-28", "15-19"),  # leap-day birth: 19 the day before
        ("2004-02-29", "2024-02-29", "20-24"),  # leap year: birthday exists
        ("2005-02-28", "2025-02-28", "20-24"),
        ("2000-02-29", "2025-02-28", "20-24"),  # common year: still 24 on 28 February
        ("2001-03-01", "2026-02-28", "20-24"),
        ("2000-02-29", "2005-02-28", "0-4"),  # common year: not 5 until 1 March
        ("2000-02-29", "2005-03-01", "5-9"),
    ],
)
def test_age_band_table(birth, at, band):
    assert g.age_band(birth, at=at) == band


def test_age_band_inputs():
    at = "2026-03-05T10:21:07+08:00"
    assert g.age_band(rid("310115", "19840305"), at=at) == "40-44"
    assert g.age_band(date(1984, 3, 5), at=date(2026, 3, 5)) == "40-44"
    assert g.age_band(datetime(1984, 3, 5, 23, 0), at=datetime(2026, 3, 4, 23, 59, tzinfo=SH)) == "40-44"
    # a Shanghai time is taken in its own offset: 00:30 on the 5th in Shanghai is the birthday
    assert g.age_band("1981-03-05", at="2026-03-05T00:30:00+08:00") == "45-49"


def test_age_band_defaults_to_today_in_shanghai():
    today = datetime.now(SH).date()
    born = date(today.year - 30, 1, 1)
    assert g.age_band(born.isoformat()) == "30-34"


@pytest.mark.parametrize("bad", ["1984-13-01", "19840305", "not a date", 1984, rid("310115", "19840305")[:-1]])
def test_age_band_rejects_unreadable(bad):
    with pytest.raises(GeneralisationError):
        g.age_band(bad, at="2026-03-05")


def test_age_band_rejects_future_birth():
    with pytest.raises(GeneralisationError, match="after the reference"):
        g.age_band("2026-03-06", at="2026-03-05")


def test_errors_never_show_the_value():
    secret = rid("310115", "19840230")  # impossible date: 30 February
    with pytest.raises(GeneralisationError) as info:
        g.age_band(secret, at="2026-03-05")
    assert secret not in str(info.value)
    with pytest.raises(GeneralisationError) as info:
        g.month("3101151984")
    assert "3101151984" not in str(info.value)


@pytest.mark.parametrize(
    ("value", "year"),
    [("1984-03-05", 1984), (rid("310101", "20000229"), 2000), (date(1950, 12, 31), 1950)],
)
def test_birth_year(value, year):
    assert g.birth_year(value) == year


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (rid("310115", "19840305"), "浦东新区"),
        (rid("310101", "19840305"), "黄浦区"),
        (rid("310151", "19840305"), "崇明区"),
        (rid("310104", "19840305"), "徐汇区"),
        (rid("110101", "19840305"), "其他"),  # Beijing
        (rid("310102", "19840305"), "其他"),  # former Nanshi district code: not current
        ("310115", "浦东新区"),
        ("31011519840305123x", "浦东新区"),
    ],
)
def test_district(value, name):
    assert g.district(value) == name


@pytest.mark.parametrize("bad", ["浦东", "3101", 310115, "31011519840305123"])
def test_district_rejects_non_ids(bad):
    with pytest.raises(GeneralisationError):
        g.district(bad)


@pytest.mark.parametrize(
    ("value", "m", "w"),
    [
        ("2026-03-05", "2026-03", "2026-W10"),
        ("2026-03-05T23:59:59+08:00", "2026-03", "2026-W10"),
        ("2026-02-28T16:30:00+00:00", "2026-02", "2026-W09"),  # stays in its own offset
        (date(2026, 1, 1), "2026-01", "2026-W01"),  # a Thursday: week 1
        (date(2027, 1, 1), "2027-01", "2026-W53"),  # a Friday: last ISO week of 2026
        (date(2024, 12, 30), "2024-12", "2025-W01"),  # a Monday in ISO 2025
        (date(2024, 2, 29), "2024-02", "2024-W09"),
        (datetime(2025, 12, 31, 23, 0, tzinfo=UTC), "2025-12", "2026-W01"),
    ],
)
def test_month_and_week(value, m, w):
    assert g.month(value) == m
    assert g.week(value) == w


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-05T10:21:07+08:00", "2026-03-05T10:00:00+08:00"),
        ("2026-03-05T10:00:00+08:00", "2026-03-05T10:00:00+08:00"),
        ("2026-03-05T23:59:59.999999+08:00", "2026-03-05T23:00:00+08:00"),
        (datetime(2026, 3, 5, 2, 30, 5, 7, tzinfo=UTC), "2026-03-05T02:00:00+00:00"),
    ],
)
def test_hour(value, expected):
    assert g.hour(value) == expected


@pytest.mark.parametrize("bad", ["2026-03-05T10:21:07", datetime(2026, 3, 5, 10), "yesterday", date(2026, 3, 5)])
def test_hour_needs_an_offset(bad):
    with pytest.raises(GeneralisationError):
        g.hour(bad)


@pytest.mark.parametrize(
    ("amount", "band"),
    [
        (0, "0-100"),
        (0.01, "0-100"),
        (99.99, "0-100"),
        (100, "100-500"),
        (499.99, "100-500"),
        (500, "500-1000"),
        (999.99, "500-1000"),
        (1000, "1000-5000"),
        (4999.99, "1000-5000"),
        (5000, "5000-10000"),
        (9999.99, "5000-10000"),
        (10000, "10000-50000"),
        (49999.99, "10000-50000"),
        (50000, "50000+"),
        (1_234_567.89, "50000+"),
        (Decimal("100.00"), "100-500"),
        (-0.0, "0-100"),
        (-250, "-(100-500)"),
        (-50000, "-(50000+)"),
        (-0.5, "-(0-100)"),
    ],
)
def test_amount_band_table(amount, band):
    assert g.amount_band(amount) == band


@pytest.mark.parametrize("bad", ["100", True, float("nan"), float("inf"), Decimal("NaN"), [1]])
def test_amount_band_rejects_non_amounts(bad):
    with pytest.raises(GeneralisationError):
        g.amount_band(bad)


@given(st.floats(min_value=0, max_value=1e9))
def test_amount_bands_cover_and_order(x):
    labels = [label for _, label in g.AMOUNT_BANDS] + [g.AMOUNT_TOP]
    assert g.amount_band(x) in labels
    assert labels.index(g.amount_band(x)) <= labels.index(g.amount_band(x + 100))


@pytest.mark.parametrize(
    ("value", "out"), [("M", "M"), ("F", "F"), ("U", "U"), ("m", "U"), ("", "U"), (None, "U"), ("X", "U"), (1, "U")]
)
def test_gender(value, out):
    assert g.gender(value) == out


def test_apply_and_unknown_rule():
    assert g.apply("month", "2026-03-05") == "2026-03"
    assert g.apply("age_band", "1984-03-05", at="2026-03-05") == "40-44"
    with pytest.raises(GeneralisationError, match="unknown generalisation rule 'decade'; known: age_band"):
        g.apply("decade", "x")
