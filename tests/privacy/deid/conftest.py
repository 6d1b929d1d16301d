"""Fixtures of the de-identifier tests: one Deidentifier per session (building it costs ~1 s)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from privacy.deid.engine import Deidentifier, get_deidentifier

# bench/ is not an installed package (it runs as ``python -m bench.deid_eval`` from the project
# root); the evaluation tests import it from there
_ROOT = str(Path(__file__).resolve().parents[3])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)


@pytest.fixture(scope="session")
def deidentifier() -> Deidentifier:
    return get_deidentifier()


Positions = list[tuple[int, int]]


@pytest.fixture(scope="session")
def find(deidentifier: Deidentifier) -> Callable[[str, str], Positions]:
    """``find(text, TYPE)``: the (start, end) of every span of that type, in the full configuration.

    Recognisers are tested through the analyzer (not alone) because their context words only
    work with the jieba-segmented NLP artifacts and the analyzer's score threshold.
    """

    def _find(text: str, entity_type: str) -> Positions:
        return [(s.start, s.end) for s in deidentifier.analyze(text, entities=[entity_type])]

    return _find
