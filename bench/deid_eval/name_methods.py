"""Names alone, by method: which finds the names of the independent corpus, at what cost.

``python -m bench.deid_eval.name_methods --notes 600 --split dev`` redacts only person names with
each method and reports person-name recall (by value, as the main benchmark), clinical terms
kept, look-alikes kept and notes per CPU-second of the name step alone:

* ``jieba-posseg``: jieba 0.42.1's part-of-speech HMM (``jieba.posseg``), every word tagged
  ``nr`` (person name) replaced;
* ``name-model``: :class:`privacy.deid.recognizers.cn_person_name_recognizer.CnPersonNameRecognizer`
  (the statistical name model with context scoring) with the labelled-number recogniser first,
  which marks identifier labels and table columns, as in the engine.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from typing import Any

from bench.deid_eval.run import independent_notes
from bench.deid_eval.value_scoring import score_notes


def jieba_posseg() -> Callable[[str], str]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()

    def redact(text: str) -> str:
        return "".join("<PERSON>" if p.flag == "nr" else p.word for p in jieba.posseg.cut(text))

    return redact


def name_model() -> Callable[[str], str]:
    from privacy.deid.normalise import normalise
    from privacy.deid.recognizers.base import Doc
    from privacy.deid.recognizers.cn_labelled_number_recognizer import CnLabelledNumberRecognizer
    from privacy.deid.recognizers.cn_person_name_recognizer import CnPersonNameRecognizer

    labels, names = CnLabelledNumberRecognizer(), CnPersonNameRecognizer()

    def redact(text: str) -> str:
        norm = normalise(text)
        doc = Doc(norm)
        hits = [h for h in labels.find(doc) if h.entity_type == "PERSON"] + names.find(doc)
        out, pos = [], 0
        for h in sorted(hits, key=lambda h: h.start):
            start, end = norm.to_original(h.start, h.end)
            if start < pos:
                continue
            out += [text[pos:start], "<PERSON>"]
            pos = end
        return "".join(out) + text[pos:]

    return redact


METHODS = {"jieba-posseg": jieba_posseg, "name-model": name_model}


def compare(notes: int, seed: int, split: str) -> dict[str, Any]:
    corpus = independent_notes(notes, seed, split)
    out = {}
    for name, make in METHODS.items():
        redact = make()
        for note in corpus[:10]:
            redact(note["text"])
        scored = score_notes(corpus, redact)
        out[name] = {
            "person_name_recall": scored["recall_by_kind"].get("person_name"),
            "person_name_by_form": {k.split("/", 1)[1]: v["rate"] for k, v in scored["recall_by_form"].items()
                                    if k.startswith("person_name/")},
            "clinical_terms_kept": scored["clinical_terms_kept"]["rate"],
            "decoys_kept": scored["decoys_kept"]["rate"],
            "notes_per_cpu_s": scored["notes_per_cpu_s"],
        }
    return {"notes": len(corpus), "seed": seed, "split": split, "methods": out}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.deid_eval.name_methods", description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--split", choices=("dev", "heldout"), default="dev")
    args = parser.parse_args(argv)
    print(json.dumps(compare(args.notes, args.seed, args.split), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
