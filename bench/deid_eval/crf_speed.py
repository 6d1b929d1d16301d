"""What the learned model (privacy/deid/crf.py) costs, and a check that a faster version changes nothing.

``dump --out F`` redacts every note of the independent splits (dev and the eight burned heldout
splits; 600 notes, seed 1; plus 300 simulator notes with the person's identifiers known and 300
notes of ``generate.py``) and writes, per note, the redacted text, the spans and the model's own
hits, as JSON;
``compare A B`` says where two dumps differ (exit 1 if anywhere). Run both dumps with the same
``PYTHONHASHSEED`` (e.g. 0): the model's hits on one heldout7 note (a compound-surname name the
rules also find) depend on the hash seed with or without a change; the redacted texts do not. ``speed --old FILE`` alternates
the shipped module with another copy of it (``FILE``, e.g. the version before a change) over the
600 heldout8 notes, three times each, after a 50-note warm-up: notes per CPU-second
(:func:`time.process_time`) with the load average beside each figure.

    PYTHONHASHSEED=0 python -m bench.deid_eval.crf_speed dump --out /tmp/new.json
    python -m bench.deid_eval.crf_speed compare /tmp/old.json /tmp/new.json
    python -m bench.deid_eval.crf_speed speed --old /tmp/crf_old.py
    python -m bench.deid_eval.crf_speed interleave --old /tmp/crf_old.py --split dev --rounds 3

``interleave`` runs the old module, the new one, the rules alone and stock Presidio in one process,
taking turns every 20 notes: on a loaded shared machine the load falls on all four alike.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

SPLITS = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8")
#: the two other sets ``python -m bench.deid_eval`` redacts (simulator notes with the person's identifiers known)
EXTRA = ("simulator", "bench")


def _notes(split: str, n: int = 600) -> list[str]:
    from bench.deid_eval.independent import generate

    return [note["text"] for note in generate(n, 1, split)]


def dump(out: Path) -> None:
    from privacy.deid.engine import Deidentifier

    if not os.environ.get("PYTHONHASHSEED"):
        print("warning: PYTHONHASHSEED is not set; compare only dumps made with the same seed", file=sys.stderr)
    deid = Deidentifier()
    model = deid.crf_model
    assert model is not None, "the shipped model is missing"
    found: list[list[Any]] = []
    original = model.find

    def find(doc, hits, wanted):  # type: ignore[no-untyped-def]
        result = original(doc, hits, wanted)
        found.append([[h.start, h.end, h.entity_type] for h in result])
        return result

    model.find = find  # type: ignore[method-assign]
    result: dict[str, list[dict[str, Any]]] = {}

    def row(text: str, known: Any = None) -> dict[str, Any]:
        found.clear()
        red = deid.redact(text, known=known)
        return {"text": red.text, "spans": [[s.start, s.end, s.entity_type] for s in red.spans],
                "model": list(found)}

    for split in SPLITS:
        result[split] = [row(text) for text in _notes(split)]
    from bench.deid_eval.run import bench_notes, simulator_notes
    from privacy.deid.known import KnownIdentifiers

    key = bytes(32)  # the memory's digests need a key; its value changes nothing found
    result["simulator"] = [row(note["text"], KnownIdentifiers.build(key, **person))
                           for note, person in simulator_notes(300, 1) or []]
    result["bench"] = [row(note["text"]) for note in bench_notes(300, 1)]
    out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    print(f"{out}: {sum(len(v) for v in result.values())} notes")


def compare(a: Path, b: Path) -> int:
    old = json.loads(a.read_text(encoding="utf-8"))
    new = json.loads(b.read_text(encoding="utf-8"))
    differ = 0
    for split in (*SPLITS, *EXTRA):
        for i, (x, y) in enumerate(zip(old[split], new[split], strict=True)):
            if x != y:
                differ += 1
                if differ <= 5:
                    print(f"{split} note {i}: differs\n  old {x}\n  new {y}")
    print(f"{differ} notes differ of {sum(len(old[s]) for s in (*SPLITS, *EXTRA))}")
    return 1 if differ else 0


def _load(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location("crf_other", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["crf_other"] = module
    spec.loader.exec_module(module)
    return module


def speed(old_path: Path, rounds: int = 3) -> None:
    from privacy.deid import crf
    from privacy.deid.engine import Deidentifier

    notes = _notes("heldout8")
    other = _load(old_path)
    engines = {"old": Deidentifier(crf_model=other.CrfModel(crf.MODEL_PATH)),
               "new": Deidentifier(crf_model=crf.CrfModel(crf.MODEL_PATH)),
               "rules": Deidentifier(crf_model=None)}
    for deid in engines.values():
        for text in notes[:50]:
            deid.redact(text)
    figures: dict[str, list[float]] = {k: [] for k in engines}
    for r in range(rounds):
        for name, deid in engines.items():
            load = os.getloadavg()[0]
            started = time.process_time()
            for text in notes:
                deid.redact(text)
            rate = len(notes) / (time.process_time() - started)
            figures[name].append(rate)
            print(f"round {r + 1} {name:5s} {rate:7.0f} notes/CPU-s  load {load:.2f}", flush=True)
    for name, rates in figures.items():
        print(f"{name:5s} best {max(rates):.0f}  median {sorted(rates)[len(rates) // 2]:.0f}")


def interleave(old_path: Path, split: str = "dev", rounds: int = 3, chunk: int = 20, stock_notes: int = 200) -> None:
    """The old module, the new one, the rules alone and stock Presidio on the same notes in one
    process, taking turns every ``chunk`` notes (the order rotating), so that a shared machine's load
    falls on all of them alike; stock Presidio and the two models on the first ``stock_notes`` notes.
    Prints, per round, notes per CPU-second of each and the ratios to stock on the same notes."""
    from bench.deid_eval.stock import stock_redact
    from privacy.deid import crf
    from privacy.deid.engine import Deidentifier

    notes = _notes(split)
    other = _load(old_path)
    old = Deidentifier(crf_model=other.CrfModel(crf.MODEL_PATH))
    new = Deidentifier(crf_model=crf.CrfModel(crf.MODEL_PATH))
    rules = Deidentifier(crf_model=None)
    runs: dict[str, Any] = {"old": lambda t: old.redact(t).text, "new": lambda t: new.redact(t).text,
                            "rules": lambda t: rules.redact(t).text}
    if stock_notes:
        runs["stock"] = stock_redact()
    for run in runs.values():
        for text in notes[:20]:
            run(text)
    table: dict[str, list[float]] = {}
    for r in range(rounds):
        cpu: dict[str, float] = dict.fromkeys(("old", "new", "rules", "stock", "old@stock", "new@stock"), 0.0)
        load = os.getloadavg()[0]
        for c, at in enumerate(range(0, len(notes), chunk)):
            part = notes[at : at + chunk]
            names = list(runs)
            names = names[c % len(names):] + names[: c % len(names)]
            for name in names:
                if name == "stock" and at >= stock_notes:
                    continue
                started = time.process_time()
                for text in part:
                    runs[name](text)
                spent = time.process_time() - started
                cpu[name] += spent
                if at < stock_notes and name in ("old", "new"):
                    cpu[name + "@stock"] += spent
        n_stock = min(stock_notes, len(notes))
        rates = {name: len(notes) / cpu[name] for name in ("old", "new", "rules")}
        if stock_notes:
            rates["stock"] = n_stock / cpu["stock"]
            rates["old@stock"] = n_stock / cpu["old@stock"]
            rates["new@stock"] = n_stock / cpu["new@stock"]
            rates["old/stock"] = rates["old@stock"] / rates["stock"]
            rates["new/stock"] = rates["new@stock"] / rates["stock"]
        rates["new/old"] = rates["new"] / rates["old"]
        for key, value in rates.items():
            table.setdefault(key, []).append(value)
        print(f"round {r + 1} (load {load:.2f}): " + ", ".join(f"{k} {v:.1f}" for k, v in rates.items()), flush=True)
    print("median: " + ", ".join(f"{k} {sorted(v)[len(v) // 2]:.1f}" for k, v in table.items()))
    print("range:  " + ", ".join(f"{k} {min(v):.1f}-{max(v):.1f}" for k, v in table.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("dump")
    p.add_argument("--out", type=Path, required=True)
    p = sub.add_parser("compare")
    p.add_argument("a", type=Path)
    p.add_argument("b", type=Path)
    p = sub.add_parser("speed")
    p.add_argument("--old", type=Path, required=True)
    p.add_argument("--rounds", type=int, default=3)
    p = sub.add_parser("interleave")
    p.add_argument("--old", type=Path, required=True)
    p.add_argument("--split", default="dev", choices=SPLITS)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--chunk", type=int, default=20)
    p.add_argument("--stock-notes", type=int, default=200)
    args = parser.parse_args(argv)
    if args.cmd == "dump":
        dump(args.out)
    elif args.cmd == "compare":
        return compare(args.a, args.b)
    elif args.cmd == "interleave":
        interleave(args.old, args.split, args.rounds, args.chunk, args.stock_notes)
    else:
        speed(args.old, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
