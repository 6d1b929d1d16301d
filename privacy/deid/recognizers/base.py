"""What every recogniser shares: the note it reads (:class:`Doc`) and what it finds (:class:`Hit`).

Recognisers read the *normalised* note (:mod:`privacy.deid.normalise`): half-width digits and
punctuation, numbers in groups joined, Chinese-numeral dates in Arabic. Their offsets are offsets
into that text; the engine maps them back to the original note. Each recogniser is a plain class
with :meth:`Recognizer.find`, so the engine can run all of them in one pass over a note without
Presidio's per-recogniser machinery; :mod:`privacy.deid.presidio_seam` wraps the same classes as
Presidio ``EntityRecognizer``s for anyone who wants them in an ``AnalyzerEngine``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from privacy.deid.normalise import Normalised


@dataclass(slots=True)
class Hit:
    """``doc.text[start:end]`` is an identifier of ``entity_type`` (offsets into the normalised text).

    ``labelled`` marks a hit an identifier label vouches for: look-alike protection never drops it.
    """

    start: int
    end: int
    entity_type: str
    score: float
    recognizer: str
    labelled: bool = False


@dataclass
class Doc:
    """A note as the recognisers see it: the normalised text, and what was worked out once."""

    norm: Normalised
    #: (start, end) of numbers after a look-alike label (发票号, 批号…): shape-only hits inside are dropped
    decoys: list[tuple[int, int]] = field(default_factory=list)
    #: name → value cache for anything a recogniser computes that another one needs
    cache: dict[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.norm.text


class Recognizer:
    """One kind of identifier. Subclasses set :attr:`name`, :attr:`entities` and :meth:`find`."""

    name: ClassVar[str] = "Recognizer"
    entities: ClassVar[tuple[str, ...]] = ()

    def find(self, doc: Doc) -> list[Hit]:
        raise NotImplementedError

    def hit(self, match_or_start: re.Match[str] | int, end: int | None = None, *, entity: str | None = None,
            score: float = 0.85, labelled: bool = False) -> Hit:
        if isinstance(match_or_start, int):
            assert end is not None
            start = match_or_start
        else:
            start, end = match_or_start.span()
        return Hit(start, end, entity or self.entities[0], score, self.name, labelled)


#: one CJK unified ideograph (the basic block covers every character of a Chinese name or address)
CJK = "\u4e00-\u9fff"
#: a number starts / ends here: no digit (or ASCII letter) just before / after it
NO_DIGIT_BEFORE = r"(?<![0-9])"
#: the same, written *after* the first character of a match (``[1-9]{AFTER_FIRST_NO_ALNUM}…``):
#: a lookbehind at the very start of a pattern stops Python's engine from skipping ahead to the
#: characters a match can start with, which made each digit pattern ~4x slower on notes
AFTER_FIRST_NO_DIGIT = r"(?<![0-9].)"
AFTER_FIRST_NO_ALNUM = r"(?<![0-9A-Za-z].)"
NO_DIGIT_AFTER = r"(?![0-9])"
NO_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
NO_ALNUM_AFTER = r"(?![0-9A-Za-z])"
#: characters that mask digits in a printed identifier (138****5678)
MASK = r"[*●•×#]"


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A non-capturing alternation of literal words that prefers the longest (住院病案号 over 病案号).

    Written as a trie (``住院(?:病案号|号)|…``): Python's regex engine tries the branches of a
    flat alternation one by one at every position, so a list of 300 labels cost ~300 comparisons
    per character; the trie costs about one.
    """
    trie: dict[str, dict] = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict[str, dict]) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


def inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """True when ``[start, end)`` lies within one of ``spans``."""
    return any(s <= start and end <= e for s, e in spans)
