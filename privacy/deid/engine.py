"""The de-identifier: normalise, find every identifier in one pass, redact, check what is left.

Find, then transform, as Presidio does — but in one fused pass over the note instead of
Presidio's per-recogniser machinery, which cost most of the time (docs/deid.md, "Speed"):

1. :func:`~privacy.deid.normalise.normalise` makes the canonical copy (half-width, numbers in
   groups joined, Chinese-numeral dates in Arabic) and its offset map;
2. every recogniser (:mod:`privacy.deid.recognizers`) reads that copy; the labelled-number
   recogniser goes first and marks the numbers after look-alike labels (发票号, 批号…), whose
   shape-only matches are then dropped; the record's known names and identifiers
   (:mod:`privacy.deid.known`) are found too;
3. the learned model for names and addresses (:mod:`privacy.deid.crf`, round 8) reads the
   normalised note and the name recogniser's candidates and *adds* the names and addresses it
   tags (it never removes a rule's hit); ``Deidentifier(crf_model=None)`` is the rules alone;
4. overlaps are resolved (longest first; partial overlaps merge), spans are mapped back to the
   original note, and each is replaced by ``<TYPE>``;
5. the residual check (:mod:`privacy.deid.residual`) scans the *redacted* note, normalised
   again, for anything still shaped like an identifier. By default what it finds is redacted too
   (``<ID_NUMBER>``); ``on_residual="report"`` leaves it and only reports it, for callers that
   quarantine such a note instead (the lab's de-identifier does).

:mod:`privacy.deid.presidio_seam` offers the same recognisers to Presidio's ``AnalyzerEngine``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from privacy.deid.entities import (
    ADDRESS,
    DEFAULT_ENTITIES,
    ENTITY_TYPES,
    HOSPITAL_RECORD_NO,
    ID_NUMBER,
    PERSON,
    RESIDENT_ID,
)
from privacy.deid.normalise import normalise

if TYPE_CHECKING:
    from privacy.deid.crf import CrfModel
    from privacy.deid.known import KnownIdentifiers
    from privacy.deid.recognizers.base import Doc, Hit, Recognizer

#: hits below this score are dropped (every recogniser scores by its own evidence)
DEFAULT_SCORE_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class Span:
    """One identifier found in a text: ``text[start:end]`` is of type ``entity_type``."""

    start: int
    end: int
    entity_type: str
    score: float
    recognizer: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Offsets, type and score only: never the identifier itself."""
        return {"start": self.start, "end": self.end, "type": self.entity_type, "score": round(self.score, 2)}


@dataclass(frozen=True, slots=True)
class Residual:
    """What the residual check found in a redacted note: a rule and where (never the value)."""

    rule: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "start": self.start, "end": self.end}

    def __str__(self) -> str:
        return f"{self.rule} at {self.start}-{self.end}"


@dataclass(frozen=True, slots=True)
class RedactResult:
    """The redacted text, the spans replaced (offsets into the input) and how many of each type.

    ``residual`` lists what the residual check found after redaction: redacted as well when the
    note was redacted with ``on_residual="redact"`` (the default), left in the text with
    ``on_residual="report"`` — then :attr:`clean` is False and the caller must not publish it.
    """

    text: str
    spans: tuple[Span, ...]
    counts_by_type: dict[str, int] = field(default_factory=dict)
    residual: tuple[Residual, ...] = ()
    residual_redacted: bool = True

    @property
    def clean(self) -> bool:
        """True when nothing shaped like an identifier is left in :attr:`text`."""
        return not self.residual or self.residual_redacted

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "spans": [s.to_dict() for s in self.spans],
            "counts": dict(self.counts_by_type),
        }
        if self.residual:
            out["residual"] = [r.to_dict() for r in self.residual]
        return out


class Deidentifier:
    """Finds and redacts Chinese identifiers in free text.

    ``known_names`` (the record's own ``name`` field, and any other names the record carries) and
    ``known`` (a :class:`~privacy.deid.known.KnownIdentifiers` of the person: names, numbers and
    address the platform holds, as keyed digests) are found wherever and however they occur.
    """

    def __init__(
        self,
        score_threshold: float = DEFAULT_SCORE_THRESHOLD,
        entities: Sequence[str] | None = None,
        crf_model: CrfModel | Literal["default"] | None = "default",
    ) -> None:
        unknown = set(entities or ()) - set(ENTITY_TYPES)
        if unknown:
            raise ValueError(f"unknown entity types {sorted(unknown)}; known: {', '.join(ENTITY_TYPES)}")
        if not 0.0 < score_threshold <= 1.0:
            raise ValueError(f"score_threshold {score_threshold} is outside (0, 1]")
        from privacy.deid.recognizers import default_recognizers

        self.score_threshold = score_threshold
        self.entities = tuple(entities) if entities else DEFAULT_ENTITIES
        self.recognizers: list[Recognizer] = [
            r for r in default_recognizers() if set(r.entities) & set(self.entities) or r.entities == ()
        ]
        self._tags = {t: f"<{t}>" for t in ENTITY_TYPES}
        if crf_model == "default":
            from privacy.deid.crf import get_model

            crf_model = get_model()
        #: the learned model for names and addresses (round 8; None: the rules alone)
        self.crf_model: CrfModel | None = crf_model if {PERSON, ADDRESS} & set(self.entities) else None

    # --- find ------------------------------------------------------------------------------
    def analyze(
        self,
        text: str,
        known_names: Iterable[str] = (),
        entities: Sequence[str] | None = None,
        known: KnownIdentifiers | None = None,
    ) -> list[Span]:
        """The identifiers in ``text`` (of ``entities``, default all), non-overlapping, in text order."""
        if not text:
            return []
        wanted = self._wanted(entities)
        return self._find(text, tuple(known_names), wanted, known)

    def _wanted(self, entities: Sequence[str] | None) -> frozenset[str]:
        wanted = frozenset(entities) if entities else frozenset(self.entities)
        unknown = wanted - set(self.entities)
        if unknown:
            raise ValueError(f"entity types {sorted(unknown)} are not enabled in this de-identifier")
        return wanted

    def _find(
        self,
        text: str,
        known_names: tuple[str, ...],
        wanted: frozenset[str],
        known: KnownIdentifiers | None,
        decoys_out: list[tuple[int, int]] | None = None,
    ) -> list[Span]:
        from privacy.deid.recognizers.base import Doc

        doc = Doc(normalise(text))
        hits = self.rule_hits(doc, known_names, wanted, known)
        threshold = self.score_threshold
        if self.crf_model is not None and (PERSON in wanted or ADDRESS in wanted):
            # the model reads the rules' hits as features and adds what they missed (never vetoes)
            hits.extend(self.crf_model.find(doc, [h for h in hits if h.score >= threshold], wanted))
        if PERSON in wanted:
            hits = _drop_false_names(doc.text, hits)
            hits.extend(_name_elsewhere(doc.text, hits, threshold))
            if HOSPITAL_RECORD_NO in wanted and "(" in doc.text:
                hits.extend(_number_after_name(doc.text, hits, threshold, doc.decoys))
        decoys = doc.decoys
        # lines a standard's layout read field by field (an MRZ): shape-only guesses inside are dropped
        fielded: list[tuple[int, int]] = doc.cache.get("fielded", [])  # type: ignore[assignment]
        kept = []
        for h in hits:
            if h.score < threshold or h.entity_type not in wanted:
                continue
            if decoys and not h.labelled and any(s <= h.start and h.end <= e for s, e in decoys):
                continue
            if fielded and not h.labelled and any(h.start < e and s < h.end for s, e in fielded):
                continue
            kept.append(h)
        to_original = doc.norm.to_original
        if decoys_out is not None:  # the look-alike numbers, in the original's offsets (the residual check's)
            decoys_out.extend(to_original(s, e) for s, e in decoys)
        spans = []
        for h in resolve_overlaps(kept):
            start, end = to_original(h.start, h.end)
            spans.append(Span(start, end, h.entity_type, h.score, h.recognizer))
        return spans

    def rule_hits(
        self,
        doc: Doc,
        known_names: tuple[str, ...] = (),
        wanted: frozenset[str] | None = None,
        known: KnownIdentifiers | None = None,
    ) -> list[Hit]:
        """What the rule recognisers find in ``doc`` (offsets into its normalised text), before
        the learned model, thresholds and look-alike filtering."""
        from privacy.deid.recognizers.base import Hit

        wanted = frozenset(self.entities) if wanted is None else wanted
        hits: list[Hit] = []
        for recognizer in self.recognizers:
            hits.extend(recognizer.find(doc))
        if known_names and PERSON in wanted:
            from privacy.deid.known import find_names

            hits.extend(Hit(s, e, PERSON, 1.0, "KnownNames", True) for s, e in find_names(doc.text, known_names))
        if known is not None:
            hits.extend(Hit(s, e, t, 1.0, "KnownIdentifiers", True) for s, e, t in known.find(doc.text))
        hits.extend(_number_elsewhere(doc.text, hits))
        return hits

    # --- transform -------------------------------------------------------------------------
    def redact(
        self,
        text: str,
        known_names: Iterable[str] = (),
        known: KnownIdentifiers | None = None,
        on_residual: Literal["redact", "report"] = "redact",
    ) -> RedactResult:
        """``text`` with every identifier replaced by ``<TYPE>``, then checked for what is left."""
        if on_residual not in ("redact", "report"):
            raise ValueError(f"on_residual must be 'redact' or 'report', not {on_residual!r}")
        if not text:
            return RedactResult(text=text, spans=(), counts_by_type={})
        from privacy.deid.residual import residual_findings

        decoys: list[tuple[int, int]] = []
        spans = self._find(text, tuple(known_names), frozenset(self.entities), known, decoys)
        out, pieces = self._replace(text, spans)
        # (the shortcut through the first pass's look-alikes holds only when valid resident IDs,
        # which the full check finds even after a look-alike label, were redacted in that pass)
        residual = tuple(residual_findings(out, pieces, known, decoys if RESIDENT_ID in self.entities else None))
        if residual and on_residual == "redact":
            extra = [Span(r.start, r.end, ID_NUMBER, 0.5, f"residual:{r.rule}") for r in residual]
            spans = _merge_spans([*spans, *extra])
            out, _ = self._replace(text, spans)
        counts = Counter(s.entity_type for s in spans)
        return RedactResult(
            text=out,
            spans=tuple(spans),
            counts_by_type={t: counts[t] for t in ENTITY_TYPES if counts[t]},
            residual=residual,
            residual_redacted=on_residual == "redact",
        )

    def _replace(self, text: str, spans: Sequence[Span]) -> tuple[str, list[tuple[int, int, int, int]]]:
        """The redacted text and its pieces ``(out_start, out_end, orig_start, orig_end)``."""
        parts: list[str] = []
        pieces: list[tuple[int, int, int, int]] = []
        pos = 0
        length = 0
        for s in spans:
            if s.start > pos:
                parts.append(text[pos : s.start])
                pieces.append((length, length + s.start - pos, pos, s.start))
                length += s.start - pos
            tag = self._tags[s.entity_type]
            parts.append(tag)
            pieces.append((length, length + len(tag), s.start, s.end))
            length += len(tag)
            pos = s.end
        if pos < len(text):
            parts.append(text[pos:])
            pieces.append((length, length + len(text) - pos, pos, len(text)))
        return "".join(parts), pieces


def _name_elsewhere(text: str, hits: list[Hit], threshold: float) -> list[Hit]:
    """A name found once is a name wherever else the note writes it, spaced or not (姓名：其其格 …
    患者其其格诊断; 姓名：柴招娣 … 患者柴  招娣因)."""
    import re

    from privacy.deid.recognizers.base import Hit

    names = {text[h.start : h.end].replace(" ", "") for h in hits if h.entity_type == PERSON and h.score >= threshold}
    names = {n for n in names if len(n) >= 2 and not n.isascii()}
    if not names:
        return []
    found = _given_only(text, names)
    for name in names:
        pos = text.find(name)
        while pos != -1:
            found.append(Hit(pos, pos + len(name), PERSON, 0.9, "NameElsewhere"))
            pos = text.find(name, pos + len(name))
        if text.find(name[0] + " ") != -1:  # written spaced somewhere (患者柴  招娣因): rare, so a regex only then
            for m in re.finditer(" {0,3}".join(map(re.escape, name)), text):
                if " " in m.group():
                    found.append(Hit(m.start(), m.end(), PERSON, 0.9, "NameElsewhere"))
    return found


#: the kinds of number a label vouches for, found again wherever the note repeats them
_NUMBER_KINDS = frozenset(("RESIDENT_ID", "PHONE", "BANK_CARD", "MEDICAL_CARD", "HOSPITAL_RECORD_NO", ID_NUMBER))


def _number_elsewhere(text: str, hits: list[Hit]) -> list[Hit]:
    """A number a label vouched for once is that identifier wherever else the note writes it
    (社保卡号 601926466 … SBKH:601926466, in a table, after a word no rule knows): six characters
    or more, five digits or more, standing alone (no letter or digit either side)."""
    from privacy.deid.recognizers.base import Hit

    values = {text[h.start : h.end]: h.entity_type for h in hits
              if h.end - h.start >= 6 and h.labelled and h.entity_type in _NUMBER_KINDS}
    found: list[Hit] = []
    for value, kind in values.items():
        if text.count(value) < 2 or sum(map(str.isdigit, value)) < 5:
            continue  # (written once: the common case, decided at C speed)
        pos = text.find(value)
        while pos != -1:
            end = pos + len(value)
            if not (pos > 0 and text[pos - 1].isascii() and text[pos - 1].isalnum()) and not (
                end < len(text) and text[end].isascii() and text[end].isalnum()
            ):
                found.append(Hit(pos, end, kind, 0.85, "NumberElsewhere", True))
            pos = text.find(value, end)
    return found


#: what a note calls a child or a patient by their given name alone (患儿星河诉…, 宝宝梦洁)
_GIVEN_CUES = ("患儿", "患者", "病人", "宝宝", "小朋友", "孩子", "患童", "我家", "我儿子", "我女儿", "其子", "其女", "叫")


def _given_only(text: str, names: set[str]) -> list[Hit]:
    """The given name alone, where the note has written the full name and a cue introduces the
    given name (姓名：羿梦洁 … 患儿梦洁伴发热)."""
    from privacy.deid.recognizers.base import Hit
    from privacy.deid.surnames import all_compound, all_single

    single, compound = all_single(), all_compound()
    givens = set()
    for name in names:
        if len(name) == 3 and name[0] in single:
            givens.add(name[1:])
        elif len(name) == 4 and name[:2] in compound:
            givens.add(name[2:])
    if not givens:
        return []
    found: list[Hit] = []
    for cue in _GIVEN_CUES:
        pos = text.find(cue)
        while pos != -1:
            start = pos + len(cue)
            if text[start : start + 2] in givens:
                found.append(Hit(start, start + 2, PERSON, 0.8, "GivenName"))
            pos = text.find(cue, start)
    return found


#: a run of financial numerals (大写 amounts: 壹万玖仟伍佰玖拾壹元玖角) holds no name (伍佰 is not Mr 伍)
_AMOUNT_CHARS = frozenset("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整圆")
#: clinical words the name model reads as names: TCM therapies and herbs, signs (jieba lists many as names)
CLINICAL_NOT_NAMES = frozenset(
    "艾灸 针灸 拔罐 火罐 刮痧 推拿 按摩 艾条 艾叶 杨梅舌 杨梅 徐长卿 柴胡 白术 白芍 白芷 白及 白果 甘草 甘遂 黄芪 黄连 "
    "黄芩 黄柏 黄精 连翘 防风 防己 牛膝 牛黄 车前子 车前草 何首乌 马齿苋 马勃 常山 胡黄连 刘寄奴 苏木 苏子 苏叶 "
    "丁香 桑叶 桑枝 桑白皮 桂枝 桂圆 杜仲 秦艽 石斛 石膏 龙骨 龙胆 龙眼 钩藤 金银花 金钱草 麻黄 麦冬 梅花 姜黄 "
    "高良姜 田七 熊胆 郁金 薄荷 葛根 葛花 谷芽 扁豆 柏子仁 蔓荆子 茯苓 党参 丹参 沙参 元参 贝母 浙贝 川贝 "
    # what staff do, after a title that reads as a cue (医生查房, 护士宣教)
    "查房 查体 查看 宣教 会诊 随访 随诊 康复 安排 安慰 复查 复诊 包扎 封管 冲管 计划 管理 祝福 解释 周知 "
    # a staff role before a title (麻醉医生, 经治医生)
    "麻醉 经治".split()
)


@lru_cache(maxsize=1)
def _bracketed_number() -> Any:
    """A number in brackets right after a name, as a HIS list or an export prints a patient:
    但省吾(805047) (brackets are ASCII after normalisation)."""
    import re

    return re.compile(r"[ ]?\((?P<n>[A-Za-z]{0,3}[0-9]{5,12})\)")


def _number_after_name(text: str, hits: list[Hit], threshold: float, decoys: list[tuple[int, int]] = ()) -> list[Hit]:
    """The patient's number printed in brackets after their name (``_bracketed_number``), unless a
    recogniser recorded it as a look-alike (a staff member's job number: 收银员：王芳(04571))."""
    from privacy.deid.recognizers.base import Hit

    pattern = _bracketed_number()
    found = []
    for h in hits:
        if h.entity_type == PERSON and h.score >= threshold:
            m = pattern.match(text, h.end)
            if m is not None and m.span("n") not in decoys:
                found.append(Hit(m.start("n"), m.end("n"), HOSPITAL_RECORD_NO, 0.8, "NumberAfterName", True))
    return found


def _drop_false_names(text: str, hits: list[Hit]) -> list[Hit]:
    """Name hits that are not names: inside a financial-numeral amount, or a clinical word."""
    out = []
    for h in hits:
        if h.entity_type == PERSON:
            value = text[h.start : h.end]
            # after a name label it is a name whatever word it also is (患者：杨梅): fail closed
            if not h.labelled and (value in CLINICAL_NOT_NAMES or value[:2] in CLINICAL_NOT_NAMES):
                continue
            if (h.start > 0 and text[h.start - 1] in _AMOUNT_CHARS) or (h.end < len(text) and text[h.end] in _AMOUNT_CHARS):
                if sum(ch in _AMOUNT_CHARS for ch in value) >= 1:
                    continue
        out.append(h)
    return out


def resolve_overlaps(hits: Iterable[Hit]) -> list[Hit]:
    """Non-overlapping hits: the longest span wins (then the higher score).

    A hit that only partly overlaps a winner is absorbed into it (the winner grows to cover
    both), so a redaction never leaves a fragment of either in the output.
    """
    ordered = sorted(hits, key=lambda h: (-(h.end - h.start), -h.score, h.start))
    kept: list[Hit] = []
    seen: set[tuple[int, int]] = set()
    for hit in ordered:
        span = (hit.start, hit.end)
        if span in seen:
            continue  # the same span found again (by another recogniser, or elsewhere): already placed
        seen.add(span)
        overlapping = [k for k in kept if hit.start < k.end and k.start < hit.end]
        if not overlapping:
            kept.append(hit)
            continue
        for winner in overlapping:
            winner.start = min(winner.start, hit.start)
            winner.end = max(winner.end, hit.end)
    kept.sort(key=lambda h: h.start)
    merged: list[Hit] = []
    for hit in kept:  # growing a winner can make it touch another winner: merge
        if merged and hit.start < merged[-1].end:
            merged[-1].end = max(merged[-1].end, hit.end)
            continue
        merged.append(hit)
    return merged


def _merge_spans(spans: list[Span]) -> list[Span]:
    """Spans in order, overlapping ones merged into the first (its type kept)."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if out and s.start < out[-1].end:
            last = out[-1]
            out[-1] = Span(last.start, max(last.end, s.end), last.entity_type, last.score, last.recognizer)
            continue
        out.append(s)
    return out


@lru_cache(maxsize=1)
def get_deidentifier() -> Deidentifier:
    """The process's de-identifier with default settings (built on first use)."""
    return Deidentifier()
