"""Free-text de-identification of Chinese medical notes with Presidio, offline.

``get_deidentifier().redact(text, known_names=(record["name"],))`` → :class:`RedactResult` with
identifiers replaced by ``<TYPE>`` tags. Nothing heavy is imported until a de-identifier is built.
See docs/deid.md for the NLP engine, the recognisers and measured quality.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from privacy.deid.entities import ENTITY_TYPES

if TYPE_CHECKING:
    from privacy.deid.engine import Deidentifier, RedactResult, Span, get_deidentifier

__all__ = ["ENTITY_TYPES", "Deidentifier", "RedactResult", "Span", "get_deidentifier"]


def __getattr__(name: str) -> Any:
    if name in {"Deidentifier", "RedactResult", "Span", "get_deidentifier"}:
        from privacy.deid import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'privacy.deid' has no attribute {name!r}")
