"""CnPersonNameRecognizer: a statistical name model (jieba's HMM name states and listed names)
scored with the words around each candidate; the record's known names apart."""

from __future__ import annotations

import pytest

from privacy.deid.name_model import load_model
from privacy.deid.recognizers.cn_person_name_recognizer import CnPersonNameRecognizer


@pytest.mark.parametrize(
    ("text", "expected_positions"),
    [
        # after a cue word
        ("患者张伟因发热就诊", [(2, 4)]),
        ("患者李娜咳嗽三天", [(2, 4)]),
        ("姓名：王建国 性别：男", [(3, 6)]),
        ("其子王建国陪同就诊", [(2, 5)]),
        ("病史由患者母亲徐萱婷提供，可靠", [(7, 10)]),
        ("联系人：陈小红（女儿）", [(4, 7)]),
        ("主治医师：欧阳晓明。", [(5, 9)]),
        ("记录者：诸葛丽华", [(4, 8)]),
        ("患者曾建国因发热就诊", [(2, 5)]),
        ("Attending: 齐心\n", [(11, 13)]),
        # before a title, in a demographic line, a signature, with no context word at all
        ("今日陈小红女士来电", [(2, 5)]),
        ("和王芳女士交代病情", [(1, 3)]),
        ("温桂英主任查房", [(0, 3)]),
        ("张伟，男，45岁", [(0, 2)]),
        ("上海市第六人民医院 王建国\n", [(10, 13)]),
        ("现病史：赵秀芳6天前无明显诱因", [(4, 7)]),
        # a bare surname before a title
        ("王主任查房，李医生建议复查", [(0, 1), (6, 7)]),
        ("家属王先生陪护", [(2, 3)]),
        ("普外科 王医生", [(4, 5)]),
        # lists, rare and compound surnames
        ("家属：刘洋、赵丽。", [(3, 5), (6, 8)]),
        ("参加人员：黄志明护士长、瞿国强、葛莉莉", [(5, 8), (12, 15), (16, 19)]),
        ("签名：訾月琴", [(3, 6)]),
        # a name found once is redacted wherever the note repeats it
        ("患者郑超目前诊断手足口病。郑超家属同意", [(2, 4), (13, 15)]),
        # clinical phrases that open with a cue or a surname are not names
        ("患者于门诊就诊", []),
        ("患者曾行阑尾切除术", []),
        ("患者周身乏力", []),
        ("患者高血压病史10年", []),
        ("患者常感头晕", []),
        ("患者安静入睡", []),
        ("患者向家属交代病情后同意手术", []),
        ("上级医师查房后指示继续目前治疗", []),
        ("患者张某某，男", []),
        # herbs, eponyms, drugs and hospitals that a surname opens
        ("中药：柴胡6g、王不留行9g、刘寄奴15g", []),
        ("诊断：帕金森病，李斯特菌感染，霍奇金淋巴瘤待排", []),
        ("主要用药：注射用美罗培南 1g ivgtt", []),
        ("于光华医院就诊，转徐汇区中心医院", []),
        ("理赔款请转入本人银行卡6222021234567890128", []),
    ],
)
def test_person_name(find, text, expected_positions):
    assert find(text, "PERSON") == expected_positions


def test_model_comes_from_jieba_and_separates_names_from_words():
    model = load_model()
    assert model.surname_score("王") > 3 > model.surname_score("的")
    assert model.given_score("伟") > 1 > -1 > model.given_score("压")
    assert model.word_freq("高血压") > 0 and model.word_freq("柴胡") > 0  # a herb jieba tags as a name
    assert model.word_freq("王建华") == 0


def test_threshold_trades_recall_for_precision():
    text = "患者高血压，高山陪同"
    strict = CnPersonNameRecognizer(threshold=20.0)
    loose = CnPersonNameRecognizer(threshold=-20.0)
    from privacy.deid.normalise import normalise
    from privacy.deid.recognizers.base import Doc

    assert strict.find(Doc(normalise(text))) == []
    assert len(loose.find(Doc(normalise(text)))) > 1


@pytest.mark.parametrize(("text", "name"), [
    # session 9: a surname no list has (or a rare one with no cue), known by the title after it
    ("申请医师：淦医生  2022.0", "淦"),
    ("肢体无力时多亏养主治照顾。", "养"),
    ("08:30 红主任查房记录", "红"),
    ("Hb 103g/L。红主任查房后指示", "红"),
])
def test_surname_no_list_has_before_a_title(find, text, name):
    start = text.index(name)
    assert (start, start + len(name)) in find(text, "PERSON")


@pytest.mark.parametrize("text", [
    "请上级医生会诊", "由管床医生告知", "该医生", "签约家庭医生", "男医生查体", "已通知主治医师",
    "本院医生", "，各位老师好", "感谢护士长", "科室主任", "陪护阿姨", "首诊医生", "，麻醉医生到场", "经治医生：",
])
def test_role_words_before_a_title_are_no_name(find, text):
    assert find(text, "PERSON") == []


@pytest.mark.parametrize(("text", "name"), [
    # session 9: a surname no list has, right after a person cue and before what follows a name
    ("丈夫淦雁宾电话（外线先拨9）：13812345678", "淦雁宾"),
    ("家属旺沁雪（女儿）远程参会", "旺沁雪"),
    ("其子淦建国签字", "淦建国"),
])
def test_unlisted_surname_after_a_person_cue(find, text, name):
    start = text.index(name)
    assert (start, start + len(name)) in find(text, "PERSON")


@pytest.mark.parametrize("text", [
    "丈夫目前在外地", "女儿来电称", "患者神志清", "患者诉胸闷", "诊断：肺腺癌（C34.1）", "患者饮食可", "患者双下肢水肿",
])
def test_words_after_a_person_cue_are_no_name(find, text):
    assert find(text, "PERSON") == []


def test_spans_do_not_depend_on_the_hash_seed():
    """A name found once is looked for again in the note longest first, not in a set's order: with
    颛孙世勋 and 孙世勋 both found, which span a recurrence got once depended on PYTHONHASHSEED
    (heldout7 note 347, seen by session 9's speed work)."""
    import os
    import subprocess
    import sys

    code = (
        "from bench.deid_eval.independent import generate\n"
        "from privacy.deid.engine import Deidentifier\n"
        "d = Deidentifier()\n"
        "t = generate(348, 1, 'heldout7')[347]['text']\n"
        "print([(s.start, s.end, s.entity_type) for s in d.analyze(t)])\n"
    )
    outs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("0", "1", "2", "3")
    }
    assert len(outs) == 1, outs
