"""Identifiers the platform already holds for a person, found in a note in any form.

A note is about one person, and the platform knows that person's name, certificate number,
person number and birth date from their settlements (2207; :mod:`privacy.deid.memory` also keeps
the full numbers the recognisers vouched for in the person's earlier notes, such as a labelled
phone). Whatever way a note writes them — full-width, spaced, dashed, masked (``138****5678``),
partly (``尾号5678``, the road and number without the district), a name with spaces (``张 伟``),
a birth date as ``1965年3月2日`` — they are that person's identifiers.

:class:`KnownIdentifiers` holds them as **keyed digests** only (BLAKE2b keyed with a pipeline
secret, 16 bytes), so the memory the lab's de-identifier keeps (:mod:`privacy.deid.memory`) holds
no plaintext identifier at rest, and a digest cannot be enumerated without the key (unlike a
plain hash of a resident ID: see privacy/pseudonym.py). To find them, a note's candidate forms
are digested the same way and looked up:

* a name: the whole name and a two-character given name, matched on the note's CJK characters
  with spaces and dots between them dropped;
* a number (resident ID, phone, card numbers): the whole normalised value; every run of 7 of its
  digits (a partial number); each (length, visible prefix, visible suffix) a masked form can
  leave; its last four digits right after ``尾号`` / ``后四位``;
* an address: every 6-character window of it below the district (road, lane, number, room), so
  any part of it of six characters or more is found;
* a birth date: the date in any of the ways notes write one (``1965-03-02``, ``1965/3/2``,
  ``1965.3.2``, ``1965年3月2日``, ``65年3月2日``, ``19650302``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator

from privacy.deid.entities import (
    ADDRESS,
    BANK_CARD,
    DATE_OF_BIRTH,
    ID_NUMBER,
    MEDICAL_CARD,
    PERSON,
    PHONE,
    RESIDENT_ID,
)
from privacy.deid.normalise import normalise
from privacy.deid.recognizers.base import CJK, MASK

#: digest kinds (stored beside the digest: the kind is not an identifier)
KINDS = (PERSON, RESIDENT_ID, PHONE, MEDICAL_CARD, BANK_CARD, ADDRESS, ID_NUMBER, DATE_OF_BIRTH)
DIGEST_BYTES = 16
#: a partial number of this many digits or more is the person's number
NUMBER_WINDOW = 7
#: an address window of this many characters
ADDRESS_WINDOW = 6
_MASK_PREFIX = range(0, 8)
_MASK_SUFFIX = range(2, 5)

_CJK_RUN = re.compile(rf"[{CJK}](?:[ ·.]?[{CJK}])*")
_DIGIT_RUN = re.compile(r"[0-9A-Za-z]*[0-9][0-9A-Za-z]*")
_MASKED = re.compile(rf"(?<![0-9A-Za-z])([0-9A-Za-z]*)({MASK}+)([0-9Xx]*)(?![0-9A-Za-z])")
_TAIL = re.compile(r"(?:尾号|后四位|末四位|尾数|后4位|末4位)(?:是|为|:)?[ ]?([0-9]{4})(?![0-9])")
#: a date in a normalised note: a 4- or 2-digit year, month and day, joined by - / . or 年 月 (日/号)
_DATE = re.compile(
    r"(?<![0-9])((?:19|20)[0-9]{2}|[0-9]{2})(?:[-/.]|年 ?)(0?[1-9]|1[0-2])(?:[-/.]|月 ?)(0?[1-9]|[12][0-9]|3[01])"
    r"(?:日|号)?(?![0-9])"
)
#: a birth date as the interface writes it (``brdy``)
_ISO_DATE = re.compile(r"((?:19|20)[0-9]{2})-([0-9]{2})-([0-9]{2})")
_ADDRESS_HEAD = re.compile(r"^(?:[^省市]{2,8}[省])?(?:[^市]{2,6}市)?(?:[^区县]{1,6}(?:新区|区|县))?")


def _canon_number(value: str) -> str:
    return "".join(ch for ch in normalise(value).text.upper() if ch.isalnum())


def _canon_cjk(value: str) -> str:
    return "".join(ch for ch in value if "\u4e00" <= ch <= "\u9fff")


def _canon_address(value: str) -> str:
    text = "".join(ch for ch in normalise(value).text if not ch.isspace())
    return text[_ADDRESS_HEAD.match(text).end() :] if _ADDRESS_HEAD.match(text) else text  # type: ignore[union-attr]


def digest_forms(
    *,
    names: Iterable[str] = (),
    numbers: Iterable[tuple[str, str]] = (),
    addresses: Iterable[str] = (),
    dates: Iterable[str] = (),
) -> Iterator[tuple[str, str]]:
    """(form, kind) of every form to remember; ``numbers`` are (kind, value) pairs, ``dates``
    birth dates ``yyyy-MM-dd``. Plaintext: the caller digests them at once (:meth:`KnownIdentifiers.build`)."""
    for name in names:
        canon = _canon_cjk(name)
        if len(canon) >= 2:
            yield f"n:{canon}", PERSON
            if len(canon) >= 3:
                yield f"n:{canon[-2:]}", PERSON  # the given name alone (建国 of 王建国)
    for kind, value in numbers:
        canon = _canon_number(value)
        if len(canon) < 6:
            continue
        yield f"d:{canon}", kind
        for i in range(len(canon) - NUMBER_WINDOW + 1):
            yield f"w:{canon[i : i + NUMBER_WINDOW]}", kind
        for p in _MASK_PREFIX:
            for s in _MASK_SUFFIX:
                if p + s < len(canon) - 2:
                    yield f"m:{len(canon)}:{canon[:p]}:{canon[len(canon) - s:]}", kind
        yield f"t:{canon[-4:]}", kind
    for address in addresses:
        canon = _canon_address(address)
        for i in range(len(canon) - ADDRESS_WINDOW + 1):
            yield f"a:{canon[i : i + ADDRESS_WINDOW]}", ADDRESS
    for value in dates:
        m = _ISO_DATE.fullmatch(value.strip())
        if m is None:
            continue
        year, month, day = m.groups()
        yield f"b:{year}{month}{day}", DATE_OF_BIRTH
        yield f"b:{year[2:]}{month}{day}", DATE_OF_BIRTH
        yield f"d:{year}{month}{day}", DATE_OF_BIRTH  # written as one number: 19650302


class KnownIdentifiers:
    """One person's identifiers as keyed digests, and how to find them in a normalised note."""

    __slots__ = ("_digests", "_key")

    def __init__(self, key: bytes, digests: dict[bytes, str]) -> None:
        if len(key) < 16:
            raise ValueError("the digest key must be at least 16 bytes")
        self._key = key
        self._digests = digests

    @classmethod
    def build(
        cls,
        key: bytes,
        *,
        names: Iterable[str] = (),
        numbers: Iterable[tuple[str, str]] = (),
        addresses: Iterable[str] = (),
        dates: Iterable[str] = (),
    ) -> KnownIdentifiers:
        out = cls(key, {})
        out.add(digest_forms(names=names, numbers=numbers, addresses=addresses, dates=dates))
        return out

    def add(self, forms: Iterable[tuple[str, str]]) -> dict[bytes, str]:
        """Digest and remember ``forms``; returns the new digest → kind entries."""
        new = {}
        for form, kind in forms:
            d = self.digest(form)
            if d not in self._digests:
                new[d] = kind
        self._digests.update(new)
        return new

    def merge(self, digests: dict[bytes, str]) -> None:
        self._digests.update(digests)

    @property
    def digests(self) -> dict[bytes, str]:
        return dict(self._digests)

    def __len__(self) -> int:
        return len(self._digests)

    def digest(self, form: str) -> bytes:
        return hashlib.blake2b(form.encode(), key=self._key[:64], digest_size=DIGEST_BYTES).digest()

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, type) of the person's identifiers in the normalised ``text``."""
        if not self._digests:
            return []
        return [*self._names(text), *self._numbers(text), *self._address_windows(text), *self._dates(text)]

    def _dates(self, text: str) -> list[tuple[int, int, str]]:
        """Dates written any way that are the person's birth date."""
        found = []
        get, digest = self._digests.get, self.digest
        for m in _DATE.finditer(text):
            year, month, day = m.groups()
            kind = get(digest(f"b:{year}{int(month):02d}{int(day):02d}"))
            if kind is not None:
                found.append((m.start(), m.end(), kind))
        return found

    def _names(self, text: str) -> list[tuple[int, int, str]]:
        """CJK runs with spaces/dots dropped: every 2-, 3- and 4-character window."""
        found = []
        get, digest = self._digests.get, self.digest
        for m in _CJK_RUN.finditer(text):
            chars = [(i, ch) for i, ch in enumerate(m.group(), m.start()) if "\u4e00" <= ch <= "\u9fff"]
            compact = "".join(ch for _, ch in chars)
            for n in (4, 3, 2):
                for i in range(len(compact) - n + 1):
                    kind = get(digest(f"n:{compact[i : i + n]}"))
                    if kind is not None:
                        found.append((chars[i][0], chars[i + n - 1][0] + 1, kind))
        return found

    def _numbers(self, text: str) -> list[tuple[int, int, str]]:
        """Whole numbers, 7-digit windows of them, masked forms, tails after 尾号."""
        found = []
        get, digest = self._digests.get, self.digest
        for m in _DIGIT_RUN.finditer(text):
            canon = m.group().upper()
            kind = get(digest(f"d:{canon}"))
            if kind is None:
                kind = next(
                    (k for i in range(len(canon) - NUMBER_WINDOW + 1)
                     if (k := get(digest(f"w:{canon[i : i + NUMBER_WINDOW]}"))) is not None),
                    None,
                )
            if kind is not None:
                found.append((m.start(), m.end(), kind))
        for m in _MASKED.finditer(text):
            prefix, masks, suffix = m.group(1).upper(), m.group(2), m.group(3).upper()
            length = len(prefix) + len(masks) + len(suffix)
            if len(prefix) in _MASK_PREFIX and len(suffix) in _MASK_SUFFIX:
                kind = get(digest(f"m:{length}:{prefix}:{suffix}"))
                if kind is not None:
                    found.append((m.start(), m.end(), kind))
        for m in _TAIL.finditer(text):
            kind = get(digest(f"t:{m.group(1)}"))
            if kind is not None:
                found.append((*m.span(1), kind))
        return found

    def _address_windows(self, text: str) -> list[tuple[int, int, str]]:
        """Maximal runs of 6-character windows of the person's address (spaces skipped)."""
        chars = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
        compact = "".join(ch for _, ch in chars)
        get = self._digests.get
        digest = self.digest
        out: list[tuple[int, int, str]] = []
        run_start = run_end = -1
        for i in range(len(compact) - ADDRESS_WINDOW + 1):
            if get(digest(f"a:{compact[i : i + ADDRESS_WINDOW]}")) is None:
                continue
            if run_end >= i:
                run_end = i + ADDRESS_WINDOW
            else:
                if run_start >= 0:
                    out.append((chars[run_start][0], chars[run_end - 1][0] + 1, ADDRESS))
                run_start, run_end = i, i + ADDRESS_WINDOW
        if run_start >= 0:
            out.append((chars[run_start][0], chars[run_end - 1][0] + 1, ADDRESS))
        return out


def find_names(text: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Where the plain ``names`` occur in the normalised ``text`` (spaces between characters allowed)."""
    out: list[tuple[int, int]] = []
    for name in names:
        canon = _canon_cjk(name) if name else ""
        if len(canon) < 2:
            continue
        if canon in text:
            start = text.find(canon)
            while start != -1:
                out.append((start, start + len(canon)))
                start = text.find(canon, start + 1)
        if " " in text or "·" in text:
            spaced = re.compile(r"[ ·.]?".join(map(re.escape, canon)))
            out += [m.span() for m in spaced.finditer(text) if m.end() - m.start() > len(canon)]
    return out
