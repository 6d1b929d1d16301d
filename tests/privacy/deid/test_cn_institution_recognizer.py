"""CnInstitutionRecognizer: hospitals and health centres by full or usual name.

INSTITUTION is not among the default entities (the lab keeps ``institution_code``, and hospital
names are what notes are about): a de-identifier built with it redacts hospital names too.
"""

from __future__ import annotations

import pytest

from privacy.deid.engine import Deidentifier, get_deidentifier
from privacy.deid.entities import DEFAULT_ENTITIES, ENTITY_TYPES, INSTITUTION


@pytest.fixture(scope="module")
def with_institutions() -> Deidentifier:
    return Deidentifier(entities=ENTITY_TYPES)


@pytest.mark.parametrize(
    ("text", "expected_len", "expected_positions"),
    [
        ("就诊于复旦大学附属中山医院。", 1, [(3, 13)]),
        ("转至上海市第六人民医院", 1, [(2, 11)]),
        ("徐汇区枫林街道社区卫生服务中心随访", 1, [(0, 15)]),
        ("在瑞金医院就诊", 1, [(1, 5)]),
        ("海军军医大学第一附属医院", 1, [(0, 12)]),
        ("收入上海市中医医院", 1, [(2, 9)]),
        ("（上海市肿瘤防治中心）", 1, [(1, 10)]),
        ("建议于嘉定区牙病防治所门诊部复诊", 1, [(3, 14)]),
        ("上海中医药大学附属岳阳中西医结合医院", 1, [(0, 18)]),
        # generic references are not names
        ("建议本院随访，我院急诊", 0, []),
        ("当地医院予抗感染治疗", 0, []),
        ("转心内科继续治疗", 0, []),
    ],
)
def test_institution(with_institutions, text, expected_len, expected_positions):
    spans = [(s.start, s.end) for s in with_institutions.analyze(text, entities=[INSTITUTION])]
    assert len(spans) == expected_len
    assert spans == expected_positions


def test_hospital_names_are_kept_by_default():
    assert INSTITUTION not in DEFAULT_ENTITIES
    assert get_deidentifier().redact("于光华医院就诊，转杨浦区中心医院").text == "于光华医院就诊，转杨浦区中心医院"
