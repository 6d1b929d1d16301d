"""Round 8: the character-level CRF for names and addresses (privacy/deid/crf.py, train_crf.py).

Feature extraction, windows, labels and gold mapping are checked on made-up notes; training is
checked for determinism on a tiny corpus; the shipped model is checked inside the de-identifier
on made-up notes of the kinds the rules missed on unseen splits (no text from a benchmark corpus).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from privacy.deid import crf
from privacy.deid.crf import (
    MODEL_PATH,
    CrfModel,
    char_classes,
    features,
    labels_for,
    lexicon_marks,
    positions,
    rule_tags,
    spans_from_labels,
    windows,
)
from privacy.deid.engine import Deidentifier
from privacy.deid.entities import ADDRESS, PERSON
from privacy.deid.normalise import fold, normalise
from privacy.deid.train_crf import Prepared, _gold, sequences, train


# --- features ------------------------------------------------------------------------------------
def test_char_classes_one_letter_per_character() -> None:
    text = "患者Wang wei 36岁，\n住 址:A1"
    classes = char_classes(text)
    assert len(classes) == len(text)
    assert classes == "HHULLLSLLLSDDHPNHSHPUD"


def test_features_read_the_character_its_neighbours_and_classes() -> None:
    text = "患者张伟住院"
    rows = features(text)
    assert len(rows) == len(text)
    zhang = set(rows[2])
    assert {"c=张", "l1=者", "r1=伟", "l2=患", "r2=住", "bl=者张", "br=张伟", "k=HHH"} <= zhang
    # the note's edges are padded, not wrapped round
    assert {"l1=\x02", "l2=\x02", "k=BHH"} <= set(rows[0])
    assert {"r1=\x03", "r2=\x03"} <= set(rows[-1])


def test_surname_flags_mark_common_and_rare_surnames_around_the_character() -> None:
    # 张 is a common surname (C), 笪 a rarer one (R) in the project's lists, 的 none
    rows = features("的张笪的")
    assert "s=__CR" in rows[1]  # two before, the character, one after
    assert "s=_CR_" in rows[2]


def test_surname_marks_are_one_letter_per_character_and_never_the_letters_themselves() -> None:
    # the scan that replaced str.translate: C/R only at surnames; latin C and R are not surnames
    text = "张笪的CR 王\n李"
    assert crf.surname_marks(text) == "CR____C_C"
    assert crf.surname_marks("") == ""


def test_lexicon_features_mark_cues_titles_and_district_abbreviations() -> None:
    text = "患者毛宁住长宁水城路,王主任"
    marks = lexicon_marks(text)
    assert "cue<" in marks[2]  # 患者 ends right before 毛
    assert "dabB" in marks[5] and "dabI" in marks[6]  # 长宁: a district without 区
    assert "road<" in marks[10]  # after 路
    title = text.index("主任")
    assert "tit>" in marks[title - 1]  # 王 stands right before a title
    rows = features(text)
    assert "cue<" in rows[2] and "tit>" in rows[title - 1]


def test_items_after_a_jump_carry_a_gap_feature() -> None:
    text = "患者张伟。检查正常。医生李明"
    index = [0, 1, 2, 3, 10, 11, 12, 13]
    rows = features(text, index)
    assert len(rows) == len(index)
    assert "gap" in rows[0] and "gap" in rows[4]
    assert "gap" not in rows[1] and "gap" not in rows[5]
    assert "c=医" in rows[4]


def test_features_placed_per_window_are_those_placed_per_item() -> None:
    # the run-time path passes the windows: gaps and lexicon marks per window and per mark must give
    # exactly the rows the per-item loop gives, adjacent and empty windows included
    text = "患者毛宁住长宁水城路,王主任。检查正常。医生李明"
    for spans in ([(0, 4), (5, 14), (20, 24)], [(0, 3), (3, 9), (9, 9), (15, 24)], [(0, len(text))]):
        index = positions(spans)
        assert features(text, index, spans=spans) == features(text, index)
    rows = features(text, positions([(0, 3), (3, 9)]), spans=[(0, 3), (3, 9)])
    assert "gap" in rows[0] and "gap" not in rows[3]


def test_rule_tags_are_features_only_when_given() -> None:
    text = "患者张伟"
    tags = rule_tags(len(text), [(2, 4, PERSON)])
    assert tags == ["O", "O", "Pb", "Pi"]
    with_tags = features(text, tags=tags)
    assert "t=Pb" in with_tags[2] and "tl=OPi" in with_tags[2]
    assert not any(f.startswith("t=") for f in features(text)[2])


# --- windows -------------------------------------------------------------------------------------
def test_windows_keep_clauses_with_a_trigger_and_skip_the_rest() -> None:
    text = "体温正常无发热。患者毛宁,住址:长宁 水城路77弄26号\n血压在正常范围。心肺听诊未见异常"
    got = [text[a:b] for a, b in windows(text, (), [text.index("毛")])]
    assert "患者毛宁" in got  # a cue and a name candidate
    assert "住址:长宁 水城路77弄26号" in got  # a house number: the whole clause, a colon inside
    assert not any("体温" in w or "血压" in w or "心肺" in w for w in got)


def test_a_rule_hit_across_a_break_is_tagged_too() -> None:
    text = "备注,钦宝坤,其他"
    start = text.index("钦")
    got = windows(text, [(start - 1, start + 3, PERSON)], ())
    assert any(a <= start - 1 and start + 3 <= b for a, b in got)


def test_a_rule_hit_inside_a_tagged_clause_adds_no_window_and_one_outside_does() -> None:
    # the containment check is a bisection over the clauses: a hit inside the second of three tagged
    # clauses changes nothing; a hit in an untriggered clause (体温正常) adds that stretch
    text = "患者毛宁,今日体温正常无不适,医生李明,家属王芳"
    plain = windows(text, (), [text.index("毛"), text.index("李"), text.index("王")])
    li = text.index("李")
    assert windows(text, [(li, li + 2, PERSON)], [text.index("毛"), li, text.index("王")]) == plain
    ti = text.index("体")
    got = windows(text, [(ti, ti + 2, PERSON)], [text.index("毛"), li, text.index("王")])
    assert (ti, ti + 2) in got and len(got) == len(plain) + 1


def test_labels_and_spans_round_trip_and_stop_at_a_jump() -> None:
    labels = labels_for(8, [(1, 3, PERSON), (4, 8, ADDRESS)])
    assert labels == ["O", "B-P", "I-P", "O", "B-A", "I-A", "I-A", "I-A"]
    assert spans_from_labels(labels) == [(1, 3, PERSON), (4, 8, ADDRESS)]
    # an I after a jump in positions starts a new span; a stray I opens one
    assert spans_from_labels(["B-P", "I-P", "I-P"], [0, 1, 5]) == [(0, 2, PERSON), (5, 6, PERSON)]
    assert spans_from_labels(["O", "I-A", "I-A"]) == [(1, 3, ADDRESS)]
    # an I after an O opens a span also when the span before the O was of its kind (it was dropped)
    assert spans_from_labels(["B-A", "I-A", "O", "I-A", "I-A"]) == [(0, 2, ADDRESS), (3, 5, ADDRESS)]
    assert spans_from_labels(["I-P", "O", "I-P"]) == [(0, 1, PERSON), (2, 3, PERSON)]
    assert positions([(0, 2), (5, 7)]) == [0, 1, 5, 6]


def test_gold_spans_follow_normalisation() -> None:
    # full-width digits are folded; the gold address keeps its characters
    original = "住址:水城路７７弄２６号,患者毛宁"
    norm = normalise(original)
    ident = [{"kind": "address", "start": 3, "end": 12}, {"kind": "person_name", "start": 15, "end": 17},
             {"kind": "phone", "start": 0, "end": 2}]
    gold = list(_gold(norm, ident))
    assert [(norm.text[s:e], k) for s, e, k in gold] == [(fold("水城路７７弄２６号"), ADDRESS), ("毛宁", PERSON)]


# --- training ------------------------------------------------------------------------------------
def _tiny_corpus() -> list[Prepared]:
    notes = []
    for i, (name, road) in enumerate([("毛宁", "水城路"), ("钦宝坤", "兴义路"), ("顾兰", "大林路"), ("樊志", "瞿溪路")] * 4):
        text = f"患者{name},住址:{road}{10 + i}弄{i + 2}号\n体温正常"
        s = text.index(name)
        a = text.index(road)
        b = text.index("号") + 1
        notes.append(Prepared(text, (), ((s, s + len(name), PERSON), (a, b, ADDRESS)), (s,)))
    return notes


def test_training_is_deterministic_and_writes_its_sidecar(tmp_path: Path) -> None:
    corpus = _tiny_corpus()
    assert all(len(x) == len(y) for x, y in sequences(corpus))
    one, two = tmp_path / "a.crfsuite", tmp_path / "b.crfsuite"
    train(corpus, one, params={"max_iterations": 30})
    train(corpus, two, params={"max_iterations": 30})
    assert one.read_bytes() == two.read_bytes()
    model = CrfModel(one)
    assert model.meta["rule_features"] is False and model.rule_features is False
    text = "患者樊志,住址:水城路12弄3号\n体温正常"
    found = {(text[s:e], k) for s, e, k in model.spans(text, (), [text.index("樊")])}
    assert ("水城路12弄3号", ADDRESS) in found


def test_a_missing_model_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="missing.crfsuite"):
        CrfModel(tmp_path / "missing.crfsuite")


def test_the_rules_alone_when_asked() -> None:
    assert Deidentifier(crf_model=None).crf_model is None
    assert Deidentifier(entities=["PHONE"]).crf_model is None  # neither names nor addresses wanted


# --- the shipped model inside the de-identifier ----------------------------------------------------


def test_the_shipped_model_is_small_and_loads() -> None:
    assert MODEL_PATH.is_file(), "privacy/deid/models/names_addresses.crfsuite is part of the package"
    assert MODEL_PATH.stat().st_size < 5_000_000
    model = crf.get_model()
    assert model is not None and model.meta.get("trained_on")


def _gone(out: str, value: str) -> bool:
    return fold(value) not in fold(out)


@pytest.fixture(scope="module")
def rules_alone() -> Deidentifier:
    return Deidentifier(crf_model=None)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # a name with no context word (a bed number and a verb around it), surnames in no list
        ("7床 枝若溪 今日出院", ["枝若溪"]),
        # names in a list whose surnames the rules do not know
        ("名单：粘海涛、枝若溪、旺卓玛", ["粘海涛", "枝若溪", "旺卓玛"]),
        # pinyin, given name first, after an abbreviation the rules do not read as a cue
        ("Pt. Ruoxi ZHI, 45F", ["Ruoxi ZHI"]),
        # an address without a district, after a cue the rules do not know
        ("寄往：建国西路47弄5号 收件人：沃丽君", ["建国西路47弄5号", "沃丽君"]),
        # a district abbreviated, a village with its group
        ("现住 长宁 安化路88弄3号501室", ["长宁 安化路88弄3号501室"]),
        ("原籍 青浦 朱家角镇淀山湖村7组38号", ["朱家角镇淀山湖村7组38号"]),
    ],
)
def test_the_model_adds_what_the_rules_miss(deidentifier: Deidentifier, rules_alone: Deidentifier,
                                           text: str, values: list[str]) -> None:
    out = deidentifier.redact(text).text
    for value in values:
        assert _gone(out, value), f"{value!r} left in {out!r}"
    # and the model alone (its spans only) finds them too: these are not the rules' alone to find
    # (session 9's rules catch several of them since; the model must still)
    model_spans = {text[s:e] for s, e, _ in crf.get_model().spans(text)}  # type: ignore[union-attr]
    for value in values:
        assert any(fold(value) in fold(span) or fold(span) in fold(value) for span in model_spans), \
            f"the model alone does not tag {value!r} in {text!r}: {model_spans}"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("发票号20240311，批号230415，12床，消化道出血，于瑞金医院就诊", ["20240311", "230415", "12床", "消化道出血", "瑞金医院"]),
        ("疾病诊断证明书  证明编号 2024-118305", ["证明编号", "2024-118305"]),
        ("患者周身乏力，安静入睡，皮肤老化，小柴胡汤，阿司匹林", ["周身乏力", "安静入睡", "皮肤老化", "小柴胡汤", "阿司匹林"]),
        ("沃丽君、喻佳航三人值班", ["值班"]),
    ],
)
def test_look_alikes_and_clinical_words_are_kept(deidentifier: Deidentifier, text: str, kept: list[str]) -> None:
    out = deidentifier.redact(text).text
    for value in kept:
        assert not _gone(out, value), f"{value!r} lost from {out!r}"


def test_the_model_adds_and_never_removes_a_rule_span(deidentifier: Deidentifier, rules_alone: Deidentifier) -> None:
    text = "患者李娜咳嗽三天，家住长宁 水城路77弄26号1706室，其女王芳陪同"
    with_model = deidentifier.analyze(text)
    for span in rules_alone.analyze(text):
        assert any(s.start <= span.start and span.end <= s.end for s in with_model), span
    out = deidentifier.redact(text).text
    # the rule's edges of a name win over a longer tagged run; the cue word 家住 stays
    assert "咳嗽三天" in out and "家住" in out and _gone(out, "长宁 水城路77弄26号1706室")
