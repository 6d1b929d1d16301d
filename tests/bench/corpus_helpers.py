"""What the corpus tests of tests/bench share: one cached corpus per split and check characters
recomputed from the standards (GB 11643, Luhn), never through the generator's own helpers, so a
wrong helper cannot pass its own test. No split's forms are named here."""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache

from bench.deid_eval import independent as ind

N = 600
SEED = 1


@cache
def corpus(split: str, n: int = N, seed: int = SEED) -> tuple[dict, ...]:
    """The split's notes, generated once per test session."""
    return tuple(ind.generate(n, seed, split))


def jsonl_sha256(split: str) -> str:
    """sha256 of the split's 600 notes (seed 1) as ``python -m bench.deid_eval.independent`` writes them."""
    lines = "".join(json.dumps(note, ensure_ascii=False) + "\n" for note in corpus(split))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def novel(only: dict[str, tuple[str, ...]]) -> set[tuple[str, str]]:
    """(kind, form) of a split's own forms, from its ``HELDOUTn_ONLY`` table."""
    return {(k, f) for k, fs in only.items() if k != "style" for f in fs}


def by_form(split: str) -> dict[tuple[str, str], list[dict]]:
    """The split's identifiers by (kind, form), each with its note under ``"note"``."""
    out: dict[tuple[str, str], list[dict]] = {}
    for n in corpus(split):
        for e in n["identifiers"]:
            out.setdefault((e["kind"], e["form"]), []).append({**e, "note": n})
    return out


_GB11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def gb11643_ok(rid: str) -> bool:
    """True for an 18-character citizen number whose check character is right."""
    if not re.fullmatch(r"\d{17}[\dX]", rid):
        return False
    return (
        "10X98765432"[sum(int(c) * w for c, w in zip(rid[:17], _GB11643_WEIGHTS, strict=True)) % 11]
        == rid[17]
    )


def luhn_ok(num: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(num)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0
