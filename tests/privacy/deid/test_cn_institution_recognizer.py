"""CnInstitutionRecognizer: hospitals and health centres by full or usual name."""

from __future__ import annotations

import pytest


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
def test_institution(find, text, expected_len, expected_positions):
    spans = find(text, "INSTITUTION")
    assert len(spans) == expected_len
    assert spans == expected_positions
