"""Synthetic platform.settlements.v2 records for the lab tests, built with the interface examples'
own builders (tests/platform/interface_examples.py), so every record satisfies the platform
contract to the fen. Deterministic for a seed; every person and value is synthetic.

A small stand-in for the simulator while it still produces v1 records: outpatient, emergency,
chronic-disease, inpatient visits and pharmacy purchases of ``persons`` persons over ``days`` days,
with several diagnoses, special and negotiated drug lines, and 2208 revocations (some in the
month after their settlement).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from medshare.ingest import to_record
from tests.platform import interface_examples as ex

HOSPITALS = [f"H310115{n:05d}" for n in range(1, 13)]
PHARMACIES = [f"P310104{n:05d}" for n in range(1, 5)]
REGIONS = ("310115", "310104", "310112", "310110", "310107")
DIAGNOSES = [("I10.x00x002", "高血压病1级"), ("E11.900", "2型糖尿病"), ("J18.900", "肺炎"),
             ("C34.900x001", "肺恶性肿瘤"), ("R50.900x001", "发热"), ("K29.700", "胃炎"),
             ("M54.500", "腰痛"), ("I63.900", "脑梗死")]
DRUGS = [("XA01ABD075A002010100483", "0"), ("XL01XEA123B001010100001", "1"), ("ZA04CAK0241010101445", "0")]
SERVICES = ["001216000010100", "001102000010000", "002502010010000"]


def _person(rng: random.Random, n: int) -> dict[str, Any]:
    birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 80))
    p = ex.person(f"测试{n}", rng.choice(REGIONS), birth.strftime("%Y%m%d"), f"{rng.randrange(0, 1000):03d}",
                  0, f"3100{n:016d}")
    return p


def _fees(rng: random.Random, kind: str, at: datetime, stay: int) -> list[dict[str, Any]]:
    t = at.strftime("%Y-%m-%d %H:%M:%S")
    first = (at - timedelta(days=stay)).strftime("%Y-%m-%d %H:%M:%S")
    lines = [ex.fee("1", rng.choice(SERVICES), "ZC001", "02", "01", 1, rng.choice((1000, 2500, 5000)), first)]
    if kind == "21":
        lines.append(ex.fee("2", SERVICES[1], "CW01", "01", "01", max(stay, 1), 4000, first))
        lines.append(ex.fee("3", "C0101010600000001234", "CL01", "08", "02", 2, rng.randrange(5000, 300000), t,
                            own="pre10"))
    for i in range(rng.randrange(1, 3)):
        code, special = rng.choice(DRUGS)
        drug_kind = "11" if code.startswith("Z") else "09"
        level = rng.choice(("01", "02", "03"))
        own = {"01": "none", "02": "pre10", "03": "full"}[level]
        lines.append(ex.fee(str(len(lines) + 1), code, f"YP{i}", drug_kind, level, rng.randrange(1, 5),
                            rng.choice((3150, 12800, 56000)), t, own=own, special=special,
                            nego="1" if special == "1" else "0"))
    return lines


def records(persons: int = 300, days: int = 40, seed: int = 11, start: date = date(2026, 1, 1),
            revoke_rate: float = 0.03) -> list[tuple[datetime, dict[str, Any]]]:
    """(publish time in Shanghai time, platform topic record) of settlements and revocations, in order."""
    rng = random.Random(seed)
    people = [_person(rng, n) for n in range(1, persons + 1)]
    out: list[tuple[datetime, int, dict[str, Any]]] = []
    seq = 0
    for day in range(days):
        for p in rng.sample(people, k=max(1, persons // 8)):
            seq += 1
            at = datetime.combine(start + timedelta(days=day), datetime.min.time()) + timedelta(
                hours=rng.randrange(8, 20), minutes=rng.randrange(0, 60), seconds=rng.randrange(0, 60))
            kind = rng.choices(("11", "13", "14", "21", "41"), weights=(50, 8, 15, 7, 20))[0]
            stay = rng.randrange(2, 12) if kind == "21" else 0
            birth = date.fromisoformat(p["brdy"])
            age = at.year - birth.year - ((at.month, at.day) < (birth.month, birth.day))
            person = {**p, "age": float(age)}
            codes = rng.sample(DIAGNOSES, k=rng.randrange(1, 3))
            diseinfo = [] if kind == "41" else [ex.diag(i + 1, c, n, i == 0) for i, (c, n) in enumerate(codes)]
            institution = (rng.choice(PHARMACIES), "药房（虚构）") if kind == "41" else (
                rng.choice(HOSPITALS), "医院（虚构）")
            line = ex.settlement(
                f"3100{seq:014d}", f"3199{seq:014d}", person, kind, rng.choice(("310", "390")), institution,
                at.strftime("%Y-%m-%d %H:%M:%S"), _fees(rng, kind, at, stay), diseinfo,
                pool_ratio=rng.choice((0.0, 0.5, 0.7, 0.85)), large_amount_fen=0,
                aid_fen=0, acct_limit_fen=rng.choice((0, 500, 10000)))
            _, record, errors = to_record(line)
            assert not errors, errors
            out.append((at, seq, record))
            if rng.random() < revoke_rate:
                later = at + timedelta(days=rng.choice((0, 1, 35)))
                revoke = {"revoke": {"setl_id": record["setl_id"], "mdtrt_id": record["mdtrt_id"],
                                     "psn_no": record["psn_no"]}}
                out.append((later, seq, revoke))
    out.sort(key=lambda x: (x[0], x[1], "revoke" in x[2]))
    return [(at, r) for at, _, r in out]
