"""bench/deid_eval on a small set: the issue's recall targets, and the scorer itself."""

from __future__ import annotations

import pytest

from bench.deid_eval.__main__ import main
from bench.deid_eval.evaluate import TARGETS
from bench.deid_eval.generate import KINDS, generate_notes
from bench.deid_eval.metrics import Scoreboard
from bench.deid_eval.run import run_evaluation


@pytest.fixture(scope="module")
def report(deidentifier):
    return run_evaluation(notes=300, seed=20260305, stock_notes=0)


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_recall_targets_on_bench_notes(report, target):
    figures = report["sets"]["bench"]["figures"]
    assert figures[target]["gold"] > 0, f"the set has no {target}"
    assert figures[target]["recall"] >= TARGETS[target], figures[target]


def test_targets_hold_on_simulator_notes_and_without_known_names(report):
    assert "simulator" in report["sets"], "the evaluation must include the simulator's notes"
    assert report["target_failures"] == []
    text_only = report["sets"]["bench_text_only"]["figures"]
    assert all(text_only[t]["recall"] >= goal for t, goal in TARGETS.items())


def test_precision_is_high_too(report):
    assert report["sets"]["bench"]["figures"]["ALL"]["precision"] >= 0.98


def test_generator_is_deterministic_and_spans_are_exact():
    a, b = generate_notes(30, 3), generate_notes(30, 3)
    assert a == b
    assert {n.kind for n in a} == set(KINDS)
    for note in a:
        assert note.known_names and note.known_names[0] in note.text
        for s in note.spans:
            assert note.text[s.start : s.end].strip() == note.text[s.start : s.end] != ""
        assert all(x.end <= y.start for x, y in zip(note.spans, note.spans[1:], strict=False))


def test_scoreboard_exact_overlap_and_covered():
    board = Scoreboard()
    gold = [(0, 4, "PHONE"), (10, 14, "PERSON"), (20, 30, "ADDRESS")]
    predicted = [(0, 4, "PHONE"), (10, 13, "PERSON"), (18, 32, "INSTITUTION"), (40, 42, "PERSON")]
    board.add_note(gold, predicted)
    figures = board.report(["PHONE", "PERSON", "ADDRESS", "INSTITUTION"])
    assert figures["PHONE"]["recall"] == 1.0 and figures["PHONE"]["precision"] == 1.0
    assert figures["PERSON"]["recall"] == 0.0 and figures["PERSON"]["recall_overlap"] == 1.0
    assert figures["PERSON"]["precision_overlap"] == 0.5
    assert figures["ADDRESS"]["recall"] == 0.0 and figures["ADDRESS"]["covered"] == 1.0
    assert figures["INSTITUTION"]["recall"] is None and figures["INSTITUTION"]["precision"] == 0.0
    assert figures["ALL"]["gold"] == 3 and figures["ALL"]["predicted"] == 4


def test_cli_json_and_check(capsys):
    assert (
        main(["--notes", "20", "--seed", "4", "--stock-notes", "0", "--no-simulator", "--json", "--check"])
        == 0
    )
    out = capsys.readouterr().out
    assert '"bench"' in out and '"notes_per_s"' in out
