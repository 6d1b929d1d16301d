"""Presidio as the API seam: the fused de-identifier as one Presidio recogniser.

The engine (:mod:`privacy.deid.engine`) runs every recogniser in one pass over the normalised
note; Presidio's ``AnalyzerEngine`` would call each recogniser, its context enhancer and the
spaCy pipeline separately, which cost most of the time at 173 notes/s (docs/deid.md, "Speed").
Anyone who wants Presidio's API — an ``AnalyzerEngine`` to add their own recognisers to, its
``RecognizerResult``s, the anonymizer's operators — gets it here:

    analyzer = presidio_analyzer()          # AnalyzerEngine(registry=[FusedChineseRecognizer])
    results = analyzer.analyze(text=note, language="zh")
    AnonymizerEngine().anonymize(text=note, analyzer_results=results)

:class:`FusedChineseRecognizer` returns exactly the spans :meth:`Deidentifier.analyze` finds.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from privacy.deid.entities import LANGUAGE

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, EntityRecognizer

_NOISY_LOGGERS = ("presidio-analyzer", "presidio-anonymizer", "tldextract", "filelock", "jieba")


def quiet_logging() -> None:
    """Silence presidio's "Recognizer not added" warnings, tldextract's retries and jieba's banner."""
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


def configure_tldextract_cache() -> None:
    """Point tldextract (imported by presidio's predefined recognisers) at a project folder."""
    if "TLDEXTRACT_CACHE" not in os.environ:
        from medshare.config import settings

        os.environ["TLDEXTRACT_CACHE"] = str(settings().cache / "tldextract")


def fused_recognizer(deidentifier: Any = None) -> EntityRecognizer:
    """A Presidio ``EntityRecognizer`` that runs the whole de-identifier (default: the process's)."""
    from presidio_analyzer import LocalRecognizer, RecognizerResult

    from privacy.deid.engine import get_deidentifier

    deid = deidentifier or get_deidentifier()

    class FusedChineseRecognizer(LocalRecognizer):
        """Every Chinese identifier :mod:`privacy.deid` finds, in one pass."""

        def load(self) -> None:
            """Nothing to load: the de-identifier is built."""

        def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
            wanted = [e for e in entities if e in deid.entities] or None
            if entities and not wanted:
                return []
            return [
                RecognizerResult(
                    s.entity_type,
                    s.start,
                    s.end,
                    s.score,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: s.recognizer or self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
                for s in deid.analyze(text, entities=wanted)
            ]

    return FusedChineseRecognizer(
        supported_entities=list(deid.entities), name="FusedChineseRecognizer", supported_language=LANGUAGE
    )


def presidio_analyzer(deidentifier: Any = None) -> AnalyzerEngine:
    """An ``AnalyzerEngine`` for Chinese whose one recogniser is :func:`fused_recognizer`."""
    configure_tldextract_cache()
    quiet_logging()
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    from privacy.deid.nlp_engine import OfflineChineseNlpEngine

    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    registry.add_recognizer(fused_recognizer(deidentifier))
    nlp_engine = OfflineChineseNlpEngine()
    nlp_engine.load()
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=[LANGUAGE])
