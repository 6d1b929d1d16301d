"""Consents that no longer cover what the agreement in force sends: who must be asked again (续授权).

A consent is given on a notice (告知书, :mod:`privacy.notice`). When an agreement changes — a new
source, new fields, weaker treatments, longer retention, or, as with the move to
``platform.settlements.v2``, a source renamed — the router sends under an old consent only what its
notice showed (``NoticeBook.coverage``): nothing at all when the source or a data category is new
(PIPL art. 14: a change of purpose, method or categories needs consent again), the covered fields
when some were widened. Nothing is ever sent beyond a notice; the cost is claims that stop.

:func:`renewals` lists, per consent in force, what the agreement in force would send beyond its
notice, so the platform can ask those persons to consent on the current notice (the request names
the notice in force). ``medshare consent renewals`` prints it; ``--out`` writes the requests.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from privacy.agreements import AgreementSet
from privacy.notice import NoticeBook

#: nothing flows under the consent for at least one grant of its purpose: the person must consent again
FRESH = "fresh-consent"
#: some fields of a grant are withheld (the notice showed them weaker or not at all)
PARTIAL = "partial"


@dataclass(frozen=True)
class Renewal:
    """One consent in force that does not cover everything the agreement in force sends."""

    consent_id: str
    person_no: str
    insurer: str
    purpose: str
    #: the notice the consent was given on, and the one to ask for now
    notice_id: str | None
    notice_in_force: str | None
    status: str
    #: per grant (its source): why it is wider than the notice
    reasons: tuple[str, ...]
    valid_to: str

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["reasons"] = list(self.reasons)
        return d


InForce = list[tuple[str, tuple[str, str, str], str | None, datetime]]


def renewals(in_force: InForce, notices: NoticeBook, agreements: AgreementSet, at: datetime) -> list[Renewal]:
    """Of ``in_force`` (``ConsentRegistry.in_force(at)``), every consent whose notice does not cover
    its purpose's grants in the agreement in force at ``at`` (consents of insurers without an
    agreement in force are left out: nothing is sent to them at all)."""
    out = []
    for consent_id, (person, insurer, purpose), notice_id, valid_to in in_force:
        try:
            agreement = agreements.for_insurer(insurer)
        except KeyError:
            continue
        if not agreement.in_effect(at):
            continue
        status, reasons = None, []
        for grant in agreement.grants_for(purpose):
            cov = notices.coverage(notice_id, grant)
            if cov.complete:
                continue
            nothing = cov.fields is None or not cov.fields
            status = FRESH if nothing or status == FRESH else PARTIAL
            reasons += [f"{grant.source}: {w}" for w in (cov.wider or ("no field of it is covered",))]
        if status is None:
            continue
        current = notices.current(insurer, purpose, at)
        out.append(Renewal(consent_id, person, insurer, purpose, notice_id,
                           current.notice_id if current else None, status, tuple(reasons), valid_to.isoformat()))
    return sorted(out, key=lambda r: (r.insurer, r.purpose, r.person_no, r.consent_id))


def summary(in_force: InForce, found: list[Renewal], at: datetime) -> dict[str, Any]:
    """Per insurer and purpose: consents in force, how many need renewal (fresh / partial), and the
    reasons with their counts."""
    counts = Counter((ins, purpose) for _cid, (_p, ins, purpose), _n, _v in in_force)
    groups: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"in_force": 0, FRESH: 0, PARTIAL: 0, "reasons": Counter()})
    for key, n in counts.items():
        groups[key]["in_force"] = n
    for r in found:
        g = groups[(r.insurer, r.purpose)]
        g[r.status] += 1
        g["reasons"].update(r.reasons)
    return {"at": at.isoformat(),
            "groups": [{"insurer": ins, "purpose": purpose, "in_force": g["in_force"], FRESH: g[FRESH],
                        PARTIAL: g[PARTIAL], "covered": g["in_force"] - g[FRESH] - g[PARTIAL],
                        "reasons": dict(g["reasons"].most_common())}
                       for (ins, purpose), g in sorted(groups.items())]}
