"""The declarative conditions a product's duties and exclusions use — evaluated, never executed.

A condition is a mapping of tests that must all hold (an empty condition matches everything)::

    when: {med_type: ["21"], institution_level_min: 2, settlement: [basic-insurance]}

The keys use the national interface's names (platform.settlements.v2, docs/platform-interface.md).

======================  ===========================================================================
key                     holds when
======================  ===========================================================================
med_type                the settlement's 医疗类别 is one of the listed codes (11 门诊, 13 急诊,
                        14 门诊慢特病, 21 住院, 41 药店购药 …)
settlement              how it was settled: ``basic-insurance`` (医保结算) or ``self-funded``
institution_level_min   the institution's level (1 一级/社区, 2 二级, 3 三级) is at least this
institution_type        the institution's type is one of the listed (``hospital``, ``pharmacy`` …)
designated_channel      (bool) the institution is / is not on the product's designated list
diagnosis_prefix        one of the settlement's ICD-10 diagnoses starts with one of the prefixes
pre_existing            (bool) the settlement is / is not judged pre-existing (from history)
med_chrgitm_type        the item's 医疗收费项目类别 is one of the listed (``01`` 床位费 … ``09`` 西药费,
                        ``11`` 中成药费, ``08`` 卫生材料费 …)
chrgitm_lv              the item's 收费项目等级 is one of the listed (``01`` 甲类, ``02`` 乙类, ``03`` 丙类)
med_list_codg           the item's national code (医疗目录编码) is one of the listed codes
med_list_codg_prefix    the item's national code starts with one of the prefixes
special_drug_list       (bool) the item's code is / is not on the product's 特药 list
indication              (bool) the item is a listed drug and one of the settlement's diagnoses is /
                        is not one of its indications (ICD-10 prefixes in the drug list)
max_supply_days         the item's supply (days; from the record, else quantity × the drug list's
                        ``days_per_unit``) is at most this
======================  ===========================================================================

Every test is a membership, prefix or integer comparison on a field of the claimable settlement
(:mod:`medshare.claims.claimable`): there is no expression language, no attribute access and no
``eval``, so a product file cannot run code. :func:`why_not` returns the first test that fails, in
words, so every refusal in a claim's explanation names its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from medshare.claims.claimable import Claimable, ClaimItem

Codes = tuple[str, ...]


class Condition(BaseModel):
    """All of the given tests must hold; unset tests are not checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    med_type: Codes | None = Field(default=None, min_length=1)
    settlement: tuple[Literal["basic-insurance", "self-funded"], ...] | None = Field(default=None, min_length=1)
    institution_level_min: int | None = Field(default=None, ge=1, le=3)
    institution_type: tuple[Literal["hospital", "pharmacy", "community"], ...] | None = Field(default=None,
                                                                                                min_length=1)
    designated_channel: bool | None = None
    diagnosis_prefix: Codes | None = Field(default=None, min_length=1)
    pre_existing: bool | None = None
    med_chrgitm_type: Codes | None = Field(default=None, min_length=1)
    chrgitm_lv: tuple[Literal["01", "02", "03"], ...] | None = Field(default=None, min_length=1)
    med_list_codg: Codes | None = Field(default=None, min_length=1)
    med_list_codg_prefix: Codes | None = Field(default=None, min_length=1)
    special_drug_list: bool | None = None
    indication: bool | None = None
    max_supply_days: int | None = Field(default=None, ge=1, le=366)

    @cached_property
    def item_level(self) -> bool:
        """True if the condition looks at items (not only at the settlement)."""
        return any(v is not None for v in (self.med_chrgitm_type, self.chrgitm_lv, self.med_list_codg,
                                           self.med_list_codg_prefix, self.special_drug_list, self.indication,
                                           self.max_supply_days))


@dataclass(frozen=True)
class DrugInfo:
    """What the product's drug list says of one drug."""

    indications: tuple[str, ...] = ()
    days_per_unit: int | None = None


@dataclass(frozen=True)
class Context:
    """What a condition may look at besides the item: the settlement, the person's policy, the product lists."""

    claim: Claimable
    pre_existing: bool
    special_drugs: dict[str, DrugInfo]
    designated: frozenset[str]


def _level(v: int | None) -> str:
    return {1: "一级/社区", 2: "二级", 3: "三级"}.get(v or 0, "unknown")


def settlement_why_not(cond: Condition, ctx: Context) -> str | None:
    """The first settlement-level test of ``cond`` that fails, in words; None if all hold."""
    c = ctx.claim
    if cond.med_type is not None and c.visit_type not in cond.med_type:
        return f"med_type {c.visit_type} is not one of {', '.join(cond.med_type)}"
    if cond.settlement is not None and c.settlement_type not in cond.settlement:
        return f"settled as {c.settlement_type}, the duty needs {' or '.join(cond.settlement)}"
    if cond.institution_level_min is not None and (c.institution_level or 0) < cond.institution_level_min:
        return (f"institution {c.institution_code} is level {_level(c.institution_level)}, the duty needs "
                f"{_level(cond.institution_level_min)} or higher")
    if cond.institution_type is not None and c.institution_type not in cond.institution_type:
        return f"institution type {c.institution_type} is not one of {', '.join(cond.institution_type)}"
    if cond.designated_channel is not None and (c.institution_code in ctx.designated) != cond.designated_channel:
        return (f"institution {c.institution_code} is not a designated channel" if cond.designated_channel
                else f"institution {c.institution_code} is a designated channel")
    if cond.diagnosis_prefix is not None and not any(d.startswith(cond.diagnosis_prefix) for d in c.diagnoses):
        return f"no diagnosis starts with {', '.join(cond.diagnosis_prefix)}"
    if cond.pre_existing is not None and ctx.pre_existing != cond.pre_existing:
        return "judged pre-existing" if ctx.pre_existing else "not judged pre-existing"
    return None


def item_why_not(cond: Condition, ctx: Context, item: ClaimItem) -> str | None:
    """The first item-level test of ``cond`` that fails for ``item``, in words; None if all hold."""
    code = item.code
    if cond.med_chrgitm_type is not None and item.med_chrgitm_type not in cond.med_chrgitm_type:
        return f"med_chrgitm_type {item.med_chrgitm_type} is not one of {', '.join(cond.med_chrgitm_type)}"
    lv = {"A": "01", "B": "02", "C": "03"}.get(item.catalogue_class or "")
    if cond.chrgitm_lv is not None and lv not in cond.chrgitm_lv:
        return f"chrgitm_lv {lv} is not one of {', '.join(cond.chrgitm_lv)}"
    if cond.med_list_codg is not None and code not in cond.med_list_codg:
        return "med_list_codg is not one the duty lists"
    if cond.med_list_codg_prefix is not None and not code.startswith(cond.med_list_codg_prefix):
        return f"med_list_codg does not start with {', '.join(cond.med_list_codg_prefix)}"
    drug = ctx.special_drugs.get(code)
    if cond.special_drug_list is not None and (drug is not None) != cond.special_drug_list:
        return "not on the product's drug list" if cond.special_drug_list else "on the product's drug list"
    if cond.indication is not None:
        ok = drug is not None and any(d.startswith(drug.indications) for d in ctx.claim.diagnoses if drug.indications)
        if ok != cond.indication:
            return ("no diagnosis of the settlement is an indication of the drug "
                    f"({', '.join(drug.indications) if drug else 'not listed'})") if cond.indication \
                else "a diagnosis is an indication of the drug"
    if cond.max_supply_days is not None:
        days = supply_days(item, drug)
        if days is None:
            return "supply unknown (no supply days on the record, no days_per_unit in the drug list)"
        if days > cond.max_supply_days:
            return f"supply of {days} days exceeds {cond.max_supply_days}"
    return None


def why_not(cond: Condition, ctx: Context, item: ClaimItem | None = None) -> str | None:
    """The first test of ``cond`` that fails (settlement tests first), or None when it holds.

    With ``item=None`` an item-level test fails (a settlement-level question cannot be answered
    "yes" by an item test).
    """
    why = settlement_why_not(cond, ctx)
    if why is not None or not cond.item_level:
        return why
    if item is None:
        return "the duty looks at items"
    return item_why_not(cond, ctx, item)


def matches(cond: Condition, ctx: Context, item: ClaimItem | None = None) -> bool:
    return why_not(cond, ctx, item) is None


def supply_days(item: ClaimItem, drug: DrugInfo | None) -> int | None:
    if item.supply_days is not None:
        return item.supply_days
    if drug is None or drug.days_per_unit is None:
        return None
    return int(round(abs(item.quantity) * drug.days_per_unit))


def has_prefix(code: str, prefixes: Any) -> bool:
    return any(code.startswith(p) for p in prefixes if p)
