"""CnPersonNameRecognizer and the record's known names."""

from __future__ import annotations

import pytest

from privacy.deid.recognizers.cn_person_name_recognizer import (
    CnPersonNameRecognizer,
    known_names_recognizer,
)


@pytest.mark.parametrize(
    ("text", "expected_len", "expected_positions"),
    [
        # after a cue word
        ("患者张伟因发热就诊", 1, [(2, 4)]),
        ("患者李娜咳嗽三天", 1, [(2, 4)]),
        ("姓名：王建国 性别：男", 1, [(3, 6)]),
        ("其子王建国陪同就诊", 1, [(2, 5)]),
        ("病史由患者母亲徐萱婷提供，可靠", 1, [(7, 10)]),
        ("联系人：陈小红（女儿）", 1, [(4, 7)]),
        ("主治医师：欧阳晓明。", 1, [(5, 9)]),
        ("记录者：诸葛丽华", 1, [(4, 8)]),
        ("配偶谌静和。", 1, [(2, 5)]),
        ("患者曾建国因发热就诊", 1, [(2, 5)]),
        # before a title, in a demographic line, in a footer line
        ("今日陈小红女士来电", 1, [(2, 5)]),
        ("和王芳女士交代病情", 1, [(1, 3)]),
        ("温桂英主任查房", 1, [(0, 3)]),
        ("张伟，男，45岁", 1, [(0, 2)]),
        ("上海市第六人民医院 王建国\n", 1, [(10, 13)]),
        # several after one cue
        ("家属：刘洋、赵丽。", 2, [(3, 5), (6, 8)]),
        # clinical phrases that open with a cue or a surname are not names
        ("患者于门诊就诊", 0, []),
        ("患者曾行阑尾切除术", 0, []),
        ("患者周身乏力", 0, []),
        ("患者高血压病史10年", 0, []),
        ("患者常感头晕", 0, []),
        ("患者安静入睡", 0, []),
        ("患者向家属交代病情后同意手术", 0, []),
        ("上级医师查房后指示继续目前治疗", 0, []),
        ("家属王先生陪护", 0, []),
        ("患者张某某，男", 0, []),
        ("普外科 王医生", 0, []),
    ],
)
def test_person_name(find, text, expected_len, expected_positions):
    spans = find(text, "PERSON")
    assert len(spans) == expected_len
    assert spans == expected_positions


@pytest.mark.parametrize(
    ("word", "valid"),
    [
        ("王建国", True),
        ("高血压", False),
        ("周身", False),
        ("曾经", False),
        ("高桂英", True),
        ("查房", False),
    ],
)
def test_validate_result(word, valid):
    assert CnPersonNameRecognizer().validate_result(word) is valid


def test_known_names_are_found_anywhere(deidentifier):
    text = "随访：隋东华今日复诊，隋东华的血压稳定"  # no cue before either mention
    assert deidentifier.analyze(text, entities=["PERSON"]) == []
    spans = deidentifier.analyze(text, known_names=["隋东华"], entities=["PERSON"])
    assert [(s.start, s.end) for s in spans] == [(3, 6), (11, 14)]
    assert all(s.score == 1.0 for s in spans)


def test_known_names_recognizer_ignores_blank_and_one_character_names():
    assert known_names_recognizer([]) is None
    assert known_names_recognizer(["", " ", "王"]) is None
    recognizer = known_names_recognizer(["王芳", "王芳芳"])
    assert recognizer is not None
    results = recognizer.analyze("家属王芳芳", ["PERSON"])
    assert [(r.start, r.end) for r in results] == [(2, 5)]  # the longer name wins


@pytest.mark.parametrize(
    ("text", "name"),
    [("蔡燕（住院号2604123），女，67岁。", "蔡燕"), ("蔡秀蓉（住院号2604123），女", "蔡秀蓉"),
     ("入院记录\n杨平(门诊号88123) 男", "杨平")],
)
def test_name_before_bracketed_record_number(deidentifier, text, name):
    """Found by the stream leak test: a name opening the note, no cue word, no known names."""
    spans = [s for s in deidentifier.analyze(text) if s.entity_type == "PERSON"]
    assert [text[s.start:s.end] for s in spans] == [name]
