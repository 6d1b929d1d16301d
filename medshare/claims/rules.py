"""The declarative conditions a product's benefits and exclusions use — evaluated, never executed.

A condition is a mapping of tests that must all hold (an empty condition matches everything)::

    when: {visit_type: ["21"], special_drug_list: true}

==================  ==============================================================================
key                 holds when
==================  ==============================================================================
visit_type          the settlement's ``visit_type`` is one of the listed codes
diagnosis_prefix    the settlement's ICD-10 ``diagnosis_code`` starts with one of the prefixes
pre_existing        (bool) the diagnosis is / is not one of the person's declared 既往症
category            the item's ``category`` is one of the listed (``drug``/``device``/``service``)
catalogue_class     the item's ``catalogue_class`` is one of the listed (``A``/``B``/``C``)
item_code           the item's code is one of the listed codes
item_code_prefix    the item's code starts with one of the prefixes
special_drug_list   (bool) the item's code is / is not on the product's 特药 list
==================  ==============================================================================

Every test is a membership or prefix comparison on a field of the record: there is no expression
language, no attribute access and no ``eval``, so a product file cannot run code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Codes = tuple[str, ...]


class Condition(BaseModel):
    """All of the given tests must hold; unset tests are not checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    visit_type: Codes | None = Field(default=None, min_length=1)
    diagnosis_prefix: Codes | None = Field(default=None, min_length=1)
    pre_existing: bool | None = None
    category: tuple[Literal["drug", "device", "service"], ...] | None = Field(default=None, min_length=1)
    catalogue_class: tuple[Literal["A", "B", "C"], ...] | None = Field(default=None, min_length=1)
    item_code: Codes | None = Field(default=None, min_length=1)
    item_code_prefix: Codes | None = Field(default=None, min_length=1)
    special_drug_list: bool | None = None

    @cached_property
    def item_level(self) -> bool:
        """True if the condition looks at items (not only at the settlement); read once per item
        and benefit of every settlement, so computed once (the model is frozen)."""
        return any(v is not None for v in (self.category, self.catalogue_class, self.item_code,
                                           self.item_code_prefix, self.special_drug_list))


@dataclass(frozen=True)
class Context:
    """What a condition may look at besides the item: the settlement and the person's policy."""

    visit_type: str
    diagnosis_code: str
    pre_existing: bool
    special_drugs: frozenset[str]


def matches(cond: Condition, ctx: Context, item: Mapping[str, Any] | None = None) -> bool:
    """Does ``cond`` hold for ``item`` of the settlement described by ``ctx``?

    With ``item=None`` only the settlement-level tests are checked and any item-level test fails
    (a settlement-level question cannot be answered "yes" by an item test).
    """
    if cond.visit_type is not None and ctx.visit_type not in cond.visit_type:
        return False
    if cond.diagnosis_prefix is not None and not ctx.diagnosis_code.startswith(cond.diagnosis_prefix):
        return False
    if cond.pre_existing is not None and ctx.pre_existing != cond.pre_existing:
        return False
    if not cond.item_level:
        return True
    if item is None:
        return False
    code = str(item.get("item_code", ""))
    if cond.category is not None and item.get("category") not in cond.category:
        return False
    if cond.catalogue_class is not None and item.get("catalogue_class") not in cond.catalogue_class:
        return False
    if cond.item_code is not None and code not in cond.item_code:
        return False
    if cond.item_code_prefix is not None and not code.startswith(cond.item_code_prefix):
        return False
    return cond.special_drug_list is None or (code in ctx.special_drugs) == cond.special_drug_list


def has_pre_existing(diagnosis_code: str, declared: tuple[str, ...] | frozenset[str]) -> bool:
    """Is ``diagnosis_code`` one of the person's declared pre-existing conditions (ICD-10 prefixes)?"""
    return any(diagnosis_code.startswith(p) for p in declared if p)
