"""Enrollees (参保人) of the simulated platform.

A person is a pure function of ``(seed, index)``: :func:`make_person` can rebuild anyone at any
time, so a run over a million persons never has to keep them all. Its *profile* (age, sex,
chronic condition, how often it sees a doctor) is cheaper still (:func:`profile`), so the visit
sampler can look at many candidates; the rest (names, numbers, address, family) follows from the
person's own random stream.
"""

from __future__ import annotations

import hashlib
import random
import struct
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache
from itertools import accumulate

from contracts.formats import SHANGHAI_DISTRICTS, luhn_complete, resident_id_check_char
from medshare.simulate.catalogue import DIAGNOSES, ROADS, Diagnosis
from medshare.simulate.ids import scramble, seed_offset, sub_rng

DISTRICT_CODES: tuple[str, ...] = tuple(SHANGHAI_DISTRICTS)
#: rough resident population weights of the districts (浦东 biggest, 崇明 smallest)
_DISTRICT_WEIGHTS = (5, 11, 7, 10, 13, 7, 13, 27, 22, 19, 57, 8, 20, 13, 12, 7)

#: age bands and their weights (Shanghai's population is old)
_AGE_BANDS = ((0, 17, 12), (18, 34, 22), (35, 49, 22), (50, 64, 22), (65, 79, 16), (80, 96, 6))

_MOBILE_PREFIXES = ("133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156",
                    "157", "158", "159", "166", "173", "176", "177", "180", "181", "182", "183", "185",
                    "186", "187", "188", "189", "191", "198", "199")
#: UnionPay debit-card BINs of large banks
_BANK_BINS = ("622202", "621700", "622848", "621661", "622588", "622262", "621226", "623668")
_MAIL_DOMAINS = ("qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "139.com")

_MALE_CHARS = "伟强磊军洋勇杰涛明超斌鹏浩宇俊晨轩子峰建国华文德志海平波辉刚东林翔飞宏云龙"
_FEMALE_CHARS = "芳娜敏静丽艳娟霞婷雪琳欣怡萱涵玲红梅英兰秀琴慧颖佳洁倩雯晶璐萍燕蓉"
_NEUTRAL_CHARS = "文明晓春嘉雨思一安宁佳子天家新小心诗梓永"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class FamilyMember:
    name: str
    relation: str
    phone: str


@dataclass(frozen=True)
class Profile:
    """What decides how a person uses the health system; cheap to compute for everyone."""

    age: int
    gender: str
    condition: str | None
    weight: float


@dataclass(frozen=True)
class Person:
    index: int
    person_no: str
    name: str
    surname: str
    gender: str
    birth_date: date
    age: int
    resident_id: str
    phone: str
    address: str
    #: district of the address (usually, not always, the ID's region)
    district_code: str
    card_no: str
    insurance_type: str
    email: str | None
    landline: str | None
    family: tuple[FamilyMember, ...]
    #: ICD-10 code of a chronic condition or cancer, if any
    condition: str | None
    weight: float
    seed: int = 0

    @property
    def id_region(self) -> str:
        return self.resident_id[:6]

    @cached_property
    def bank_card(self) -> str:
        """A Luhn-valid UnionPay debit card, made only when a note mentions it (Luhn costs)."""
        return bank_card(sub_rng(self.seed, "bank-card", self.index))


# --- names ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _surname_table() -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Faker's zh_CN surnames with their frequencies (cumulative), loaded once."""
    from faker.providers.person.zh_CN import Provider

    names = tuple(Provider.last_names)
    cum: list[float] = []
    total = 0.0
    for n in names:
        total += float(Provider.last_names[n])
        cum.append(total)
    return names, tuple(cum)


def surname(rng: random.Random) -> str:
    names, cum = _surname_table()
    return rng.choices(names, cum_weights=cum)[0]


def given_name(rng: random.Random, gender: str) -> str:
    pool = _MALE_CHARS if gender == "M" else _FEMALE_CHARS
    first = rng.choice(pool if rng.random() < 0.7 else _NEUTRAL_CHARS)
    if rng.random() < 0.25:
        return rng.choice(pool)
    return first + rng.choice(pool)


def full_name(rng: random.Random, gender: str, family_name: str | None = None) -> str:
    return (family_name or surname(rng)) + given_name(rng, gender)


def mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def landline(rng: random.Random) -> str:
    return f"021-{rng.choice('35665')}{rng.randrange(10**7):07d}"


def bank_card(rng: random.Random) -> str:
    length = 19 if rng.random() < 0.7 else 16
    body = rng.choice(_BANK_BINS) + f"{rng.randrange(10 ** (length - 7)):0{length - 7}d}"
    return luhn_complete(body)


def email(rng: random.Random) -> str:
    domain = rng.choice(_MAIL_DOMAINS)
    if domain == "qq.com" or rng.random() < 0.3:
        local = str(rng.randrange(10**7, 3 * 10**9))
    else:
        local = "".join(rng.choice(_LETTERS) for _ in range(rng.randint(4, 9))) + str(rng.randrange(100))
    return f"{local}@{domain}"


# --- identity ------------------------------------------------------------------------------


def resident_id(region: str, birth: date, gender: str, rng: random.Random) -> str:
    """An 18-character ID for ``region``/``birth``/``gender`` with a correct GB 11643 check character."""
    seq = rng.randrange(100)
    sex_digit = rng.choice("13579" if gender == "M" else "02468")
    first17 = f"{region}{birth:%Y%m%d}{seq:02d}{sex_digit}"
    return first17 + resident_id_check_char(first17)


def address(rng: random.Random, district_code: str) -> str:
    """``上海市<区><路><弄>弄<号>号<室>室`` with a road of that district."""
    road = rng.choice(ROADS[district_code])
    floor = rng.randint(1, 28 if rng.random() < 0.4 else 6)
    room = f"{floor}{rng.randint(1, 4):02d}"
    district = SHANGHAI_DISTRICTS[district_code]
    if rng.random() < 0.7:
        return f"上海市{district}{road}{rng.randint(1, 1800)}弄{rng.randint(1, 120)}号{room}室"
    return f"上海市{district}{road}{rng.randint(1, 3000)}号{room}室"


# --- profile and person --------------------------------------------------------------------

_CHRONIC = tuple(d for d in DIAGNOSES if d.kind == "chronic")
_CANCER = tuple(d for d in DIAGNOSES if d.kind == "cancer")


def _pick_condition(u: float, pool: tuple[Diagnosis, ...], age: int, gender: str) -> str | None:
    fits = [d for d in pool if age >= d.min_age and d.sex in (None, gender)]
    return fits[int(u * len(fits))].code if fits else None


_SIX_U32 = struct.Struct(">6I")
_BAND_CUM = tuple(accumulate(b[2] for b in _AGE_BANDS))
#: the largest weight a profile can have (visit sampling thins candidates by weight / MAX_WEIGHT)
MAX_WEIGHT = 4.0 * 1.5


def profile(seed: int, index: int) -> Profile:
    """The cheap part of person ``index``: age, sex, condition and visit weight.

    It comes from one BLAKE2b digest rather than a seeded ``Random`` (a few microseconds), because
    the visit sampler looks at several candidate persons for every visit it keeps.
    """
    digest = hashlib.blake2b(f"{seed}/profile/{index}".encode(), digest_size=24).digest()
    u = [x / 4_294_967_296 for x in _SIX_U32.unpack(digest)]
    band = _AGE_BANDS[bisect_right(_BAND_CUM, u[0] * _BAND_CUM[-1])]
    age = band[0] + int(u[1] * (band[1] - band[0] + 1))
    gender = "M" if u[2] < 0.5 else "F"
    p_chronic, p_cancer = ((0.03, 0.0005) if age < 18 else (0.08, 0.005) if age < 45
                           else (0.35, 0.03) if age < 65 else (0.6, 0.06))
    condition = None
    weight = 1.0
    if u[3] < p_cancer:
        condition = _pick_condition(u[4], _CANCER, age, gender)
        weight = 4.0
    elif u[3] < p_cancer + p_chronic:
        condition = _pick_condition(u[4], _CHRONIC, age, gender)
        weight = 2.5
    if age >= 65:
        weight *= 1.5
    elif age < 6:
        weight *= 1.3
    return Profile(age, gender, condition, weight)


def person_rng(seed: int, index: int) -> random.Random:
    return sub_rng(seed, "person", index)


def person_no(index: int, seed: int = 0) -> str:
    """医保个人编号: ``3100`` + 12 digits, unique per index within a seed."""
    n = (index + seed_offset(seed, "person-no", 10**12)) % 10**12
    return f"3100{scramble(n, 10**12, 982_451_653, 137_438_953):012d}"


def card_no(rng: random.Random, index: int, seed: int = 0) -> str:
    """社保卡号: a letter and 8 digits, unique per index (below 10^8) within a seed."""
    n = (index + seed_offset(seed, "card-no", 10**8)) % 10**8
    return rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + f"{scramble(n, 10**8, 4_862_029, 31_337):08d}"


def make_person(seed: int, index: int, start_date: date) -> Person:
    """Person ``index`` of the run with ``seed``; ages are measured at ``start_date``."""
    prof = profile(seed, index)
    rng = person_rng(seed, index)
    birth = start_date - timedelta(days=prof.age * 365 + rng.randrange(365) + prof.age // 4)
    # ages right at a birthday edge may be one off; recompute from the date we settled on
    age = start_date.year - birth.year - ((start_date.month, start_date.day) < (birth.month, birth.day))
    id_region = rng.choices(DISTRICT_CODES, weights=_DISTRICT_WEIGHTS)[0]
    home = id_region if rng.random() < 0.8 else rng.choices(DISTRICT_CODES, weights=_DISTRICT_WEIGHTS)[0]
    family_name = surname(rng)
    name = full_name(rng, prof.gender, family_name)
    if age < 18:
        insurance = "390"
    elif age < 23:
        insurance = "390" if rng.random() < 0.7 else "310"
    elif age < 60:
        insurance = "310" if rng.random() < 0.85 else "390"
    else:
        insurance = "310" if rng.random() < 0.7 else "390"
    return Person(
        index=index,
        person_no=person_no(index, seed),
        name=name,
        surname=family_name,
        gender=prof.gender,
        birth_date=birth,
        age=age,
        resident_id=resident_id(id_region, birth, prof.gender, rng),
        phone=mobile(rng),
        address=address(rng, home),
        district_code=home,
        card_no=card_no(rng, index, seed),
        insurance_type=insurance,
        email=email(rng) if rng.random() < 0.3 else None,
        landline=landline(rng) if rng.random() < 0.35 else None,
        family=_family(rng, family_name, prof.gender, age),
        condition=prof.condition,
        weight=prof.weight,
        seed=seed,
    )


def _family(rng: random.Random, family_name: str, gender: str, age: int) -> tuple[FamilyMember, ...]:
    """Relatives who show up in notes as 家属 / 联系人 (a minor always has a parent)."""
    members: list[FamilyMember] = []
    if age < 18 or (age < 40 and rng.random() < 0.4):
        if rng.random() < 0.5:
            members.append(FamilyMember(full_name(rng, "M", family_name), "父亲", mobile(rng)))
        else:
            members.append(FamilyMember(full_name(rng, "F"), "母亲", mobile(rng)))
    if age >= 25 and rng.random() < 0.7:
        spouse_gender = "F" if gender == "M" else "M"
        members.append(FamilyMember(full_name(rng, spouse_gender), "妻子" if gender == "M" else "丈夫",
                                    mobile(rng)))
    if age >= 45 and rng.random() < 0.6:
        child_gender = rng.choice("MF")
        child_surname = family_name if gender == "M" or rng.random() < 0.3 else surname(rng)
        members.append(FamilyMember(full_name(rng, child_gender, child_surname),
                                    "儿子" if child_gender == "M" else "女儿", mobile(rng)))
    return tuple(members)
