"""``python -m bench.deid_eval``: de-identification recall, look-alikes kept, speed beside stock Presidio."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bench.deid_eval.run import run_evaluation


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.deid_eval",
        description="Recall per identifier kind and form of privacy.deid on an independently written corpus, "
        "look-alikes and clinical terms kept, notes/s beside stock Presidio, start-up of `medshare deid text`.",
        epilog="example: python -m bench.deid_eval --notes 600 --seed 1 --split dev --stock-notes 100",
    )
    parser.add_argument("--notes", type=int, default=600, help="independent notes to generate (default 600)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--split", choices=("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6",
                                                 "heldout7", "heldout8", "heldout9", "heldout10", "heldout11"),
                        default="dev", help="dev: what the recognisers may be tuned on; heldout, heldout2, heldout3, "
                        "heldout4, heldout5, heldout6, heldout7, heldout8, heldout9, heldout10, heldout11: measuring only (default dev)")
    parser.add_argument("--stock-notes", type=int, default=100,
                        help="notes to run stock Presidio on (slow: ~30 notes/s; 0 skips it; default 100)")
    parser.add_argument("--simulator", type=int, default=300, help="platform simulator notes (0 skips them)")
    parser.add_argument("--bench", type=int, default=300, help="notes of bench/deid_eval/generate.py (0 skips)")
    parser.add_argument("--no-startup", action="store_true", help="do not time `medshare deid text` start-up")
    parser.add_argument("--misses", type=int, default=15, help="examples of misses to print (default 15)")
    parser.add_argument("--name-methods", action="store_true",
                        help="also compare name finding alone: jieba posseg nr vs the name model")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target of the issue is missed")
    args = parser.parse_args(argv)
    if args.notes < 1 or args.stock_notes < 0 or args.simulator < 0 or args.bench < 0:
        parser.error("--notes must be at least 1 and the other counts at least 0")

    report = run_evaluation(
        notes=args.notes,
        seed=args.seed,
        split=args.split,
        stock_notes=min(args.stock_notes, args.notes),
        simulator=args.simulator,
        bench=args.bench,
        startup=not args.no_startup,
        misses=args.misses,
        name_methods=args.name_methods,
    )
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_report(report, args.misses)
    return 1 if args.check and report["target_failures"] else 0


_TITLES = {
    "independent": "independent corpus (bench/deid_eval/independent.py), as `medshare deid text` redacts",
    "simulator": "platform simulator notes, with the person's identifiers known (the lab's de-identifier)",
    "bench": "bench/deid_eval/generate.py notes (written alongside the recognisers: a regression set)",
}


def _print_report(report: dict[str, Any], misses: int) -> None:
    print(f"de-identification — split {report['split']}, seed {report['seed']}; {report['machine']}")
    print(f"de-identifier built in {report['build_seconds']} s\n")
    targets = report["targets"]["recall"]
    for key, data in report["sets"].items():
        print(f"== {_TITLES.get(key, key)}")
        print(f"   {data['notes']} notes, {data['avg_note_chars']} characters on average; "
              f"{data['notes_per_cpu_s']} notes per CPU-second ({data['notes_per_wall_s']} per wall-second)")
        ident = data["identifiers"]
        print(f"   identifiers caught: {ident['ok']}/{ident['n']} = {ident['rate']}")
        print(f"   {'kind':<22}{'n':>6}{'recall':>9}{'target':>8}")
        for kind, f in data["recall_by_kind"].items():
            goal = targets.get(kind)
            flag = "" if goal is None or f["rate"] is None or f["rate"] >= goal else "  MISSED"
            print(f"   {kind:<22}{f['n']:>6}{f['rate']:>9.4f}{goal if goal else '':>8}{flag}")
        print(f"   {'kind/form':<40}{'n':>6}{'recall':>9}")
        for form, f in data["recall_by_form"].items():
            print(f"   {form:<40}{f['n']:>6}{f['rate']:>9.4f}")
        if data["decoys_kept"]["n"]:
            print(f"   look-alikes kept: {data['decoys_kept']['ok']}/{data['decoys_kept']['n']} = "
                  f"{data['decoys_kept']['rate']}   "
                  + ", ".join(f"{k} {v['rate']}" for k, v in data["decoys_kept_by_kind"].items()))
        if data["clinical_terms_kept"]["n"]:
            t = data["clinical_terms_kept"]
            print(f"   clinical terms kept: {t['ok']}/{t['n']} = {t['rate']}")
        if "rules_only" in data:
            r = data["rules_only"]
            print(f"   the rules alone, same notes, same run: {r['notes_per_cpu_s']} notes per CPU-second; identifiers "
                  f"{r['identifiers']['rate']}, person names {r['recall_by_kind'].get('person_name')}, addresses "
                  f"{r['recall_by_kind'].get('address')}, look-alikes kept {r['decoys_kept']}, "
                  f"clinical terms kept {r['clinical_terms_kept']}")
        for m in data["missed"][:misses]:
            print(f"   missed {m['kind']}/{m['form']}: …{m['context']}…".replace("\n", "⏎"))
        for m in data["lost"][:misses]:
            print(f"   lost {m['kind']}: …{m['context']}…".replace("\n", "⏎"))
        print()
    if "stock" in report:
        st = report["stock"]
        f = st["figures"]
        print(f"== stock Presidio on the first {st['notes']} independent notes: {st['configuration']}")
        print(f"   {st['notes_per_cpu_s']} notes per CPU-second vs ours {st['ours_notes_per_cpu_s_same_notes']} "
              f"on the same notes ({st['speedup']}x)")
        print(f"   identifiers caught {f['identifiers']['rate']}; "
              + ", ".join(f"{k} {v['rate']}" for k, v in f["recall_by_kind"].items()))
        print(f"   look-alikes kept {f['decoys_kept']['rate']}, clinical terms kept {f['clinical_terms_kept']['rate']}\n")
    for name, f in report.get("name_methods", {}).items():
        print(f"names alone, {name}: person-name recall {f['person_name_recall']}, clinical terms kept "
              f"{f['clinical_terms_kept']}, {f['notes_per_cpu_s']} notes per CPU-second")
    if "startup_s" in report:
        print(f"start-up of `medshare deid text` (process start to first note out, best of 3): {report['startup_s']} s "
              f"wall, {report['startup_cpu_s']} s CPU")
    failures = report["target_failures"]
    print("targets: " + ("all met" if not failures else "MISSED: " + "; ".join(failures)))
    print(f"total time {report['seconds']} s")


if __name__ == "__main__":
    sys.exit(main())
