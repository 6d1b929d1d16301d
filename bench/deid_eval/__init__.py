"""Measured quality and speed of the free-text de-identifier (``privacy.deid``).

``python -m bench.deid_eval --split dev`` scores an independently written corpus
(:mod:`bench.deid_eval.independent`, run, never read by the recognisers' authors) by value:
recall per identifier kind and form, look-alike numbers and clinical terms kept; the platform
simulator's notes with the person's identifiers known; notes per CPU-second beside stock Presidio
on the same notes; and the start-up of ``medshare deid text``. ``--json`` for machines,
``--check`` exits 1 when a target of the issue is missed.
"""

from bench.deid_eval.run import run_evaluation

__all__ = ["run_evaluation"]
