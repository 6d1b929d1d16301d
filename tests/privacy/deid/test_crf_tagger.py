"""Session 10: the learned model tagged without crfsuite's feature strings (privacy/deid/crf_tagger.py).

The fast tagger must give crfsuite's labels exactly — same weights, same sums in the same order,
same Viterbi. Checked here on made-up notes and on random character soup (no benchmark corpus
text); ``bench/deid_eval/crf_speed.py`` checks the redactions of nine corpus splits.
"""

from __future__ import annotations

import random
import re

import pytest

from privacy.deid import crf, crf_tagger
from privacy.deid.crf import MODEL_PATH, features, lexicon_marks, positions, spans_from_labels, windows
from privacy.deid.crf_tagger import FastTagger, read_model, runs, viterbi
from privacy.deid.normalise import normalise

NOTES = [
    "患者张伟，男，45岁，因咳嗽三天入院。家住上海市长宁区水城路123弄4号501室，电话13812345678。",
    "7床 枝若溪 今日出院\n名单：粘海涛、枝若溪、旺卓玛",
    "Pt. Ruoxi ZHI, 45F; Attending: Dr. Li Ming",
    "寄往：建国西路47弄5号 收件人：沃丽君\n现住 长宁 安化路88弄3号501室",
    "原籍 青浦 朱家角镇淀山湖村7组38号，其女王芳陪同，王主任查房，欧阳护士长宣教",
    "患者李娜咳嗽三天，家住长宁 水城路77弄26号1706室，其女王芳陪同",
    "",
    "王",
    "住址：\n\n浦东新区张杨路1号",
]

_POOL = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
         "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅婷雪琳晶莉燕"
         "患者家属住址路弄号室区县村组镇街医生主任护士长其女丈夫电话诊断咳嗽发热入院出院上海长宁浦东"
         "0123456789 ，。、：:；\n()（）#-AaBbZz·.\x02\x03\uffff\U00020bb7\U0001f600")  # beyond the BMP too


@pytest.fixture(scope="module")
def model() -> crf.CrfModel:
    m = crf.get_model()
    assert m is not None
    return m


def _reference(model: crf.CrfModel, text: str, spans: list[tuple[int, int]]) -> list[str]:
    index = positions(spans)
    return model.tagger.tag(features(text, index, lexicon_marks(text), None, spans))  # type: ignore[attr-defined]


def _soup(rng: random.Random) -> str:
    return "".join(rng.choice(_POOL) for _ in range(rng.randint(1, 160)))


def test_the_fast_tagger_gives_crfsuites_labels_on_notes(model: crf.CrfModel) -> None:
    fast = model._fast
    assert fast is not None, "the shipped model reads no rule hits: it is tagged by the fast tagger"
    for raw in NOTES:
        text = normalise(raw).text
        for spans in (windows(text), [(0, len(text))] if text else []):
            if not positions(spans):
                continue
            assert fast.tag(text, spans) == _reference(model, text, spans), text
        assert model.spans(text) == model.crfsuite_spans(text)


def test_the_fast_tagger_gives_crfsuites_labels_on_character_soup(model: crf.CrfModel) -> None:
    """Random characters (surnames, given names, address units, cues, digits, latin, breaks, the
    padding characters themselves), whole and in random windows: the labels are crfsuite's."""
    fast = model._fast
    assert fast is not None
    rng = random.Random(10)
    tagged = 0
    for _ in range(300):
        text = _soup(rng)
        cuts = sorted(rng.sample(range(len(text) + 1), k=min(len(text) + 1, 2 * rng.randint(1, 4))))
        spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if b > a] or [(0, len(text))]
        labels = fast.tag(text, spans)
        assert labels == _reference(model, text, spans), (text, spans)
        tagged += sum(lab != "O" for lab in labels)
    assert tagged > 50, "the soup should hold some names and addresses for the comparison to mean something"


def test_a_lone_surrogate_reads_as_a_character_the_model_does_not_know(model: crf.CrfModel) -> None:
    fast = model._fast
    assert fast is not None
    text = "患者张伟\ud800，家住长宁区水城路77弄26号"
    spans = [(0, len(text))]
    assert fast.tag(text, spans) == fast.tag(text.replace("\ud800", "\ufffe"), spans)
    assert _reference(model, text.replace("\ud800", "\ufffe"), spans) == fast.tag(text, spans)


def test_the_model_file_is_read_as_crfsuite_reads_it(model: crf.CrfModel, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Against crfsuite's own dump of the file (six decimals; pycrfsuite's parser of it breaks on
    attributes holding a line break, so the lines are read here, and those are skipped)."""
    labels, state, trans = read_model(MODEL_PATH)
    assert labels == list(crf.LABELS)
    dump = tmp_path / "dump.txt"
    model.tagger.dump(str(dump))  # type: ignore[attr-defined]
    line = re.compile(r"^  \((\d)\) (.+) --> (\S+): (-?\d+\.\d+)$")
    ours = {(attr, labels[lab]): w for attr, feats in state.items() for lab, w in feats}
    seen_state = seen_trans = 0
    for row in dump.read_text(encoding="utf-8").splitlines():
        m = line.match(row)
        if m is None:
            continue
        kind, src, dst, weight = m.group(1), m.group(2), m.group(3), float(m.group(4))
        if kind == "1":
            assert trans[labels.index(src)][labels.index(dst)] == pytest.approx(weight, abs=1e-6)
            seen_trans += 1
        elif (src, dst) in ours:
            assert ours[(src, dst)] == pytest.approx(weight, abs=1e-6)
            seen_state += 1
    assert seen_trans == sum(w != 0.0 for row in trans for w in row)
    assert seen_state > 0.95 * len(ours)


def test_a_file_that_is_no_crfsuite_model_is_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "other.crfsuite"
    path.write_bytes(b"not a model at all, just bytes")
    with pytest.raises(ValueError, match="not a crfsuite CRF1d model"):
        FastTagger(path)


def test_runs_read_labels_as_spans_from_labels_does() -> None:
    """Including an I run right after an O of the last run's kind: it opens a span in both (until
    session 10 both dropped it)."""
    both = [(0, 2, "ADDRESS"), (3, 5, "ADDRESS")]
    assert spans_from_labels(["B-A", "I-A", "O", "I-A", "I-A"], [0, 1, 2, 3, 4]) == both
    assert runs(["B-A", "I-A", "O", "I-A", "I-A"], [0, 1, 3, 4], [0, 1, 2, 3, 4]) == both
    rng = random.Random(3)
    kinds = ["O", "B-P", "I-P", "B-A", "I-A"]
    for _ in range(20000):
        n = rng.randint(0, 12)
        labels = [rng.choice(kinds) if rng.random() < 0.6 else "O" for _ in range(n)]
        at, pos = [], rng.randint(0, 3)
        for _ in range(n):
            at.append(pos)
            pos += 1 if rng.random() < 0.8 else rng.randint(2, 4)
        tagged = [k for k, lab in enumerate(labels) if lab != "O"]
        assert runs(labels, tagged, at) == spans_from_labels(labels, at), (labels, at)


def test_the_short_step_changes_no_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """viterbi's short step (O far ahead) against the full comparison at every step."""
    _, _, trans = read_model(MODEL_PATH)
    assert crf_tagger._o_leads_shape(trans), "the shipped model's transitions have the shape the short step needs"
    rng = random.Random(7)
    cases = [[[rng.gauss(0, 6) + (12 if j == 0 and rng.random() < 0.8 else 0) for j in range(5)]
              for _ in range(rng.randint(1, 60))] for _ in range(400)]
    short = [viterbi(states, trans) for states in cases]
    monkeypatch.setattr(crf_tagger, "_o_leads_shape", lambda t: False)
    assert short == [viterbi(states, trans) for states in cases]
    assert any(any(path) for path in short)
