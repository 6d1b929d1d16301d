"""Session 10 of issue #15: what work-group chat, ward talk and herbal-pharmacy paperwork write
(heldout10's misses, as shapes).

Values are made up here (none copied from a benchmark corpus): an @-mention in a work group and
the speaker it names, a surname with 老 / 导 / 博 / 师兄 / 师姐 (single and compound), a patient named
after the bed number in a handover, a relative abroad named before the country's number, an
escort's, an assessor's and a payout account's holder's field, a Singapore NRIC / FIN (check letter),
a Skype name and a 旺旺 account; and the look-alikes the same paperwork prints (a pharmacy house, a
processing field's pharmacy, a 代煎 / 膏方 number, words ending in 导 / 老 / 博, a grade after 评估).
Values are compared after folding widths, spaces and dashes, as the benchmark does.
"""

from __future__ import annotations

import pytest

from privacy.deid.normalise import fold
from privacy.deid.recognizers.chat_recognizer import nric_check_letter


def _redacts(deidentifier, text: str, gone: tuple[str, ...], kept: tuple[str, ...]) -> None:
    """Every value of ``gone`` is no longer in the redacted ``text``; every value of ``kept`` still is."""
    out = fold(deidentifier.redact(text).text)
    for value in gone:
        assert fold(value) not in out, (value, out)
    for value in kept:
        assert fold(value) in out, (value, out)


IDENTIFIERS = [
    # an @-mention in a work group, and the same person speaking at a line's start
    ("心内科工作群：@仪景行，请今日看下3床的心超\n仪景行：好的，下午去", ("仪景行",), ("心超",)),
    ("钉钉：@笪若谷 病历已提交，请审核", ("笪若谷",), ("病历已提交",)),
    ("@欧阳星澜 明早查房前看下化验", ("欧阳星澜",), ("化验",)),
    # a surname with 老 / 导 / 博 / 师兄 / 师姐 after a verb or a boundary, before what the person does
    ("经仪老会诊，建议加用丹参。", ("仪老",), ("丹参",)),
    ("已请示笪导，同意出院。", ("笪导",), ("出院",)),
    ("跟宓博查房，调整胰岛素剂量。", ("宓博",), ("胰岛素",)),
    ("已汇报仪师兄，继续观察。", ("仪师兄",), ("继续观察",)),
    ("问了笪师姐，先停利尿剂", ("笪师姐",), ("利尿剂",)),
    ("明早欧阳老查房", ("欧阳老",), ()),
    ("已请示司马导，同意", ("司马导",), ()),
    # a patient named after the bed number in a handover
    ("@仪景行 +5床 宓晚舟今晚发热，T 38.6℃", ("宓晚舟", "仪景行"), ("38.6",)),
    ("夜班交班：12床笪听澜血压偏低，已报告", ("笪听澜",), ("血压偏低",)),
    # a relative abroad named before the country's number or card
    ("女儿在新加坡，仪晚晴 新加坡手机：9123 4567", ("仪晚晴", "91234567"), ()),
    ("儿子在新加坡，宓立言 （新加坡）手机 8234 5671", ("宓立言",), ()),
    # an escort's, an assessor's, an attending's and a payout account holder's field
    ("陪诊师：仪澹宁  下单：QQ：50317729", ("仪澹宁", "50317729"), ()),
    ("评估：笪素秋  主诊：宓松年\n", ("笪素秋", "宓松年"), ()),
    ("赔付账户：宓青禾（母亲，在新加坡）", ("宓青禾",), ("母亲",)),
    # after 姓名： four characters are a compound surname and a given name, even when the surname
    # opens with a word's character (是云, a Xianbei clan's surname)
    ("姓名：是云长风 性别：男 年龄：61岁", ("是云长风",), ("61岁",)),
    # Singapore NRIC / FIN: valid check letter anywhere, any letter after its label
    ("母亲在新加坡工作，证件 S1234567D，已复印", ("S1234567D",), ()),
    ("FIN：G1234567X", ("G1234567X",), ()),
    ("新加坡NRIC：S7001234Q", ("S7001234Q",), ()),  # (check letter wrong: the label vouches)
    ("NRIC/FIN M2345678K", ("M2345678K",), ()),
    # Skype names (live:…) and Taobao's 旺旺
    ("Skype：live:renyu.shen", ("live:renyu.shen",), ()),
    ("Skype ID live:.cid.0f3a9c2b7d1e4a68", ("live:.cid.0f3a9c2b7d1e4a68",), ()),
    ("旺旺号 tb903216774", ("tb903216774",), ()),
    ("淘宝旺旺：tb_58201937", ("tb_58201937",), ()),
]


@pytest.mark.parametrize(("text", "gone", "kept"), IDENTIFIERS, ids=[t[:18] for t, _, _ in IDENTIFIERS])
def test_chat_and_paperwork_identifiers_are_redacted(deidentifier, text, gone, kept):
    _redacts(deidentifier, text, gone, kept)


LOOKALIKES = [
    # a pharmacy named after its founder, as a processing field's value or with its trade after it
    ("加工：雷允上  代煎号：2025-0418-117  取药日期 2025-04-25", (), ("雷允上", "2025-0418-117")),
    ("膏方由沈德元堂国药号代加工", (), ("沈德元堂",)),
    ("膏方编号：GF2024120315", (), ("GF2024120315",)),
    ("煎药单号 JY20250103-0021", (), ("JY20250103-0021",)),
    # ...but a 堂 name alone is a person's (王锦堂): a given name's character, not a pharmacy
    ("姓名：仪锦堂 年龄：70岁", ("仪锦堂",), ()),
    # words ending in 导 / 老 / 博 and titles' look-alikes
    ("在超声引导下穿刺，指导患者功能锻炼。", (), ("超声引导", "指导患者")),
    ("留置导尿管，早老性痴呆待排，衰老明显。", (), ("导尿管", "早老性", "衰老")),
    ("入住养老院，女儿为医学博士。", (), ("养老院", "博士")),
    ("房室传导阻滞，心电图示一度。", (), ("传导阻滞",)),
    # 评估： holding the result, a bed number before a state
    ("评估：中度\n评估：低风险\n", (), ("中度", "低风险")),
    ("3床 患者今晚发热，12床家属到了", (), ("患者今晚发热", "家属到了")),
    ("15床 夜间血压偏低，8床术后发热，6床 下午体温37.9℃", (), ("夜间血压", "术后发热", "下午体温")),
    ("患者姓名：已经出院 性别：男", (), ("已经出院",)),
    # @所有人 is the app's mention of everyone; an e-mail's @ is no mention
    ("@所有人 明天科室会议", (), ("所有人",)),
    # a device model that looks like an NRIC (wrong check letter, no label)
    ("型号 S1234567A 已校准", (), ("S1234567A",)),
]


@pytest.mark.parametrize(("text", "gone", "kept"), LOOKALIKES, ids=[t[:18] for t, _, _ in LOOKALIKES])
def test_chat_and_paperwork_lookalikes_are_kept(deidentifier, text, gone, kept):
    _redacts(deidentifier, text, gone, kept)


def test_nric_check_letter_matches_the_published_examples():
    # the worked examples commonly given for the algorithm (weights 2 7 6 5 4 3 2, +4 for T / G)
    assert nric_check_letter("S", "1234567") == "D"
    assert nric_check_letter("T", "1234567") == "J"
    assert nric_check_letter("F", "1234567") == "N"
    assert nric_check_letter("G", "1234567") == "X"
    assert nric_check_letter("M", "1234567") is None  # not checked here: a label must vouch
    assert nric_check_letter("S", "123456") is None
