"""The de-identifier: Presidio's analyzer with our Chinese recognisers, then its anonymizer.

Find, then transform: :meth:`Deidentifier.analyze` returns spans (offsets, type, score) and
:meth:`Deidentifier.redact` replaces each with ``<TYPE>`` through presidio-anonymizer's ``replace``
operator. Building one loads jieba's dictionary and compiles every pattern (about a second), so
build it once — :func:`get_deidentifier` keeps one per process for the stream processor.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from privacy.deid.entities import ENTITY_TYPES, LANGUAGE, PERSON

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, RecognizerResult
    from presidio_anonymizer import AnonymizerEngine

#: results below this score are dropped; weak patterns (a bare 8-digit number, a letter and eight
#: digits) start under it and need a context word to pass
DEFAULT_SCORE_THRESHOLD = 0.4
#: how many words before and after a match the context enhancer looks at (after: none, since the
#: next sentence's 联系人/电话 would otherwise lend a batch number a phone's context)
CONTEXT_PREFIX_WORDS = 3
CONTEXT_SUFFIX_WORDS = 0

_NOISY_LOGGERS = ("presidio-analyzer", "presidio-anonymizer", "tldextract", "filelock", "jieba")


@dataclass(frozen=True, slots=True)
class Span:
    """One identifier found in a text: ``text[start:end]`` is of type ``entity_type``."""

    start: int
    end: int
    entity_type: str
    score: float
    recognizer: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Offsets, type and score only: never the identifier itself."""
        return {"start": self.start, "end": self.end, "type": self.entity_type, "score": round(self.score, 2)}


@dataclass(frozen=True, slots=True)
class RedactResult:
    """The redacted text, the spans replaced (offsets into the input) and how many of each type."""

    text: str
    spans: tuple[Span, ...]
    counts_by_type: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "spans": [s.to_dict() for s in self.spans],
            "counts": dict(self.counts_by_type),
        }


def quiet_logging() -> None:
    """Silence presidio's "Recognizer not added" warnings, tldextract's retries and jieba's banner."""
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


def configure_tldextract_cache() -> None:
    """Point tldextract (imported by presidio's predefined recognisers) at a project folder."""
    if "TLDEXTRACT_CACHE" not in os.environ:
        from medshare.config import settings

        os.environ["TLDEXTRACT_CACHE"] = str(settings().cache / "tldextract")


class Deidentifier:
    """Finds and redacts Chinese identifiers in free text.

    ``known_names`` (the record's own ``name`` field, and any other names the record carries) are
    found wherever they occur, whatever surrounds them.
    """

    def __init__(
        self,
        score_threshold: float = DEFAULT_SCORE_THRESHOLD,
        entities: Sequence[str] | None = None,
    ) -> None:
        unknown = set(entities or ()) - set(ENTITY_TYPES)
        if unknown:
            raise ValueError(f"unknown entity types {sorted(unknown)}; known: {', '.join(ENTITY_TYPES)}")
        if not 0.0 < score_threshold <= 1.0:
            raise ValueError(f"score_threshold {score_threshold} is outside (0, 1]")
        self.score_threshold = score_threshold
        self.entities = list(entities) if entities else list(ENTITY_TYPES)
        self._analyzer = self._build_analyzer()
        self._anonymizer = self._build_anonymizer()

    # --- construction ------------------------------------------------------------------------
    @staticmethod
    def _build_analyzer() -> AnalyzerEngine:
        configure_tldextract_cache()
        quiet_logging()
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

        from privacy.deid.nlp_engine import OfflineChineseNlpEngine
        from privacy.deid.recognizers import default_recognizers

        registry = RecognizerRegistry(supported_languages=[LANGUAGE])
        for recognizer in default_recognizers():
            registry.add_recognizer(recognizer)
        nlp_engine = OfflineChineseNlpEngine()
        nlp_engine.load()
        from privacy.deid.recognizers.cn_person_name_recognizer import _jieba_dictionary

        _jieba_dictionary()  # pay the dictionary load now, not on the first note
        return AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=[LANGUAGE],
            context_aware_enhancer=LemmaContextAwareEnhancer(
                context_prefix_count=CONTEXT_PREFIX_WORDS, context_suffix_count=CONTEXT_SUFFIX_WORDS
            ),
        )

    @staticmethod
    def _build_anonymizer() -> AnonymizerEngine:
        from presidio_anonymizer import AnonymizerEngine

        return AnonymizerEngine()

    # --- find ------------------------------------------------------------------------------
    def analyze(
        self, text: str, known_names: Iterable[str] = (), entities: Sequence[str] | None = None
    ) -> list[Span]:
        """The identifiers in ``text`` (of ``entities``, default all), non-overlapping, in text order."""
        if not text:
            return []
        return [_span(r) for r in self._results(text, tuple(known_names), entities)]

    def _results(
        self, text: str, known_names: tuple[str, ...], entities: Sequence[str] | None = None
    ) -> list[RecognizerResult]:
        from privacy.deid.recognizers.cn_person_name_recognizer import known_names_recognizer

        wanted = list(entities) if entities else self.entities
        unknown = set(wanted) - set(self.entities)
        if unknown:
            raise ValueError(f"entity types {sorted(unknown)} are not enabled in this de-identifier")
        ad_hoc = known_names_recognizer(known_names) if PERSON in wanted else None
        results = self._analyzer.analyze(
            text=text,
            language=LANGUAGE,
            entities=wanted,
            score_threshold=self.score_threshold,
            ad_hoc_recognizers=[ad_hoc] if ad_hoc else None,
        )
        return resolve_overlaps(results)

    # --- transform -------------------------------------------------------------------------
    def redact(self, text: str, known_names: Iterable[str] = ()) -> RedactResult:
        """``text`` with every identifier replaced by ``<TYPE>``."""
        if not text:
            return RedactResult(text=text, spans=(), counts_by_type={})
        from presidio_anonymizer.entities import OperatorConfig

        results = self._results(text, tuple(known_names))
        operators = {t: OperatorConfig("replace", {"new_value": f"<{t}>"}) for t in ENTITY_TYPES}
        engine_result = self._anonymizer.anonymize(
            text=text,
            analyzer_results=results,
            operators=operators,
            merge_entities_with_spaces=False,
        )
        spans = tuple(_span(r) for r in results)
        counts = Counter(s.entity_type for s in spans)
        return RedactResult(
            text=engine_result.text,
            spans=spans,
            counts_by_type={t: counts[t] for t in ENTITY_TYPES if counts[t]},
        )


def resolve_overlaps(results: Iterable[RecognizerResult]) -> list[RecognizerResult]:
    """Non-overlapping results: the longest span wins (then the higher score).

    A span that only partly overlaps a winner is absorbed into it (the winner grows to cover both),
    so a redaction never leaves a fragment of either in the output.
    """
    ordered = sorted(results, key=lambda r: (-(r.end - r.start), -r.score, r.start))
    kept: list[RecognizerResult] = []
    for result in ordered:
        overlapping = [k for k in kept if result.start < k.end and k.start < result.end]
        if not overlapping:
            kept.append(result)
            continue
        for winner in overlapping:
            winner.start = min(winner.start, result.start)
            winner.end = max(winner.end, result.end)
    kept.sort(key=lambda r: r.start)
    # growing a winner can make it touch another winner: merge until stable
    merged: list[RecognizerResult] = []
    for result in kept:
        if merged and result.start < merged[-1].end:
            merged[-1].end = max(merged[-1].end, result.end)
            continue
        merged.append(result)
    return merged


def _span(result: RecognizerResult) -> Span:
    meta = result.recognition_metadata or {}
    return Span(
        start=result.start,
        end=result.end,
        entity_type=result.entity_type,
        score=float(result.score),
        recognizer=str(meta.get("recognizer_name", "")),
    )


@lru_cache(maxsize=1)
def get_deidentifier() -> Deidentifier:
    """The process's de-identifier with default settings (built on first use)."""
    return Deidentifier()
