"""The learned model's tagging without crfsuite's feature strings (session 10, docs/deid.md).

:func:`privacy.deid.crf.features` writes ~9.5 strings per tagged character and crfsuite looks each
one up in its attribute table before its Viterbi pass: together ~60 % of the model's time per note,
though three quarters of those strings are unknown to the model (L1 training kept 4,697
attributes). :class:`FastTagger` reads the same model file and tags the same items with the same
arithmetic, without the strings:

* the model's state weights are tables indexed by what the feature templates read — a character
  (``c``, ``l1``, ``r1``, ``l2``, ``r2``), a pair of characters (``bl``, ``br``), three character
  classes (``k``), four surname flags (``s``) — so a note's emission scores are a few NumPy
  gathers over its code points (an unknown attribute is a row of zeros);
* each label's score is summed in the order crfsuite sums it (the item's attributes in the order
  :func:`~privacy.deid.crf.features` writes them, ``gap`` and the lexicon marks last), so the
  doubles are the same bit for bit, and the Viterbi pass is crfsuite's (``crf1dc_viterbi``: the
  first maximum wins, transitions from the model file), written out for five labels.

The model file is crfsuite's own format (``crf1d_model.c``: a header, a feature table of
``(type, source, destination, weight)``, label and attribute CQDB string tables), read with
:mod:`struct`; nothing is unpickled. ``tests/privacy/deid/test_crf.py`` checks the labels equal
crfsuite's on notes, and ``bench/deid_eval/crf_speed.py`` the redactions on nine splits.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from itertools import accumulate, chain
from pathlib import Path

import numpy as np

#: the templates of :func:`privacy.deid.crf.features` that read one character, and where (from the item)
_UNIGRAMS = (("c", 0), ("l1", -1), ("r1", 1), ("l2", -2), ("r2", 2))
#: character classes of :func:`privacy.deid.crf.char_classes`, and B/E for the note's padding
_CLASSES = "HDULNSPBE"
_SURNAME_FLAGS = "_CR"
_PAD = "\x02\x02"
_END = "\x03\x03"
_UNICODE = 0x110000
_BMP = 0x10000


def _cqdb(data: bytes, offset: int) -> dict[int, str]:
    """id → string of the CQDB chunk at ``offset`` (crfsuite's constant database: a header, hash
    tables, records ``id, size, key\\0``, and a backward array id → record offset)."""
    if data[offset : offset + 4] != b"CQDB":
        raise ValueError(f"CRF model: no CQDB chunk at offset {offset}")
    _size, _flag, _order, count, backward = struct.unpack_from("<5I", data, offset + 4)
    out = {}
    for i in range(count):
        (record,) = struct.unpack_from("<I", data, offset + backward + 4 * i)
        if record:
            rid, size = struct.unpack_from("<2I", data, offset + record)
            key = data[offset + record + 8 : offset + record + 8 + size]
            out[rid] = key.rstrip(b"\0").decode("utf-8")
    return out


def read_model(path: Path | str) -> tuple[list[str], dict[str, list[tuple[int, float]]], list[list[float]]]:
    """(labels by id, attribute → [(label id, weight)] in the file's order, transitions[from][to])
    of a crfsuite CRF1d model file."""
    data = Path(path).read_bytes()
    if data[:4] != b"lCRF" or data[8:12] != b"FOMC":
        raise ValueError(f"{path}: not a crfsuite CRF1d model")
    (_version, _nf, n_labels, _na, off_features, off_labels, off_attrs, _lr, _ar) = struct.unpack_from("<9I", data, 12)
    if data[off_features : off_features + 4] != b"FEAT":
        raise ValueError(f"{path}: no feature table")
    _size, n_features = struct.unpack_from("<2I", data, off_features + 4)
    labels_by_id = _cqdb(data, off_labels)
    attrs = _cqdb(data, off_attrs)
    labels = [labels_by_id[i] for i in range(n_labels)]
    state: dict[str, list[tuple[int, float]]] = {}
    trans = [[0.0] * n_labels for _ in range(n_labels)]
    for ftype, src, dst, weight in struct.iter_unpack("<3Id", data[off_features + 12 : off_features + 12 + 20 * n_features]):
        if ftype == 0:
            state.setdefault(attrs[src], []).append((dst, weight))
        elif ftype == 1:
            trans[src][dst] = weight
        else:
            raise ValueError(f"{path}: feature type {ftype} is neither a state nor a transition")
    return labels, state, trans


class FastTagger:
    """Tags the items of a note as ``pycrfsuite.Tagger.tag(features(...))`` does, from the model file.

    Every state weight the templates can reach is a row of one table (:attr:`_weights`, a row of
    zeros for each template's unknown values); a note's emissions are one gather of nine rows per
    item and eight additions in the templates' order.
    """

    def __init__(self, path: Path | str) -> None:
        from privacy.deid.crf import _lexicons

        labels, state, trans = read_model(path)
        self.labels = labels
        n = len(labels)
        self.trans = trans
        chars = sorted({c for a in state for c in _template_value(a)[1] if _template_value(a)[0] in _CHAR_TEMPLATES})
        width = self._width = len(chars) + 1  # the last id: a character no template knows
        cid = {c: i for i, c in enumerate(chars)}
        uni = {name: {} for name, _ in _UNIGRAMS}
        pairs: dict[str, dict[int, list[tuple[int, float]]]] = {"bl": {}, "br": {}}
        k3: dict[int, list[tuple[int, float]]] = {}
        s4: dict[int, list[tuple[int, float]]] = {}
        #: the other attributes (gap, lexicon marks): attribute → weights in label order
        other: dict[str, list[float]] = {}
        for attr, feats in state.items():
            name, value = _template_value(attr)
            if name in uni and len(value) == 1:
                uni[name][cid[value]] = feats
            elif name in pairs and len(value) == 2:
                pairs[name][cid[value[0]] * width + cid[value[1]]] = feats
            elif name == "k" and len(value) == 3 and all(c in _CLASSES for c in value):
                k3[_code(value, _CLASSES)] = feats
            elif name == "s" and len(value) == 4 and all(c in _SURNAME_FLAGS for c in value):
                s4[_code(value, _SURNAME_FLAGS)] = feats
            else:
                other[attr] = [0.0] * n
                for label, w in feats:
                    other[attr][label] = w
        # one table: the five character templates (width rows each), the two pair templates (their
        # known pairs, then a row of zeros), the class trigrams, the surname flags
        blocks: list[tuple[int, dict[int, list[tuple[int, float]]]]] = [(width, uni[name]) for name, _ in _UNIGRAMS]
        # the known pairs of bl, then of br (keyed width² higher), in one sorted array: row
        # _pair_first + i is pair i's, the row after the last is zeros (a pair the model does not know)
        bl, br = sorted(pairs["bl"]), sorted(pairs["br"])
        if 2 * width * width >= 1 << 31:
            raise ValueError(f"{path}: {width} characters are too many for the tagger's pair keys")
        self._pair_keys = np.array([*bl, *(k + width * width for k in br)], dtype=np.int32)
        self._pair_first = offset = 5 * width
        self._pair_none = offset + len(self._pair_keys)
        rows_of_pairs = {i: pairs["bl"][k] for i, k in enumerate(bl)}
        rows_of_pairs.update({len(bl) + i: pairs["br"][k] for i, k in enumerate(br)})
        blocks.append((len(self._pair_keys) + 1, rows_of_pairs))
        offset += len(self._pair_keys) + 1
        self._k_offset = offset
        blocks.append((len(_CLASSES) ** 3, k3))
        self._s_offset = offset + len(_CLASSES) ** 3
        blocks.append((len(_SURNAME_FLAGS) ** 4, s4))
        self._weights = np.zeros((sum(size for size, _ in blocks), n))
        offset = 0
        for size, rows_of in blocks:
            for row, feats in rows_of.items():
                for label, w in feats:
                    self._weights[offset + row, label] = w
            offset += size
        self._uni_offsets = np.arange(5, dtype=np.intp)[:, None] * width
        self._shifts = np.array([d for _, d in _UNIGRAMS], dtype=np.intp)[:, None]
        self._id_bits = width.bit_length()
        code = _code_table(chars, self._id_bits)
        self._code = code
        self._last = len(code) - 1
        # the padding characters of features() (two \x02 before the note, two \x03 after) are of
        # classes B and E there, whatever the same characters are inside a note
        ids = (1 << self._id_bits) - 1
        self._pad_before = int(code[ord("\x02")] & ids | _CLASSES.index("B") << self._id_bits)
        self._pad_after = int(code[ord("\x03")] & ids | _CLASSES.index("E") << self._id_bits)
        #: the k template's key from the classes of (the item, one left, one right): left, item, right
        self._k_weights = np.array([9, 81, 1], dtype=np.int64)
        #: the s template's key from the flags of (item, -1, +1, -2, +2): -2, -1, item, +1
        self._s_weights = np.array([3, 9, 1, 27, 0], dtype=np.int64)
        names = sorted(other)
        row_of = {attr: i for i, attr in enumerate(names)}
        self._other = np.array([other[a] for a in names]).reshape(len(names), n)
        gap = other.get("gap")
        self._gap = np.array(gap) if gap is not None else None
        pattern, feats = _lexicons()
        #: word → the rows of :attr:`_other` the model knows of its marks before / after it, on its first / other characters
        self._lexicon = (pattern, {
            word: (None if not any(r in row_of for part in parts for r in part)
                   else tuple(tuple(row_of[r] for r in part if r in row_of) for part in parts))
            for word, parts in feats.items()
        })

    def emissions(self, text: str, spans: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        """(each item's label scores, each item's position in ``text``) for the items of ``spans``
        (windows, sorted and apart): what crfsuite sums for the attributes
        :func:`~privacy.deid.crf.features` writes, in the same order, so the same doubles."""
        spans = [(a, b) for a, b in spans if b > a]
        # (a lone surrogate, which crfsuite could not even be given, reads as a character it does not know)
        cps = np.frombuffer((_PAD + text + _END).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        # the items' positions in the padded note, window after window (made in C from the ranges)
        lengths = [b - a for a, b in spans]
        firsts = [0, *accumulate(lengths)]
        p = np.fromiter(chain.from_iterable(range(a + 2, b + 2) for a, b in spans), dtype=np.intp, count=firsts.pop())
        at = p + self._shifts  # rows: the item, one left, one right, two left, two right
        if self._last < _UNICODE - 1:
            cps = np.minimum(cps, self._last)
        code = self._code.take(cps)
        code[:2] = self._pad_before
        code[-2:] = self._pad_after
        code = code.take(at)
        bits = self._id_bits
        chars = code & ((1 << bits) - 1)
        c0, left, right = chars[0], chars[1], chars[2]
        width = self._width
        keys = self._pair_keys
        pair = np.concatenate((left * width + c0, c0 * width + right + width * width))
        found = np.searchsorted(keys, pair)
        np.minimum(found, len(keys) - 1, out=found)
        pair = np.where(keys.take(found) == pair, found + self._pair_first, self._pair_none)
        rows = np.concatenate((
            chars + self._uni_offsets,
            pair.reshape(2, -1),
            (self._k_weights @ ((code[:3] >> bits) & 15) + self._k_offset)[None],
            (self._s_weights @ (code >> (bits + 4)) + self._s_offset)[None],
        ))
        g = self._weights.take(rows, axis=0)
        # crfsuite's order: c, l1, r1, l2, r2, bl, br, k, s, one addition at a time
        e = g[0] + g[1]
        for i in range(2, 9):
            e += g[i]
        # gap on the first item of a window that does not continue the last one (crf._gaps_and_marks)
        if self._gap is not None:
            ends = [-1, *(b for _, b in spans[:-1])]
            gaps = [k for k, (a, _), end in zip(firsts, spans, ends, strict=True) if a != end]
            e[gaps] += self._gap
        # then the lexicon marks, in the order lexicon_marks lists them at each character
        pos, ids = self._marks(text)
        if pos:
            item = np.full(len(text) + 1, -1, dtype=np.intp)
            item[p - 2] = np.arange(len(p))
            found = item.take(pos)
            inside = found >= 0
            if inside.any():
                np.add.at(e, found[inside], self._other.take(np.array(ids)[inside], axis=0))
        return e, p - 2

    def _marks(self, text: str) -> tuple[list[int], list[int]]:
        """(position, attribute row) of every lexicon mark the model knows, as lexicon_marks places
        them: per word found, before it, after it, on its first and on its other characters."""
        pattern, roles = self._lexicon
        pos: list[int] = []
        ids: list[int] = []
        n = len(text)
        for m in pattern.finditer(text):
            role = roles[m.group()]
            if role is None:
                continue
            s, e = m.span()
            before, after, first, rest = role
            if before and s > 0:
                pos.extend([s - 1] * len(before))
                ids.extend(before)
            if after and e < n:
                pos.extend([e] * len(after))
                ids.extend(after)
            if first:
                pos.extend([s] * len(first))
                ids.extend(first)
            if rest:
                for i in range(s + 1, e):
                    pos.extend([i] * len(rest))
                    ids.extend(rest)
        return pos, ids

    def tag(self, text: str, spans: Sequence[tuple[int, int]]) -> list[str]:
        """The best label of each item of ``spans`` (crfsuite's Viterbi)."""
        e, _ = self.emissions(text, spans)
        labels = self.labels
        return [labels[y] for y in viterbi(e.tolist(), self.trans, float(np.abs(e).max()))]

    def spans(self, text: str, windows: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """``(start, end, entity)`` of the runs the model tags in ``windows`` of ``text``, as
        :func:`~privacy.deid.crf.spans_from_labels` reads them."""
        if not any(b > a for a, b in windows):
            return []
        e, positions = self.emissions(text, windows)
        path = viterbi(e.tolist(), self.trans, float(np.abs(e).max()))
        labels = self.labels
        tagged = [k for k, y in enumerate(path) if labels[y] != "O"]
        if not tagged:
            return []
        return runs([labels[y] for y in path], tagged, positions.tolist())


def runs(labels: Sequence[str], tagged: Sequence[int], at: Sequence[int]) -> list[tuple[int, int, str]]:
    """:func:`~privacy.deid.crf.spans_from_labels` of ``labels`` at positions ``at``, read from the
    items that are not ``O`` (``tagged``, ascending) only. Equal to it by construction (an ``I`` run
    right after an ``O`` opens a span in both, also of the kind of the run before the ``O``: until
    session 10 both dropped it)."""
    from privacy.deid.crf import _ENTITY

    out: list[tuple[int, int, str]] = []
    start = -1
    prev_k = -2
    kind = ""
    for k in tagged:
        if k != prev_k + 1:  # an O came between: the run closed there, and nothing is open
            if start >= 0:
                out.append((start, at[prev_k] + 1, _ENTITY[kind]))
            start, kind = -1, ""
        lab = labels[k]
        pos = at[k]
        before = at[k - 1] if k > 0 else -1
        if lab[0] == "B" or lab[2] != kind or pos != before + 1:
            if start >= 0:
                out.append((start, before + 1, _ENTITY[kind]))
            start, kind = pos, lab[2]
        prev_k = k
    if start >= 0:
        out.append((start, at[prev_k] + 1, _ENTITY[kind]))
    return out


_CHAR_TEMPLATES = frozenset(("c", "l1", "r1", "l2", "r2", "bl", "br"))


def _code_table(chars: list[str], bits: int) -> np.ndarray:
    """Per code point one int32: the character's id among ``chars`` (``len(chars)`` for none), its
    class (:func:`~privacy.deid.crf.char_classes`) above ``bits``, its surname flag above that. The
    Basic Multilingual Plane only (256 KB; the CJK part of it stays in cache): a character beyond it
    reads as U+FFFF, which is none of the model's characters, of class P and no surname."""
    from privacy.deid.crf import _surname_flags

    flags = _surname_flags()
    size = _BMP if all(ord(c) < _BMP - 1 for c in (*chars, *flags)) else _UNICODE
    if bits + 6 > 31:
        raise ValueError(f"{len(chars)} characters do not fit the tagger's code table")
    code = np.full(size, len(chars), dtype=np.int64)
    code[[ord(c) for c in chars]] = np.arange(len(chars))
    cls = np.full(size, _CLASSES.index("P"), dtype=np.int64)
    for lo, hi in ((0x4E00, 0xA000), (0x3400, 0x4DC0)):
        cls[lo:hi] = _CLASSES.index("H")
    for members, letter in (("0123456789", "D"), ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "U"),
                            ("abcdefghijklmnopqrstuvwxyz", "L"), ("\n", "N"), (" \t\u3000", "S")):
        cls[[ord(c) for c in members]] = _CLASSES.index(letter)
    sur = np.zeros(size, dtype=np.int64)
    for ch, flag in flags.items():
        sur[ord(ch)] = _SURNAME_FLAGS.index(flag)
    return (code | cls << bits | sur << (bits + 4)).astype(np.int32)


def _template_value(attr: str) -> tuple[str, str]:
    name, eq, value = attr.partition("=")
    return (name, value) if eq else (attr, "")


def _code(value: str, alphabet: str) -> int:
    code = 0
    for c in value:
        code = code * len(alphabet) + alphabet.index(c)
    return code


def viterbi(states: list[list[float]], trans: list[list[float]],  # noqa: C901 - written out, one branch per comparison
            largest: float | None = None) -> list[int]:
    """crfsuite's ``crf1dc_viterbi``: ``score[t][j] = max_i(score[t-1][i] + trans[i][j]) + state[t][j]``,
    the first maximum winning (``max < score``), then back along the links. Five labels are written
    out (the shipped model's); any other number takes the loop. ``largest``: the largest absolute
    state score, when the caller knows it."""
    if not states:
        return []
    if len(trans) != 5:
        return _viterbi_loop(states, trans)
    (t00, t01, t02, t03, t04), (t10, t11, t12, t13, t14), (t20, t21, t22, t23, t24), \
        (t30, t31, t32, t33, t34), (t40, t41, t42, t43, t44) = trans
    # Where O's score leads every other label's by more than rounding can move (``_LEAD``), a column
    # whose best transition is from O (T[i][j] <= T[O][j] for every i) takes O: crfsuite's comparisons
    # would all go O's way. For BIO models that is O, B-P and B-A; I-P and I-A compare O with their
    # own kind only. Only when the transitions have that shape, and scores stay far below where a
    # double's rounding reaches _LEAD (``_SCORE_BOUND``).
    shaped = _o_leads_shape(trans) and _bounded(states, trans, largest)
    zero = (0, 0, 0, 0, 0)
    p0, p1, p2, p3, p4 = states[0]
    backs = []
    lead = _LEAD if shaped else float("inf")
    for e0, e1, e2, e3, e4 in states[1:]:
        q = p0 - lead  # O leads each other label by more than _LEAD (no rounding reaches it: _bounded)
        if q > p1 and q > p2 and q > p3 and q > p4:
            c0 = p0 + t00 + e0
            c1 = p0 + t01 + e1
            c3 = p0 + t03 + e3
            s = p0 + t02
            b2 = 0
            x = p1 + t12
            if s < x:
                s, b2 = x, 1
            x = p2 + t22
            if s < x:
                s, b2 = x, 2
            c2 = s + e2
            s = p0 + t04
            b4 = 0
            x = p3 + t34
            if s < x:
                s, b4 = x, 3
            x = p4 + t44
            if s < x:
                s, b4 = x, 4
            c4 = s + e4
            backs.append((0, 0, b2, 0, b4) if b2 or b4 else zero)
            p0, p1, p2, p3, p4 = c0, c1, c2, c3, c4
            continue
        s = p0 + t00
        b0 = 0
        x = p1 + t10
        if s < x:
            s, b0 = x, 1
        x = p2 + t20
        if s < x:
            s, b0 = x, 2
        x = p3 + t30
        if s < x:
            s, b0 = x, 3
        x = p4 + t40
        if s < x:
            s, b0 = x, 4
        c0 = s + e0
        s = p0 + t01
        b1 = 0
        x = p1 + t11
        if s < x:
            s, b1 = x, 1
        x = p2 + t21
        if s < x:
            s, b1 = x, 2
        x = p3 + t31
        if s < x:
            s, b1 = x, 3
        x = p4 + t41
        if s < x:
            s, b1 = x, 4
        c1 = s + e1
        s = p0 + t02
        b2 = 0
        x = p1 + t12
        if s < x:
            s, b2 = x, 1
        x = p2 + t22
        if s < x:
            s, b2 = x, 2
        x = p3 + t32
        if s < x:
            s, b2 = x, 3
        x = p4 + t42
        if s < x:
            s, b2 = x, 4
        c2 = s + e2
        s = p0 + t03
        b3 = 0
        x = p1 + t13
        if s < x:
            s, b3 = x, 1
        x = p2 + t23
        if s < x:
            s, b3 = x, 2
        x = p3 + t33
        if s < x:
            s, b3 = x, 3
        x = p4 + t43
        if s < x:
            s, b3 = x, 4
        c3 = s + e3
        s = p0 + t04
        b4 = 0
        x = p1 + t14
        if s < x:
            s, b4 = x, 1
        x = p2 + t24
        if s < x:
            s, b4 = x, 2
        x = p3 + t34
        if s < x:
            s, b4 = x, 3
        x = p4 + t44
        if s < x:
            s, b4 = x, 4
        c4 = s + e4
        backs.append((b0, b1, b2, b3, b4))
        p0, p1, p2, p3, p4 = c0, c1, c2, c3, c4
    return _back((p0, p1, p2, p3, p4), backs)


#: how far O's score must lead the others' for the short step of :func:`viterbi`; and how large a
#: score may get for that lead to be far beyond a double's rounding (ulp(1e8) is 1.5e-8)
_LEAD = 1e-6
_SCORE_BOUND = 1e8


def _o_leads_shape(trans: list[list[float]]) -> bool:
    """Whether, from O (label 0), every transition into O, B-P and B-A (labels 0, 1, 3) is at least
    any other label's into them, and into I-P (2) and I-A (4) at least any label's but B-P and I-P's,
    and B-A and I-A's: the transitions :func:`viterbi`'s short step assumes."""
    def at_most_o(j: int, rivals: tuple[int, ...]) -> bool:
        return all(trans[i][j] <= trans[0][j] for i in range(5) if i not in rivals)

    return at_most_o(0, ()) and at_most_o(1, ()) and at_most_o(3, ()) and at_most_o(2, (1, 2)) and at_most_o(4, (3, 4))


def _bounded(states: list[list[float]], trans: list[list[float]], largest: float | None) -> bool:
    """Whether no score of the sequence can reach :data:`_SCORE_BOUND` (each step adds at most the
    largest state score and transition)."""
    if largest is None:
        largest = max(max(map(abs, row)) for row in states)
    top = max(abs(w) for row in trans for w in row) + largest
    return top * (len(states) + 1) < _SCORE_BOUND


def _viterbi_loop(states: list[list[float]], trans: list[list[float]]) -> list[int]:
    n = len(trans)
    prev = list(states[0])
    backs = []
    for state in states[1:]:
        curr = []
        back = []
        for j in range(n):
            s = prev[0] + trans[0][j]
            b = 0
            for i in range(1, n):
                x = prev[i] + trans[i][j]
                if s < x:
                    s, b = x, i
            curr.append(s + state[j])
            back.append(b)
        backs.append(back)
        prev = curr
    return _back(prev, backs)


def _back(last: Sequence[float], backs: list[Sequence[int]]) -> list[int]:
    y = 0
    best = last[0]
    for i in range(1, len(last)):
        if best < last[i]:
            best, y = last[i], i
    out = [y]
    for back in reversed(backs):
        y = back[y]
        out.append(y)
    out.reverse()
    return out
