"""Entity-level precision, recall and F1, with exact and overlap matching.

*Exact*: a prediction counts when a gold span has the same type, start and end. *Overlap*: when
it shares at least one character with a gold span of the same type (each gold span is matched at
most once). Exact is the headline figure; overlap shows how much of the gap is boundaries.
*Covered* is the redaction view, type-blind: the share of gold spans whose every character ended
up inside some redacted span — nothing of it leaks, whatever tag replaced it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Triple = tuple[int, int, str]


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    tp_exact: int = 0
    tp_overlap_gold: int = 0
    tp_overlap_pred: int = 0
    covered: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict[str, float | int | None]:
        """Counts and ratios; a ratio with nothing to divide by is None (no gold: no recall)."""

        def ratio(num: int, den: int) -> float | None:
            return round(num / den, 4) if den else None

        def f1(p: float | None, r: float | None) -> float | None:
            if p is None or r is None:
                return 0.0 if self.gold else None
            return round(2 * p * r / (p + r), 4) if p + r else 0.0

        p, r = ratio(self.tp_exact, self.predicted), ratio(self.tp_exact, self.gold)
        po, ro = ratio(self.tp_overlap_pred, self.predicted), ratio(self.tp_overlap_gold, self.gold)
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "precision": p,
            "recall": r,
            "f1": f1(p, r),
            "precision_overlap": po,
            "recall_overlap": ro,
            "f1_overlap": f1(po, ro),
            "covered": ratio(self.covered, self.gold),
        }


@dataclass
class Scoreboard:
    by_type: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))

    def add_note(self, gold: Iterable[Triple], predicted: Iterable[Triple]) -> None:
        gold, predicted = list(gold), list(predicted)
        for t in {g[2] for g in gold} | {p[2] for p in predicted}:
            g_t = [g for g in gold if g[2] == t]
            p_t = [p for p in predicted if p[2] == t]
            tally = self.by_type[t]
            tally.gold += len(g_t)
            tally.predicted += len(p_t)
            tally.tp_exact += len(set(g_t) & set(p_t))
            tally.tp_overlap_gold += _matched(g_t, p_t)
            tally.tp_overlap_pred += _matched(p_t, g_t)
            tally.covered += sum(1 for g in g_t if _covered(g, predicted))

    def report(self, types: Sequence[str]) -> dict[str, dict[str, float | int | None]]:
        out: dict[str, dict[str, float | int | None]] = {}
        total = Tally()
        for t in [*types, *sorted(set(self.by_type) - set(types))]:
            tally = self.by_type.get(t)
            if tally is None or (tally.gold == 0 and tally.predicted == 0):
                continue
            out[t] = tally.figures()
            total.add(tally)
        out["ALL"] = total.figures()
        return out


def _matched(a: list[Triple], b: list[Triple]) -> int:
    """How many spans of ``a`` overlap a distinct span of ``b`` (greedy, in text order)."""
    used: set[int] = set()
    count = 0
    for s, e, _ in sorted(a):
        for j, (s2, e2, _) in enumerate(b):
            if j not in used and s < e2 and s2 < e:
                used.add(j)
                count += 1
                break
    return count


def _covered(g: Triple, predicted: list[Triple]) -> bool:
    chars = set(range(g[0], g[1]))
    for s, e, _ in predicted:
        chars -= set(range(s, e))
        if not chars:
            return True
    return not chars
