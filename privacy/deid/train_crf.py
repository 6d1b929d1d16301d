"""``python -m privacy.deid.train_crf``: train the name-and-address CRF (:mod:`privacy.deid.crf`).

Training data are the independent corpus's burned splits (``bench.deid_eval.independent``: dev,
heldout, heldout2 … heldout7, generated here, never read from disk), their gold ``person_name``
and ``address`` spans mapped onto the normalised note the recognisers read. The command is
deterministic: the same splits, sizes, seeds and parameters give the same model file.

    python -m privacy.deid.train_crf --out privacy/deid/models/names_addresses.crfsuite

It needs the repository checkout (``bench/``); the de-identifier at run time needs only the
model file.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from privacy.deid.crf import (
    LABELS,
    MODEL_PATH,
    features,
    labels_for,
    lexicon_marks,
    name_starts,
    positions,
    rule_tags,
    windows,
)
from privacy.deid.entities import ADDRESS, PERSON

#: the splits the model is trained on: every one a round of rules has already been tuned on
BURNED_SPLITS = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7")
#: gold kinds → the model's entities
GOLD_KINDS = {"person_name": PERSON, "address": ADDRESS}
#: crfsuite's L-BFGS settings (L1 keeps the model small, L2 smooths it)
PARAMS: dict[str, Any] = {
    "c1": 0.1,
    "c2": 0.01,
    "max_iterations": 150,
    "feature.possible_transitions": True,
    "feature.minfreq": 2,
}
#: share of the rules' name and address hits hidden from the features in training (:func:`sequences`)
DROPOUT = 0.5


@dataclass(frozen=True, slots=True)
class Prepared:
    """One note as the model sees it: the normalised text, the rules' hits, the gold spans."""

    text: str
    rule_spans: tuple[tuple[int, int, str], ...]
    gold: tuple[tuple[int, int, str], ...]
    name_starts: tuple[int, ...] = ()


def prepare(notes: Iterable[dict[str, Any]], deid: Any = None) -> list[Prepared]:
    """Normalise each note, run the rule recognisers on it, map its gold names and addresses."""
    from privacy.deid.engine import Deidentifier
    from privacy.deid.normalise import normalise
    from privacy.deid.recognizers.base import Doc

    deid = deid or Deidentifier(crf_model=None)
    out = []
    for note in notes:
        doc = Doc(normalise(note["text"]))
        hits = deid.rule_hits(doc)
        rule = tuple((h.start, h.end, h.entity_type) for h in hits if h.score >= deid.score_threshold)
        out.append(Prepared(doc.text, rule, tuple(_gold(doc.norm, note["identifiers"])), tuple(name_starts(doc))))
    return out


def _gold(norm: Any, identifiers: Sequence[dict[str, Any]]) -> Iterator[tuple[int, int, str]]:
    """Gold spans in the normalised text: the run of normalised characters each original span
    came from (normalisation only folds widths and joins or rewrites numbers)."""
    wanted = [(i["start"], i["end"], GOLD_KINDS[i["kind"]]) for i in identifiers if i["kind"] in GOLD_KINDS]
    if not wanted:
        return
    owner: list[int] = []
    for pos in range(len(norm.text)):
        o_start, o_end = norm.to_original(pos, pos + 1)
        owner.append(next((k for k, (s, e, _) in enumerate(wanted) if o_start < e and s < o_end), -1))
    start = 0
    for pos in range(1, len(owner) + 1):
        if pos == len(owner) or owner[pos] != owner[start]:
            if owner[start] >= 0:
                yield start, pos, wanted[owner[start]][2]
            start = pos


def sequences(prepared: Iterable[Prepared], rule_features: bool = False,
              dropout: float = 0.0) -> Iterator[tuple[list[list[str]], list[str]]]:
    """(features, labels) of each note: its windows as one sequence, as the model tags them at run time. ``dropout`` hides
    that share of the rules' name and address hits from the features (a fixed-seed draw): the
    rules are near perfect on the splits they were tuned on, and a model that always saw them
    would learn only to copy them."""
    rng = random.Random(8)
    for p in prepared:
        spans = windows(p.text, p.rule_spans, p.name_starts)
        if not spans:
            continue
        rule = p.rule_spans
        if dropout:
            rule = tuple(r for r in rule if r[2] not in (PERSON, ADDRESS) or rng.random() >= dropout)
        index = positions(spans)
        tags = rule_tags(len(p.text), rule) if rule_features else None
        labels = labels_for(len(p.text), p.gold)
        yield features(p.text, index, lexicon_marks(p.text), tags), [labels[i] for i in index]


def train(prepared: Iterable[Prepared], out: Path, rule_features: bool = False,
          params: dict[str, Any] | None = None, about: dict[str, Any] | None = None,
          dropout: float = DROPOUT) -> dict[str, Any]:
    """Train a model on ``prepared`` notes into ``out`` (and what it is, ``out`` with ``.json``, which
    :class:`~privacy.deid.crf.CrfModel` reads); returns what was done."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.select("lbfgs", "crf1d")
    trainer.set_params({**PARAMS, **(params or {})})
    n = 0
    for xseq, yseq in sequences(prepared, rule_features, dropout if rule_features else 0.0):
        trainer.append(xseq, yseq)
        n += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    started = time.process_time()
    trainer.train(str(out))
    info = {"sequences": n, "train_cpu_s": round(time.process_time() - started, 1), "bytes": out.stat().st_size,
            "iterations": trainer.logparser.last_iteration.get("num") if trainer.logparser.last_iteration else None}
    meta = {"rule_features": rule_features, "params": {**PARAMS, **(params or {})}, "labels": list(LABELS),
            "sequences": n,
            "dropout": dropout if rule_features else 0.0, **(about or {})}
    out.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                        encoding="utf-8")
    return info


def corpus(splits: Sequence[str], n: int, seeds: Sequence[int]) -> list[dict[str, Any]]:
    """The independent corpus's notes of ``splits`` × ``seeds`` (``n`` each)."""
    from bench.deid_eval.independent import generate

    return [note for split in splits for seed in seeds for note in generate(n, seed, split)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m privacy.deid.train_crf", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help=f"model file (default {MODEL_PATH})")
    parser.add_argument("--splits", default=",".join(BURNED_SPLITS), help="comma-separated splits (default: all burned)")
    parser.add_argument("--n", type=int, default=600, help="notes per split and seed (default 600)")
    parser.add_argument("--seeds", default="1", help="comma-separated generator seeds (default 1)")
    parser.add_argument("--rule-features", action="store_true", help="train with the rules' hits as features "
                        "(docs/deid.md, round 8: measured, not better)")
    args = parser.parse_args(argv)
    splits = [s for s in args.splits.split(",") if s]
    unknown = set(splits) - set(BURNED_SPLITS)
    if unknown:
        parser.error(f"--splits: {sorted(unknown)} are not burned splits ({', '.join(BURNED_SPLITS)})")
    seeds = [int(s) for s in args.seeds.split(",")]
    started = time.perf_counter()
    prepared = prepare(corpus(splits, args.n, seeds))
    about = {"trained_on": {"splits": splits, "n": args.n, "seeds": seeds}}
    info = train(prepared, args.out, rule_features=args.rule_features, about=about)
    print(f"trained on {len(prepared)} notes ({', '.join(splits)}; seeds {args.seeds}): {info['sequences']} sequences, "
          f"{info['iterations']} iterations, {info['train_cpu_s']} CPU-s; {args.out} {info['bytes']:,} bytes; "
          f"{time.perf_counter() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
