"""Run a de-identifier over labelled notes and score it; time it beside stock Presidio."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from bench.deid_eval.generate import LabelledNote
from bench.deid_eval.metrics import Scoreboard, Triple
from privacy.deid.entities import ENTITY_TYPES

#: the issue's targets: entity-level recall per type
TARGETS: dict[str, float] = {
    "RESIDENT_ID": 0.99,
    "PHONE": 0.99,
    "BANK_CARD": 0.99,
    "MEDICAL_CARD": 0.99,
    "PERSON": 0.95,
    "ADDRESS": 0.95,
}


def score(
    notes: Sequence[LabelledNote], predict: Callable[[LabelledNote], list[Triple]]
) -> tuple[dict[str, dict[str, float | int | None]], float, list[dict[str, Any]]]:
    """(per-type figures, notes per second, the first misses) for ``predict`` over ``notes``."""
    board = Scoreboard()
    predictions: list[list[Triple]] = []
    started = time.perf_counter()
    for note in notes:
        predictions.append(predict(note))
    elapsed = time.perf_counter() - started
    errors: list[dict[str, Any]] = []
    for note, predicted in zip(notes, predictions, strict=True):
        gold = [(s.start, s.end, s.entity_type) for s in note.spans]
        board.add_note(gold, predicted)
        if len(errors) < 200:
            for g in set(gold) - set(predicted):
                errors.append(
                    {"kind": "miss", "type": g[2], "text": note.text[g[0] : g[1]], "note": note.text}
                )
            for p in set(predicted) - set(gold):
                errors.append(
                    {"kind": "false", "type": p[2], "text": note.text[p[0] : p[1]], "note": note.text}
                )
    rate = len(notes) / elapsed if elapsed > 0 else float("inf")
    return board.report(ENTITY_TYPES), rate, errors


def ours(known_names: bool = True) -> Callable[[LabelledNote], list[Triple]]:
    from privacy.deid import get_deidentifier

    deid = get_deidentifier()

    def predict(note: LabelledNote) -> list[Triple]:
        names = note.known_names if known_names else ()
        return [(s.start, s.end, s.entity_type) for s in deid.redact(note.text, known_names=names).spans]

    return predict


def stock() -> Callable[[LabelledNote], list[Triple]]:
    from bench.deid_eval.stock import stock_analyzer, stock_spans

    analyzer = stock_analyzer()
    analyzer.analyze(text="warm up", language="en")
    return lambda note: stock_spans(analyzer, note.text)


def target_failures(figures: dict[str, dict[str, float | int | None]]) -> list[str]:
    """Types whose exact-match recall is under :data:`TARGETS`."""
    return [
        f"{t}: recall {figures[t]['recall']} < {goal}"
        for t, goal in TARGETS.items()
        if t in figures and figures[t]["recall"] is not None and float(figures[t]["recall"]) < goal
    ]
