"""Presidio as the API seam: the fused de-identifier as one Presidio recogniser, same spans."""

from __future__ import annotations

import pytest

from privacy.deid.presidio_seam import presidio_analyzer

NOTES = [
    "患者张伟，电话138 1234 5678，身份证号３１０１０４１９９００３０７４２１１。",
    "出生日期：1985-03-12，门诊号 MZ2025374497，家住上海市徐汇区漕溪北路88弄3号1202室。",
    "发票号码：31010419900307421，BP 164/69mmHg。",
]


@pytest.fixture(scope="module")
def analyzer():
    return presidio_analyzer()


@pytest.mark.parametrize("note", NOTES)
def test_presidio_returns_what_the_engine_finds(analyzer, deidentifier, note):
    ours = [(s.start, s.end, s.entity_type) for s in deidentifier.analyze(note)]
    theirs = sorted((r.start, r.end, r.entity_type) for r in analyzer.analyze(text=note, language="zh"))
    assert theirs == ours


def test_presidio_entities_filter_and_anonymizer(analyzer):
    from presidio_anonymizer import AnonymizerEngine

    results = analyzer.analyze(text=NOTES[0], language="zh", entities=["PHONE"])
    assert [r.entity_type for r in results] == ["PHONE"]
    out = AnonymizerEngine().anonymize(text=NOTES[0], analyzer_results=results).text
    assert out == "患者张伟，电话<PHONE>，身份证号３１０１０４１９９００３０７４２１１。"
