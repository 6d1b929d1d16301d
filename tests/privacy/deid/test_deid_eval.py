"""bench/deid_eval: value scoring, and the issue's targets on the independent corpus's dev split.

The corpus generator (bench/deid_eval/independent.py) is run, never read, here as in the
benchmark; only ``split="dev"`` is used in tests (the held-out split is for measuring).
"""

from __future__ import annotations

import pytest

from bench.deid_eval.__main__ import main
from bench.deid_eval.run import DECOYS_TARGET, TARGETS, TERMS_TARGET, run_evaluation
from bench.deid_eval.value_scoring import caught, kept, score_notes
from privacy.deid.normalise import fold


@pytest.fixture(scope="module")
def report(deidentifier):
    return run_evaluation(notes=200, seed=20260305, split="dev", stock_notes=0, simulator=100, bench=100,
                          startup=False)


@pytest.mark.parametrize("kind", sorted(TARGETS))
def test_recall_targets_on_independent_dev_notes(report, kind):
    figures = report["sets"]["independent"]["recall_by_kind"]
    assert figures[kind]["n"] > 0, f"the set has no {kind}"
    assert figures[kind]["rate"] >= TARGETS[kind], figures[kind]


def test_look_alikes_and_clinical_terms_are_kept(report):
    figures = report["sets"]["independent"]
    assert figures["decoys_kept"]["rate"] >= DECOYS_TARGET
    assert figures["clinical_terms_kept"]["rate"] >= TERMS_TARGET


def test_simulator_notes_with_known_identifiers(report):
    assert report["sets"]["simulator"]["identifiers"]["rate"] >= 0.99


def test_value_scoring():
    note = {"text": "王主任查房，王芳陪同，1周后复诊", "identifiers": [], "decoys": [], "clinical_terms": []}
    surname = {"value": "王", "start": 0, "end": 1}
    assert caught(note, surname, "<PERSON>主任查房,王芳陪同")  # another 王 elsewhere does not count
    assert not caught(note, surname, "王主任查房")
    assert caught(note, {"value": "１３８ １２３４", "start": 0, "end": 0}, "电话<PHONE>")
    assert not caught(note, {"value": "138-1234", "start": 0, "end": 0}, fold("电话 １３８１２３４"))
    assert kept("2024-03-15", "复诊20240315")
    notes = [{"text": "电话13812345678，批号230414", "identifiers": [{"kind": "phone", "form": "plain",
              "value": "13812345678", "start": 2, "end": 13}], "decoys": [{"kind": "batch_no", "value": "230414",
              "start": 17, "end": 23}], "clinical_terms": []}]
    scored = score_notes(notes, lambda t: t.replace("13812345678", "<PHONE>").replace("230414", "<X>"))
    assert scored["recall_by_kind"]["phone"]["rate"] == 1.0
    assert scored["decoys_kept"]["rate"] == 0.0


def test_cli_json_and_check(capsys):
    argv = ["--notes", "20", "--seed", "4", "--stock-notes", "0", "--simulator", "0", "--bench", "0",
            "--no-startup", "--json"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert '"independent"' in out and '"notes_per_cpu_s"' in out
