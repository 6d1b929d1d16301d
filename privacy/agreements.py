"""Sharing agreements: what each insurer may receive, for which purpose, in what form.

An agreement is data (``contracts/agreements/<insurer>.yaml``, format in ``docs/agreements.md``).
This module loads it, validates it strictly and answers the router's questions: which grants read
a source, which fields a grant names, what treatment each field gets. Nothing leaves that an
agreement does not name: :meth:`Grant.project` keeps only named fields, so a field the platform
adds tomorrow is dropped until someone writes it into an agreement.

Validation happens in two layers, both reported as ``FILE:LINE: where: problem``:

1. YAML: syntax, and duplicate keys (PyYAML would silently keep the last one, so a second
   ``name: plain`` could quietly override ``name: encrypt``). Checked on the composed node tree.
2. pydantic models with extra keys forbidden, then the policy rules that span fields (purpose vs
   legal basis vs source, direct identifiers never ``plain``, ``k`` for aggregates, ...).

Every problem's location (a pydantic ``loc`` or our own path) is mapped back to a line through the
yaml node marks; every problem of the first failing layer is reported at once.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    StrictInt,
    ValidationError,
)

from medshare.config import PROJECT_ROOT
from medshare.topics import (
    INSURER_CODE,
    LAB_EMR_NOTES,
    LAB_SETTLEMENTS,
    PLATFORM_EMR_NOTES,
    PLATFORM_SETTLEMENTS,
    insurer_claims,
    insurer_marts,
)

#: where the shipped agreements live
AGREEMENTS_DIR = PROJECT_ROOT / "contracts" / "agreements"

#: Shanghai has no DST; dates in agreements and consents are Shanghai calendar dates
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")

Purpose = Literal["claims", "actuarial", "supervision"]
Basis = Literal["consent", "aggregate"]
#: how a claims grant discloses: ``detail`` (快赔/直赔: the named fields go to the insurer, the
#: router sends them) or ``result`` (主动赔, rules inside: the claims engine runs the insurer's
#: product on the records and only the claim result leaves; the router sends nothing)
ClaimsMode = Literal["detail", "result"]
CLAIMS_MODES: tuple[str, ...] = ("detail", "result")
Category = Literal["settlement", "emr"]

PURPOSES: tuple[str, ...] = ("claims", "actuarial", "supervision")
DATA_CATEGORIES: tuple[str, ...] = ("settlement", "emr")
#: the legal basis each purpose must rest on (沪医保发〔2023〕2号: claims on 个人授权, measure 5;
#: pricing on data-lab aggregates, measure 4; over-treatment and fraud signals, measure 12)
BASIS_OF_PURPOSE: dict[str, str] = {"claims": "consent", "actuarial": "aggregate", "supervision": "aggregate"}

TREATMENT_KINDS: tuple[str, ...] = ("plain", "encrypt", "pseudonymise", "generalise", "redact", "drop")

#: fields tagged *direct identifier* in the platform records (docs/conventions.md): the v1 names the
#: notes, consents and enrolments still use, and platform.settlements.v2's (psn_no, psn_name, certno,
#: brdy, and the diagnosing doctor's name; docs/platform-interface.md)
DIRECT_IDENTIFIERS = frozenset({"name", "resident_id", "phone", "address", "card_no", "person_no",
                                "psn_no", "psn_name", "certno", "brdy", "dise_dor_name"})
#: what a direct identifier may get: never plain, never merely generalised
IDENTIFIER_TREATMENTS = frozenset({"encrypt", "pseudonymise", "redact", "drop"})
#: free-text fields that embed identifiers (EMR notes mention name, ID, phone, address)
FREE_TEXT_FIELDS = frozenset({"text"})
FREE_TEXT_TREATMENTS = frozenset({"encrypt", "redact", "drop"})

#: per-record sources (a record is one person's event) and the consent category each needs
RECORD_SOURCES: dict[str, str | None] = {
    PLATFORM_SETTLEMENTS: "settlement",
    PLATFORM_EMR_NOTES: "emr",
    LAB_SETTLEMENTS: None,
    LAB_EMR_NOTES: None,
}
#: sources a consent (person-level) grant may read: the platform's identified records
CONSENT_SOURCES = frozenset({PLATFORM_SETTLEMENTS, PLATFORM_EMR_NOTES})
MART_PREFIX = "mart:"
_MART_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

#: generalise rules known when ``privacy.generalise`` is not importable (kept in step with it)
FALLBACK_GENERALISE_RULES = frozenset(
    {"age_band", "birth_year", "district", "month", "week", "hour", "amount_band", "gender"}
)

#: a field path: ``settlement_id``, ``items[].item_code``; ``[]`` marks an array of objects
_SEGMENT = r"[A-Za-z_][A-Za-z0-9_]*"
_FIELD_PATH = re.compile(rf"^{_SEGMENT}(?:\[\])?(?:\.{_SEGMENT}(?:\[\])?)*$")
_RETENTION = re.compile(r"^P(?=\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def generalise_rules() -> frozenset[str]:
    """Names of the generalisation rules, from ``privacy.generalise.RULES`` once it exists."""
    try:
        from privacy.generalise import RULES  # noqa: PLC0415 - optional sibling module
    except ModuleNotFoundError as exc:
        if exc.name not in ("privacy.generalise", "privacy"):
            raise
        return FALLBACK_GENERALISE_RULES
    return frozenset(RULES)


# --- errors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an agreement file, located to a line."""

    path: str
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        loc = f"{self.path}:{self.line}" if self.line else self.path
        return f"{loc}: {self.where}: {self.message}" if self.where else f"{loc}: {self.message}"


class AgreementError(ValueError):
    """An agreement (or a folder of them) failed to load; ``problems`` lists every reason.

    ``str()`` gives one ``FILE:LINE: where: problem`` line per problem.
    """

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def path(self) -> str:
        return self.problems[0].path

    @property
    def line(self) -> int | None:
        return self.problems[0].line

    def summary(self) -> str:
        """The first problem, plus how many more: one line for a CLI error."""
        more = len(self.problems) - 1
        return str(self.problems[0]) + (f" (and {more} more problem(s))" if more else "")


# --- value types ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Treatment:
    """What happens to one output field: ``kind`` plus, for ``generalise``, the rule name."""

    kind: str
    rule: str | None = None

    def __str__(self) -> str:
        return f"{self.kind}:{self.rule}" if self.rule else self.kind

    @property
    def passes(self) -> bool:
        """True unless the field is dropped (it appears in the output in some form)."""
        return self.kind != "drop"


def parse_treatment(value: object) -> Treatment:
    """Parse ``plain`` / ``encrypt`` / ... / ``generalise:<rule>``; raises ``ValueError`` saying why."""
    if isinstance(value, Treatment):
        return value
    if not isinstance(value, str):
        raise ValueError(f"a treatment is a string such as 'encrypt', got {type(value).__name__}")
    kind, sep, rule = value.strip().partition(":")
    if kind not in TREATMENT_KINDS:
        raise ValueError(
            f"unknown treatment {value!r}: use one of {', '.join(TREATMENT_KINDS)} (generalise:<rule>)"
        )
    if kind == "generalise":
        rules = generalise_rules()
        if not rule:
            raise ValueError(
                f"'generalise' needs a rule, e.g. generalise:age_band (rules: {', '.join(sorted(rules))})"
            )
        if rule not in rules:
            raise ValueError(f"unknown generalise rule {rule!r}: use one of {', '.join(sorted(rules))}")
        return Treatment(kind, rule)
    if sep:
        raise ValueError(f"treatment {kind!r} takes no rule, got {value!r}")
    return Treatment(kind)


@dataclass(frozen=True, slots=True)
class Retention:
    """How long the insurer may keep what it received: an ISO 8601 date duration."""

    years: int = 0
    months: int = 0
    days: int = 0

    @property
    def iso(self) -> str:
        parts = [f"{n}{u}" for n, u in ((self.years, "Y"), (self.months, "M"), (self.days, "D")) if n]
        return "P" + ("".join(parts) or "0D")

    def __str__(self) -> str:
        return self.iso

    @property
    def approx_days(self) -> int:
        """Days, counting a year as 365 and a month as 30 (for display and topic retention)."""
        return self.years * 365 + self.months * 30 + self.days

    def expires(self, start: date) -> date:
        """Calendar date the retention ends, counted from ``start`` (month ends clamp)."""
        month0 = start.month - 1 + self.months + 12 * self.years
        year, month = start.year + month0 // 12, month0 % 12 + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        return date(year, month, day) + timedelta(days=self.days)


def parse_retention(value: object) -> Retention:
    """``P5Y``, ``P18M``, ``P2W``, ``P1Y6M`` or a whole number of days."""
    if isinstance(value, Retention):
        return value
    if isinstance(value, bool):
        raise ValueError("retention is an ISO 8601 duration (P5Y, P180D) or a number of days")
    if isinstance(value, int):
        if value < 1:
            raise ValueError(f"retention must be at least 1 day, got {value}")
        return Retention(days=value)
    if isinstance(value, str):
        m = _RETENTION.match(value.strip())
        if m:
            y, mo, w, d = (int(g) if g else 0 for g in m.groups())
            ret = Retention(years=y, months=mo, days=7 * w + d)
            if ret.approx_days < 1:
                raise ValueError(f"retention must be at least 1 day, got {value!r}")
            return ret
    raise ValueError(
        f"retention {value!r} is not an ISO 8601 duration (P5Y, P18M, P180D) or a number of days"
    )


TreatmentField = Annotated[Treatment, PlainValidator(parse_treatment), PlainSerializer(str)]
RetentionField = Annotated[Retention, PlainValidator(parse_retention), PlainSerializer(str)]
NonEmpty = Annotated[str, Field(min_length=1)]


# --- field paths and projection ---------------------------------------------------------------


@dataclass
class _Branch:
    """A nested object (``is_array`` False) or array of objects (True) with named children."""

    is_array: bool
    children: dict[str, _Leaf | _Branch] = field(default_factory=dict)
    #: some field below is not dropped (a branch of only dropped fields is left out entirely)
    live: bool = False


@dataclass
class _Leaf:
    path: str
    treatment: Treatment


#: returned by a ``treat`` callback to leave the field out of the projected record
DROP = object()

Treat = Callable[[str, Any, Treatment], Any]


def _split_path(path: str) -> list[tuple[str, bool]]:
    out = []
    for seg in path.split("."):
        out.append((seg[:-2], True) if seg.endswith("[]") else (seg, False))
    return out


def _build_tree(fields: Mapping[str, Treatment]) -> tuple[dict[str, _Leaf | _Branch], list[tuple[str, str]]]:
    """The nested plan for :meth:`Grant.project`, plus (field, problem) for paths that clash."""
    root: dict[str, _Leaf | _Branch] = {}
    problems: list[tuple[str, str]] = []
    for path, treatment in fields.items():
        if not _FIELD_PATH.match(path):
            problems.append((path, f"field name {path!r} is not a name or a path like items[].item_code"))
            continue
        segs = _split_path(path)
        if segs[-1][1]:
            problems.append((path, f"{path!r} ends in []: name the array itself or its element fields"))
            continue
        level = root
        for i, (name, is_array) in enumerate(segs):
            here = ".".join(s + ("[]" if a else "") for s, a in segs[: i + 1])
            existing = level.get(name)
            if i == len(segs) - 1:
                if existing is not None:
                    problems.append((path, f"{path!r} overlaps {_describe(existing, here)}"))
                else:
                    level[name] = _Leaf(path, treatment)
                break
            if existing is None:
                existing = level[name] = _Branch(is_array)
            elif isinstance(existing, _Leaf):
                problems.append(
                    (path, f"{path!r} is inside {existing.path!r}, which is already named as a whole")
                )
                break
            elif existing.is_array != is_array:
                problems.append((path, f"{here!r} is used both as an array ([]) and as an object"))
                break
            level = existing.children
    _mark_live(root)
    return root, problems


def _mark_live(tree: dict[str, _Leaf | _Branch]) -> bool:
    any_live = False
    for node in tree.values():
        if isinstance(node, _Leaf):
            any_live |= node.treatment.passes
        else:
            node.live = _mark_live(node.children)
            any_live |= node.live
    return any_live


def _describe(node: _Leaf | _Branch, here: str) -> str:
    if isinstance(node, _Leaf):
        return f"the field {node.path!r} named before"
    return (
        f"the fields named inside it ({here}{'[]' if node.is_array else ''}.…): name it whole or by its parts"
    )


#: plan steps of :func:`_project`: a kept leaf, a live array of objects, a live nested object
_LEAF, _ARRAY, _OBJECT = 0, 1, 2

#: ``(name, step, leaf path or child plan, treatment, plain)`` for every field a projection can emit
Plan = tuple[tuple[str, int, Any, Treatment | None, bool], ...]


def _plan(tree: dict[str, _Leaf | _Branch]) -> Plan:
    """The projection plan of a field tree, computed once per grant: dropped leaves and branches
    of only dropped fields are left out here instead of being looked at in every record."""
    plan: list[tuple[str, int, Any, Treatment | None, bool]] = []
    for name, node in tree.items():
        if isinstance(node, _Leaf):
            kind = node.treatment.kind
            if kind != "drop":
                plan.append((name, _LEAF, node.path, node.treatment, kind == "plain"))
        elif node.live:  # a dead branch: not even the array's length leaves
            plan.append((name, _ARRAY if node.is_array else _OBJECT, _plan(node.children), None, False))
    return tuple(plan)


def _project(obj: Mapping[str, Any], plan: Plan, treat: Treat | None, treat_plain: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, step, sub, treatment, plain in plan:
        if name not in obj:
            continue
        value = obj[name]
        if step == _LEAF:
            if treat is not None and (treat_plain or not plain):
                value = treat(sub, value, treatment)
                if value is DROP:
                    continue
            out[name] = value
        elif value is None:
            out[name] = None
        elif step == _ARRAY:
            if isinstance(value, list):  # a malformed shape is left out, never passed through
                out[name] = [_project(el, sub, treat, treat_plain) for el in value
                             if type(el) is dict or isinstance(el, Mapping)]
        elif type(value) is dict or isinstance(value, Mapping):
            out[name] = _project(value, sub, treat, treat_plain)
    return out


# --- models ---------------------------------------------------------------------------------

_MODEL_CONFIG = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Grant(BaseModel):
    """One purpose × source an insurer may receive, with the treatment of every output field."""

    model_config = _MODEL_CONFIG

    purpose: Purpose
    basis: Basis
    #: claims grants only: ``detail`` or ``result`` (see :data:`ClaimsMode`)
    mode: ClaimsMode | None = None
    source: NonEmpty
    output: NonEmpty
    description: str | None = None
    #: the policy clause this grant rests on, e.g. "沪医保发〔2023〕2号 措施5"
    reference: str | None = None
    consent_categories: tuple[Category, ...] = ()
    retention: RetentionField
    min_group_size: StrictInt | None = None
    #: how the recipient processes what it receives (the notice tells the person; PIPL Art. 17)
    method: str | None = None
    #: the id of this grant's personal-information impact assessment (PIPL Art. 55-56)
    pia_id: str | None = None
    fields: dict[str, TreatmentField] = Field(min_length=1)

    _plan: Plan = PrivateAttr(default=())

    def model_post_init(self, context: Any, /) -> None:
        tree, _ = _build_tree(self.fields)
        self._plan = _plan(tree)

    @property
    def is_aggregate(self) -> bool:
        return self.basis == "aggregate"

    @property
    def sends_records(self) -> bool:
        """Does the router send this grant's records (a ``detail`` claims grant)? A ``result`` grant's
        fields are what the rules read inside the platform; only the claim result leaves."""
        return self.purpose == "claims" and self.mode == "detail"

    @property
    def source_kind(self) -> Literal["topic", "mart"]:
        return "mart" if self.source.startswith(MART_PREFIX) else "topic"

    @property
    def source_name(self) -> str:
        """The topic, or the dbt model name of a ``mart:<model>`` source."""
        return self.source[len(MART_PREFIX) :] if self.source_kind == "mart" else self.source

    @property
    def output_fields(self) -> dict[str, Treatment]:
        """Named fields that appear in the output (everything but ``drop``)."""
        return {k: t for k, t in self.fields.items() if t.passes}

    def treatment(self, path: str) -> Treatment:
        """The treatment of ``path``; a field the grant does not name is dropped."""
        return self.fields.get(path, Treatment("drop"))

    def project(self, record: Mapping[str, Any], treat: Treat | None = None, *,
                treat_plain: bool = True) -> dict[str, Any]:
        """Only the fields this grant names and does not drop, in the record's nesting.

        ``treat(path, value, treatment)`` is called for every kept leaf (``path`` as written in the
        agreement, e.g. ``items[].amount``) and returns the value to emit, or :data:`DROP`.
        Without ``treat`` values pass unchanged: the caller must still apply the treatments.
        Unknown fields, and named fields whose shape does not match (an array that is not a
        list), are left out. With ``treat_plain=False`` ``plain`` leaves pass without a call
        (the router's projection: half its leaves are line items passed as they are).
        """
        return _project(record, self._plan, treat, treat_plain)

    def projector(self) -> Callable[..., dict[str, Any]]:
        """:meth:`project` as a plain function of ``(record, treat, treat_plain)``, for a caller
        that projects many records (a pydantic private attribute costs microseconds a read)."""
        plan = self._plan
        return lambda record, treat=None, treat_plain=True: _project(record, plan, treat, treat_plain)


class Recipient(BaseModel):
    """Who receives the data and how a person reaches them (PIPL Art. 17, 23): named in the notice."""

    model_config = _MODEL_CONFIG

    legal_name: NonEmpty
    contact: NonEmpty
    #: the personal-information protection contact (个人信息保护负责人, Art. 52)
    dpo_contact: NonEmpty


class Agreement(BaseModel):
    """A sharing agreement with one insurer (one YAML file)."""

    model_config = _MODEL_CONFIG

    insurer: NonEmpty
    insurer_name: NonEmpty
    #: the recipient named in the consent notice; required when a grant rests on consent
    recipient: Recipient | None = None
    agreement_id: NonEmpty
    version: StrictInt = Field(ge=1)
    effective_from: date
    effective_to: date | None = None
    notes: str | None = None
    grants: list[Grant] = Field(min_length=1)

    _fingerprint: str | None = PrivateAttr(default=None)
    _path: Path | None = PrivateAttr(default=None)

    @cached_property
    def fingerprint(self) -> str:
        """``sha256:<hex>`` of the file's bytes: the exact text a disclosure was made under.

        Agreements built in code (not from a file) hash their canonical JSON instead. Read once: a
        pydantic private attribute costs ≈3.5 µs a read, and every claim result's audit event
        names the fingerprint (the loader sets ``_fingerprint`` before anything reads this).
        """
        if self._fingerprint is None:
            canon = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
            return "sha256:" + hashlib.sha256(canon.encode()).hexdigest()
        return self._fingerprint

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def label(self) -> str:
        """``<agreement_id> v<version>``: the human name of this agreement version."""
        return f"{self.agreement_id} v{self.version}"

    def in_effect(self, at: date | datetime) -> bool:
        """True if ``at`` falls in [effective_from, effective_to) (datetimes in Shanghai time)."""
        day = _shanghai_date(at)
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)

    def grants_for(self, purpose: str, source: str | None = None) -> list[Grant]:
        return [g for g in self.grants if g.purpose == purpose and (source is None or g.source == source)]

    def grant(self, purpose: str, source: str | None = None) -> Grant:
        """The one grant for ``purpose`` (and ``source`` when several sources share a purpose)."""
        found = self.grants_for(purpose, source)
        if not found:
            what = f"{purpose} from {source}" if source else purpose
            raise KeyError(f"agreement {self.label} ({self.insurer}) grants no {what}")
        if len(found) > 1:
            sources = ", ".join(g.source for g in found)
            raise LookupError(f"{self.insurer} has {len(found)} {purpose} grants ({sources}): pass source=")
        return found[0]


def _shanghai_date(at: date | datetime) -> date:
    if isinstance(at, datetime):
        return (at.astimezone(SHANGHAI) if at.tzinfo else at).date()
    return at


class GrantRef(NamedTuple):
    insurer: str
    grant: Grant


class AgreementSet:
    """All loaded agreements, indexed by insurer."""

    def __init__(self, agreements: Iterable[Agreement]):
        self._by_insurer: dict[str, Agreement] = {}
        for a in agreements:
            if a.insurer in self._by_insurer:
                raise ValueError(f"two agreements for insurer {a.insurer!r}")
            self._by_insurer[a.insurer] = a

    def __iter__(self) -> Iterator[Agreement]:
        return iter(self._by_insurer.values())

    def __len__(self) -> int:
        return len(self._by_insurer)

    def __contains__(self, insurer: object) -> bool:
        return insurer in self._by_insurer

    @property
    def insurers(self) -> list[str]:
        return list(self._by_insurer)

    def for_insurer(self, code: str) -> Agreement:
        try:
            return self._by_insurer[code]
        except KeyError:
            known = ", ".join(self._by_insurer) or "none"
            raise KeyError(f"no agreement for insurer {code!r} (known: {known})") from None

    def _refs(self, at: date | datetime | None) -> Iterator[tuple[Agreement, Grant]]:
        for a in self._by_insurer.values():
            if at is None or a.in_effect(at):
                for g in a.grants:
                    yield a, g

    def grants(
        self, purpose: str, *, source: str | None = None, at: date | datetime | None = None
    ) -> list[GrantRef]:
        """(insurer, grant) for every grant of ``purpose``; ``at`` keeps agreements in effect then."""
        return [
            GrantRef(a.insurer, g)
            for a, g in self._refs(at)
            if g.purpose == purpose and (source is None or g.source == source)
        ]

    def by_source(self, source: str, *, at: date | datetime | None = None) -> list[GrantRef]:
        """(insurer, grant) for every grant reading ``source``: what the router fans a topic out to."""
        return [GrantRef(a.insurer, g) for a, g in self._refs(at) if g.source == source]

    def grant(self, insurer: str, purpose: str, source: str | None = None) -> Grant:
        return self.for_insurer(insurer).grant(purpose, source)


# --- loading --------------------------------------------------------------------------------


class _Located:
    """Maps a location path (pydantic ``loc`` or ours) to a line via the composed yaml nodes."""

    def __init__(self, path: str, root: yaml.Node):
        self.path, self.root = path, root

    def problem(self, loc: Sequence[str | int], message: str) -> Problem:
        node, line, where = self.root, self.root.start_mark.line, ""
        for part in loc:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == part:
                        node, line = v, k.start_mark.line
                        where += ("." if where else "") + (part if _FIELD_PATH.match(part) else repr(part))
                        break
            elif (
                isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value)
            ):
                node = node.value[part]
                line = node.start_mark.line
                where += f"[{part}]"
            # parts that match nothing (pydantic's union tags, '[key]', a missing key) are skipped
        return Problem(self.path, line + 1, where, message)


def _pydantic_message(err: Mapping[str, Any]) -> str:
    kind, msg, loc = err["type"], err["msg"], err["loc"]
    if kind == "extra_forbidden":
        return f"unknown key {loc[-1]!r}"
    if kind == "missing":
        return f"missing key {loc[-1]!r}"
    if kind == "value_error":
        return msg.removeprefix("Value error, ")
    if kind in ("literal_error", "enum"):
        return f"{err.get('input')!r}: {msg[0].lower()}{msg[1:]}"
    return msg


def _duplicate_keys(
    node: yaml.Node, loc: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple, yaml.Node, str]]:
    """(location of the mapping, duplicate key node, problem) for every key given twice."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for k, v in node.value:
            if not isinstance(k, yaml.ScalarNode):
                continue
            if k.tag != "tag:yaml.org,2002:merge":
                if k.value in seen:
                    what = "field" if loc[-1:] == ("fields",) else "key"
                    yield loc, k, f"duplicate {what} {k.value!r} (first at line {seen[k.value]})"
                    continue
                seen[k.value] = k.start_mark.line + 1
            yield from _duplicate_keys(v, (*loc, k.value))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _duplicate_keys(item, (*loc, i))


def _policy_problems(agreement: Agreement) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Rules that span fields; yields (location path, problem)."""
    if not INSURER_CODE.match(agreement.insurer):
        yield (
            ("insurer",),
            f"insurer code {agreement.insurer!r} must be 2-16 lowercase letters/digits, starting with a letter",
        )
        return
    if agreement.effective_to is not None and agreement.effective_to <= agreement.effective_from:
        yield ("effective_to",), "effective_to must be after effective_from"
    if agreement.recipient is None and any(g.basis == "consent" for g in agreement.grants):
        yield (), ("a consent grant needs a notice naming the recipient: add recipient: "
                   "{legal_name, contact, dpo_contact} (PIPL Art. 17, 23)")
    seen: dict[tuple[str, str], int] = {}
    for i, g in enumerate(agreement.grants):
        at: tuple[str | int, ...] = ("grants", i)
        key = (g.purpose, g.source)
        if key in seen:
            yield (
                (*at, "source"),
                f"a second {g.purpose} grant from {g.source} (first is grants[{seen[key]}])",
            )
        seen.setdefault(key, i)
        yield from ((at + loc, msg) for loc, msg in _grant_problems(agreement.insurer, g))


def _grant_problems(insurer: str, g: Grant) -> Iterator[tuple[tuple[str | int, ...], str]]:  # noqa: C901 - one check per rule
    if g.purpose == "claims" and g.mode is None:
        yield (), "a claims grant must declare its mode: detail (the fields go to the insurer) or result (only the claim result leaves)"
    elif g.purpose != "claims" and g.mode is not None:
        yield ("mode",), f"mode applies to claims grants only, not {g.purpose!r}"
    elif g.mode == "result" and g.source != PLATFORM_SETTLEMENTS:
        yield ("source",), f"a result grant reads {PLATFORM_SETTLEMENTS} (the claims engine's input)"
    want = BASIS_OF_PURPOSE[g.purpose]
    if g.basis != want:
        yield ("basis",), f"purpose {g.purpose!r} must rest on basis {want!r}, not {g.basis!r}"
    yield from _source_problems(g)
    expected_out = insurer_claims(insurer) if g.basis == "consent" else insurer_marts(insurer)
    if g.output != expected_out:
        yield (
            ("output",),
            f"output of a {g.basis} grant for {insurer!r} must be {expected_out}, not {g.output!r}",
        )
    if g.basis == "consent":
        if not g.consent_categories:
            yield (
                ("consent_categories",),
                "a consent grant must list the data categories the consent must cover",
            )
        needed = RECORD_SOURCES.get(g.source)
        if needed and needed not in g.consent_categories:
            yield ("consent_categories",), f"source {g.source} needs consent category {needed!r}"
        if g.min_group_size is not None:
            yield ("min_group_size",), "min_group_size applies to aggregate grants only"
        if not g.method:
            yield (), "a consent grant needs method: how the recipient processes the data (the notice says it)"
    else:
        if g.consent_categories:
            yield (
                ("consent_categories",),
                "an aggregate grant does not rest on consent: remove consent_categories",
            )
        if g.min_group_size is None:
            yield (), "an aggregate grant needs min_group_size (k >= 2)"
        elif g.min_group_size < 2:
            yield ("min_group_size",), f"min_group_size must be at least 2, got {g.min_group_size}"
    if len(set(g.consent_categories)) != len(g.consent_categories):
        yield ("consent_categories",), "a data category is listed twice"
    yield from _field_problems(g)


def _source_problems(g: Grant) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if g.source_kind == "mart":
        if not _MART_NAME.match(g.source_name):
            yield ("source",), f"mart name {g.source_name!r} must be a dbt model name (lowercase, digits, _)"
        if g.basis == "consent":
            yield (
                ("source",),
                f"a consent grant reads person-level records ({', '.join(sorted(CONSENT_SOURCES))}), not a mart",
            )
        return
    if g.source not in RECORD_SOURCES:
        known = ", ".join(sorted(RECORD_SOURCES))
        yield ("source",), f"unknown source {g.source!r}: use a record topic ({known}) or mart:<model>"
    elif g.basis == "aggregate":
        yield (
            ("source",),
            f"aggregate purpose {g.purpose!r} cannot read the per-record source {g.source}: use mart:<model>",
        )
    elif g.source not in CONSENT_SOURCES:
        yield ("source",), f"a consent grant reads the platform's records, not {g.source}"


def _field_problems(g: Grant) -> Iterator[tuple[tuple[str | int, ...], str]]:
    _, clashes = _build_tree(g.fields)
    for path, msg in clashes:
        yield ("fields", path), msg
    for path, t in g.fields.items():
        leaf = path.rsplit(".", 1)[-1]
        if leaf in DIRECT_IDENTIFIERS:
            if t.kind not in IDENTIFIER_TREATMENTS:
                allowed = ", ".join(sorted(IDENTIFIER_TREATMENTS))
                yield (
                    ("fields", path),
                    f"{path!r} is a direct identifier: {str(t)!r} is not allowed (use {allowed})",
                )
            elif g.is_aggregate and t.passes:
                yield (
                    ("fields", path),
                    f"{path!r} is a direct identifier: an aggregate grant may only drop it",
                )
        elif leaf in FREE_TEXT_FIELDS and t.kind not in FREE_TEXT_TREATMENTS:
            allowed = ", ".join(sorted(FREE_TEXT_TREATMENTS))
            yield (
                ("fields", path),
                f"{path!r} is free text that names people: {str(t)!r} is not allowed (use {allowed})",
            )
    if not any(t.passes for t in g.fields.values()):
        yield ("fields",), "every field is dropped: the grant discloses nothing"


def _compose(text: str, path: str) -> yaml.Node:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        # the line where the parser noticed; its context (an unclosed bracket...) may start earlier
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = f"YAML syntax: {exc.problem or exc}"
        if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
            message += f" ({exc.context} started at line {exc.context_mark.line + 1})"
        raise AgreementError([Problem(path, line, "", message)]) from None
    except yaml.YAMLError as exc:
        raise AgreementError([Problem(path, None, "", f"YAML: {exc}")]) from None
    if node is None:
        raise AgreementError([Problem(path, 1, "", "the file is empty")])
    return node


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def parse_agreement(text: str | bytes, path: str = "<string>") -> Agreement:
    """Validate agreement YAML text; ``path`` is what error messages call the file."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AgreementError([Problem(path, None, "", f"not UTF-8 text ({exc.reason})")]) from None
    node = _compose(source, path)
    located = _Located(path, node)
    dups = [
        Problem(path, k.start_mark.line + 1, located.problem(loc, msg).where, msg)
        for loc, k, msg in _duplicate_keys(node)
    ]
    if dups:
        raise AgreementError(dups)
    loader = yaml.SafeLoader(source)
    try:
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise AgreementError([Problem(path, None, "", f"YAML: {exc}")]) from None
    finally:
        loader.dispose()
    try:
        agreement = Agreement.model_validate(data)
    except ValidationError as exc:
        problems = [located.problem(e["loc"], _pydantic_message(e)) for e in exc.errors()]
        raise AgreementError(problems) from None
    policy = [located.problem(loc, msg) for loc, msg in _policy_problems(agreement)]
    if policy:
        raise AgreementError(policy)
    agreement._fingerprint = "sha256:" + hashlib.sha256(raw).hexdigest()
    return agreement


def load_agreement(path: str | Path) -> Agreement:
    """Load and validate one agreement file; raises :class:`AgreementError` (file, line, problem)."""
    p = Path(path)
    shown = display_path(p)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise AgreementError([Problem(shown, None, "", f"cannot read: {exc.strerror or exc}")]) from None
    agreement = parse_agreement(raw, shown)
    agreement._path = p
    return agreement


def agreement_files(directory: str | Path | None = None) -> list[Path]:
    d = Path(directory) if directory is not None else AGREEMENTS_DIR
    return sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


@dataclass
class FileCheck:
    """The outcome of validating one agreement file (``medshare agreements validate``)."""

    path: Path
    agreement: Agreement | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_folder(dir: str | Path | None = None) -> list[FileCheck]:  # noqa: A002
    """Validate every agreement file of a folder, plus the rules across files; never raises.

    Each file holds one insurer and is named after it (``hhb.yaml``); two files for one insurer
    are an error.
    """
    d = Path(dir) if dir is not None else AGREEMENTS_DIR
    if not d.is_dir():
        return [FileCheck(d, None, [Problem(display_path(d), None, "", "not a folder of agreements")])]
    out: list[FileCheck] = []
    owner: dict[str, Path] = {}
    for p in agreement_files(d):
        try:
            a = load_agreement(p)
        except AgreementError as exc:
            out.append(FileCheck(p, None, exc.problems))
            continue
        shown = display_path(p)
        line = _Located(shown, _compose(p.read_text("utf-8"), shown)).problem(("insurer",), "").line
        problems = []
        if p.stem != a.insurer:
            msg = f"the agreement of insurer {a.insurer!r} must be in a file named {a.insurer}.yaml"
            problems.append(Problem(shown, line, "insurer", msg))
        elif a.insurer in owner:
            msg = f"insurer {a.insurer!r} already has an agreement in {display_path(owner[a.insurer])}"
            problems.append(Problem(shown, line, "insurer", msg))
        else:
            owner[a.insurer] = p
        out.append(FileCheck(p, a, problems))
    return out


def load_agreements(dir: str | Path | None = None) -> AgreementSet:  # noqa: A002 - the documented name
    """Load every ``*.yaml`` in ``dir`` (default ``contracts/agreements``); all problems at once."""
    checks = check_folder(dir)
    problems = [p for c in checks for p in c.problems]
    if problems:
        raise AgreementError(problems)
    return AgreementSet(c.agreement for c in checks if c.agreement is not None)
