"""The claimable settlement: the engine's only view of a settlement, built by ONE adapter.

The claims engine never reads a platform record directly. :func:`from_settlement_v2` turns a
``platform.settlements.v2`` record (the national 医保 interface's 2207 settlement with the fund
split ``hifp_pay`` 统筹 / ``hifmi_pay`` 大病 / ``hifob_pay`` 大额 / ``maf_pay`` 医疗救助 / ``oth_pay``,
``psn_part_amt``, ``diseinfo[]``, ``feedetail[]``) into a :class:`Claimable` — the self-pay parts,
what each basic fund paid, the institution's level and type, the diagnoses (main first) and the
items with their category, catalogue class, quantity and supply (docs/claims.md, "The claimable
settlement"). A 2208 revocation is not a claimable: the processor reverses the claim it revokes.

:func:`from_settlement_v1` is the earlier adapter of ``platform.settlements.v1`` records (no longer
published). What v1 cannot tell, and what that adapter does about it:

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
    #: 医疗收费项目类别 (v2 ``med_chrgitm_type``; None from v1 records)
    med_chrgitm_type: str | None = None

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
    """institution code -> (level, type): the 定点医药机构 directory (synthetic: the simulator's),
    hospitals ``H…`` (level 1-3, ``community`` or ``hospital``) and pharmacies ``P…`` (level 0, ``pharmacy``)."""
    from medshare.simulate.catalogue import INSTITUTIONS, PHARMACIES

    kinds = {"community": "community", "pharmacy": "pharmacy"}
    return {i.code: (i.level, kinds.get(i.kind, "hospital")) for i in (*INSTITUTIONS, *PHARMACIES)}


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


#: 医疗收费项目类别 -> the engine's item category (09 西药, 10 中药饮片, 11 中成药; 08 卫生材料)
_CATEGORY = {"08": "device", "09": "drug", "10": "drug", "11": "drug"}
#: 收费项目等级 -> catalogue class (01 甲类 A, 02 乙类 B, 03 丙类 C)
_CLASS = {"01": "A", "02": "B", "03": "C"}
#: the 2207 funds, by the payer name the engine reports (``basic_funds`` in a claim's explanation)
FUNDS_V2 = (("basic", ("hifp_pay",)), ("critical_illness", ("hifmi_pay",)), ("large_amount", ("hifob_pay",)),
            ("medical_aid", ("maf_pay",)), ("other", ("oth_pay", "cvlserv_pay", "hifes_pay", "hifdm_pay")))


def from_settlement_v2(record: Mapping[str, Any]) -> Claimable:
    """THE adapter for ``platform.settlements.v2`` (a contract-checked 2207 settlement, not a revocation).

    What the national interface tells that v1 could not, and how it maps:

    * **the real fund split**: ``funds`` has one payer per fund — ``basic`` (``hifp_pay`` 统筹),
      ``critical_illness`` (``hifmi_pay`` 居民大病), ``large_amount`` (``hifob_pay`` 职工大额),
      ``medical_aid`` (``maf_pay`` 医疗救助) and ``other`` (``oth_pay`` + 公务员补助, 企业补充, 伤残);
      zero funds are left out. The own share is ``medfee_sumamt`` minus all of them;
    * **diagnoses**: every ``diseinfo[].diag_code``, the main one (``maindiag_flag`` 1) first, then by
      ``diag_srt_no``;
    * **the institution**: level and type from the directory by ``fixmedins_code`` (a ``P…`` pharmacy
      is level 0, type ``pharmacy``: it fails any ``institution_level_min``);
    * **own expense** (``self_expense``, 目录外自费 in the products' words) is 全自费 + 超限价
      (``fulamt_ownpay_amt + overlmt_selfpay``), per line ``fulamt_ownpay_amt + overlmt_amt``;
    * **in-catalogue co-pay** (``self_pay``) is what the person pays in cash inside the catalogue:
      ``psn_part_amt − acct_pay − self_expense`` (at least 0), apportioned over the lines' in-catalogue
      amounts (``preselfpay_amt + inscp_scp_amt``) pro rata, leftover 分 to the largest remainders;
    * items: ``med_list_codg`` (code), ``medins_list_name``, category from ``med_chrgitm_type``
      (drug 09/10/11, device 08, else service), class from ``chrgitm_lv``, quantity ``cnt``;
    * ``med_type`` is the visit type; ``setl_time`` (China Standard Time) the time.
    """
    from medshare.platform_records import diagnoses, parse_interface_time

    raw = record.get("feedetail") or []
    own = [max(0, fen(x.get("fulamt_ownpay_amt") or 0) + fen(x.get("overlmt_amt") or 0)) for x in raw]
    in_cat = [max(0, fen(x.get("preselfpay_amt") or 0) + fen(x.get("inscp_scp_amt") or 0)) for x in raw]
    self_expense = fen(record.get("fulamt_ownpay_amt") or 0) + fen(record.get("overlmt_selfpay") or 0)
    account = fen(record.get("acct_pay") or 0)
    self_pay = max(0, fen(record.get("psn_part_amt") or 0) - account - self_expense)
    shares = apportion(self_pay, in_cat)
    items = tuple(
        ClaimItem(str(x.get("med_list_codg", "")), x.get("medins_list_name"),
                  _CATEGORY.get(str(x.get("med_chrgitm_type")), "service"), _CLASS.get(str(x.get("chrgitm_lv"))),
                  float(x.get("cnt") or 0), fen(x.get("det_item_fee_sumamt") or 0), own[i], shares[i], None,
                  x.get("med_chrgitm_type"))
        for i, x in enumerate(raw))
    at = parse_interface_time(record["setl_time"])
    code = str(record.get("fixmedins_code", ""))
    level, kind = institution(code)
    funds = {name: sum(fen(record.get(f) or 0) for f in names) for name, names in FUNDS_V2}
    return Claimable(
        settlement_id=str(record["setl_id"]), event_type="settlement", refund_of=None,
        event_time=at.isoformat(), year=at.year, day=at.date().isoformat(), visit_type=str(record.get("med_type", "")),
        settlement_type="basic-insurance", institution_code=code, institution_level=level, institution_type=kind,
        diagnoses=tuple(diagnoses(dict(record))), total=fen(record.get("medfee_sumamt") or 0),
        funds={k: v for k, v in funds.items() if v}, account_paid=account, self_pay=self_pay,
        self_expense=self_expense, items=items)


#: suffix of a revocation's own id in the claims ledger and its claim result (``<setl_id>-R``)
REVOCATION_SUFFIX = "-R"


def claims_view(record: Mapping[str, Any], published_us: int | None = None) -> dict[str, Any]:
    """A contract-checked ``platform.settlements.v2`` record with the ledger's keys added.

    ``settlement_id`` (a revocation: ``<setl_id>-R``), ``event_type`` (``settlement``, or ``refund``
    for a 2208 revocation: it refunds the claim), ``refund_of``, ``event_time`` (ISO 8601 with the
    offset; a revocation's publish time), ``person_no`` and ``resident_id`` (``certno`` of a resident
    ID card). The 2207 fields stay as they are; the claimable view is built from them.
    """
    from medshare.platform_records import event_time, is_revocation

    at = event_time(dict(record), published_us).isoformat()
    if is_revocation(record):
        rev = record["revoke"]
        return {**record, "settlement_id": f"{rev['setl_id']}{REVOCATION_SUFFIX}", "event_type": "refund",
                "refund_of": rev["setl_id"], "event_time": at, "person_no": rev["psn_no"], "resident_id": None}
    resident = record.get("certno") if record.get("psn_cert_type") == "01" else None
    return {**record, "settlement_id": record["setl_id"], "event_type": "settlement", "refund_of": None,
            "event_time": at, "person_no": record["psn_no"], "resident_id": resident}


def to_claimable(record: Mapping[str, Any]) -> Claimable:
    """The claimable view of a settlement record, by its shape: v2 (``setl_id``) or v1 (``settlement_id``).

    v1 records are no longer published (docs/platform-interface.md, the cut-over); the v1 adapter
    stays for the ledger's and the tests' v1-shaped inputs."""
    return from_settlement_v2(record) if "setl_id" in record else from_settlement_v1(record)
