"""The residual-risk check: after redaction, is anything still shaped like an identifier?

Fail closed. The recognisers decide with context (labels, check digits, look-alike labels); this
check does not. It reads the *redacted* note, normalised again (half-width, groups joined), and
reports, by rule and offsets into the original note (never the value):

* ``resident-id-checksum`` — 18 characters with a real birth date and a valid GB 11643 check
  character, wherever they are, even after a look-alike label;
* ``long-number`` — a run of 15 or more digits (the length of a resident ID, a card or a person
  number) that no look-alike label (发票号, 批号…) introduces;
* ``mobile`` — 11 digits starting ``1[3-9]`` that no look-alike label introduces;
* ``known-identifier`` — any identifier the platform holds for the person, in any form.

:meth:`privacy.deid.engine.Deidentifier.redact` redacts what it finds (``<ID_NUMBER>``) by
default; the lab's de-identifier asks for a report instead and quarantines the note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from contracts.formats import is_valid_resident_id
from privacy.deid.normalise import normalise
from privacy.deid.recognizers.base import Doc

if TYPE_CHECKING:
    from privacy.deid.engine import Residual
    from privacy.deid.known import KnownIdentifiers

_ID18 = re.compile(r"[0-9](?<![0-9A-Za-z].)[0-9]{16}[0-9Xx](?![0-9A-Za-z])")
_LONG = re.compile(r"[0-9](?<![0-9].)[0-9]{14,}[Xx]?(?![0-9])")
_MOBILE = re.compile(r"1(?<![0-9].)[3-9][0-9]{9}(?![0-9])")
_QUICK = re.compile(r"[0-9]{11}")
#: eleven digits in a row before normalising: any width, groups allowed, Chinese numerals and the
#: words for digits read out (幺 洞 两 拐 勾 么), which normalisation reads as digits too
_RAW_QUICK = re.compile(
    r"[0-9０-９〇零○一二三四五六七八九幺么两洞拐勾](?:[ \-－—–‐\u3000,，、杠]{0,3}[0-9０-９〇零○一二三四五六七八九幺么两洞拐勾]){10}"
)


def residual_findings(
    redacted: str,
    pieces: list[tuple[int, int, int, int]],
    known: KnownIdentifiers | None = None,
    decoys: list[tuple[int, int]] | None = None,
) -> Iterator[Residual]:
    """What is still shaped like an identifier in ``redacted``, with offsets into the original.

    ``pieces`` are ``(out_start, out_end, orig_start, orig_end)`` of the redacted text (a tag maps
    to the whole span it replaced). ``decoys`` (original offsets) are the numbers the first pass
    found after look-alike labels: when every long number left lies in one, the note is clean
    without normalising it again (the same decoys the full check would compute).
    """
    from privacy.deid.engine import Residual

    if known is None:
        quick = [m.span() for m in _RAW_QUICK.finditer(redacted)]
        if not quick:
            return  # no eleven digits in a row (spaces and dashes allowed, any width): nothing to find
        if decoys and all(
            any(s <= a and b <= e for s, e in decoys) for a, b in (_to_input(qs, qe, pieces) for qs, qe in quick)
        ):
            return  # every long number left is one the first pass found after a look-alike label
    norm = normalise(redacted)
    text = norm.text
    found: list[tuple[str, int, int]] = []
    if _QUICK.search(text):
        decoys = _decoys(norm)
        for m in _ID18.finditer(text):
            if is_valid_resident_id(m.group()):
                found.append(("resident-id-checksum", *m.span()))
        for rule, rx in (("long-number", _LONG), ("mobile", _MOBILE)):
            for m in rx.finditer(text):
                if not any(s <= m.start() and m.end() <= e for s, e in decoys):
                    found.append((rule, *m.span()))
    if known is not None:
        found += [("known-identifier", s, e) for s, e, _ in known.find(text)]
    for rule, start, end in found:
        out_start, out_end = norm.to_original(start, end)
        yield Residual(rule, *_to_input(out_start, out_end, pieces))


def _decoys(norm) -> list[tuple[int, int]]:
    return _labelled_numbers().decoys(Doc(norm))


@lru_cache(maxsize=1)
def _labelled_numbers():  # noqa: ANN202 - the recogniser class is imported here (heavy import)
    from privacy.deid.recognizers.cn_labelled_number_recognizer import CnLabelledNumberRecognizer

    return CnLabelledNumberRecognizer()


def _to_input(start: int, end: int, pieces: list[tuple[int, int, int, int]]) -> tuple[int, int]:
    """Offsets in the redacted text → offsets in the original note."""
    def one(pos: int, is_end: bool) -> int:
        for out_s, out_e, orig_s, orig_e in pieces:
            if out_s <= pos < out_e or (is_end and pos == out_e):
                if out_e - out_s != orig_e - orig_s:  # a tag: the whole span it replaced
                    return orig_e if is_end else orig_s
                return orig_s + (pos - out_s)
        return pieces[-1][3] if pieces else pos

    return one(start, False), one(end, True)
