"""A character-level CRF for person names and addresses (round 8, docs/deid.md).

Seven rounds of hand-written rules reached 0.999 on every split they were tuned on and 0.86–0.95
on each new one: names and addresses have no checkable shape, and every unseen split wrote them in
contexts no rule had been shown. This module adds a learned sequence model beside the rules:

* the unit is one character of the *normalised* note (:mod:`privacy.deid.normalise`), tagged BIO
  with ``P`` (person name) and ``A`` (address);
* features (:func:`features`) are the character and its neighbours (±3), bigrams, character
  classes, membership in lexicons the project already has (surnames, titles, kinship words, cues,
  districts and their abbreviations, provinces, address suffixes), and the rule recognisers' own
  hits (so the model learns when to trust them and where they stop short);
* only *windows* are tagged (:func:`windows`): clauses holding a trigger (a surname character, an
  address suffix, a digit next to a place unit, a cue or title, pinyin, a rule's hit), joined into
  one sequence per note (one call into crfsuite); the rest of the note costs a regex scan;
* the model's spans are *added* to the rules' (:class:`CrfModel.find`): it never vetoes a rule.

The model is a crfsuite file (its own binary format; no pickle) trained by
``python -m privacy.deid.train_crf`` and loaded once per process (:func:`get_model`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from privacy.deid.entities import ADDRESS, PERSON

if TYPE_CHECKING:
    from privacy.deid.recognizers.base import Doc, Hit

MODEL_PATH = Path(__file__).with_name("models") / "names_addresses.crfsuite"

#: BIO labels: person name, address
LABELS = ("O", "B-P", "I-P", "B-A", "I-A")
_ENTITY = {"P": PERSON, "A": ADDRESS}
_LETTER = {PERSON: "P", ADDRESS: "A"}

# --- lexicons (the project's own lists) -------------------------------------------------------


@lru_cache(maxsize=1)
def _lexicons() -> tuple[re.Pattern[str], dict[str, tuple[tuple[str, ...], ...]]]:
    """One trie regex over every lexicon's words (longest first, one C-speed scan of a note) and
    word → its features before it, after it, on its first character and on the others."""
    from privacy.deid._common import DISTRICT_NAMES, PROVINCES
    from privacy.deid.recognizers.base import alternation
    from privacy.deid.recognizers.cn_person_name_recognizer import (
        _KIN_WORDS,
        CUES,
        RELATIONS,
        SURNAME_TITLES,
        TITLES,
        VERBS,
    )
    from privacy.deid.surnames import all_compound

    abbrev = {d[:-1] for d in DISTRICT_NAMES if d.endswith(("区", "县")) and len(d) >= 3}
    abbrev |= {d[:-2] for d in DISTRICT_NAMES if d.endswith("新区")}
    provinces = set(PROVINCES) | {p[:-1] for p in PROVINCES if p.endswith(("省", "市"))}
    words: dict[str, Iterable[str]] = {
        "cue": [c for c in CUES if not c.isascii()],
        "tit": [t for t in set(TITLES) | set(SURNAME_TITLES) if len(t) >= 2],
        "rel": set(RELATIONS) | set(_KIN_WORDS),
        "verb": [v for v in VERBS if len(v) >= 2],
        "cmp": all_compound(),
        "dis": DISTRICT_NAMES,
        "dab": abbrev,
        "prv": provinces | {"上海市", "上海", "北京", "天津", "重庆"},
        "road": "大道 公路 路 大街 街 巷 镇 街道 乡 村 新村 小区 花园 公寓 家园 新苑 苑 园 大厦 广场 公馆 里 坊 宅 队".split(),
        "unit": "号楼 号院 支弄 号 弄 组 幢 栋 单元 室 层 楼 座 #".split(),
        "lab": "住址 地址 家住 住在 现住 居住 户籍 籍贯 现居 住于 寄往 收件 邮寄".split(),
    }
    owners: dict[str, list[str]] = {}
    for name, ws in words.items():
        for w in ws:
            owners.setdefault(w, []).append(name)
    feats = {}
    for w, names in owners.items():
        ns = sorted(set(names))
        feats[w] = tuple(tuple(x + mark for x in ns) for mark in (">", "<", "B", "I"))
    return re.compile(alternation(list(owners))), feats


@lru_cache(maxsize=1)
def _surname_flags() -> dict[str, str]:
    """Character → ``C`` (a common surname) or ``R`` (a rarer one)."""
    from privacy.deid.name_model import SURNAMES
    from privacy.deid.surnames import all_single

    flags = dict.fromkeys(all_single(), "R")
    flags.update(dict.fromkeys(SURNAMES, "C"))
    return flags


@lru_cache(maxsize=1)
def _surname_table() -> dict[int, str]:
    """Code point → ``C``/``R`` for surnames (:func:`_surname_flags`), ``_`` for the letters C and R."""
    table = {ord(c): flag for c, flag in _surname_flags().items()}
    table.update({ord("C"): "_", ord("R"): "_"})
    return table


_NOT_SURNAME = re.compile(r"[^CR]")


@lru_cache(maxsize=1)
def _surname_scan() -> tuple[re.Pattern[str], dict[str, int]]:
    """One character class of every surname character, and each one's flag as a byte."""
    flags = _surname_flags()
    return re.compile("[" + "".join(re.escape(c) for c in sorted(flags)) + "]"), {c: ord(f) for c, f in flags.items()}


def surname_marks(text: str) -> str:
    """One letter per character of ``text``: ``C`` a common surname, ``R`` a rarer one, ``_`` anything
    else (the letters C and R too). Surnames are few in a note: one scan for them into a row of ``_``
    (what :meth:`str.translate` through :func:`_surname_table` gave, at a fraction of its cost)."""
    pattern, flags = _surname_scan()
    out = bytearray(b"_" * len(text))
    for m in pattern.finditer(text):
        out[m.start()] = flags[m.group()]
    return out.decode("ascii")


@lru_cache(maxsize=1)
def _class_table() -> dict[int, str]:
    """Code point → class letter, for :meth:`str.translate` (anything absent is ``P``)."""
    table = {c: "H" for c in range(0x4E00, 0xA000)}
    table.update({c: "H" for c in range(0x3400, 0x4DC0)})
    table.update({ord(c): "D" for c in "0123456789"})
    table.update({ord(c): "U" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
    table.update({ord(c): "L" for c in "abcdefghijklmnopqrstuvwxyz"})
    table.update({ord("\n"): "N", ord(" "): "S", ord("\t"): "S", 0x3000: "S"})
    return table


_NOT_CLASS = re.compile(r"[^HDULNS]")


def char_classes(text: str) -> str:
    """One class letter per character of ``text``: H ideograph, D digit, U/L latin upper/lower case,
    S space, N newline, P anything else (the normalised note is already half-width, so full-width
    forms read as theirs)."""
    # what the table leaves alone is itself, never a class letter (ASCII letters are in the table): → P
    return _NOT_CLASS.sub("P", text.translate(_class_table()))


# --- windows ------------------------------------------------------------------------------------

#: where a window ends: line breaks, sentence and clause punctuation, two spaces or more (a name or
#: an address seldom crosses one; the features still read the characters either side). Not a
#: colon: a label and its value are one window (医生:泉安邦).
_BREAK = re.compile(r"(?:[\n。；;！？!?|，,、/]| {2,})+")
_BREAK_CHARS = "\n。；;！？!?|，,：:、/ "


@lru_cache(maxsize=1)
def _trigger() -> re.Pattern[str]:
    """What makes a clause worth tagging besides a name candidate of the rules: an address unit
    after a number, a place suffix before one, two capitalised latin words (pinyin), a cue or a
    title, a short field value (2–4 ideographs between breaks)."""
    from privacy.deid.recognizers.base import alternation
    from privacy.deid.recognizers.cn_person_name_recognizer import CUES, SURNAME_TITLES

    words = [w for w in (*CUES, *SURNAME_TITLES) if len(w) >= 2 and not w.isascii()]
    brk = re.escape(_BREAK_CHARS)
    # the short field value is "an ideograph with a break or the note's start before it", written as
    # an ideograph first and a lookbehind after it (was (?:(?<=[brk])|^)[…]{2,4}): every branch now
    # opens with a character. Session 10: the same windows on 25,400 texts (the nine splits' notes
    # and random ones), windows() 122 -> 108 us a note
    return re.compile(
        r"[0-9〇一二三四五六七八九十][号弄室组幢栋楼#]|[路街镇乡村区县省苑园巷][0-9]"
        r"|[A-Z][a-z]+ [A-Z][A-Za-z]+|[A-Z]{2,} [A-Z][a-z]+"
        f"|[\u4e00-\u9fff](?<![^{brk}][\u4e00-\u9fff])[\u4e00-\u9fff]{{1,3}}(?=[{brk}]|$)|" + alternation(words)
    )


def windows(text: str, rule_spans: Sequence[tuple[int, int, str]] = (),
            name_starts: Sequence[int] = ()) -> list[tuple[int, int]]:
    """The stretches of ``text`` the model tags: each clause (:data:`_BREAK`) where a :func:`_trigger`
    matches or a name candidate of the rules starts (``name_starts``: where the name recogniser
    scored a surname), and the rules' name and address hits with their clause."""
    search = _trigger().search
    starts = sorted(name_starts)
    nstarts = len(starts)
    k = 0
    out = []
    pos = 0
    length = len(text)
    for m in (*_BREAK.finditer(text), None):
        end = m.start() if m is not None else length
        if end > pos:
            while k < nstarts and starts[k] < pos:
                k += 1
            if (k < nstarts and starts[k] < end) or search(text, pos, end):
                out.append((pos, end))
        if m is None:
            break
        pos = m.end()
    extra = [(s, e) for s, e, kind in rule_spans if kind in _LETTER and not _inside(out, s, e)]
    if extra:  # a rule's hit across a break (长宁 水城路…) or with no trigger: its stretch is tagged too
        out.extend(extra)
        out.sort()
        merged: list[tuple[int, int]] = []
        for a, b in out:
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        out = merged
    return out


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether one of ``spans`` (sorted, apart: the clauses of :func:`windows`) holds ``start``–``end``:
    only the last one starting at or before ``start`` can (a bisection, not a scan of them all)."""
    if end <= start:
        return any(a <= start and end <= b for a, b in spans)
    k = bisect_right(spans, (start, _NO_END)) - 1
    return k >= 0 and end <= spans[k][1]


_NO_END = 1 << 62


# --- features -----------------------------------------------------------------------------------


def rule_tags(length: int, rule_spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """Per character: what the rules said there (``P``/``A`` begin ``b`` or inside ``i``; ``N`` any
    other identifier; ``O`` nothing)."""
    tags = ["O"] * length
    for s, e, entity in rule_spans:
        letter = _LETTER.get(entity)
        if letter is None:
            for i in range(max(0, s), min(e, length)):
                if tags[i] == "O":
                    tags[i] = "N"
            continue
        for i in range(max(0, s), min(e, length)):
            tags[i] = letter + "i"
        if 0 <= s < length:
            tags[s] = letter + "b"
    return tags


def lexicon_marks(text: str) -> dict[int, list[str]]:
    """Position → lexicon features there: ``lexB``/``lexI`` inside a word of the lexicon, ``lex>``
    just before one, ``lex<`` just after one (one scan of the note for all lexicons; where words
    overlap, the longest from the left wins)."""
    pattern, owners = _lexicons()
    marks: dict[int, list[str]] = {}
    n = len(text)
    for m in pattern.finditer(text):
        s, e = m.span()
        before, after, first, rest = owners[m.group()]
        if s > 0:
            marks.setdefault(s - 1, []).extend(before)
        if e < n:
            marks.setdefault(e, []).extend(after)
        marks.setdefault(s, []).extend(first)
        for i in range(s + 1, e):
            marks.setdefault(i, []).extend(rest)
    return marks


def positions(spans: Sequence[tuple[int, int]]) -> list[int]:
    """The text positions of ``spans`` (windows), in order: the items of the note's one sequence."""
    out: list[int] = []
    for a, b in spans:
        out.extend(range(a, b))
    return out


def features(text: str, index: Sequence[int] | None = None, marks: dict[int, list[str]] | None = None,
             tags: Sequence[str] | None = None,
             spans: Sequence[tuple[int, int]] | None = None) -> list[tuple[str, ...]]:
    """The feature strings of the characters of ``text`` (the whole normalised note) at ``index``
    (default all), read with their neighbours. ``marks`` are :func:`lexicon_marks` of the note
    (computed when not given); ``tags`` (:func:`rule_tags`) add what the rules said at each character
    and either side; an item whose left neighbour is not the previous item opens with ``gap``.
    ``spans``, when given, are the windows ``index`` is the :func:`positions` of (sorted, apart):
    the gaps and marks are then placed per window and per mark, not per item.
    Built column by column with comprehensions and C-speed scans: per-character Python was the cost."""
    if index is None:
        index = range(len(text))
    if not index:
        return []
    if marks is None:
        marks = lexicon_marks(text)
    pad = "\x02\x02" + text + "\x03\x03"
    cls = "BB" + char_classes(text) + "EE"
    sur = "__" + surname_marks(text) + "__"
    # one tuple per item in one comprehension (nine columns zipped cost half as much again)
    rows = [
        ("c=" + pad[p], "l1=" + pad[p - 1], "r1=" + pad[p + 1], "l2=" + pad[p - 2], "r2=" + pad[p + 2],
         "bl=" + pad[p - 1 : p + 1], "br=" + pad[p : p + 2], "k=" + cls[p - 1 : p + 2], "s=" + sur[p - 2 : p + 2])
        for p in [i + 2 for i in index]
    ]
    if tags is not None:
        tg = ["O", *tags, "O"]
        rows = [row + ("t=" + tg[i + 1], "tl=" + tg[i] + tg[i + 2]) for row, i in zip(rows, index, strict=True)]
    if spans is not None:
        _gaps_and_marks(rows, spans, marks)
        return rows
    prev = -2
    for k, i in enumerate(index):
        extra = marks.get(i)
        if i != prev + 1:
            rows[k] += ("gap", *extra) if extra else ("gap",)
        elif extra:
            rows[k] += tuple(extra)
        prev = i
    return rows


def _gaps_and_marks(rows: list[tuple[str, ...]], spans: Sequence[tuple[int, int]],
                    marks: dict[int, list[str]]) -> None:
    """``gap`` on the first item of each of ``spans`` (sorted and apart, as :func:`windows` gives
    them: ``index`` is their :func:`positions`) and the lexicon marks on their items: per window and
    per mark, not per item."""
    starts: list[int] = []
    firsts: list[int] = []
    k = 0
    prev = -2
    for a, b in spans:
        if b <= a:
            continue
        if a != prev + 1:
            rows[k] += ("gap",)
        starts.append(a)
        firsts.append(k)
        k += b - a
        prev = b - 1
    ends = [b for a, b in spans if b > a]
    for i, extra in marks.items():
        w = bisect_right(starts, i) - 1
        if w >= 0 and i < ends[w] and extra:
            rows[firsts[w] + i - starts[w]] += tuple(extra)


def labels_for(length: int, gold: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIO labels of ``length`` characters from gold spans ``(start, end, entity)``."""
    out = ["O"] * length
    for s, e, entity in gold:
        letter = _LETTER[entity]
        s, e = max(0, s), min(e, length)
        if s >= e:
            continue
        out[s] = "B-" + letter
        for i in range(s + 1, e):
            out[i] = "I-" + letter
    return out


def spans_from_labels(labels: Sequence[str], index: Sequence[int] | None = None) -> list[tuple[int, int, str]]:
    """``(start, end, entity)`` of every B/I run (an I without its B opens a span too); ``index``
    gives each label's text position (a run stops where the positions jump: a window ended)."""
    if index is None:
        index = range(len(labels))
    out: list[tuple[int, int, str]] = []
    start = last = -1
    kind = ""
    for lab, pos in zip(labels, index, strict=True):
        if lab == "O" or lab[0] == "B" or lab[2] != kind or pos != last + 1:
            if start >= 0:
                out.append((start, last + 1, _ENTITY[kind]))
            # after an O nothing is open: an I that follows opens a span even of the kind before it
            start, kind = (-1, "") if lab == "O" else (pos, lab[2])
        last = pos
    if start >= 0:
        out.append((start, last + 1, _ENTITY[kind]))
    return out


# --- the model at run time ----------------------------------------------------------------------


class CrfModel:
    """A trained model: :meth:`spans` tags a normalised note's windows."""

    def __init__(self, path: Path | str = MODEL_PATH) -> None:
        from privacy.deid.crf_tagger import FastTagger

        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"CRF model {self.path} is missing: build it with python -m privacy.deid.train_crf")
        self._crfsuite = None
        #: what training wrote beside the model (:func:`privacy.deid.train_crf.train`): whether it reads rule hits
        self.meta: dict[str, object] = {}
        sidecar = self.path.with_suffix(".json")
        if sidecar.is_file():
            import json

            self.meta = json.loads(sidecar.read_text(encoding="utf-8"))
        self.rule_features = bool(self.meta.get("rule_features", False))
        #: the model's weights read from its file, tagging without feature strings (session 10; a model
        #: that reads the rules' hits as features is tagged by crfsuite, :meth:`crfsuite_spans`)
        self._fast = None if self.rule_features else FastTagger(self.path)

    @property
    def tagger(self) -> object:
        """crfsuite's own tagger of the model file (opened on first use)."""
        if self._crfsuite is None:
            import pycrfsuite

            tagger = pycrfsuite.Tagger()
            tagger.open(str(self.path))
            self._crfsuite = tagger
        return self._crfsuite

    def spans(self, text: str, rule_spans: Sequence[tuple[int, int, str]] = (),
              name_starts: Sequence[int] = ()) -> list[tuple[int, int, str]]:
        """``(start, end, entity)`` the model tags in ``text`` (offsets into ``text``); ``rule_spans``
        and ``name_starts`` as :func:`windows` takes them."""
        spans = windows(text, rule_spans, name_starts)
        if self._fast is not None:
            return self._fast.spans(text, spans)
        return self._tagged(text, spans, rule_spans)

    def crfsuite_spans(self, text: str, rule_spans: Sequence[tuple[int, int, str]] = (),
                       name_starts: Sequence[int] = ()) -> list[tuple[int, int, str]]:
        """:meth:`spans` through crfsuite and the feature strings of :func:`features` (what the fast
        tagger must equal; the path for a model that reads the rules' hits)."""
        return self._tagged(text, windows(text, rule_spans, name_starts), rule_spans)

    def _tagged(self, text: str, spans: list[tuple[int, int]],
                rule_spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        index = positions(spans)
        if not index:
            return []
        tags = rule_tags(len(text), rule_spans) if self.rule_features else None
        labels = self.tagger.tag(features(text, index, lexicon_marks(text), tags, spans))  # type: ignore[attr-defined]
        if "B-P" in labels or "B-A" in labels or "I-P" in labels or "I-A" in labels:
            return spans_from_labels(labels, index)
        return []

    def find(self, doc: Doc, hits: Sequence[Hit], wanted: frozenset[str]) -> list[Hit]:
        """The model's names and addresses in ``doc`` as hits (beside ``hits``, the rules', and the
        name recogniser's candidates, which choose the windows it tags)."""
        from privacy.deid.recognizers.base import Hit

        text = doc.text
        rule_spans = [(h.start, h.end, h.entity_type) for h in hits]
        names = [(h.start, h.end) for h in hits if h.entity_type == PERSON]
        # identifier and look-alike labels (证明编号, 发票号…) and the look-alike numbers after them
        blocked = [*doc.cache.get("labels", ()), *doc.decoys]  # type: ignore[misc]
        out = []
        for s, e, kind in self.spans(text, rule_spans, name_starts(doc)):
            if kind == ADDRESS:
                m = _ADDRESS_CUE.match(text, s, e)
                if m is not None:
                    s = m.end()  # 家住 is the cue, not the address
            if kind not in wanted or not _plausible(text, s, e, kind):
                continue
            if blocked and any(s < b and a < e for a, b in blocked):
                continue
            if kind == PERSON and any(s <= a and b <= e and (s, e) != (a, b) for a, b in names):
                continue  # a rule's name inside a longer tagged one: the rule's edges (患者李娜咳嗽三天)
            out.append(Hit(s, e, kind, 0.8, "CrfModel"))
        return out


#: the words that introduce an address, which the model sometimes tags with it
_ADDRESS_CUE = re.compile(r"(?:家住|住在|现住|居住于|居住在|居住|住于|现居|住址|地址|户籍地|户籍|籍贯|原籍|于|在|住)[:：]?[ ]?")


#: what an address holds when it has no house number: a Chinese address unit
_ADDRESS_WORD = re.compile(r"[路街弄巷号室村组镇乡区县市楼栋幢苑园里坊]|大道|公路|新村|小区")
#: the last character of a room, a department or a place, never of a name
_PLACE_ENDS = tuple("站室房科院部处台心所组区楼库")


def name_starts(doc: Doc) -> list[int]:
    """Where the name recogniser scored a name candidate in ``doc`` (it leaves them in the doc's cache)."""
    return [c[1] for c in doc.cache.get("name_candidates", ())]  # type: ignore[attr-defined]


def _not_surname_before_title() -> frozenset[str]:
    from privacy.deid.recognizers.cn_person_name_recognizer import _NOT_SURNAME_BEFORE_TITLE

    return _NOT_SURNAME_BEFORE_TITLE


def _plausible(text: str, start: int, end: int, kind: str) -> bool:
    """A tagged span worth redacting: a latin name, a Han name of 2–4 characters (longer with a dot
    or a space; one character only before a title, as the model tags 王主任: 值班 is not Mr 班), an
    address of 4 characters or more."""
    value = text[start:end].strip()
    if not value:
        return False
    if kind == PERSON:
        if len(value) == 1:  # a surname alone is a name only before a title (王主任, 笪护士长), not a role's
            return _title_at(text, end) and value not in _not_surname_before_title()  # character (各位老师)
        if value.endswith(_PLACE_ENDS) and not value.isascii():
            return False  # a room or a department (配药室, 护士站)
        if value.isascii():
            return len(value) <= 40 and any(c.isalpha() for c in value)
        if any(c in value for c in " ·."):
            return True  # written with a dot or a space (阿依古丽·买买提, 旺 卓玛)
        return _name_like(value)
    # an address has a house number or an address word (Diet Plan, Member Services Team are none)
    return len(value) >= 4 and (any(c.isdigit() for c in value) or _ADDRESS_WORD.search(value) is not None)


def _name_like(value: str) -> bool:
    """A Han name the model added is kept when it reads as a name to the project's name model
    (:mod:`privacy.deid.name_model`): 2–4 characters, four only with a compound surname, not a
    dictionary word (阿司匹林, 胸闷), and given-name characters that are, on average, at least as
    common in names as in text (周身乏力, 安静入睡, 皮肤老化 are not). The model, trained on notes
    where a cue is always followed by a name, otherwise reads any phrase after a cue as one."""
    from privacy.deid.name_model import COMMON_WORD_FREQ, load_model

    model = load_model()
    if len(value) > 4 or model.word_freq(value) >= COMMON_WORD_FREQ:
        return False
    compound = value[:2] in model.compound
    if len(value) == 4 and not compound:
        return False
    given = value[2:] if compound and len(value) > 2 else value[1:]
    return sum(model.given_score(c) for c in given) >= 0.0


@lru_cache(maxsize=1)
def _titles() -> re.Pattern[str]:
    from privacy.deid.recognizers.base import alternation
    from privacy.deid.recognizers.cn_person_name_recognizer import SURNAME_TITLES

    return re.compile(alternation(SURNAME_TITLES))


def _title_at(text: str, pos: int) -> bool:
    return _titles().match(text, pos) is not None


@lru_cache(maxsize=1)
def get_model() -> CrfModel | None:
    """The shipped model, loaded once per process (None when the file is absent)."""
    if not MODEL_PATH.is_file():
        return None
    return CrfModel(MODEL_PATH)
