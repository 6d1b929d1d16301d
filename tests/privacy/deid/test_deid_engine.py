"""Deidentifier end to end: normalise, find, map back, replace with <TYPE>, check what is left."""

from __future__ import annotations

import pytest

from privacy.deid.engine import Deidentifier, RedactResult, get_deidentifier, resolve_overlaps
from privacy.deid.entities import DEFAULT_ENTITIES, ENTITY_TYPES
from privacy.deid.recognizers.base import Hit

NOTE = (
    "患者张伟，男，45岁，因发热3天就诊于复旦大学附属中山医院。身份证号310104199003074211，"
    "联系电话138 1234 5678，家住上海市徐汇区漕溪北路88弄3号1202室。其子王建国陪同，家属电话021-64041990。"
    "社保卡号：A12345678，医保个人编号3100123456789012。理赔款请转入本人银行卡6222021234567890128。"
    "住院号：20240315。邮箱zhangwei@163.com。主治医师李明。出生日期：1979年5月2日。予二甲双胍0.5g bid，HbA1c 8.2%。"
)


def test_redact_replaces_every_identifier_with_its_tag(deidentifier):
    result = deidentifier.redact(NOTE, known_names=["张伟"])
    assert isinstance(result, RedactResult)
    assert result.text == (
        "患者<PERSON>，男，45岁，因发热3天就诊于复旦大学附属中山医院。身份证号<RESIDENT_ID>，"
        "联系电话<PHONE>，家住<ADDRESS>。其子<PERSON>陪同，家属电话<PHONE>。"
        "社保卡号：<MEDICAL_CARD>，医保个人编号<MEDICAL_CARD>。理赔款请转入本人银行卡<BANK_CARD>。"
        "住院号：<HOSPITAL_RECORD_NO>。邮箱<EMAIL>。主治医师<PERSON>。出生日期：<DATE_OF_BIRTH>。"
        "予二甲双胍0.5g bid，HbA1c 8.2%。"
    )
    assert result.counts_by_type == {
        "RESIDENT_ID": 1,
        "PHONE": 2,
        "BANK_CARD": 1,
        "MEDICAL_CARD": 2,
        "HOSPITAL_RECORD_NO": 1,
        "DATE_OF_BIRTH": 1,
        "EMAIL": 1,
        "PERSON": 3,
        "ADDRESS": 1,
    }
    assert result.clean and result.residual == ()
    assert all(a.end <= b.start for a, b in zip(result.spans, result.spans[1:], strict=False))


def test_spans_are_offsets_into_the_original_text(deidentifier):
    note = "电话１３８ １２３４ ５６７８，生于一九八五年三月十二日，卡号６２２２-０２１２-３４５６-７８９０-１２８。"
    result = deidentifier.redact(note)
    assert [note[s.start : s.end] for s in result.spans] == [
        "１３８ １２３４ ５６７８",
        "一九八五年三月十二日",
        "６２２２-０２１２-３４５６-７８９０-１２８",
    ]
    assert result.text == "电话<PHONE>，生于<DATE_OF_BIRTH>，卡号<MEDICAL_CARD>。"


def test_spans_serialise_without_the_identifier(deidentifier):
    span = deidentifier.analyze("联系电话13812345678")[0]
    assert span.to_dict() == {"start": 4, "end": 15, "type": "PHONE", "score": 0.9}
    assert "13812345678" not in str(deidentifier.redact("联系电话13812345678").to_dict())


@pytest.mark.parametrize(
    "text",
    [
        "发票号码：31010419900307421，批号230414，床号：+2床",
        "检查号：MR202405290820  标本号 162077941668",
        "统一社会信用代码 12310104228811758M，定点机构编码 H31011027360",
        "国药准字H20135069，国械注准20872047281，预约挂号：400-700-2075，咨询电话：962218",
        "身份核验：182****7760，310120********5371",
        "费用合计19,164.95元，BP 164/69mmHg，2024-03-15复诊，91岁",
    ],
)
def test_look_alike_numbers_are_kept(deidentifier, text):
    result = deidentifier.redact(text)
    assert result.text == text and result.spans == ()


def test_residual_check_redacts_or_reports_what_the_recognisers_left(deidentifier):
    text = "备注：12345678901234567 已核对"  # 17 digits, no label: no recogniser claims it
    redacted = deidentifier.redact(text)
    assert redacted.text == "备注：<ID_NUMBER> 已核对"
    assert [(r.rule, r.start, r.end) for r in redacted.residual] == [("long-number", 3, 20)]
    assert redacted.clean
    reported = deidentifier.redact(text, on_residual="report")
    assert reported.text == text and not reported.clean
    assert "12345678901234567" not in str(reported.residual) + str(reported.to_dict()["residual"])
    # a look-alike label keeps a long number out of the residual check
    assert deidentifier.redact("发票号码12345678901234567", on_residual="report").clean
    with pytest.raises(ValueError, match="on_residual"):
        deidentifier.redact(text, on_residual="ignore")  # type: ignore[arg-type]


def test_simulator_notes_leave_no_identifier(deidentifier):
    notes = pytest.importorskip("medshare.simulate.notes")
    from medshare.simulate.persons import make_person

    leaks = []
    for i in range(150):
        sample = notes.sample_note(5, i)
        name = make_person(5, i, notes.date(2026, 1, 1)).name
        redacted = deidentifier.redact(sample.text, known_names=[name]).text
        leaks += [(s.entity_type, s.text) for s in sample.spans if s.text in redacted and s.entity_type != "INSTITUTION"]
    assert len(leaks) <= 2, leaks  # names of other people the model may miss; never a number
    assert all(kind == "PERSON" for kind, _ in leaks)


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
    assert {s.entity_type for s in only_phone.analyze(NOTE, known_names=["张伟"])} == {"PHONE"}
    # redacting still fails closed: the long numbers no enabled type claims go as residue
    redacted = only_phone.redact(NOTE, known_names=["张伟"])
    assert {s.entity_type for s in redacted.spans} == {"PHONE", "ID_NUMBER"}
    assert "310104199003074211" not in redacted.text and "张伟" in redacted.text
    with pytest.raises(ValueError, match="not enabled"):
        only_phone.analyze(NOTE, entities=["PERSON"])


def test_bad_configuration_fails_when_built():
    with pytest.raises(ValueError, match="unknown entity types"):
        Deidentifier(entities=["SSN"])
    with pytest.raises(ValueError, match="score_threshold"):
        Deidentifier(score_threshold=0)


def test_get_deidentifier_is_built_once():
    assert get_deidentifier() is get_deidentifier()


def _h(start: int, end: int, entity: str = "PERSON", score: float = 0.85) -> Hit:
    return Hit(start, end, entity, score, "test")


def test_resolve_overlaps_longest_wins_and_partial_overlaps_are_absorbed():
    kept = resolve_overlaps([_h(0, 3), _h(0, 10, "INSTITUTION"), _h(12, 15), _h(14, 18, "ADDRESS", 0.6)])
    assert [(h.start, h.end, h.entity_type) for h in kept] == [(0, 10, "INSTITUTION"), (12, 18, "ADDRESS")]
    assert resolve_overlaps([]) == []


def test_entity_types_are_the_documented_ones():
    assert ENTITY_TYPES == (
        "RESIDENT_ID",
        "PHONE",
        "BANK_CARD",
        "MEDICAL_CARD",
        "HOSPITAL_RECORD_NO",
        "ID_NUMBER",
        "DATE_OF_BIRTH",
        "EMAIL",
        "CONTACT_ID",
        "PERSON",
        "ADDRESS",
        "INSTITUTION",
    )
    assert DEFAULT_ENTITIES == ENTITY_TYPES[:-1]
