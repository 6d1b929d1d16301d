"""The claim evaluator against hand-computed cases (every figure below is worked out by hand).

The test product (all amounts in 元):

* deductible 1 000 per person-year, consumed by ``in-catalogue`` then ``out-of-catalogue``;
* ``special-drug``: items on the 特药 list, both parts, no deductible, 80 %, cap 5 000;
* ``in-catalogue``: 目录内自付 (``self_pay``), 50 % (pre-existing 20 %), cap 3 000;
* ``out-of-catalogue``: 目录外自费 of inpatient settlements only, 60 %, cap 100 000;
* exclusion ``cosmetic``: item 999999999.

Each case is a list of events (a settlement or a refund of an earlier one) with the payable
expected per benefit; the harness keeps the person-year accumulators the way the state store does
(one per year; a refund takes back exactly the deltas recorded for its original).
"""

from __future__ import annotations

from datetime import date

import pytest

from medshare.claims.engine import Accumulator, apportion, claim_year, compute, item_parts, reverse
from medshare.claims.products import ProductError, parse_product

PRODUCT_YAML = """
product_id: test-product
insurer: hhb
name: test product
version: "t1"
effective_from: 2026-01-01
effective_to: 2029-01-01
illustrative: true
deductible: {amount: 1000}
special_drugs:
  - {code: XL01FFK063A000003131090, name: 信迪利单抗注射液}
benefits:
  - id: special-drug
    name: 特药
    parts: [self_pay, self_expense]
    when: {special_drug_list: true}
    deductible: false
    ratio: 0.8
    annual_cap: 5000
  - id: in-catalogue
    name: 目录内自付
    parts: [self_pay]
    deductible: true
    ratio: 0.5
    pre_existing_ratio: 0.2
    annual_cap: 3000
  - id: out-of-catalogue
    name: 住院目录外自费
    parts: [self_expense]
    when: {visit_type: ["21"]}
    deductible: true
    ratio: 0.6
    annual_cap: 100000
exclusions:
  - id: cosmetic
    reason: cosmetic procedures
    when: {item_code: ["999999999"]}
"""

SPECIAL = "XL01FFK063A000003131090"
DRUG = "XA10BAL010A000000573729"
COSMETIC = "999999999"


@pytest.fixture(scope="module")
def product():
    return parse_product(PRODUCT_YAML, "test-product.yaml")


def item(code: str = DRUG, amount: float = 0.0, self_expense: float = 0.0, cls: str = "B") -> dict:
    return {"item_code": code, "item_name": code, "category": "drug" if code.startswith("X") else "service",
            "catalogue_class": cls, "special_drug": code == SPECIAL, "quantity": 1, "unit_price": amount,
            "amount": amount, "self_expense": self_expense}


def settlement(sid: str, when: str, self_pay: float, items: list[dict] | None = None, visit: str = "11",
               dx: str = "J20.900") -> dict:
    items = items if items is not None else [item(amount=self_pay)]
    total = round(sum(i["amount"] for i in items), 2)
    self_expense = round(sum(i["self_expense"] for i in items), 2)
    return {"settlement_id": sid, "event_type": "settlement", "refund_of": None,
            "event_time": f"{when}T10:00:00+08:00", "visit_type": visit, "diagnosis_code": dx, "items": items,
            "total_amount": total, "fund_paid": round(total - self_pay - self_expense, 2), "account_paid": 0.0,
            "self_pay": self_pay, "self_expense": self_expense}


def refund(sid: str, when: str, of: str) -> dict:
    return {"settlement_id": sid, "event_type": "refund", "refund_of": of, "event_time": f"{when}T10:00:00+08:00"}


def run(product, events, pre_existing=()):
    """(payables per event, accumulators per year) — a stand-in for the state store."""
    years: dict[int, Accumulator] = {}
    applied: dict[str, tuple[int, object]] = {}
    out = []
    for ev in events:
        if ev["event_type"] == "refund":
            year, deltas = applied[ev["refund_of"]]
            o = reverse(product, deltas, years[year], ev["refund_of"])
        else:
            year = claim_year(ev)
            o = compute(product, ev, years.get(year, Accumulator()), pre_existing)
            applied[ev["settlement_id"]] = (year, o.deltas)
        years[year] = o.after
        out.append({k: v / 100 for k, v in o.payable.items() if v})
    return out, years


CASES = [
    pytest.param(
        [settlement("S1", "2026-02-01", 600), settlement("S2", "2026-03-01", 600),
         settlement("S3", "2026-04-01", 200)],
        # 600 all to the deductible; 400 more fills it, (600-400)*.5 = 100; 200*.5 = 100
        [{}, {"in-catalogue": 100.0}, {"in-catalogue": 100.0}],
        {2026: (1000.0, {"in-catalogue": 200.0})},
        id="under-then-over-the-deductible-across-settlements"),
    pytest.param(
        [settlement("S1", "2026-12-30", 1500), settlement("S2", "2027-01-02", 1500)],
        # each year has its own deductible: (1500-1000)*.5 = 250 in both
        [{"in-catalogue": 250.0}, {"in-catalogue": 250.0}],
        {2026: (1000.0, {"in-catalogue": 250.0}), 2027: (1000.0, {"in-catalogue": 250.0})},
        id="crossing-into-a-new-year"),
    pytest.param(
        [settlement("S1", "2026-02-01", 5000), settlement("S2", "2026-03-01", 4000),
         settlement("S3", "2026-04-01", 800)],
        # (5000-1000)*.5 = 2000; 4000*.5 = 2000 but only 1000 of the 3000 cap is left; then nothing
        [{"in-catalogue": 2000.0}, {"in-catalogue": 1000.0}, {}],
        {2026: (1000.0, {"in-catalogue": 3000.0})},
        id="cap-reached-mid-settlement"),
    pytest.param(
        [settlement("S1", "2026-02-01", 0.0, [item(SPECIAL, 2000, 2000, "C"), item(DRUG, 300, 300, "C")])],
        # 特药 item: no deductible, 2000*.8 = 1600; the outpatient 自费 drug is not covered
        [{"special-drug": 1600.0}],
        {2026: (0.0, {"special-drug": 1600.0})},
        id="special-drug-own-ratio-no-deductible"),
    pytest.param(
        [settlement("S1", "2026-02-01", 400, [item(SPECIAL, 1000), item(DRUG, 3000)])],
        # self_pay 400 apportioned 1000:3000 -> 100 to the 特药 (x.8 = 80), 300 to the deductible
        [{"special-drug": 80.0}],
        {2026: (300.0, {"special-drug": 80.0})},
        id="self-pay-apportioned-over-items"),
    pytest.param(
        [settlement("S1", "2026-05-01", 0.0, [item(COSMETIC, 5000, 5000, "C"), item(DRUG, 3000, 3000, "C")],
                    visit="21")],
        # the cosmetic item neither pays nor counts: (3000-1000)*.6 = 1200
        [{"out-of-catalogue": 1200.0}],
        {2026: (1000.0, {"out-of-catalogue": 1200.0})},
        id="excluded-item"),
    pytest.param(
        [settlement("S1", "2026-02-01", 2000, dx="C50.900")],
        # declared pre-existing C50: (2000-1000)*.2 = 200
        [{"in-catalogue": 200.0}],
        {2026: (1000.0, {"in-catalogue": 200.0})},
        id="pre-existing-condition-ratio"),
    pytest.param(
        [settlement("S1", "2026-02-01", 2000, dx="J20.900")],
        # same person, a diagnosis that is not the declared one: standard ratio (2000-1000)*.5
        [{"in-catalogue": 500.0}],
        {2026: (1000.0, {"in-catalogue": 500.0})},
        id="pre-existing-declared-but-other-diagnosis"),
    pytest.param(
        [settlement("S1", "2026-02-01", 3000), refund("R1", "2026-02-03", "S1"),
         settlement("S2", "2026-03-01", 1500)],
        # S1 pays (3000-1000)*.5 = 1000; its refund takes back 1000 and the 1000 deductible; S2 then
        # meets a fresh deductible: (1500-1000)*.5 = 250
        [{"in-catalogue": 1000.0}, {"in-catalogue": -1000.0}, {"in-catalogue": 250.0}],
        {2026: (1000.0, {"in-catalogue": 250.0})},
        id="refund-reverses-a-paid-claim"),
    pytest.param(
        [settlement("S1", "2026-02-01", 1000.01)],
        # 0.01 after the deductible x .5 = 0.005 -> rounds half up to 0.01
        [{"in-catalogue": 0.01}],
        {2026: (1000.0, {"in-catalogue": 0.01})},
        id="rounding-half-up-to-the-fen"),
]


@pytest.mark.parametrize(("events", "expected", "final"), CASES)
def test_hand_computed(product, events, expected, final):
    pre = ("C50",)
    got, years = run(product, events, pre_existing=pre)
    assert got == expected
    assert {y: (a.deductible_used / 100, {k: v / 100 for k, v in a.caps_used.items() if v})
            for y, a in years.items()} == final


def test_explanation_names_rules_items_and_states(product):
    s = settlement("S1", "2026-02-01", 0.0, [item(COSMETIC, 100, 100, "C"), item(DRUG, 3000, 3000, "C")], visit="21")
    o = compute(product, s, Accumulator(400_00, {}))
    e = o.explanation
    assert e["deductible"] == {"amount": 1000.0, "used_before": 400.0, "used_after": 1000.0, "remaining_after": 0.0}
    assert e["items"][0]["to"] == {"self_expense": "excluded:cosmetic"}
    assert e["items"][1]["to"] == {"self_expense": "out-of-catalogue"}
    (b,) = e["benefits"]
    assert b == {**b, "eligible": 3000.0, "deductible_taken": 600.0, "after_deductible": 2400.0, "ratio": "0.6",
                 "payable": 1440.0, "cap_used_before": 0.0, "cap_used_after": 1440.0, "cap_reached": False}
    assert set(o.rule_ids) == {"test-product@t1/exclusion/cosmetic", "test-product@t1/benefit/out-of-catalogue",
                               "test-product@t1/deductible/annual"}
    assert o.total == 144000


@pytest.mark.parametrize(("total", "weights", "expected"), [
    (400_00, [1000_00, 3000_00], [100_00, 300_00]),
    (100, [1, 1, 1], [34, 33, 33]),
    (5, [0, 0], [0, 0]),
    (7, [0, 3, 3], [0, 4, 3]),
])
def test_apportion(total, weights, expected):
    assert apportion(total, weights) == expected
    assert sum(apportion(total, weights)) == (total if sum(weights) else 0)


def test_item_parts_ignore_negative_and_missing():
    s = {"items": [{"amount": 10.0, "self_expense": 0.0}, {"amount": 5.0}], "self_pay": 3.0}
    assert item_parts(s) == [{"self_pay": 200, "self_expense": 0}, {"self_pay": 100, "self_expense": 0}]


def test_compute_refuses_a_refund(product):
    with pytest.raises(ValueError, match="refund"):
        compute(product, refund("R", "2026-01-01", "S"), Accumulator())


def test_shipped_products_load_and_differ():
    from medshare.claims.products import load_products

    ps = load_products()
    hhb = ps.find("hhb-huibao", date(2026, 6, 1))
    plus = ps.find("shenlife-plus", date(2026, 6, 1))
    assert hhb is not None and plus is not None
    assert hhb.illustrative and plus.illustrative
    assert hhb.deductible_fen != plus.deductible_fen
    assert ps.find("hhb-huibao", date(2027, 1, 1)) is None


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace("ratio: 0.8", "ratio: 1.8"), "test.yaml:18: benefits[0].ratio: a ratio is between 0 and 1"),
    (lambda t: t.replace("deductible: false", "deductible: false\n    bogus: 1"),
     "test.yaml:18: benefits[0].bogus: unknown key 'bogus'"),
    (lambda t: t.replace("id: in-catalogue", "id: special-drug"), "repeats benefits[0]"),
    (lambda t: t.replace("version: \"t1\"", "version: \"t1\"\nversion: t2"), "duplicate key 'version'"),
    (lambda t: t.replace("{visit_type: [\"21\"]}", "{visit_typo: [\"21\"]}"), "unknown key 'visit_typo'"),
    (lambda t: t.replace("XL01FFK063A000003131090", "nope"), "is not a national drug code"),
    (lambda t: t + "  - id: all\n    reason: x\n    when: {}\n", "would exclude everything"),
])
def test_product_errors_name_file_and_line(edit, message):
    with pytest.raises(ProductError) as exc:
        parse_product(edit(PRODUCT_YAML), "test.yaml")
    assert message in str(exc.value)


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
    """yuan() skips the rounding for integers; the float is the one rounding gives."""
    import random

    from medshare.claims.engine import yuan

    rng = random.Random(11)
    values = [0, 1, -1, 5, 99, 100, 101, 2**53 - 1, -(2**53) + 1, 2**53, 10**16 + 3, 12.5, 0.3]
    values += [rng.randint(-10**12, 10**12) for _ in range(50000)] + [rng.randint(-999, 999) for _ in range(5000)]
    wrong = [v for v in values if yuan(v) != round(v / 100, 2) or type(yuan(v)) is not float]
    assert not wrong, wrong[:5]
