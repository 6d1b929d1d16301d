"""Enrollees: identity numbers that pass their check rules and agree with each other."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import formats as f
from medshare.simulate.catalogue import ROADS
from medshare.simulate.persons import make_person, person_no, profile

START = date(2026, 1, 1)


def _check_person(seed: int, index: int) -> None:
    p = make_person(seed, index, START)
    assert f.is_valid_resident_id(p.resident_id), p.resident_id
    assert f.resident_id_region(p.resident_id) in f.SHANGHAI_DISTRICTS
    assert f.resident_id_gender(p.resident_id) == p.gender
    assert f.resident_id_birth_date(p.resident_id) == p.birth_date
    assert 0 <= p.age <= 97
    assert f.is_mobile(p.phone)
    assert f.fullmatch(f.PERSON_NO, p.person_no)
    assert f.fullmatch(f.CARD_NO, p.card_no)
    assert f.fullmatch(f.BANK_CARD, p.bank_card) and f.luhn_ok(p.bank_card)
    assert p.insurance_type in ("310", "390")
    assert p.insurance_type == "390" or p.age >= 18  # minors are in 居民医保
    district = f.SHANGHAI_DISTRICTS[p.district_code]
    assert p.address.startswith(f"上海市{district}")
    road_part = p.address.removeprefix(f"上海市{district}")
    assert any(road_part.startswith(road) for road in ROADS[p.district_code])
    assert p.address.endswith("室") and "号" in p.address
    for member in p.family:
        assert f.is_mobile(member.phone) and 2 <= len(member.name) <= 4
    if p.age < 18:
        assert p.family, "a minor has a parent to contact"
    if p.landline is not None:
        assert f.fullmatch(f.LANDLINE, p.landline)


def test_a_thousand_persons_are_consistent() -> None:
    for i in range(1000):
        _check_person(3, i)


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**31), index=st.integers(0, 10**9))
def test_any_person_is_consistent(seed: int, index: int) -> None:
    _check_person(seed, index)


def test_person_numbers_are_unique_and_seed_specific() -> None:
    numbers = {person_no(i, 5) for i in range(50_000)}
    assert len(numbers) == 50_000
    cards = {make_person(5, i, START).card_no[1:] for i in range(3000)}
    assert len(cards) == 3000
    assert person_no(0, 5) != person_no(0, 6)


def test_persons_are_rebuilt_identically() -> None:
    assert make_person(9, 123, START) == make_person(9, 123, START)
    assert make_person(9, 123, START).bank_card == make_person(9, 123, START).bank_card
    assert make_person(9, 123, START) != make_person(10, 123, START)


def test_population_looks_like_shanghai() -> None:
    persons = [make_person(1, i, START) for i in range(3000)]
    districts = {p.district_code for p in persons}
    assert len(districts) == len(f.SHANGHAI_DISTRICTS)
    share_310 = sum(p.insurance_type == "310" for p in persons) / len(persons)
    assert 0.5 < share_310 < 0.8
    share_m = sum(p.gender == "M" for p in persons) / len(persons)
    assert 0.45 < share_m < 0.55
    assert len({p.name for p in persons}) > 2500, "names should rarely repeat"
    assert sum(p.condition is not None for p in persons) > 300
    assert any(p.email for p in persons) and any(p.landline for p in persons)


@pytest.mark.parametrize("index", range(20))
def test_profile_matches_person(index: int) -> None:
    prof, person = profile(4, index), make_person(4, index, START)
    assert (prof.gender, prof.condition, prof.weight) == (person.gender, person.condition, person.weight)
    assert abs(prof.age - person.age) <= 1
