"""Scoring by value on the independently written corpus (``bench/deid_eval/independent.py``).

The corpus's generator was written by someone who did not read ``privacy/deid/``; this module only
runs it and reads its output (note dicts with ``identifiers``, ``decoys`` and ``clinical_terms``,
each with its value and offsets). Scoring is black-box, on the redacted text alone, as the
issue asks:

* an identifier is **caught** when its value no longer appears in the output, both compared
  after folding widths and dropping spaces and dashes (:func:`privacy.deid.normalise.fold`).
  A one-character value (the surname of ``王主任``) would match any other 王 in the note, so it
  counts as caught when neither it with the character after it nor with the character before it
  (as the note had them) is left in the output;
* a decoy (look-alike number, date, facility name…) or a clinical term is **kept** when its value
  is still in the output, compared the same way.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from privacy.deid.normalise import fold

Note = dict[str, Any]


def caught(note: Note, ident: dict[str, Any], out_folded: str) -> bool:
    """True when ``ident``'s value is gone from the redacted note (``out_folded`` is folded)."""
    value = fold(ident["value"])
    if not value:
        return True
    if len(value) > 1:
        return value not in out_folded
    text = note["text"]
    before = fold(text[max(0, ident["start"] - 1) : ident["end"]])
    after = fold(text[ident["start"] : ident["end"] + 1])
    return all(len(w) < 2 or w not in out_folded for w in (before, after))


def kept(value: str, out_folded: str) -> bool:
    return fold(value) in out_folded


class Tally:
    """Counts of one kind (or form): how many, how many caught (or kept)."""

    __slots__ = ("n", "ok")

    def __init__(self) -> None:
        self.n = 0
        self.ok = 0

    def add(self, ok: bool) -> None:
        self.n += 1
        self.ok += ok

    @property
    def rate(self) -> float | None:
        return round(self.ok / self.n, 4) if self.n else None

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "ok": self.ok, "rate": self.rate}


def score_notes(
    notes: Sequence[Note], redact: Callable[[str], str], misses: int = 0
) -> dict[str, Any]:
    """Recall per kind and form, decoys and clinical terms kept, throughput; ``misses`` examples."""
    outputs: list[str] = []
    started = time.process_time()
    wall_started = time.perf_counter()
    for note in notes:
        outputs.append(redact(note["text"]))
    elapsed = time.process_time() - started
    wall = time.perf_counter() - wall_started
    by_kind: dict[str, Tally] = defaultdict(Tally)
    by_form: dict[str, Tally] = defaultdict(Tally)
    decoys: dict[str, Tally] = defaultdict(Tally)
    terms = Tally()
    everything = Tally()
    missed: list[dict[str, Any]] = []
    lost: list[dict[str, Any]] = []
    for note, out in zip(notes, outputs, strict=True):
        folded = fold(out)
        for ident in note["identifiers"]:
            ok = caught(note, ident, folded)
            by_kind[ident["kind"]].add(ok)
            by_form[f"{ident['kind']}/{ident['form']}"].add(ok)
            everything.add(ok)
            if not ok and len(missed) < misses:
                missed.append(_example(note, ident, out))
        for decoy in note["decoys"]:
            ok = kept(decoy["value"], folded)
            decoys[decoy["kind"]].add(ok)
            if not ok and len(lost) < misses:
                lost.append(_example(note, decoy, out))
        for term in note["clinical_terms"]:
            ok = kept(term["value"], folded)
            terms.add(ok)
            if not ok and len(lost) < misses:
                lost.append(_example(note, {**term, "kind": "clinical_term"}, out))
    decoy_all = Tally()
    for t in decoys.values():
        decoy_all.n += t.n
        decoy_all.ok += t.ok
    return {
        "notes": len(notes),
        "avg_note_chars": round(sum(len(n["text"]) for n in notes) / max(1, len(notes))),
        "notes_per_cpu_s": round(len(notes) / elapsed, 1) if elapsed > 0 else None,
        "notes_per_wall_s": round(len(notes) / wall, 1) if wall > 0 else None,
        "identifiers": everything.to_dict(),
        "recall_by_kind": {k: t.to_dict() for k, t in sorted(by_kind.items())},
        "recall_by_form": {k: t.to_dict() for k, t in sorted(by_form.items())},
        "decoys_kept": decoy_all.to_dict(),
        "decoys_kept_by_kind": {k: t.to_dict() for k, t in sorted(decoys.items())},
        "clinical_terms_kept": terms.to_dict(),
        "missed": missed,
        "lost": lost,
    }


def _example(note: Note, item: dict[str, Any], out: str) -> dict[str, Any]:
    text = note["text"]
    return {
        "note_id": note.get("note_id"),
        "kind": item.get("kind"),
        "form": item.get("form"),
        "value": item["value"],
        "context": text[max(0, item["start"] - 12) : item["end"] + 12],
        "output": out,
    }
