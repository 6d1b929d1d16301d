"""An offline NLP engine for Presidio: a blank Chinese spaCy pipeline segmented by jieba.

Why not a trained model: this machine cannot download spaCy models, and the only Chinese
"model" on PyPI (``zh-core-web-sm``) is a dependency-confusion stub. Presidio's
``SpacyNlpEngine.load()`` calls ``spacy.cli.download`` for any model it cannot find, so this
subclass builds the pipeline itself and never touches the network.

Why jieba: spaCy's default Chinese segmenter makes every character a token, so Presidio's context
enhancer (which compares the words before a match with a recogniser's ``CONTEXT``) never sees
``电话`` or ``银行卡``. With jieba the tokens are words. Lemmas are set to the token text, because a
blank pipeline has no lemmatiser and the enhancer compares lemmas.

The pipeline has no NER component: names, places and hospitals are found by our own recognisers.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine

from privacy.deid.entities import LANGUAGE

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


def blank_chinese_pipeline() -> Language:
    """``spacy.blank("zh")`` with jieba word segmentation; builds from installed packages only."""
    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)  # "Building prefix dict…" on every start otherwise
    return spacy.blank(LANGUAGE, config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


class OfflineChineseNlpEngine(SpacyNlpEngine):
    """A ``SpacyNlpEngine`` over :func:`blank_chinese_pipeline` (no download, no NER)."""

    engine_name = "spacy-blank-zh-jieba"

    def __init__(self) -> None:
        super().__init__(
            models=[{"lang_code": LANGUAGE, "model_name": "blank:zh+jieba"}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping={}, labels_to_ignore=[]
            ),
        )

    def load(self) -> None:
        """Build the pipeline in place of ``SpacyNlpEngine.load`` (which may download)."""
        self.nlp = {LANGUAGE: blank_chinese_pipeline()}

    def get_supported_entities(self) -> list[str]:
        """The pipeline has no NER: it supports no entity by itself."""
        return []

    def is_stopword(self, word: str, language: str) -> bool:
        """Cached: Presidio asks for every token of every note, spaCy builds a lexeme each time."""
        return self._lexeme_flags(word, language)[0]

    def is_punct(self, word: str, language: str) -> bool:
        return self._lexeme_flags(word, language)[1]

    def _lexeme_flags(self, word: str, language: str) -> tuple[bool, bool]:
        cache = self.__dict__.setdefault("_flags_cache", {})
        flags = cache.get((word, language))
        if flags is None:
            lexeme = self.nlp[language].vocab[word]
            flags = (bool(lexeme.is_stop), bool(lexeme.is_punct))
            if len(cache) < 200_000:
                cache[(word, language)] = flags
        return flags

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        # lemma = text, so CONTEXT words match jieba's words (a blank pipeline has no lemmas)
        for token in doc:
            token.lemma_ = token.text
        return super()._doc_to_nlp_artifact(doc, language)
