"""Deidentifier end to end: find, then replace with <TYPE>; nothing of the gold set survives."""

from __future__ import annotations

import pytest
from presidio_analyzer import RecognizerResult

from bench.deid_eval.generate import generate_notes
from privacy.deid.engine import Deidentifier, RedactResult, get_deidentifier, resolve_overlaps
from privacy.deid.entities import ENTITY_TYPES

NOTE = (
    "患者张伟，男，45岁，因发热3天就诊于复旦大学附属中山医院。身份证号310104199003074211，"
    "联系电话138 1234 5678，家住上海市徐汇区漕溪北路88弄3号1202室。其子王建国陪同，家属电话021-64041990。"
    "社保卡号：A12345678，医保个人编号3100123456789012。理赔款请转入本人银行卡6222021234567890128。"
    "住院号：20240315。邮箱zhangwei@163.com。主治医师李明。予二甲双胍0.5g bid，HbA1c 8.2%。"
)


def test_redact_replaces_every_identifier_with_its_tag(deidentifier):
    result = deidentifier.redact(NOTE, known_names=["张伟"])
    assert isinstance(result, RedactResult)
    assert result.text == (
        "患者<PERSON>，男，45岁，因发热3天就诊于<INSTITUTION>。身份证号<RESIDENT_ID>，"
        "联系电话<PHONE>，家住<ADDRESS>。其子<PERSON>陪同，家属电话<PHONE>。"
        "社保卡号：<MEDICAL_CARD>，医保个人编号<MEDICAL_CARD>。理赔款请转入本人银行卡<BANK_CARD>。"
        "住院号：<HOSPITAL_RECORD_NO>。邮箱<EMAIL>。主治医师<PERSON>。予二甲双胍0.5g bid，HbA1c 8.2%。"
    )
    assert result.counts_by_type == {
        "RESIDENT_ID": 1,
        "PHONE": 2,
        "BANK_CARD": 1,
        "MEDICAL_CARD": 2,
        "HOSPITAL_RECORD_NO": 1,
        "EMAIL": 1,
        "PERSON": 3,
        "ADDRESS": 1,
        "INSTITUTION": 1,
    }
    # spans are offsets into the input, in order, not overlapping
    assert [NOTE[s.start : s.end] for s in result.spans][:2] == ["张伟", "复旦大学附属中山医院"]
    assert all(a.end <= b.start for a, b in zip(result.spans, result.spans[1:], strict=False))


def test_spans_serialise_without_the_identifier(deidentifier):
    span = deidentifier.analyze("联系电话13812345678")[0]
    assert span.to_dict() == {"start": 4, "end": 15, "type": "PHONE", "score": 1.0}
    assert "13812345678" not in str(deidentifier.redact("联系电话13812345678").to_dict())


@pytest.mark.parametrize("seed", [11, 12])
def test_no_gold_identifier_survives_redaction(deidentifier, seed):
    leaks = []
    for note in generate_notes(150, seed):
        redacted = deidentifier.redact(note.text, known_names=note.known_names).text
        leaks += [
            (s.entity_type, note.text[s.start : s.end])
            for s in note.spans
            if note.text[s.start : s.end] in redacted
        ]
    assert leaks == []


def test_simulator_notes_leave_no_identifier(deidentifier):
    notes = pytest.importorskip("medshare.simulate.notes")
    from medshare.simulate.persons import make_person

    leaks = []
    for i in range(150):
        sample = notes.sample_note(5, i)
        name = make_person(5, i, notes.date(2026, 1, 1)).name
        redacted = deidentifier.redact(sample.text, known_names=[name]).text
        leaks += [(s.entity_type, s.text) for s in sample.spans if s.text in redacted]
    assert leaks == []


def test_plain_text_and_empty_text_pass_through(deidentifier):
    assert deidentifier.redact("").text == ""
    assert deidentifier.analyze("") == []
    plain = "患者神志清，精神可，予阿司匹林肠溶片100mg口服qd，2024-03-05复诊，费用合计12345.67元。"
    result = deidentifier.redact(plain)
    assert result.text == plain and result.spans == () and result.counts_by_type == {}


def test_entities_restrict_what_is_found(deidentifier):
    spans = deidentifier.analyze(NOTE, known_names=["张伟"], entities=["PHONE"])
    assert {s.entity_type for s in spans} == {"PHONE"}
    only_phone = Deidentifier(entities=["PHONE"])
    assert {s.entity_type for s in only_phone.redact(NOTE, known_names=["张伟"]).spans} == {"PHONE"}
    with pytest.raises(ValueError, match="not enabled"):
        only_phone.analyze(NOTE, entities=["PERSON"])


def test_bad_configuration_fails_when_built():
    with pytest.raises(ValueError, match="unknown entity types"):
        Deidentifier(entities=["SSN"])
    with pytest.raises(ValueError, match="score_threshold"):
        Deidentifier(score_threshold=0)


def test_get_deidentifier_is_built_once():
    assert get_deidentifier() is get_deidentifier()


def _r(start: int, end: int, entity: str = "PERSON", score: float = 0.85) -> RecognizerResult:
    return RecognizerResult(entity, start, end, score)


def test_resolve_overlaps_longest_wins_and_partial_overlaps_are_absorbed():
    kept = resolve_overlaps([_r(0, 3), _r(0, 10, "INSTITUTION"), _r(12, 15), _r(14, 18, "ADDRESS", 0.6)])
    assert [(r.start, r.end, r.entity_type) for r in kept] == [(0, 10, "INSTITUTION"), (12, 18, "ADDRESS")]
    assert resolve_overlaps([]) == []


def test_entity_types_are_the_documented_ones():
    assert ENTITY_TYPES == (
        "RESIDENT_ID",
        "PHONE",
        "BANK_CARD",
        "MEDICAL_CARD",
        "HOSPITAL_RECORD_NO",
        "EMAIL",
        "PERSON",
        "ADDRESS",
        "INSTITUTION",
    )
