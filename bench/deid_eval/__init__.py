"""Measured quality of the free-text de-identifier (``privacy.deid``).

``python -m bench.deid_eval --notes 5000 --seed 1`` generates labelled Chinese notes
(:mod:`bench.deid_eval.generate`), runs the de-identifier over them with and without the record's
known names, adds the platform simulator's notes when ``medshare.simulate.notes`` is installed,
and prints entity-level precision, recall and F1 per type beside stock Presidio's figures and
throughput on the same notes. ``--json`` prints the same for machines; ``--check`` exits 1 when a
recall target of the issue is missed.
"""

from bench.deid_eval.run import run_evaluation

__all__ = ["run_evaluation"]
