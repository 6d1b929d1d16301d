"""The national interface's code systems (named formats) and the fen-exact record rules (issue 18)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts import registry
from contracts.exceptions import ContractError
from contracts.formats import resident_id_check_char
from contracts.rules import FORMATS, compile_rule

CASES = [
    # format, valid, invalid
    ("icd10_chs", ["C34.900x001", "I10.x00x002", "E11.900", "J18.900", "I10", "K35.800x002"],
     ["C34.900x00", "c34.900", "C3.900", "C34.9000x001", "C34.900X001", "I10.x00x0021"]),
    ("icd9cm3_chs", ["36.0600", "81.5100x001", "47.09", "99"], ["36.06000", "3.06", "36.06x01", "A36.06"]),
    ("west_drug_code", ["XA01ABD075A002010100483"], ["ZA01ABD075A002010100483", "XA01ABD075A00201010048",
                                                     "XA01ABD075A0020101004833"]),
    ("tcm_patent_code", ["ZA04CAK0241010101445"], ["XA04CAK0241010101445", "ZA04CAK02410101014"]),
    ("service_code_15", ["001216000010100", "001102000010000"], ["120100001", "00121600001010", "00121600001010A"]),
    ("consumable_code", ["C0101010600000001234"], ["C010101060000000123", "D0101010600000001234"]),
    ("hospital_code", ["H31011500123"], ["P31010400155", "H3101150012", "h31011500123"]),
    ("pharmacy_code", ["P31010400155"], ["H31011500123", "P310104001555"]),
    ("fixmedins_code", ["H31011500123", "P31010400155"], ["J31011500123", "H3101150012X"]),
    ("platform_id", ["310000000000123456", "abc123", "1"], ["", "a" * 31, "12-34", "一二"]),
    ("interface_datetime", ["2026-03-05 10:21:07", "2024-02-29 23:59:59"],
     ["2026-03-05T10:21:07", "2026-03-05 10:21", "2026-02-30 10:00:00", "2026-03-05 25:00:00",
      "2023-02-29 00:00:00", "٢٠٢٦-03-05 10:21:07", "2026-03-05 10:21:60"]),
    ("med_list_code", ["XA01ABD075A002010100483", "001216000010100", "C0101010600000001234",
                       "ZA04CAK0241010101445", "T001700443"], ["120100001", "Y0001", ""]),
]


@pytest.mark.parametrize("name, valid, invalid", CASES, ids=[c[0] for c in CASES])
def test_interface_formats(name, valid, invalid):
    fmt = FORMATS[name]
    for v in valid:
        assert fmt.check(v) is None, (name, v)
    for v in invalid:
        reason = fmt.check(v)
        assert reason is not None, (name, v)
        assert v == "" or v not in reason  # reasons never carry the value


def _rule(impl: dict):
    return compile_rule("r", impl)


def test_sums_in_fen_refuse_one_fen_and_ignore_float_noise():
    rule = _rule({"rule": "sum-equals", "parts": ["a", "b"], "total": "t", "unit": "fen"})
    assert rule.check({"a": 0.1, "b": 0.2, "t": 0.3}) == []  # 0.1 + 0.2 != 0.3 in floats
    assert rule.check({"a": 1234567.89, "b": 0.01, "t": 1234567.9}) == []
    [(field, message)] = rule.check({"a": 0.1, "b": 0.2, "t": 0.31})
    assert field == "t" and "differs by 1 fen" in message
    plain = _rule({"rule": "sum-equals", "parts": ["a", "b"], "total": "t"})  # v1: ±0.01 yuan
    assert plain.check({"a": 0.1, "b": 0.2, "t": 0.31}) == []


def test_optional_parts_count_as_zero():
    rule = _rule({"rule": "sum-equals", "parts": ["a", "b"], "optional": ["b"], "total": "t", "unit": "fen"})
    assert rule.check({"a": 5.0, "t": 5.0}) == [] and rule.check({"a": 5.0, "b": None, "t": 5.0}) == []
    assert rule.check({"a": 5.0, "b": 1.0, "t": 5.0}) != []
    required_missing = _rule({"rule": "sum-equals", "parts": ["a", "b"], "total": "t", "unit": "fen"})
    assert required_missing.check({"a": 5.0, "t": 9.0}) == []  # the field check reports the missing part


def test_items_sum_in_fen():
    rule = _rule({"rule": "items-sum", "array": "xs", "field": "v", "total": "t", "unit": "fen"})
    items = [{"v": 0.1}] * 3
    assert rule.check({"xs": items, "t": 0.3}) == []
    assert rule.check({"xs": items, "t": 0.29})[0][0] == "t"


def test_sum_at_most():
    rule = _rule({"rule": "sum-at-most", "parts": ["a", "b"], "total": "t"})
    assert rule.check({"a": 1.0, "b": 2.0, "t": 3.0}) == []
    [(field, message)] = rule.check({"a": 1.0, "b": 2.01, "t": 3.0})
    assert field == "t" and "by 1 fen" in message
    single = _rule({"rule": "sum-at-most", "parts": ["a"], "total": "t"})
    assert single.check({"a": 3.01, "t": 3.0})[0][0] == "a"


def test_items_count_and_unique():
    one = _rule({"rule": "items-count", "array": "d", "field": "m", "equals": "1", "min": 1, "max": 1,
                 "skip_empty": True})
    assert one.check({"d": []}) == [] and one.check({"d": [{"m": "1"}, {"m": "0"}]}) == []
    assert "2 item(s)" in one.check({"d": [{"m": "1"}, {"m": "1"}]})[0][1]
    assert "exactly 1" in one.check({"d": [{"m": "0"}]})[0][1]
    with pytest.raises(ContractError, match="min or max"):
        _rule({"rule": "items-count", "array": "d", "field": "m", "equals": "1"})
    uniq = _rule({"rule": "items-unique", "array": "d", "field": "n"})
    assert uniq.check({"d": [{"n": 1}, {"n": 2}]}) == []
    assert uniq.check({"d": [{"n": 1}, {"n": 2}, {"n": 1}]}) == [("d[2].n", "n repeats the value of d[0]")]


def test_code_by_category_checks_the_check_digit_and_says_why():
    rule = _rule({"rule": "code-by-category", "code": "c", "category": "k", "formats": {"01": "resident_id"}})
    first17 = "31010419850312123"
    good = first17 + resident_id_check_char(first17)
    bad = first17 + ("0" if good[-1] != "0" else "1")
    assert rule.check({"c": good, "k": "01"}) == []
    [(field, message)] = rule.check({"c": bad, "k": "01"})
    assert field == "c" and "check digit mismatch" in message and bad not in message
    assert rule.check({"c": "G12345678", "k": "02"}) == []  # a passport is not pinned


def test_identity_rule_with_interface_gender_codes():
    rule = _rule({"rule": "resident-id-consistent", "id": "certno", "birth_date": "brdy", "gender": "gend",
                  "gender_codes": {"M": "1", "F": "2"}, "when": {"psn_cert_type": "01"}})
    first17 = "31010419850312123"  # sequence digit 3: male
    rid = first17 + resident_id_check_char(first17)
    ok = {"certno": rid, "brdy": "1985-03-12", "gend": "1", "psn_cert_type": "01"}
    assert rule.check(ok) == []
    assert rule.check({**ok, "gend": "9"}) == []  # 未说明: not compared
    assert [f for f, _ in rule.check({**ok, "gend": "2", "brdy": "1985-03-13"})] == ["brdy", "gend"]
    assert rule.check({**ok, "gend": "2", "psn_cert_type": "08"}) == []  # not a resident ID


def test_the_v2_contract_loads_with_both_record_kinds():
    c = registry.load("platform.settlements.v2")
    assert [p.schema.name for p in c.parts] == ["revocations", "settlements"]
    assert c.primary_key == ["setl_id"] and c.topic == "platform.settlements.v2"
    assert set(c.fields_tagged("direct-identifier")) == {
        "revoke.psn_no", "psn_no", "psn_name", "certno", "brdy", "diseinfo[].dise_dor_name"}
    names = {r.name for _, r in c.record_rules}
    assert {"fee-lines-sum", "funds-sum", "funds-and-personal-part-sum", "personal-part-sum",
            "certno-by-cert-type", "one-main-diagnosis", "fee-code-by-type"} <= names


def _strptime_or_none(text: str):
    from datetime import datetime

    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


#: interface-shaped date-times with every field anywhere in its digits' range (most not real)
_SHAPED = st.builds("{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}".format, st.integers(0, 9999), st.integers(0, 99),
                    st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), st.integers(0, 99))


@given(st.one_of(_SHAPED, st.text(alphabet="0123456789-: T", max_size=21)))
def test_interface_datetime_is_what_strptime_reads_in_ascii(text):
    """fromisoformat (the fast check) accepts exactly the ASCII texts strptime reads as this shape."""
    import re

    from contracts.formats import is_valid_interface_datetime
    from medshare.platform_records import CST, parse_interface_time

    shaped = re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}", text) is not None
    want = _strptime_or_none(text)
    assert is_valid_interface_datetime(text) == (shaped and want is not None)
    if want is not None:
        assert parse_interface_time(text) == want.replace(tzinfo=CST)
    else:
        with pytest.raises(ValueError):
            parse_interface_time(text)


_AMOUNT = st.one_of(st.none(), st.integers(-10**9, 10**9), st.floats(allow_nan=True, allow_infinity=True),
                    st.floats(-1e6, 1e6).map(lambda x: round(x, 2)), st.text(max_size=3), st.booleans())


@given(st.fixed_dictionaries({}, optional={"a": _AMOUNT, "b": _AMOUNT, "c": _AMOUNT, "t": _AMOUNT}))
def test_sum_at_most_lean_path_agrees_with_the_general_one(obj):
    """Without optional parts the rule runs an inlined check (a v2 settlement runs it twice per
    fee line); an optional part that is always present gives the general path's verdict."""
    lean = _rule({"rule": "sum-at-most", "parts": ["a", "b", "c"], "total": "t"})
    general = _rule({"rule": "sum-at-most", "parts": ["a", "b", "c"], "optional": ["zz"], "total": "t"})

    def run(rule):
        try:
            return rule.check(obj)
        except OverflowError:  # round(inf): both paths raise, the fast path then explains
            return "overflow"

    assert run(lean) == run(general)
