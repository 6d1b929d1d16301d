"""``python -m bench.deid_eval``: de-identification quality and throughput, beside stock Presidio."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bench.deid_eval.run import run_evaluation
from privacy.deid.entities import ENTITY_TYPES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.deid_eval",
        description="Entity-level precision/recall/F1 of privacy.deid on labelled Chinese notes.",
        epilog="example: python -m bench.deid_eval --notes 5000 --seed 1 --stock-notes 300",
    )
    parser.add_argument("--notes", type=int, default=5000, help="labelled notes to generate (default 5000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument(
        "--stock-notes",
        type=int,
        default=300,
        help="notes to run stock Presidio on (slow: ~30 notes/s; 0 skips it; default 300)",
    )
    parser.add_argument("--no-simulator", action="store_true", help="skip the platform simulator's notes")
    parser.add_argument("--no-text-only", action="store_true", help="skip the run without known names")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    parser.add_argument("--check", action="store_true", help="exit 1 when a recall target is missed")
    args = parser.parse_args(argv)
    if args.notes < 1 or args.stock_notes < 0:
        parser.error("--notes must be at least 1 and --stock-notes at least 0")

    report = run_evaluation(
        notes=args.notes,
        seed=args.seed,
        stock_notes=min(args.stock_notes, args.notes),
        simulator=not args.no_simulator,
        text_only=not args.no_text_only,
    )
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_report(report)
    return 1 if args.check and report["target_failures"] else 0


_TITLES = {
    "bench": "bench notes, with the record's known names (the pipeline's mode)",
    "bench_text_only": "bench notes, text only (no known names; `medshare deid text` without --name)",
    "simulator": "platform simulator notes (medshare.simulate.notes), with known names",
}


def _print_report(report: dict[str, Any]) -> None:
    print(
        f"de-identification quality — {report['notes']} notes, seed {report['seed']}, "
        f"{report['avg_note_chars']} characters per note on average"
    )
    print(f"matching: {report['matching']}")
    print(f"de-identifier built in {report['build_seconds']} s; {report['machine']}\n")
    for key, data in report["sets"].items():
        print(f"== {_TITLES.get(key, key)}: {data['notes_per_s']} notes/s")
        _print_table(data["figures"])
        print()
    if "stock" in report:
        st = report["stock"]
        print(f"== stock Presidio on the first {st['notes']} bench notes: {st['configuration']}")
        print(
            f"   throughput: stock {st['notes_per_s']} notes/s vs medshare {st['ours_notes_per_s_same_notes']} notes/s"
        )
        print(
            "   (stock types mapped: PERSON, PHONE_NUMBER→PHONE, EMAIL_ADDRESS→EMAIL, CREDIT_CARD/IBAN/US_BANK→BANK_CARD,"
        )
        print(
            "    LOCATION→ADDRESS, ORGANIZATION→INSTITUTION; anything else is OTHER and counts as a false positive)"
        )
        _print_table(st["figures"])
        print()
    failures = report["target_failures"]
    targets = ", ".join(f"{t} ≥ {v}" for t, v in report["targets"].items())
    print(f"recall targets ({targets}): " + ("all met" if not failures else "MISSED: " + "; ".join(failures)))
    print(f"total time {report['seconds']} s")


def _print_table(figures: dict[str, dict[str, Any]]) -> None:
    print(
        f"   {'type':<19}{'gold':>6}{'pred':>6}  {'P':>6} {'R':>6} {'F1':>6}   {'R(ovl)':>6} {'F1(ovl)':>7} {'covered':>7}"
    )
    order = [t for t in (*ENTITY_TYPES, "OTHER") if t in figures] + ["ALL"]
    for t in order:
        f = {k: ("     -" if v is None else v) for k, v in figures[t].items()}
        print(
            f"   {t:<19}{f['gold']:>6}{f['predicted']:>6}  {_n(f['precision'])} {_n(f['recall'])} {_n(f['f1'])}"
            f"   {_n(f['recall_overlap'])} {_n(f['f1_overlap'], 7)} {_n(f['covered'], 7)}"
        )


def _n(value: Any, width: int = 6) -> str:
    return f"{value:>{width}.3f}" if isinstance(value, float) else f"{'-':>{width}}"


if __name__ == "__main__":
    sys.exit(main())
