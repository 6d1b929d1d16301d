"""The offline NLP engine: never downloads, segments words with jieba, lemma = text."""

from __future__ import annotations

import spacy.cli

from privacy.deid.nlp_engine import OfflineChineseNlpEngine


def test_loads_without_download(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a spaCy model download was attempted")

    monkeypatch.setattr(spacy.cli, "download", refuse)
    engine = OfflineChineseNlpEngine()
    engine.load()
    artifacts = engine.process_text("联系电话：13812345678，银行卡号6222021234567890123", "zh")
    assert "联系电话" in [t.text for t in artifacts.tokens]  # words, not characters
    assert artifacts.lemmas == [t.text for t in artifacts.tokens]
    assert "银行卡" in artifacts.keywords
    assert list(artifacts.entities) == []
    assert engine.get_supported_entities() == []
