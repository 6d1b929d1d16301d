"""The claim evaluator against hand-computed cases (every figure below is worked out by hand).

The test product (all amounts in 元; institutions from the synthetic 定点机构 directory: L3 is a
三级 hospital on the designated list, L2 a 二级 hospital, L1 a community centre):

* ``drug``: items on the drug list, both parts, no deductible, only with a matching indication,
  at a designated channel and at most 31 days' supply; 80 % (pre-existing 30 %), cap 5 000;
* ``in-catalogue``: 目录内自付 (``self_pay``), deductible 1 000 (900 after one claim-free year,
  800 after two or more), 50 % (pre-existing 20 %), cap 3 000;
* ``inpatient``: 目录外自费 of inpatient stays at 二级 or higher settled through basic insurance,
  deductible 2 000, 60 % (pre-existing 40 %), cap 100 000;
* exclusion ``cosmetic``: item 999999999;
* pre-existing: the person's diagnoses in the 365 days before the start (2026-01-01), groups
  cancer (C) and diabetes (E11), scope condition;
* plan ``lite``: ``in-catalogue`` at 40 %.

Each case runs through :func:`medshare.claims.calculator.calculate` — the adapter, the claim batch
and the engine, the path the stream processor takes below Kafka.
"""

from __future__ import annotations

from datetime import date

import pytest
from claims_helpers import as_v2

from medshare.claims.calculator import calculate
from medshare.claims.claimable import Claimable, ClaimItem, apportion, from_settlement_v1
from medshare.claims.engine import Accumulator, Terms, compute, judge_pre_existing
from medshare.claims.products import ProductError, ProductSet, parse_product

PRODUCT_YAML = """
product_id: test-product
insurer: hhb
name: test product
version: "t1"
effective_from: 2026-01-01
effective_to: 2029-01-01
illustrative: true
payer_order: 10
pre_existing:
  window_days: 365
  scope: condition
  conditions:
    - {id: cancer, name: 恶性肿瘤, icd10_prefixes: [C]}
    - {id: diabetes, name: 糖尿病, icd10_prefixes: [E11]}
designated_institutions: [H31010110021]
special_drugs:
  - {code: XL01FFK063A000003131090, name: 信迪利单抗注射液, indications: [C34], days_per_unit: 21}
plans:
  - {id: standard, name: 标准版, default: true}
  - id: lite
    name: lite
    duties:
      in-catalogue: {ratio: 0.4}
duties:
  - id: drug
    name: 特药
    parts: [self_pay, self_expense]
    when: {special_drug_list: true, indication: true, designated_channel: true, max_supply_days: 31}
    ratio: 0.8
    pre_existing_ratio: 0.3
    annual_cap: 5000
  - id: in-catalogue
    name: 目录内自付
    parts: [self_pay]
    deductible: {amount: 1000, claim_free_steps: [900, 800]}
    ratio: 0.5
    pre_existing_ratio: 0.2
    annual_cap: 3000
  - id: inpatient
    name: 住院自费
    parts: [self_expense]
    when: {med_type: ["21"], institution_level_min: 2, settlement: [basic-insurance]}
    deductible: {amount: 2000}
    ratio: 0.6
    pre_existing_ratio: 0.4
    annual_cap: 100000
exclusions:
  - id: cosmetic
    reason: cosmetic procedures
    when: {med_list_codg: ["999999999"]}
"""

SPECIAL = "XL01FFK063A000003131090"
DRUG = "XA10BAL010A000000573729"
COSMETIC = "999999999"
L3, L2, L1 = "H31010110021", "H31010120113", "H31010130457"


@pytest.fixture(scope="module")
def product():
    return parse_product(PRODUCT_YAML, "test-product.yaml")


def item(code: str = DRUG, amount: float = 0.0, self_expense: float = 0.0, cls: str = "B", qty: int = 1) -> dict:
    return {"item_code": code, "item_name": code, "category": "drug" if code.startswith("X") else "service",
            "catalogue_class": cls, "special_drug": code == SPECIAL, "quantity": qty, "unit_price": amount,
            "amount": amount, "self_expense": self_expense}


def settlement(sid: str, when: str, self_pay: float, items: list[dict] | None = None, visit: str = "11",
               dx: str = "J20.900", inst: str = L3, fund: float | None = None) -> dict:
    items = items if items is not None else [item(amount=self_pay)]
    total = round(sum(i["amount"] for i in items), 2)
    self_expense = round(sum(i["self_expense"] for i in items), 2)
    return {"settlement_id": sid, "event_type": "settlement", "refund_of": None,
            "event_time": f"{when}T10:00:00+08:00", "visit_type": visit, "institution_code": inst,
            "diagnosis_code": dx, "items": items, "total_amount": total,
            "fund_paid": round(total - self_pay - self_expense, 2) if fund is None else fund, "account_paid": 0.0,
            "self_pay": self_pay, "self_expense": self_expense}


def refund(sid: str, when: str, of: dict | str) -> dict:
    """The refund of ``of`` (a record: its fields, or a settlement id: a minimal refund)."""
    base = of if isinstance(of, dict) else {"settlement_id": of}
    return {**base, "settlement_id": sid, "event_type": "refund", "refund_of": base["settlement_id"],
            "event_time": f"{when}T10:00:00+08:00"}


def spec(events, history=(), plan=None, claim_free_years=0, others=None) -> dict:
    return {"enrolment": {"product": "test-product", "plan": plan, "start": "2026-01-01",
                          "claim_free_years": claim_free_years},
            "history": [{"date": d, "diagnosis": c} for d, c in history],
            "settlements": [as_v2(e) for e in events], "other_payments": others or {}}


def run(product, s):
    out = calculate(ProductSet([product]), s)
    return [{k: v for k, v in r.get("payable", {}).items() if v} for r in out["settlements"]], out


S_OUT = dict(items=[item(SPECIAL, 2000, 2000, "C")], dx="C34.900")  # a 特药 outpatient settlement, all 自费

CASES = [
    pytest.param(
        spec([settlement("ST1", "2026-02-01", 600), settlement("ST2", "2026-03-01", 600),
              settlement("ST3", "2026-04-01", 200)]),
        # 600 all to the deductible; 400 more fills it, (600-400)*.5 = 100; 200*.5 = 100
        [{}, {"in-catalogue": 100.0}, {"in-catalogue": 100.0}], id="deductible-across-settlements"),
    pytest.param(
        spec([settlement("ST1", "2026-02-01", 1500)], claim_free_years=1),
        # one claim-free year: deductible 900; (1500-900)*.5 = 300
        [{"in-catalogue": 300.0}], id="step-down-after-one-claim-free-year"),
    pytest.param(
        spec([settlement("ST1", "2026-02-01", 1500)], claim_free_years=4),
        # two or more claim-free years: the last step, 800; (1500-800)*.5 = 350
        [{"in-catalogue": 350.0}], id="step-down-last-step"),
    pytest.param(
        spec([settlement("ST1", "2026-12-30", 1500), settlement("ST2", "2027-01-02", 1500)]),
        # each year has its own deductible: (1500-1000)*.5 = 250 in both
        [{"in-catalogue": 250.0}, {"in-catalogue": 250.0}], id="new-year-new-deductible"),
    pytest.param(
        spec([settlement("ST1", "2026-02-01", 5000), settlement("ST2", "2026-03-01", 4000),
              settlement("ST3", "2026-04-01", 800)]),
        # (5000-1000)*.5 = 2000; 4000*.5 = 2000 but only 1000 of the 3000 cap is left; then nothing
        [{"in-catalogue": 2000.0}, {"in-catalogue": 1000.0}, {}], id="cap-reached-mid-settlement"),
    pytest.param(
        spec([settlement("ST1", "2026-02-01", 0.0, **S_OUT)]),
        # indication C34 matches, L3 is designated, 1 unit = 21 days: no deductible, 2000*.8 = 1600
        [{"drug": 1600.0}], id="special-drug-pays"),
    pytest.param(
        spec([settlement("ST1", "2026-02-01", 0.0, items=[item(SPECIAL, 2000, 2000, "C")], dx="J20.900")]),
        # no indication: refused by drug; outpatient, so inpatient refuses too: nothing
        [{}], id="special-drug-refused-indication"),
    pytest.param(
        spec([settlement("ST1", "2026-02-01", 0.0, **S_OUT, inst=L2)]),
        [{}], id="special-drug-refused-channel"),
    pytest.param(
        spec([settlement("ST1", "2026-02-01", 0.0, items=[item(SPECIAL, 4000, 4000, "C", qty=2)], dx="C34.900")]),
        # 2 units x 21 days = 42 > 31
        [{}], id="special-drug-refused-supply"),
    pytest.param(
        spec([settlement("ST1", "2026-05-01", 0.0, [item(DRUG, 5000, 5000, "C")], visit="21", inst=L1)]),
        # inpatient at a level-1 centre: refused
        [{}], id="inpatient-refused-institution-level"),
    pytest.param(
        spec([settlement("ST1", "2026-05-01", 0.0, [item(COSMETIC, 5000, 5000, "C"), item(DRUG, 5000, 5000, "C")],
                         visit="21", inst=L2)]),
        # the cosmetic item neither pays nor counts: (5000-2000)*.6 = 1800
        [{"inpatient": 1800.0}], id="inpatient-level-2-with-excluded-item"),
    pytest.param(
        spec([settlement("ST1", "2026-02-01", 400, [item(SPECIAL, 1000), item(DRUG, 3000)], dx="C34.900")]),
        # self_pay 400 apportioned 1000:3000 -> 100 to the 特药 (x.8 = 80), 300 to the deductible
        [{"drug": 80.0}], id="self-pay-apportioned-over-items"),
    pytest.param(
        spec([settlement("ST1", "2026-02-01", 2000, dx="C50.900")], history=[("2025-06-01", "C50.900")]),
        # C50 seven months before the start: pre-existing, (2000-1000)*.2 = 200
        [{"in-catalogue": 200.0}], id="pre-existing-from-history"),
    pytest.param(
        spec([settlement("ST1", "2026-02-01", 2000, dx="C50.900")], history=[("2024-06-01", "C50.900")]),
        # outside the 365-day window: standard (2000-1000)*.5 = 500
        [{"in-catalogue": 500.0}], id="history-outside-window"),
    pytest.param(
        spec([settlement("ST1", "2026-02-01", 2000, dx="C50.900")], history=[("2025-06-01", "E11.900")]),
        # diabetes in the window, but the settlement is for cancer (scope condition): standard 500
        [{"in-catalogue": 500.0}], id="history-other-condition"),
    pytest.param(
        spec([settlement("ST1", "2026-02-01", 2000, dx="C50.900"), settlement("ST2", "2026-03-01", 2000,
                                                                                  dx="C50.900")]),
        # a diagnosis after the start is not pre-existing: ST1 (2000-1000)*.5 = 500, ST2 2000*.5 = 1000
        [{"in-catalogue": 500.0}, {"in-catalogue": 1000.0}], id="diagnosis-after-start-is-not-history"),
    pytest.param(
        spec([settlement("ST1", "2026-02-01", 3000), refund("ST9", "2026-02-03",
                                                               settlement("ST1", "2026-02-01", 3000)),
              settlement("ST2", "2026-03-01", 1500)]),
        # ST1 pays (3000-1000)*.5 = 1000; its refund takes back 1000 and the deductible; ST2 then
        # meets a fresh deductible: (1500-1000)*.5 = 250
        [{"in-catalogue": 1000.0}, {"in-catalogue": -1000.0}, {"in-catalogue": 250.0}], id="refund"),
    pytest.param(
        spec([settlement("ST1", "2026-05-01", 0.0, [item(DRUG, 10000, 10000, "C")], visit="21")],
             others={"ST1": {"other-insurer": 7000}}),
        # inpatient (10000-2000)*.6 = 4800; own share 10000, another insurer paid 7000: 3000 left
        [{"inpatient": 3000.0}], id="coordination-another-insurer"),
    pytest.param(
        spec([settlement("ST1", "2026-02-01", 1500)], plan="lite"),
        # plan lite: (1500-1000)*.4 = 200
        [{"in-catalogue": 200.0}], id="plan-override"),
    pytest.param(
        spec([settlement("ST1", "2026-02-01", 1000.01)]),
        # 0.01 after the deductible x .5 = 0.005 -> rounds half up to 0.01
        [{"in-catalogue": 0.01}], id="rounding-half-up-to-the-fen"),
]


@pytest.mark.parametrize(("s", "expected"), CASES)
def test_hand_computed(product, s, expected):
    got, _ = run(product, s)
    assert got == expected


def test_refusals_name_their_reasons(product):
    s = spec([settlement("ST1", "2026-02-01", 0.0, **S_OUT, inst=L2),
              settlement("ST2", "2026-02-02", 0.0, items=[item(SPECIAL, 4000, 4000, "C", qty=2)], dx="C34.900"),
              settlement("ST3", "2026-02-03", 0.0, items=[item(SPECIAL, 2000, 2000, "C")], dx="J20.900"),
              settlement("ST4", "2026-05-01", 0.0, [item(DRUG, 5000, 5000, "C")], visit="21", inst=L1)])
    _, out = run(product, s)
    reasons = [[x["reason"] for f in r["refusals"] for x in f["reasons"]] for r in out["settlements"]]
    assert "institution H31010120113 is not a designated channel" in reasons[0]
    assert "supply of 42 days exceeds 31" in reasons[1]
    assert any(r.startswith("no diagnosis of the settlement is an indication") for r in reasons[2])
    assert "institution H31010130457 is level 一级/社区, the duty needs 二级 or higher" in reasons[3]
    assert all(any("med_type 11" in x for x in rs) for rs in reasons[:3])  # and inpatient says why not


def test_pre_existing_evidence_in_the_explanation(product):
    _, out = run(product, spec([settlement("ST1", "2026-02-01", 2000, dx="C50.900")],
                               history=[("2025-06-01", "C50.900"), ("2023-01-01", "E11.900")]))
    pre = out["settlements"][0]["pre_existing"]
    assert pre == {"pre_existing": True, "scope": "condition", "window": ["2025-01-01", "2026-01-01"],
                   "evidence": [{"group": "cancer", "name": "恶性肿瘤", "code": "C50.900", "date": "2025-06-01"}],
                   "matched_group": "cancer"}


def test_deductible_and_caps_reported(product):
    _, out = run(product, spec([settlement("ST1", "2026-02-01", 600), settlement("ST2", "2026-03-01", 1400)]))
    r = out["settlements"][1]
    (row,) = [d for d in r["duties"] if d["duty"] == "in-catalogue"]
    # 400 fills the deductible, (1400-400)*.5 = 500
    assert row["deductible"] == {"amount": 1000.0, "claim_free_years": 0, "used_before": 600.0, "taken": 400.0,
                                 "used_after": 1000.0, "remaining_after": 0.0}
    assert row["payable"] == 500.0 and r["caps"] == {"in-catalogue": 500.0}
    assert r["deductible"] == {"amount": 3000.0, "used": 1000.0, "remaining": 2000.0}  # both duties' deductibles


def claimable(funds: dict[str, int], total: int, self_pay: int, self_expense: int) -> Claimable:
    """A claimable built directly (as a 2207 adapter would): the fund split is known."""
    items = (ClaimItem(DRUG, "x", "drug", "B", 1, total - self_expense, 0, self_pay),
             ClaimItem("C1", "y", "drug", "C", 1, self_expense, self_expense, 0))
    return Claimable("ST1", "settlement", None, "2026-05-01T10:00:00+08:00", 2026, "2026-05-01", "21",
                     "basic-insurance", L3, 3, "hospital", ("K80.200",), total, funds, 0, self_pay, self_expense, items)


def test_coordination_with_the_fund_split(product):
    """大病 (hifmi) and 医疗救助 (maf) paid part of the person's share: the product pays at most what is left."""
    # total 30000: 20000 in catalogue (统筹 12000, 目录内自付 8000), 10000 自费
    plain = claimable({"hifp": 12000_00}, 30000_00, 8000_00, 10000_00)
    o = compute(product, plain, Accumulator())
    # in-catalogue (8000-1000)*.5 = 3500 -> cap 3000; inpatient (10000-2000)*.6 = 4800; own share 18000
    assert o.payable == {"drug": 0, "in-catalogue": 3000_00, "inpatient": 4800_00}
    split = claimable({"hifp": 12000_00, "hifmi": 4000_00, "maf": 8000_00}, 30000_00, 8000_00, 10000_00)
    o = compute(product, split, Accumulator())
    # own share 30000-24000 = 6000 < 7800: 1800 off the last duty (inpatient)
    assert o.payable == {"drug": 0, "in-catalogue": 3000_00, "inpatient": 3000_00}
    c = o.explanation["coordination"]
    assert c["own_share"] == 6000.0 and c["reduced_by"] == 1800.0 and c["basic_funds"]["maf"] == 8000.0
    assert o.after.caps_used == {"in-catalogue": 3000_00, "inpatient": 3000_00}  # only what is paid counts
    # and what another payer already paid comes off too: 6000 - 5000 = 1000 left
    o = compute(product, split, Accumulator(), others={"shenlife-plus": 5000_00})
    assert o.total == 1000_00 and o.payable["in-catalogue"] == 1000_00 and o.payable["inpatient"] == 0


OTHER_YAML = """
product_id: other-product
insurer: shenlife
name: other
version: "o1"
effective_from: 2026-01-01
payer_order: 20
duties:
  - id: all-self-expense
    name: 全部自费
    parts: [self_expense]
    ratio: 1.0
    annual_cap: 1000000
"""


def test_two_products_never_pay_more_than_the_own_share_and_refunds_take_back_each(product):
    """The first payer pays its computation, the second what is left; a refund takes back from each what it paid."""
    from medshare.claims.state import ClaimStore

    other = parse_product(OTHER_YAML, "other.yaml")
    ps = ProductSet([product, other])
    rec = settlement("ST2026050100000001", "2026-05-01", 0.0, [item(DRUG, 10000, 10000, "C")], visit="21")
    store = ClaimStore.memory()
    b = store.batch()
    claim = from_settlement_v1(rec)
    a1 = b.apply_settlement(product, claim, "hhb", "k" * 32)
    a2 = b.apply_settlement(other, claim, "shenlife", "k" * 32)
    # hhb: (10000-2000)*.6 = 4800; shenlife computes 10000 but 10000-4800 = 5200 is left
    assert (a1.outcome.total, a2.outcome.total) == (4800_00, 5200_00)
    assert a2.entry.explanation["coordination"]["paid_before_by_others"] == {"test-product": 4800.0}
    b.commit()
    b = store.batch()
    r = refund("ST2026050300000002", "2026-05-03", rec)
    back = [b.apply_refund(ps, r, code).outcome.total for code in ("hhb", "shenlife")]
    assert back == [-4800_00, -5200_00]
    b.commit()
    assert all(not a.caps_used for a in store.accumulators().values())
    store.close()


def test_judge_pre_existing_scope_person():
    y = PRODUCT_YAML.replace("scope: condition", "scope: person")
    p = parse_product(y, "p.yaml")
    c = from_settlement_v1(settlement("ST1", "2026-02-01", 10, dx="J20.900"))
    d = judge_pre_existing(p, Terms(start=date(2026, 1, 1), history=(("2025-03-01", "E11.900"),)), c)
    assert d["pre_existing"] is True and d["matched_group"] == "diabetes"


@pytest.mark.parametrize(("total", "weights", "expected"), [
    (400_00, [1000_00, 3000_00], [100_00, 300_00]),
    (100, [1, 1, 1], [34, 33, 33]),
    (5, [0, 0], [0, 0]),
    (7, [0, 3, 3], [0, 4, 3]),
])
def test_apportion(total, weights, expected):
    assert apportion(total, weights) == expected
    assert sum(apportion(total, weights)) == (total if sum(weights) else 0)


def test_adapter_v1():
    rec = settlement("ST1", "2026-02-01", 3.0, [item(DRUG, 10.0), item(DRUG, 5.0)], inst=L2, fund=12.0)
    c = from_settlement_v1(rec)
    assert [(i.self_pay, i.self_expense) for i in c.items] == [(200, 0), (100, 0)]
    assert (c.institution_level, c.institution_type, c.settlement_type) == (2, "hospital", "basic-insurance")
    assert c.funds == {"basic": 1200} and c.own_share == 300 and c.diagnoses == ("J20.900",)
    assert from_settlement_v1({**rec, "institution_code": "H99999999999"}).institution_level is None


def test_compute_refuses_a_refund(product):
    r = refund("ST9", "2026-01-01", settlement("ST1", "2026-01-01", 1))
    with pytest.raises(ValueError, match="refund"):
        compute(product, from_settlement_v1(r), Accumulator())


def test_shipped_products_load_with_the_reported_shape():
    from medshare.claims.products import load_products

    ps = load_products()
    hhb = ps.find("hhb-huibao", date(2026, 6, 1))
    plus = ps.find("shenlife-plus", date(2026, 6, 1))
    assert hhb is not None and plus is not None
    assert [d.id for d in hhb.duties] == ["car-t", "proton-heavy-ion", "overseas-special-drug",
                                          "domestic-special-drug", "inpatient-self-pay"]
    inp = hhb.benefit("inpatient-self-pay")
    assert [inp.deductible_fen(n) for n in (0, 1, 2, 3)] == [12000_00, 11000_00, 10000_00, 10000_00]
    assert (str(inp.ratio), str(inp.pre_existing_ratio), inp.cap_fen) == ("0.7", "0.5", 1_000_000_00)
    assert {d.id: d.cap_fen // 100 for d in hhb.duties} == {
        "car-t": 500_000, "proton-heavy-ion": 300_000, "overseas-special-drug": 300_000,
        "domestic-special-drug": 1_000_000, "inpatient-self-pay": 1_000_000}
    assert hhb.sources and hhb.unconfirmed
    assert hhb.duties_for("new-citizen")[-1].deductible_fen(3) == 20000_00
    assert ps.find("hhb-huibao", date(2027, 1, 1)) is None


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace("ratio: 0.8", "ratio: 1.8"), "duties[0].ratio: a ratio is between 0 and 1"),
    (lambda t: t.replace("    ratio: 0.8\n", "    ratio: 0.8\n    bogus: 1\n"), "duties[0].bogus: unknown key"),
    (lambda t: t.replace("id: in-catalogue\n", "id: drug\n"), "repeats duties[0]"),
    (lambda t: t.replace("version: \"t1\"", "version: \"t1\"\nversion: t2"), "duplicate key 'version'"),
    (lambda t: t.replace("{med_type: [\"21\"]", "{visit_typo: [\"21\"]"), "unknown key 'visit_typo'"),
    (lambda t: t.replace("claim_free_steps: [900, 800]", "claim_free_steps: [900, 1100]"),
     "a claim-free step may not raise the deductible"),
    (lambda t: t.replace("in-catalogue: {ratio: 0.4}", "nope: {ratio: 0.4}"), "no duty 'nope' to override"),
    (lambda t: t.replace("designated_institutions: [H31010110021]\n", ""), "designated_channel needs"),
    (lambda t: t.replace("XL01FFK063A000003131090", "nope"), "is not a national drug code"),
    (lambda t: t + "  - id: all\n    reason: x\n    when: {}\n", "would exclude everything"),
])
def test_product_errors_name_file_and_line(edit, message):
    with pytest.raises(ProductError) as exc:
        parse_product(edit(PRODUCT_YAML), "test.yaml")
    assert message in str(exc.value) and "test.yaml:" in str(exc.value)


def test_fen_shortcut_gives_the_decimal_result():
    """fen() takes a shortcut for floats of at most 2 decimals; every value gives what the decimal
    text times 100, rounded half to even, gives (the rule before the shortcut)."""
    import random
    from decimal import Decimal

    from medshare.claims.products import fen

    def by_decimal(v) -> int:
        return int((Decimal(str(v)) * 100).quantize(Decimal(1)))

    rng = random.Random(20261123)
    values: list = [0.0, -0.0, 0.01, 0.1 + 0.2, 1.005, 2.675, 0.005, 0.015, 0.125, 0.135, 5e-7, 1.0000005,
                    9999999.99, 1e7, 1e7 + 0.01, -12.34, 123.456, 3, -7, Decimal("12.345"), Decimal("0.01")]
    for _ in range(20000):
        values += [round(rng.uniform(-1e7, 1e7), 2), round(rng.uniform(0, 1000), rng.choice([3, 4, 6, 9])),
                   rng.uniform(-1e9, 1e9), round(rng.uniform(0, 100), 2) + rng.choice([1e-7, 5e-7, 2e-6, 5e-3])]
    wrong = [(v, fen(v), by_decimal(v)) for v in values if fen(v) != by_decimal(v)]
    assert not wrong, wrong[:5]


def test_yuan_is_the_amount_rounded_to_two_decimals():
    import random

    from medshare.claims.engine import yuan

    rng = random.Random(11)
    values = [0, 1, -1, 5, 99, 100, 101, 2**53 - 1, -(2**53) + 1, 2**53, 10**16 + 3, 12.5, 0.3]
    values += [rng.randint(-10**12, 10**12) for _ in range(50000)] + [rng.randint(-999, 999) for _ in range(5000)]
    wrong = [v for v in values if yuan(v) != round(v / 100, 2) or type(yuan(v)) is not float]
    assert not wrong, wrong[:5]


def test_adapter_v2_fund_split_diagnoses_and_institution():
    from medshare.claims.claimable import claims_view, from_settlement_v2

    rec = as_v2(settlement("ST1", "2026-02-01", 3.0, [item(DRUG, 10.0), item(DRUG, 5.0)], inst=L2, fund=12.0))
    rec.update({"hifp_pay": 8.0, "hifmi_pay": 2.5, "hifob_pay": 0.0, "maf_pay": 1.0, "oth_pay": 0.5,
                "fund_pay_sumamt": 12.0, "medfee_sumamt": 20.0, "psn_part_amt": 8.0, "acct_pay": 1.0,
                "psn_cash_pay": 7.0, "fulamt_ownpay_amt": 2.0, "overlmt_selfpay": 2.0})
    rec["feedetail"][0].update({"fulamt_ownpay_amt": 0.0, "overlmt_amt": 2.0, "inscp_scp_amt": 8.0})
    rec["feedetail"][1].update({"fulamt_ownpay_amt": 2.0, "inscp_scp_amt": 3.0, "preselfpay_amt": 0.0})
    rec["diseinfo"] = [{"diag_type": "1", "diag_srt_no": 2, "diag_code": "I10.x00x002", "diag_name": "高血压",
                        "maindiag_flag": "0"},
                       {"diag_type": "1", "diag_srt_no": 1, "diag_code": "C34.900x001", "diag_name": "肺癌",
                        "maindiag_flag": "1"}]
    c = from_settlement_v2(rec)
    # the real split: one payer per fund, zero funds left out; the own share is what they leave
    assert c.funds == {"basic": 800, "critical_illness": 250, "medical_aid": 100, "other": 50}
    assert c.own_share == 800 and c.account_paid == 100
    # 目录外自费 = 全自费 + 超限价; 目录内自付 = personal part - account - 自费, apportioned 8:3
    assert c.self_expense == 400 and c.self_pay == 300
    assert [(i.self_expense, i.self_pay) for i in c.items] == [(200, 218), (200, 82)]
    assert c.diagnoses == ("C34.900x001", "I10.x00x002"), "main diagnosis first"
    assert (c.institution_level, c.institution_type, c.visit_type) == (2, "hospital", "11")
    assert c.event_time == "2026-02-01T10:00:00+08:00" and c.year == 2026
    pharmacy = from_settlement_v2({**rec, "fixmedins_code": "P31010140155", "med_type": "41", "diseinfo": []})
    assert (pharmacy.institution_level, pharmacy.institution_type, pharmacy.diagnoses) == (0, "pharmacy", ())
    # a 2208 revocation is the refund of its settlement's claim, with an id of its own
    view = claims_view({"revoke": {"setl_id": "ST1", "mdtrt_id": "MDST1", "psn_no": "3100000000000001"}},
                       published_us=1_780_000_000_000_000)
    assert (view["settlement_id"], view["event_type"], view["refund_of"], view["person_no"]) == \
        ("ST1-R", "refund", "ST1", "3100000000000001")
