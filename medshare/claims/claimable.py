"""The claimable settlement: the engine's only view of a settlement, built by ONE adapter.

The claims engine never reads a platform record directly. :func:`from_settlement_v1` turns a
``platform.settlements.v1`` record into a :class:`Claimable` — the self-pay parts, what each basic
fund paid, the institution's level and type, the diagnoses (main first) and the items with their
category, catalogue class, quantity and supply. When the national 医保 interface records (2207
settlements with the fund split ``hifp_pay`` 统筹 / ``hifmi_pay`` 大病 / ``hifob_pay`` 大额 /
``maf_pay`` 医疗救助 / ``oth_pay``, ``psn_part_amt``, ``diseinfo[]``, ``feedetail[]``) reach the
platform topic, a second adapter builds the same view from them and nothing else changes
(docs/claims.md, "The claimable settlement").

What v1 cannot tell, and what the adapter does about it:

* **the fund split**: v1 collapses every basic fund into ``fund_paid``; the view has one payer
  ``basic`` (so 大病/救助 payments are inside it and cannot be told apart);
* **the institution's level and type**: not on the record; looked up by ``institution_code`` in
  the 定点医药机构 directory (here the simulator's synthetic one); unknown code → level unknown,
  which fails any level condition (and the refusal says so);
* **settlement type**: every v1 record is a settlement through basic insurance (``basic-insurance``);
* **diagnoses**: v1 has one ``diagnosis_code`` (the main one);
* **supply days**: not on v1 items (None); a product's drug list may give ``days_per_unit``.

All amounts in integer 分. The person's own share is ``total - Σ basic funds`` (目录内自付 +
目录外自费 + what the personal account paid): that is the most all commercial payers together may
pay for the settlement (payer coordination, :mod:`medshare.claims.engine`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from medshare.claims.products import fen
from privacy.agreements import SHANGHAI


@dataclass(frozen=True, slots=True)
class ClaimItem:
    code: str
    name: str | None
    category: str | None
    catalogue_class: str | None
    quantity: float
    amount: int
    #: the item's own 目录外自费 (分)
    self_expense: int
    #: its part of the settlement's 目录内个人自付 (分, apportioned when the record gives it per settlement)
    self_pay: int
    supply_days: int | None = None

    def part(self, name: str) -> int:
        return self.self_pay if name == "self_pay" else self.self_expense


@dataclass(frozen=True, slots=True)
class Claimable:
    settlement_id: str
    event_type: str
    refund_of: str | None
    event_time: str
    year: int
    day: str  # settlement date in Shanghai, ISO
    visit_type: str
    settlement_type: str
    institution_code: str
    institution_level: int | None
    institution_type: str | None
    diagnoses: tuple[str, ...]
    total: int
    #: what each basic fund paid (分): v1 ``{"basic": fund_paid}``; v2 the 2207 split
    funds: Mapping[str, int]
    account_paid: int
    self_pay: int
    self_expense: int
    items: tuple[ClaimItem, ...] = field(default=())

    @property
    def own_share(self) -> int:
        """The person's own share (分): total minus every basic fund — the most commercial payers may pay."""
        return max(0, self.total - sum(self.funds.values()))


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` 分 over ``weights`` pro rata; leftovers to the largest remainders (earlier first)."""
    w_sum = sum(weights)
    if total <= 0 or w_sum <= 0:
        return [0] * len(weights)
    shares = [total * w // w_sum for w in weights]
    rema = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % w_sum), i))
    for i in rema[: total - sum(shares)]:
        shares[i] += 1
    return shares


@lru_cache(maxsize=1)
def _directory() -> dict[str, tuple[int, str]]:
    """institution code -> (level, type): the 定点医药机构 directory (synthetic: the simulator's)."""
    from medshare.simulate.catalogue import INSTITUTIONS

    return {i.code: (i.level, "community" if i.kind == "community" else "hospital") for i in INSTITUTIONS}


def institution(code: str) -> tuple[int | None, str | None]:
    return _directory().get(code, (None, None))


def from_settlement_v1(record: Mapping[str, Any]) -> Claimable:
    """THE adapter: a ``platform.settlements.v1`` record (contract-checked) to the claimable view.

    ``self_pay`` (目录内个人自付) is per settlement on v1, so it is apportioned over the items'
    in-catalogue amounts (``amount - self_expense``) pro rata, the 分 left by rounding going to the
    largest remainders (ties: the earlier item). A refund's negative amounts are kept as they are
    (the engine reverses refunds from the ledger, it does not recompute them).
    """
    raw_items = record.get("items") or []
    own = [max(0, fen(it.get("self_expense") or 0)) for it in raw_items]
    in_cat = [max(0, fen(it.get("amount") or 0) - own[i]) for i, it in enumerate(raw_items)]
    shares = apportion(max(0, fen(record.get("self_pay") or 0)), in_cat)
    items = tuple(
        ClaimItem(str(it.get("item_code", "")), it.get("item_name"), it.get("category"), it.get("catalogue_class"),
                  float(it.get("quantity") or 0), fen(it.get("amount") or 0), own[i], shares[i], None)
        for i, it in enumerate(raw_items))
    at = datetime.fromisoformat(record["event_time"]).astimezone(SHANGHAI)
    code = str(record.get("institution_code", ""))
    level, kind = institution(code)
    diag = record.get("diagnosis_code")
    return Claimable(
        settlement_id=str(record["settlement_id"]), event_type=str(record.get("event_type", "settlement")),
        refund_of=record.get("refund_of"), event_time=record["event_time"], year=at.year,
        day=at.date().isoformat(), visit_type=str(record.get("visit_type", "")),
        settlement_type="basic-insurance", institution_code=code, institution_level=level, institution_type=kind,
        diagnoses=(str(diag),) if diag else (), total=fen(record.get("total_amount") or 0),
        funds={"basic": fen(record.get("fund_paid") or 0)}, account_paid=fen(record.get("account_paid") or 0),
        self_pay=fen(record.get("self_pay") or 0), self_expense=fen(record.get("self_expense") or 0), items=items)


#: the one adapter in use (v2 records will select theirs by the record's shape here)
to_claimable = from_settlement_v1
