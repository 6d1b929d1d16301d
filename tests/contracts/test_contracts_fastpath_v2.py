"""The fast path's compiled v2 checks agree with the explaining path.

The fast path decides the interface date-time with one regex (``formats.INTERFACE_DATETIME_EXACT``,
checked in C by msgspec) and checks an array's ``sum-at-most``, ``code-by-category`` and optional
``multipleOf`` over all items at once. Whatever is done to a settlement's fee lines, diagnoses and
fund lines, the fast path must accept exactly what the explaining path finds nothing wrong with.
"""

from __future__ import annotations

import copy
from datetime import datetime

from contract_records import VALID
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from contracts import formats as f
from contracts import registry

V2 = "platform.settlements.v2"

_two = st.integers(0, 99).map(lambda n: f"{n:02d}")
_shaped = st.builds(lambda y, mo, d, h, mi, s: f"{y:04d}-{mo}-{d} {h}:{mi}:{s}",
                    st.integers(0, 9999) | st.sampled_from([0, 1, 1900, 2000, 2024, 2100, 2400, 9999]),
                    st.sampled_from(["00", "01", "02", "04", "06", "09", "11", "12", "13"]) | _two,
                    st.sampled_from(["00", "01", "28", "29", "30", "31", "32"]) | _two,
                    st.sampled_from(["00", "23", "24"]) | _two, st.sampled_from(["00", "59", "60"]) | _two,
                    st.sampled_from(["00", "59", "60"]) | _two)
_datetimes = _shaped | st.text(max_size=22) | st.sampled_from(
    ["2026-03-05 10:21:07", "2026-03-05T10:21:07", "٢٠٢٦-03-05 10:21:07", "2026-03-05 10:21:07\n", "2024-02-29 00:00:00",
     "2023-02-29 00:00:00", "2000-02-29 12:00:00", "1900-02-29 12:00:00", "0000-01-01 00:00:00"])


def _fromiso_ok(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


@settings(max_examples=3000, deadline=None)
@given(value=_datetimes)
@example("2024-02-29 23:59:59")
@example("2100-02-29 00:00:00")
def test_the_exact_date_time_regex_is_the_format_and_its_calendar(value):
    import re

    exact = re.fullmatch(f.INTERFACE_DATETIME_EXACT, value) is not None
    assert exact == f.is_valid_interface_datetime(value)
    if f.fullmatch(f.INTERFACE_DATETIME, value) and value.isascii():
        assert exact == _fromiso_ok(value)


def _amount():
    return (st.integers(0, 100_000).map(lambda n: n / 100) | st.integers(0, 10_000).map(lambda n: n / 10_000)
            | st.floats(-1, 1e7, allow_nan=False) | st.integers(-5, 10**7) | st.none() | st.booleans()
            | st.just("1.00"))


_codes = st.sampled_from([
    "XA01ABD075A002010100483", "ZA01AAA0001010101010", "TA0101001", "001216000010100", "C1234567890123456789",
    "X123", "Z1", "T", "12345678901234", "c1234567890123456789", "", "XA01ABD075A00201010048３"]) | st.text(max_size=24)
_categories = st.sampled_from([f"{n:02d}" for n in range(0, 16)]) | st.text(max_size=3) | st.none() | st.integers(1, 14)

FEE_FIELDS = {
    "fee_ocur_time": _datetimes, "med_list_codg": _codes, "med_chrgitm_type": _categories,
    "fulamt_ownpay_amt": _amount(), "overlmt_amt": _amount(), "preselfpay_amt": _amount(),
    "inscp_scp_amt": _amount(), "det_item_fee_sumamt": _amount(), "selfpay_prop": _amount(),
    "pric_uplmt_amt": _amount(), "cnt": _amount(), "pric": _amount(),
}


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fee_line_edits_agree(data):
    v = registry.validator(V2)
    rec = copy.deepcopy(data.draw(st.sampled_from([r for r in VALID[V2] if "feedetail" in r])))
    for _ in range(data.draw(st.integers(1, 4))):
        lines = rec["feedetail"]
        i = data.draw(st.integers(0, len(lines) - 1))
        name = data.draw(st.sampled_from(sorted(FEE_FIELDS)))
        if data.draw(st.integers(0, 9)) == 0:
            lines[i].pop(name, None)
        else:
            lines[i][name] = data.draw(FEE_FIELDS[name])
        if data.draw(st.booleans()):  # keep the amounts' sums consistent more often than chance would
            lines[i]["det_item_fee_sumamt"] = data.draw(st.integers(0, 100_000).map(lambda n: n / 100))
    fast_ok = v._fast(rec)
    explained = v.explain(rec)
    assert fast_ok == (not explained), (fast_ok, [str(x) for x in explained])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), amounts=st.lists(st.integers(0, 10**6), min_size=3, max_size=3))
def test_own_pay_sums_at_the_fen_boundary_agree(data, amounts):
    """sum-at-most compares whole fen: parts summing to the amount, one fen over, one under."""
    v = registry.validator(V2)
    rec = copy.deepcopy(data.draw(st.sampled_from([r for r in VALID[V2] if "feedetail" in r])))
    line = rec["feedetail"][0]
    total = sum(amounts) + data.draw(st.sampled_from([-1, 0, 1]))
    line["fulamt_ownpay_amt"], line["overlmt_amt"], line["preselfpay_amt"] = (a / 100 for a in amounts)
    line["det_item_fee_sumamt"] = max(total, 0) / 100
    line["inscp_scp_amt"] = data.draw(st.sampled_from([0, total - 1, total, total + 1])) / 100
    fast_ok = v._fast(rec)
    explained = v.explain(rec)
    assert fast_ok == (not explained), (fast_ok, [str(x) for x in explained])


def test_a_bad_fee_line_is_named_by_the_explaining_path():
    v = registry.validator(V2)
    rec = copy.deepcopy(next(r for r in VALID[V2] if "feedetail" in r))
    rec["feedetail"][0]["fee_ocur_time"] = "2026-02-30 10:00:00"
    rec["feedetail"][0]["med_chrgitm_type"] = "09"
    rec["feedetail"][0]["med_list_codg"] = "001216000010100"
    found = {(x.field, x.rule) for x in v.explain(rec)}
    assert ("feedetail[0].fee_ocur_time", "format") in found
    assert ("feedetail[0].med_list_codg", "fee-code-by-type") in found
    assert not v._fast(rec)


TOP_AMOUNTS = ["medfee_sumamt", "fund_pay_sumamt", "psn_part_amt", "hosp_part_amt", "acct_pay", "psn_cash_pay",
               "hifp_pay", "cvlserv_pay", "hifes_pay", "hifmi_pay", "hifob_pay", "hifdm_pay", "maf_pay", "oth_pay",
               "act_pay_dedc", "pool_prop_selfpay", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt"]


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_settlement_amount_edits_agree(data):
    """The funds and personal-part sums (whole fen, optional funds), the fee lines' sum and the
    optional fields' multipleOf, checked lean on the record, agree with the explaining path."""
    v = registry.validator(V2)
    rec = copy.deepcopy(data.draw(st.sampled_from([r for r in VALID[V2] if "feedetail" in r])))
    for _ in range(data.draw(st.integers(1, 4))):
        name = data.draw(st.sampled_from(TOP_AMOUNTS))
        if data.draw(st.integers(0, 5)) == 0:
            rec.pop(name, None)
        elif data.draw(st.booleans()):
            rec[name] = data.draw(_amount())
        else:  # move a cent between two amounts, or rebalance a sum, near its boundary
            other = data.draw(st.sampled_from(TOP_AMOUNTS))
            base = rec.get(other) if type(rec.get(other)) in (int, float) else 0
            rec[name] = round(base + data.draw(st.sampled_from([-0.01, 0, 0.01, 0.005])), 3)
    if data.draw(st.booleans()):
        line = rec["feedetail"][data.draw(st.integers(0, len(rec["feedetail"]) - 1))]
        line["det_item_fee_sumamt"] = data.draw(_amount())
    fast_ok = v._fast(rec)
    explained = v.explain(rec)
    assert fast_ok == (not explained), (fast_ok, [str(x) for x in explained])
