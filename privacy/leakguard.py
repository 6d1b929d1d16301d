"""A last line of defence: find direct identifiers in a record that must not contain any.

The lab sink runs every record through :func:`find_identifiers` before it is written, and the
leak tests run it over every output. It looks, in every string value at any depth, for the shapes
that can be checked without context — a resident ID with a valid GB 11643 check digit, a mainland
mobile number, a bank-card number with a valid Luhn digit — and reports the paths where it found
one (never the value).

It reads each string *normalised* (:func:`privacy.deid.normalise.normalise`): full-width digits
(``身份证号３１０１０４…``), digits in spaced or dashed groups (``138 1234 5678``,
``310104-19900307-4211``, ``138·1234·5678``) and Chinese numerals or digits read out (``幺三八…``,
``二八洞洞…``) are compared as the plain digits they stand for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from contracts.formats import BANK_CARD, MOBILE, RESIDENT_ID, is_valid_resident_id, luhn_ok

_EDGE_L, _EDGE_R = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
_RESIDENT = re.compile(_EDGE_L + f"({RESIDENT_ID})" + _EDGE_R)
_MOBILE = re.compile(_EDGE_L + f"({MOBILE})" + _EDGE_R)
_CARD = re.compile(_EDGE_L + f"({BANK_CARD})" + _EDGE_R)
#: machine ids in the 8-4-4-4-12 UUID shape (audit ids are uuid5s): not read as digit groups, so
#: ``55632976-9221-5981-…`` is not taken for a 16-digit card number (it was, once in ≈100,000 ids)
_UUID = re.compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
                   r"(?![0-9A-Za-z])")
#: nothing to look at without eleven digits (of any width, groups allowed, or Chinese numerals and
#: the words for digits read out: 幺 洞 两 拐 勾; groups cut by / _ · . , 、 or brackets too)
_QUICK = re.compile(
    r"[0-9０-９〇零○一二三四五六七八九幺么两洞拐勾]"
    r"(?:[ \-－—–‐\u3000/_·.,，、．()（）杠]{0,3}[0-9０-９〇零○一二三四五六七八九幺么两洞拐勾]){10}"
)


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


def identifier_kinds(text: str) -> list[str]:
    """The kinds of direct identifier found in ``text`` (resident_id, mobile, bank_card)."""
    if not _QUICK.search(text):
        return []
    from privacy.deid.normalise import normalise

    if "-" in text:
        text = _UUID.sub(lambda m: "U" * len(m.group()), text)
    text = normalise(text).text
    kinds = []
    if any(is_valid_resident_id(m.group(1)) for m in _RESIDENT.finditer(text)):
        kinds.append("resident_id")
    if _MOBILE.search(text):
        kinds.append("mobile")
    if any(luhn_ok(m.group(1)) for m in _CARD.finditer(text)):
        kinds.append("bank_card")
    return kinds


def find_identifiers(record: Any) -> list[str]:
    """``path:kind`` for every string in ``record`` that holds a checkable direct identifier."""
    return [f"{path}:{kind}" for path, text in _strings(record, "") for kind in identifier_kinds(text)]
