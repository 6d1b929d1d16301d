"""Insurer products as data: ``contracts/products/<code>-<product>.yaml``, loaded strictly.

A product file names the insurer, a ``product_id`` and a ``version`` effective over
``[effective_from, effective_to)``; the per-year deductible (免赔额), the 特药 list, the benefits
(which part of which items they pay, at what ratio, up to what annual cap) and the exclusions.
Conditions are declarative (:mod:`medshare.claims.rules`). Format: docs/claims.md.

Errors are reported like the sharing agreements' (``privacy.agreements``): one
``FILE:LINE: where: problem`` per problem, every problem of the first failing layer at once
(YAML syntax and duplicate keys, then the pydantic models, then rules that span fields).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from medshare.claims.rules import Condition
from medshare.config import PROJECT_ROOT
from privacy.agreements import (
    SHANGHAI,
    Problem,
    _duplicate_keys,
    _Located,
    _pydantic_message,
    display_path,
)

PRODUCTS_DIR = PROJECT_ROOT / "contracts" / "products"
PARTS: tuple[str, ...] = ("self_pay", "self_expense")
#: product, benefit and exclusion ids (the claims contract and the enrolment contract use it too)
ID_PATTERN = r"^[a-z][a-z0-9-]{1,47}$"
_ID = ID_PATTERN
_DRUG_CODE = re.compile(r"[XZ][A-Z0-9]{22}")


class ProductError(ValueError):
    """A product file (or folder) failed to load; ``problems`` lists every reason, located to a line."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def summary(self) -> str:
        more = len(self.problems) - 1
        return str(self.problems[0]) + (f" (and {more} more problem(s))" if more else "")


def _money(v: Decimal) -> Decimal:
    if v < 0 or v != v.quantize(Decimal("0.01")):
        raise ValueError(f"an amount in 元 must be >= 0 with at most 2 decimals, got {v}")
    return v


def _ratio(v: Decimal) -> Decimal:
    if not Decimal(0) <= v <= Decimal(1) or v != v.quantize(Decimal("0.0001")):
        raise ValueError(f"a ratio is between 0 and 1 with at most 4 decimals, got {v}")
    return v


Money = Annotated[Decimal, AfterValidator(_money)]
Ratio = Annotated[Decimal, AfterValidator(_ratio)]
_CONFIG = ConfigDict(extra="forbid", frozen=True)


def fen(yuan: Decimal | float | int) -> int:
    """元 to integer 分 (amounts are computed in 分 so sums are exact).

    The value's decimal text times 100, to the nearest 分 (half to even). A float amount of at
    most 2 decimals (every amount on a valid settlement) takes a shortcut with the same result:
    below 10 million 元, ``yuan * 100`` is within 3e-7 of the exact product, so when it is within
    1e-6 of an integer that integer is the answer (a settlement's eight amounts cost ≈10 µs through
    ``Decimal``).
    """
    kind = type(yuan)
    if kind is int:
        return yuan * 100
    if kind is float and -1e7 < yuan < 1e7:
        x = yuan * 100
        r = round(x)
        if -1e-6 < x - r < 1e-6:
            return r
    return int((Decimal(str(yuan)) * 100).quantize(Decimal(1)))


class Deductible(BaseModel):
    """A duty's 免赔额 per person per policy year, lower after claim-free years (健康持续参保优待)."""

    model_config = _CONFIG
    amount: Money
    #: the deductible after 1, 2, … claim-free years (the last applies to more years too)
    claim_free_steps: tuple[Money, ...] = ()

    def fen_for(self, claim_free_years: int) -> int:
        if claim_free_years <= 0 or not self.claim_free_steps:
            return fen(self.amount)
        return fen(self.claim_free_steps[min(claim_free_years, len(self.claim_free_steps)) - 1])


class SpecialDrug(BaseModel):
    model_config = _CONFIG
    code: str
    name: str | None = None
    #: ICD-10 prefixes the drug is paid for (the ``indication`` condition)
    indications: tuple[str, ...] = ()
    #: days of treatment one unit (box) supplies (the ``max_supply_days`` condition)
    days_per_unit: int | None = Field(default=None, ge=1, le=366)


class Benefit(BaseModel):
    """One duty (保障责任): which parts of which items it pays, after what deductible, how much, up to what cap."""

    model_config = _CONFIG
    id: str = Field(pattern=_ID)
    name: str
    parts: tuple[Literal["self_pay", "self_expense"], ...] = Field(min_length=1)
    when: Condition = Condition()
    #: the duty's own deductible (None: none)
    deductible: Deductible | None = None
    ratio: Ratio
    #: the ratio when the settlement is judged pre-existing (from the person's history)
    pre_existing_ratio: Ratio | None = None
    #: most this duty pays a person in a policy year (元)
    annual_cap: Money

    @cached_property
    def cap_fen(self) -> int:
        return fen(self.annual_cap)

    def ratio_for(self, pre_existing: bool) -> Decimal:
        return self.pre_existing_ratio if pre_existing and self.pre_existing_ratio is not None else self.ratio

    def deductible_fen(self, claim_free_years: int = 0) -> int:
        return 0 if self.deductible is None else self.deductible.fen_for(claim_free_years)


Duty = Benefit


class DutyOverride(BaseModel):
    """What a plan (variant) changes in a duty."""

    model_config = _CONFIG
    deductible: Deductible | None = None
    ratio: Ratio | None = None
    pre_existing_ratio: Ratio | None = None
    annual_cap: Money | None = None


class Plan(BaseModel):
    """A variant of the product (标准版, 新市民版 …), chosen by the enrolment's ``plan``."""

    model_config = _CONFIG
    id: str = Field(pattern=_ID)
    name: str
    default: bool = False
    duties: dict[str, DutyOverride] = {}


class ConditionGroup(BaseModel):
    model_config = _CONFIG
    id: str = Field(pattern=_ID)
    name: str
    icd10_prefixes: tuple[str, ...] = Field(min_length=1)


class PreExistingRule(BaseModel):
    """既往症 judged from the person's diagnoses on the platform in a window before enrolment."""

    model_config = _CONFIG
    #: days before the enrolment's start that count
    window_days: int = Field(ge=1, le=3660)
    #: ``condition``: a settlement is pre-existing when one of its diagnoses is in a group the
    #: person had in the window; ``person``: every settlement of a person who had any listed group
    scope: Literal["condition", "person"] = "condition"
    conditions: tuple[ConditionGroup, ...] = Field(min_length=1)


class Source(BaseModel):
    model_config = _CONFIG
    title: str
    url: str
    accessed: date | None = None
    #: which figures the source supports
    supports: str


class Exclusion(BaseModel):
    """Items (or whole settlements) the product never pays and that never count toward a deductible."""

    model_config = _CONFIG
    id: str = Field(pattern=_ID)
    reason: str
    when: Condition


class Product(BaseModel):
    model_config = _CONFIG

    product_id: str = Field(pattern=_ID)
    insurer: str = Field(pattern=r"^[a-z][a-z0-9]{1,15}$")
    name: str
    version: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
    effective_from: date
    effective_to: date | None = None
    #: the figures are examples, not any real product's terms
    illustrative: bool = False
    notes: str | None = None
    #: public sources of the figures, and what could not be confirmed
    sources: tuple[Source, ...] = ()
    unconfirmed: tuple[str, ...] = ()
    #: payer coordination: lower pays first on a settlement (the basic funds always come before)
    payer_order: int = Field(default=100, ge=0, le=1000)
    pre_existing: PreExistingRule | None = None
    #: designated channels (定点药店/医院) for the ``designated_channel`` condition
    designated_institutions: tuple[str, ...] = ()
    special_drugs: tuple[SpecialDrug, ...] = ()
    plans: tuple[Plan, ...] = (Plan(id="standard", name="标准版", default=True),)
    duties: tuple[Benefit, ...] = Field(min_length=1)
    exclusions: tuple[Exclusion, ...] = ()

    _fingerprint: str | None = PrivateAttr(default=None)
    _path: Path | None = PrivateAttr(default=None)

    @property
    def benefits(self) -> tuple[Benefit, ...]:
        return self.duties

    # cached_property, not PrivateAttr: pydantic resolves private attributes through __getattr__
    @cached_property
    def special_drug_codes(self) -> frozenset[str]:
        return frozenset(d.code for d in self.special_drugs)

    @cached_property
    def drug_info(self) -> dict[str, Any]:
        from medshare.claims.rules import DrugInfo

        return {d.code: DrugInfo(tuple(d.indications), d.days_per_unit) for d in self.special_drugs}

    @cached_property
    def designated(self) -> frozenset[str]:
        return frozenset(self.designated_institutions)

    @cached_property
    def fingerprint(self) -> str:
        """``sha256:<hex>`` of the file's bytes (or of the canonical JSON when built in code)."""
        if self._fingerprint is None:
            import json

            canon = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
            return "sha256:" + hashlib.sha256(canon.encode()).hexdigest()
        return self._fingerprint

    @cached_property
    def label(self) -> str:
        return f"{self.product_id}@{self.version}"

    @cached_property
    def default_plan(self) -> str:
        return next((p.id for p in self.plans if p.default), self.plans[0].id)

    def plan(self, plan_id: str | None) -> Plan:
        """The plan ``plan_id`` (None: the default plan); KeyError if the product has no such plan."""
        want = plan_id or self.default_plan
        for p in self.plans:
            if p.id == want:
                return p
        raise KeyError(f"{self.label} has no plan {want!r} (plans: {', '.join(p.id for p in self.plans)})")

    @cached_property
    def resolved_plans(self) -> dict[str | None, tuple[Benefit, ...]]:
        return {}

    @cached_property
    def deductible_cache(self) -> dict[tuple[str | None, int], tuple[tuple[str, int], ...]]:
        return {}

    def deductibles_for(self, plan_id: str | None, claim_free_years: int) -> tuple[tuple[str, int], ...]:
        """(duty id, deductible in 分) of the duties with a deductible, for a plan and claim-free years."""
        key = (plan_id, claim_free_years)
        got = self.deductible_cache.get(key)
        if got is None:
            got = self.deductible_cache[key] = tuple(
                (d.id, d.deductible_fen(claim_free_years)) for d in self.duties_for(plan_id) if d.deductible)
        return got

    def duties_for(self, plan_id: str | None) -> tuple[Benefit, ...]:
        """The duties with the plan's overrides applied (computed once per plan)."""
        got = self.resolved_plans.get(plan_id)
        if got is None:
            got = self.resolved_plans[plan_id] = self._resolve(plan_id)
        return got

    def _resolve(self, plan_id: str | None) -> tuple[Benefit, ...]:
        plan = self.plan(plan_id)
        out = []
        for d in self.duties:
            o = plan.duties.get(d.id)
            if o is None:
                out.append(d)
                continue
            out.append(d.model_copy(update={k: v for k, v in o.model_dump(exclude_none=True).items()} |
                                    ({"deductible": o.deductible} if o.deductible is not None else {})))
        return tuple(out)

    def benefit(self, benefit_id: str) -> Benefit:
        for b in self.duties:
            if b.id == benefit_id:
                return b
        raise KeyError(f"{self.label} has no duty {benefit_id!r}")

    def in_effect(self, at: date | datetime) -> bool:
        day = at.astimezone(SHANGHAI).date() if isinstance(at, datetime) else at
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


def _policy_problems(p: Product) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if p.effective_to is not None and p.effective_to <= p.effective_from:
        yield ("effective_to",), "effective_to must be after effective_from"
    for kind, items in (("dut", p.duties), ("exclusion", p.exclusions), ("plan", p.plans)):
        seen: dict[str, int] = {}
        for i, x in enumerate(items):
            if x.id in seen:
                group = "duties" if kind == "dut" else f"{kind}s"
                yield (group, i, "id"), f"id {x.id!r} repeats {group}[{seen[x.id]}]"
            seen.setdefault(x.id, i)
    codes: dict[str, int] = {}
    for i, d in enumerate(p.special_drugs):
        if not _DRUG_CODE.fullmatch(d.code):
            yield ("special_drugs", i, "code"), f"{d.code!r} is not a national drug code (X/Z + 22 characters)"
        if d.code in codes:
            yield ("special_drugs", i, "code"), f"{d.code} is listed twice (first at special_drugs[{codes[d.code]}])"
        codes.setdefault(d.code, i)
    yield from _duty_problems(p)
    for i, e in enumerate(p.exclusions):
        if e.when == Condition():
            yield ("exclusions", i, "when"), "an exclusion with an empty condition would exclude everything"



def _duty_problems(p: Product) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Duties and plans: parts, the lists a condition needs, claim-free steps, plan overrides."""
    for i, b in enumerate(p.duties):
        if len(set(b.parts)) != len(b.parts):
            yield ("duties", i, "parts"), "a part is listed twice"
        if (b.when.special_drug_list or b.when.indication) and not p.special_drugs:
            yield ("duties", i, "when"), "special_drug_list/indication needs a special_drugs list"
        if b.when.designated_channel and not p.designated_institutions:
            yield ("duties", i, "when"), "designated_channel needs designated_institutions"
        if b.deductible is not None:
            steps = (b.deductible.amount, *b.deductible.claim_free_steps)
            if any(later > earlier for earlier, later in zip(steps, steps[1:], strict=False)):
                yield ("duties", i, "deductible", "claim_free_steps"), "a claim-free step may not raise the deductible"
    ids = {d.id for d in p.duties}
    if sum(1 for pl in p.plans if pl.default) > 1:
        yield ("plans",), "more than one plan is the default"
    for i, pl in enumerate(p.plans):
        for did in pl.duties:
            if did not in ids:
                yield ("plans", i, "duties", did), f"no duty {did!r} to override"

def _compose(text: str, path: str) -> yaml.Node:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ProductError([Problem(path, mark.line + 1 if mark else None, "",
                                    f"YAML syntax: {exc.problem or exc}")]) from None
    except yaml.YAMLError as exc:
        raise ProductError([Problem(path, None, "", f"YAML: {exc}")]) from None
    if node is None:
        raise ProductError([Problem(path, 1, "", "the file is empty")])
    return node


def parse_product(text: str | bytes, path: str = "<string>") -> Product:
    """Validate product YAML; ``path`` is what error messages call the file."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProductError([Problem(path, None, "", f"not UTF-8 text ({exc.reason})")]) from None
    node = _compose(source, path)
    located = _Located(path, node)
    dups = [Problem(path, k.start_mark.line + 1, located.problem(loc, msg).where, msg)
            for loc, k, msg in _duplicate_keys(node)]
    if dups:
        raise ProductError(dups)
    loader = yaml.SafeLoader(source)
    try:
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise ProductError([Problem(path, None, "", f"YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ProductError([Problem(path, 1, "", "a product is a YAML mapping")])
    data = _decimals(data)
    try:
        product = Product.model_validate(data)
    except ValidationError as exc:
        raise ProductError([located.problem(e["loc"], _pydantic_message(e)) for e in exc.errors()]) from None
    policy = [located.problem(loc, msg) for loc, msg in _policy_problems(product)]
    if policy:
        raise ProductError(policy)
    product._fingerprint = "sha256:" + hashlib.sha256(raw).hexdigest()
    return product


def _decimals(obj: Any) -> Any:
    """YAML floats to Decimal via their shortest repr (0.7 stays 0.7, never 0.69999...)."""
    if isinstance(obj, float):
        return Decimal(repr(obj))
    if isinstance(obj, dict):
        return {k: _decimals(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decimals(v) for v in obj]
    return obj


def load_product(path: str | Path) -> Product:
    p = Path(path)
    shown = display_path(p)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ProductError([Problem(shown, None, "", f"cannot read: {exc.strerror or exc}")]) from None
    product = parse_product(raw, shown)
    product._path = p
    return product


class ProductSet:
    """Every loaded product version; finds the version of a product in effect on a date."""

    def __init__(self, products: Iterable[Product]):
        self.products = sorted(products, key=lambda p: (p.insurer, p.product_id, p.effective_from))
        problems = []
        by_id: dict[str, list[Product]] = {}
        for p in self.products:
            by_id.setdefault(p.product_id, []).append(p)
        for pid, versions in by_id.items():
            if len({v.insurer for v in versions}) > 1:
                problems.append(Problem(pid, None, "", "one product_id belongs to several insurers"))
            for a, b in zip(versions, versions[1:], strict=False):
                if a.effective_to is None or a.effective_to > b.effective_from:
                    problems.append(Problem(pid, None, "", f"versions {a.version} and {b.version} overlap in time"))
        if problems:
            raise ProductError(problems)
        self._by_id = by_id

    def __iter__(self) -> Iterator[Product]:
        return iter(self.products)

    def __len__(self) -> int:
        return len(self.products)

    @property
    def insurers(self) -> list[str]:
        return sorted({p.insurer for p in self.products})

    def product_ids(self, insurer: str | None = None) -> list[str]:
        return sorted({p.product_id for p in self.products if insurer is None or p.insurer == insurer})

    def find(self, product_id: str, at: date | datetime) -> Product | None:
        """The version of ``product_id`` in effect at ``at`` (Shanghai date), or None."""
        for p in self._by_id.get(product_id, ()):
            if p.in_effect(at):
                return p
        return None

    def version(self, product_id: str, version: str) -> Product | None:
        for p in self._by_id.get(product_id, ()):
            if p.version == version:
                return p
        return None


def product_files(directory: str | Path | None = None) -> list[Path]:
    d = Path(directory) if directory is not None else PRODUCTS_DIR
    return sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_products(directory: str | Path | None = None) -> ProductSet:
    """Load every product file; raises :class:`ProductError` with the problems of every bad file."""
    products, problems = [], []
    for path in product_files(directory):
        try:
            products.append(load_product(path))
        except ProductError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ProductError(problems)
    return ProductSet(products)
