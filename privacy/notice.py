"""Consent notices (告知书): what a person is told before consenting, and what their consent covers.

PIPL Art. 17 and 23 require that, before an insurer receives a person's data, the person is told who
receives it (name and contact), for what purpose, how, which categories and for how long; Art. 29
requires separate consent for sensitive data (medical data is). A notice is rendered from an
agreement, one per insurer and purpose (Chinese text, Jinja2 templates ``templates/notice-v<N>``);
its id is ``sha256:<hex>`` of the rendered UTF-8 text, so the id proves the exact words shown.
New notices use the current template (v2: says, for a claims grant of mode ``result``, that the
settlements are used inside the platform and only the claim result leaves; v1 listed the fields the
rules read as if they were sent). Every earlier template's rendering of an agreement stays known,
so a consent given on an earlier wording of the agreement in force stays valid: the terms, not
the words, decide what it covers.

A consent event names the notice it was given on (``notice_id``). :class:`NoticeBook` knows the
notices of the current agreements and of earlier versions kept under
``contracts/agreements/history/`` and answers two questions:

* :meth:`NoticeBook.problem`: may this grant event be accepted? Only if its notice is a notice (any
  template version) of the agreement version in effect for that insurer and purpose at the consent's time (or, when
  none is in effect yet, of the next one to take effect). Anything else is refused with a reason.
* :meth:`NoticeBook.coverage`: what of a current grant does a consent on notice ``N`` cover? The
  terms shown in ``N`` bound it. A grant is **not covered at all** (fresh consent required) if
  ``N`` did not show its source, if it needs a data category ``N`` did not name, or if its
  retention is longer than ``N`` said. Otherwise a field is covered iff ``N`` showed it with a
  treatment at least as protective (:func:`within`); a field that is new or treated more weakly is
  left out of what is sent under that consent (the "wider part" needs fresh consent).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from privacy.agreements import (
    AGREEMENTS_DIR,
    Agreement,
    AgreementSet,
    Grant,
    Treatment,
    _shanghai_date,
    load_agreement,
    load_agreements,
)

#: the template new notices are rendered with; earlier ones stay known so consents given on them stay valid
TEMPLATE_VERSION = 2
TEMPLATE_VERSIONS = (1, 2)
TEMPLATES_DIR = Path(__file__).parent / "templates"
HISTORY_DIR = AGREEMENTS_DIR / "history"

PURPOSE_LABELS = {"claims": "商业健康保险理赔（快赔/直赔/主动赔）", "actuarial": "保险产品精算定价（仅汇总统计）",
                  "supervision": "反欺诈与过度医疗监督（仅机构层面汇总）"}
CATEGORY_LABELS = {"settlement": "医保结算数据", "emr": "电子病历"}
SOURCE_LABELS = {"platform.settlements.v2": "医保结算记录", "platform.emr-notes.v1": "电子病历记录"}
TREATMENT_LABELS = {"plain": "原样提供", "encrypt": "加密提供（仅接收方可解密）", "pseudonymise": "以假名提供（不可还原）",
                    "redact": "去除姓名、身份证号、电话、地址等身份信息后提供", "drop": "不提供"}
RULE_LABELS = {"age_band": "年龄段", "birth_year": "出生年份", "district": "区", "month": "月份", "week": "周",
               "hour": "小时", "amount_band": "金额区间", "gender": "性别"}


class NoticeError(ValueError):
    """A notice cannot be rendered (the agreement lacks what the notice must say)."""


def treatment_label(t: Treatment | str) -> str:
    s = str(t)
    kind, _, rule = s.partition(":")
    if kind == "generalise":
        return f"概化后提供（{RULE_LABELS.get(rule, rule)}）"
    return TREATMENT_LABELS.get(kind, s)


def retention_label(r: Any) -> str:
    parts = [(r.years, "年"), (r.months, "个月"), (r.days, "天")]
    return "".join(f"{n}{u}" for n, u in parts if n) or "0天"


@lru_cache(maxsize=1)
def _env() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["treatment_label"] = treatment_label
    env.filters["retention_label"] = retention_label
    env.filters["category_label"] = lambda c: CATEGORY_LABELS.get(c, c)
    return env


def within(new: Treatment | str, old: Treatment | str) -> bool:
    """True if treatment ``new`` reveals no more to the recipient than ``old`` did.

    Conservative: the same treatment; ``drop``; anything after ``plain``; after ``encrypt`` (the
    recipient reads the value) anything but ``plain`` (which also exposes it in transit). Two
    different generalisation rules, or pseudonymise/redact/generalise to anything else, are wider.
    """
    n, o = str(new), str(old)
    if n == o or n == "drop":
        return True
    if o == "plain":
        return True
    if o == "encrypt":
        return n != "plain"
    return False


@dataclass(frozen=True)
class GrantTerms:
    """What a notice showed of one consent grant: the bounds a consent on it covers."""

    source: str
    categories: frozenset[str]
    retention_days: int
    fields: Mapping[str, str]


@dataclass(frozen=True)
class Notice:
    insurer: str
    purpose: str
    agreement_id: str
    agreement_version: int
    agreement_fingerprint: str
    effective_from: date
    effective_to: date | None
    template_version: int
    text: str
    terms: Mapping[str, GrantTerms] = field(default_factory=dict)

    @property
    def notice_id(self) -> str:
        return "sha256:" + hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        return {"notice_id": self.notice_id, "insurer": self.insurer, "purpose": self.purpose,
                "agreement_id": self.agreement_id, "agreement_version": self.agreement_version,
                "agreement_fingerprint": self.agreement_fingerprint,
                "effective_from": self.effective_from.isoformat(),
                "effective_to": self.effective_to.isoformat() if self.effective_to else None,
                "template_version": f"notice-v{self.template_version}", "text": self.text}


def render_notice(agreement: Agreement, purpose: str, template_version: int = TEMPLATE_VERSION) -> Notice:
    """The notice of ``agreement`` for ``purpose`` (every grant of that purpose), in one template version."""
    grants = agreement.grants_for(purpose)
    if not grants:
        raise NoticeError(f"agreement {agreement.label} ({agreement.insurer}) has no {purpose} grant: no notice")
    if agreement.recipient is None:
        raise NoticeError(f"agreement {agreement.label} names no recipient: a notice cannot be rendered")
    text = _env().get_template(f"notice-v{template_version}.zh.txt.j2").render(
        a=agreement, r=agreement.recipient, grants=grants, purpose_label=PURPOSE_LABELS.get(purpose, purpose),
        template_version=template_version, source_labels=SOURCE_LABELS)
    terms = {g.source: GrantTerms(g.source, frozenset(g.consent_categories), g.retention.approx_days,
                                  {p: str(t) for p, t in g.output_fields.items()}) for g in grants}
    return Notice(agreement.insurer, purpose, agreement.agreement_id, agreement.version, agreement.fingerprint,
                  agreement.effective_from, agreement.effective_to, template_version, text, terms)


@dataclass(frozen=True)
class Coverage:
    """What a consent on one notice covers of one current grant."""

    #: field paths that may be sent; None: nothing (fresh consent required)
    fields: frozenset[str] | None
    #: why the grant (or which fields) is wider than the notice
    wider: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.fields is not None and not self.wider


class NoticeBook:
    """The notices of known agreement versions, by id (see the module docstring)."""

    def __init__(self, agreements: Iterable[Agreement]) -> None:
        self._by_id: dict[str, Notice] = {}
        self._versions: dict[tuple[str, str], list[Notice]] = {}
        for a in agreements:
            for purpose in dict.fromkeys(g.purpose for g in a.grants):
                if a.recipient is None:
                    continue
                for tv in TEMPLATE_VERSIONS:  # earlier wordings of the same terms stay known
                    n = render_notice(a, purpose, tv)
                    self._by_id[n.notice_id] = n
                    if tv == TEMPLATE_VERSION:
                        self._versions.setdefault((a.insurer, purpose), []).append(n)  # the current wording
        for vs in self._versions.values():
            vs.sort(key=lambda n: n.effective_from)
        self._cov: dict[tuple[str, int], Coverage] = {}

    @classmethod
    def load(cls, agreements: AgreementSet | None = None, history: Path | None = HISTORY_DIR) -> NoticeBook:
        """Current agreements (default: ``contracts/agreements``) plus earlier versions in ``history``."""
        current = list(agreements if agreements is not None else load_agreements())
        old = [load_agreement(p) for p in sorted(history.glob("*.y*ml"))] if history and history.is_dir() else []
        seen = {a.fingerprint for a in current}
        return cls([*current, *(a for a in old if a.fingerprint not in seen)])

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self):
        return iter(self._by_id.values())

    def get(self, notice_id: str | None) -> Notice | None:
        return self._by_id.get(notice_id) if notice_id else None

    def current(self, insurer: str, purpose: str, at: date | datetime) -> Notice | None:
        """The notice of the agreement version in effect at ``at``, else of the next one to take effect."""
        day = _shanghai_date(at)
        versions = self._versions.get((insurer, purpose), [])
        for n in versions:
            if n.effective_from <= day and (n.effective_to is None or day < n.effective_to):
                return n
        return next((n for n in versions if n.effective_from > day), None)

    def problem(self, event: Any) -> str | None:
        """Why a consent event must be refused, or None. Revocations need no notice."""
        if event.action != "grant":
            return None
        nid = getattr(event, "notice_id", None)
        if not nid:
            return "a grant must name the notice it was given on (notice_id)"
        n = self._by_id.get(nid)
        want = self.current(event.insurer_code, event.purpose, event.event_time)
        if n is None:
            tail = f"; the notice in force is {want.notice_id}" if want else ""
            return (f"unknown notice {nid}: not the notice of any agreement for "
                    f"{event.insurer_code}/{event.purpose}{tail}")
        if (n.insurer, n.purpose) != (event.insurer_code, event.purpose):
            return f"notice {nid} is for {n.insurer}/{n.purpose}, not {event.insurer_code}/{event.purpose}"
        if want is None:
            return f"no agreement for {event.insurer_code}/{event.purpose} is in force at {event.event_time.isoformat()}"
        if want.agreement_fingerprint != n.agreement_fingerprint:  # any wording of the agreement in force
            return (f"notice {nid} is of agreement {n.agreement_id} v{n.agreement_version}, not of the one in force "
                    f"at {event.event_time.isoformat()} ({want.agreement_id} v{want.agreement_version}, "
                    f"notice {want.notice_id})")
        return None

    def coverage(self, notice_id: str | None, grant: Grant) -> Coverage:
        """What a consent on ``notice_id`` covers of ``grant`` (cached per notice and grant)."""
        key = (notice_id or "", id(grant))
        got = self._cov.get(key)
        if got is None:
            got = self._cov[key] = _coverage(self._by_id.get(notice_id) if notice_id else None, grant)
        return got


def _coverage(n: Notice | None, grant: Grant) -> Coverage:
    if n is None:
        return Coverage(None, ("the consent names no known notice",))
    old = n.terms.get(grant.source)
    if old is None:
        return Coverage(None, (f"source {grant.source} was not in the notice",))
    new_cats = sorted(set(grant.consent_categories) - old.categories)
    if new_cats:
        return Coverage(None, (f"new data categor{'ies' if len(new_cats) > 1 else 'y'} {', '.join(new_cats)}",))
    if grant.retention.approx_days > old.retention_days:
        return Coverage(None, (f"retention {grant.retention} is longer than the notice's {old.retention_days} days",))
    ok, wider = set(), []
    for path, t in grant.output_fields.items():
        was = old.fields.get(path)
        if was is None:
            wider.append(f"{path}: new field")
        elif not within(t, was):
            wider.append(f"{path}: {t} is weaker than {was}")
        else:
            ok.add(path)
    return Coverage(frozenset(ok), tuple(wider))
