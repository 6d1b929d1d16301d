"""``python -m bench.deid_eval.crf_loso``: the name-and-address CRF measured leave-one-split-out.

For each burned split S (dev, heldout, heldout2 … heldout7), a model is trained on the other seven
(:mod:`privacy.deid.train_crf`, same parameters as the shipped model) and S is scored with the
project's scorer (:mod:`bench.deid_eval.value_scoring`) twice: the rules alone, and the rules plus
that model. Each split holds ~30 % forms of its own, so a left-out split stands in for an unseen
one — for the model. The rules were tuned on all eight, so their column is in-sample; the model reads no
rule output by default (``--rule-features`` makes it read the rules' hits, which are then in-sample too).

    python -m bench.deid_eval.crf_loso --out /tmp/loso.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.deid_eval.value_scoring import score_notes

KINDS = ("person_name", "address")


def _summary(scores: dict[str, Any]) -> dict[str, Any]:
    by_kind = scores["recall_by_kind"]
    return {
        "person_name": by_kind.get("person_name", {}).get("rate"),
        "address": by_kind.get("address", {}).get("rate"),
        "all": scores["identifiers"]["rate"],
        "decoys_kept": scores["decoys_kept"]["rate"],
        "terms_kept": scores["clinical_terms_kept"]["rate"],
        "notes_per_cpu_s": scores["notes_per_cpu_s"],
        "forms": {k: v["rate"] for k, v in scores["recall_by_form"].items() if k.split("/")[0] in KINDS},
    }


def run(splits: list[str], folds: list[str], n: int, seed: int, rule_features: bool,
        extra_seeds: list[int], dropout: float) -> dict[str, Any]:
    from privacy.deid.crf import CrfModel
    from privacy.deid.engine import Deidentifier
    from privacy.deid.train_crf import corpus, prepare, train

    rules = Deidentifier(crf_model=None)
    notes = {s: corpus([s], n, [seed]) for s in splits}
    prepared = {s: prepare(notes[s], rules) for s in splits}
    extra = {s: prepare(corpus([s], n, extra_seeds), rules) for s in splits} if extra_seeds else {}
    out: dict[str, Any] = {"load_start": os.getloadavg()[0], "rule_features": rule_features,
                           "extra_seeds": extra_seeds, "dropout": dropout, "folds": {}}
    for held in folds:
        started = time.perf_counter()
        train_on = [p for s in splits if s != held for p in prepared[s] + extra.get(s, [])]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "fold.crfsuite"
            info = train(train_on, path, rule_features=rule_features, dropout=dropout)
            model = CrfModel(path)
            both = Deidentifier(crf_model=model)
            for note in notes[held][:20]:
                both.redact(note["text"])
                rules.redact(note["text"])
            r = _summary(score_notes(notes[held], lambda t: rules.redact(t).text))
            c = _summary(score_notes(notes[held], lambda t, both=both: both.redact(t).text))
            # the model alone (no rule span redacted; the rules still choose its windows): its own
            # generalisation, on folds where the rules' figure is in-sample
            alone = {k: v["rate"] for k, v in score_notes(
                notes[held], lambda t, model=model: _model_only(model, rules, t))["recall_by_kind"].items()
                if k in KINDS}
        out["folds"][held] = {"rules": r, "rules_crf": c, "model_alone": alone, "train": info,
                              "seconds": round(time.perf_counter() - started), "load": os.getloadavg()[0]}
        print(f"{held}: rules names {r['person_name']} addr {r['address']} all {r['all']} decoys {r['decoys_kept']} "
              f"terms {r['terms_kept']} | +crf names {c['person_name']} addr {c['address']} all {c['all']} "
              f"decoys {c['decoys_kept']} terms {c['terms_kept']} | model alone {alone} ({info['sequences']} sequences, "
              f"{info['train_cpu_s']} CPU-s, {info['bytes']:,} B)", flush=True)
    return out


def _model_only(model: Any, rules: Any, text: str) -> str:
    """``text`` with only the model's names and addresses replaced (``<PERSON>``, ``<ADDRESS>``)."""
    from privacy.deid.crf import name_starts
    from privacy.deid.normalise import normalise
    from privacy.deid.recognizers.base import Doc

    doc = Doc(normalise(text))
    hits = [h for h in rules.rule_hits(doc) if h.score >= rules.score_threshold]
    spans = model.spans(doc.text, [(h.start, h.end, h.entity_type) for h in hits], name_starts(doc))
    out, pos = [], 0
    for s, e, kind in sorted(doc.norm.to_original(s, e) + (kind,) for s, e, kind in spans):
        if s < pos:
            continue
        out.append(text[pos:s] + f"<{kind}>")
        pos = e
    return "".join(out) + text[pos:]


def main(argv: list[str] | None = None) -> int:
    from privacy.deid.train_crf import BURNED_SPLITS, DROPOUT

    parser = argparse.ArgumentParser(prog="python -m bench.deid_eval.crf_loso", description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", default=",".join(BURNED_SPLITS), help="splits to leave out in turn (default all)")
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--extra-seeds", default="", help="more seeds of the training splits (comma-separated)")
    parser.add_argument("--rule-features", action="store_true", help="the model reads the rules' hits too")
    parser.add_argument("--dropout", type=float, default=DROPOUT, help=f"rule-hit dropout in training ({DROPOUT})")
    parser.add_argument("--out", type=Path, help="write the JSON here")
    args = parser.parse_args(argv)
    folds = [f for f in args.folds.split(",") if f]
    extra = [int(s) for s in args.extra_seeds.split(",") if s]
    report = run(list(BURNED_SPLITS), folds, args.n, args.seed, args.rule_features, extra, args.dropout)
    if args.out:
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
