"""CnLabelledNumberRecognizer: after an identifier label any token with digits is that identifier;
after a look-alike label nothing is; table columns under an identifier header."""

from __future__ import annotations

import pytest

from privacy.deid.normalise import normalise
from privacy.deid.recognizers.base import Doc
from privacy.deid.recognizers.cn_labelled_number_recognizer import CnLabelledNumberRecognizer


def found(text: str) -> list[tuple[str, str]]:
    doc = Doc(normalise(text))
    return [(doc.text[h.start : h.end], h.entity_type) for h in CnLabelledNumberRecognizer().find(doc)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("社保卡号：SH0012345678", [("SH0012345678", "MEDICAL_CARD")]),
        # session 9: the side of the card between the label and the number (heldout7's miss)
        ("医保卡背面 NO.352067150", [("NO.352067150", "MEDICAL_CARD")]),
        ("门诊号 MZ-2024-001234", [("MZ-2024001234", "HOSPITAL_RECORD_NO")]),
        ("医保个人编码３１０００００１２３４５６７８９", [("3100000123456789", "MEDICAL_CARD")]),
        ("就诊卡号：JZ75691486 Tel: 185", [("JZ75691486", "HOSPITAL_RECORD_NO")]),
        ("PACS号：P89236469", [("P89236469", "HOSPITAL_RECORD_NO")]),
        ("MRN 5315134", [("5315134", "HOSPITAL_RECORD_NO")]),
        ("证件号码（已核实）：310225201801012345", [("310225201801012345", "RESIDENT_ID")]),
        ("联系电话（本人）：138 1234 5678", [("13812345678", "PHONE")]),
        ("退款银行卡号：6216 6186 7131 3935 601", [("6216618671313935601", "BANK_CARD")]),
        ("工商银行卡号 1234567890123", [("1234567890123", "BANK_CARD")]),
        # an unknown label shaped like one: ID_NUMBER
        ("电子凭证编号：E1234567890", [("E1234567890", "ID_NUMBER")]),
        # look-alike labels, and labels with too little after them
        ("发票号码 12345678901234567890，医嘱号：20240607200778", []),
        ("药品编码XA10BAE054A001010101445，国药准字H20135069", []),
        ("统一社会信用代码 123101015832499234", []),
        ("咨询电话：962218", []),
        ("HbA1c 8.2%", []),
        ("ID: 12", []),
    ],
)
def test_labelled(text, expected):
    assert found(text) == expected


def test_look_alike_numbers_are_recorded_for_the_other_recognisers():
    doc = Doc(normalise("发票号码 6222021234567890128"))
    CnLabelledNumberRecognizer().find(doc)
    assert [doc.text[s:e] for s, e in doc.decoys] == ["6222021234567890128"]


def test_table_columns_under_identifier_headers():
    table = (
        "姓名\t性别\t身份证号\t卡号\t电话\n"
        "张宇轩\t男\t３１０１１５１９３０１２０４５８１Ｘ\t557308372\t152-1774-4109\n"
        "项目\t结果\t单位\t参考范围\n"
        "CRP\t95.5\tmg/L\t0-10\n"
    )
    assert found(table) == [
        ("张宇轩", "PERSON"),
        ("31011519301204581X", "RESIDENT_ID"),
        ("557308372", "MEDICAL_CARD"),
        ("15217744109", "PHONE"),
    ]
    piped = "姓名|住院号|电话\n武功|ZY2022608144|+86-19118087796\n"
    assert found(piped) == [("武功", "PERSON"), ("ZY2022608144", "HOSPITAL_RECORD_NO"), ("+86-19118087796", "PHONE")]
