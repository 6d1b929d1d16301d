"""A JSON record with a key written twice in one object is refused as ambiguous (issue 16).

Decoders keep the last value, so without this check ``{"person_no": A, ..., "person_no": B}``
would be read as B by medshare and maybe as A by another reader.
"""

from __future__ import annotations

import json
from collections import namedtuple

import pytest
from contract_records import fresh
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import registry
from contracts.validator import DUPLICATE_KEY, _key_count, _key_tokens, duplicate_keys
from medshare.envelope import encode_value, make_headers

S = "platform.settlements.v1"
C = "platform.consents.v1"
OTHER_PERSON = "3100000000000001"


def _with_duplicate(raw: bytes, key: str, value: object) -> bytes:
    """``raw`` (a JSON object) with ``key`` written again at the end."""
    return raw[:-1] + b"," + json.dumps(key).encode() + b":" + json.dumps(value, ensure_ascii=False).encode() + b"}"


def test_a_duplicate_person_no_is_refused_naming_the_key():
    rec = fresh(S)
    raw = _with_duplicate(encode_value(rec), "person_no", OTHER_PERSON)
    record, violations = registry.validator(S).validate_bytes(raw)
    assert [(v.field, v.rule) for v in violations] == [("person_no", DUPLICATE_KEY)]
    assert "'person_no' appears 2 times" in violations[0].message
    assert OTHER_PERSON not in str(violations[0]) and rec["person_no"] not in str(violations[0])
    assert record is not None and record["person_no"] == OTHER_PERSON  # the decoder's pick, refused anyway


def test_a_duplicate_inside_a_line_item_names_its_path():
    rec = fresh(S)
    pretty = json.dumps(rec, ensure_ascii=False, indent=1)  # whitespace before colons, too
    first_item = pretty.index('"item_code"')
    raw = (pretty[:first_item] + '"amount" : 0.5,\n' + pretty[first_item:]).encode()
    _, violations = registry.validator(S).validate_bytes(raw)
    assert [(v.field, v.rule) for v in violations] == [("items[0].amount", DUPLICATE_KEY)]


@pytest.mark.parametrize("text", [True, False])
def test_same_value_twice_is_still_ambiguous_text(text):
    rec = fresh(C)
    raw = _with_duplicate(encode_value(rec), "action", rec["action"])
    _, violations = registry.validator(C).validate_bytes(raw.decode() if text else raw)
    assert [v.rule for v in violations] == [DUPLICATE_KEY]


def test_equal_keys_in_different_objects_are_fine():
    rec = fresh(S)
    assert len(rec["items"]) > 1  # every item has the same keys
    assert registry.validator(S).validate_bytes(encode_value(rec))[1] == []


def test_a_string_value_that_looks_like_a_key_is_not_a_duplicate():
    rec = fresh(S)
    rec["name"] = 'a":b" :c'  # quotes before colons inside a value: the slow check runs and finds none
    raw = encode_value(rec)
    assert _key_tokens(raw) > _key_count(json.loads(raw))
    assert registry.validator(S).validate_bytes(raw)[1] == []


json_trees = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab":\\ {}[],', max_size=6),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(alphabet='ab":\\ ', max_size=3),
                                                                       children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(tree=json_trees, indent=st.sampled_from([None, 1]))
def test_the_cheap_count_never_hides_a_duplicate(tree, indent):
    """Counting key tokens bounds the keys written: equal counts mean no duplicate anywhere."""
    raw = json.dumps(tree, indent=indent).encode()
    assert _key_tokens(raw) >= _key_count(tree)
    assert duplicate_keys(raw) == []
    if isinstance(tree, dict) and tree:
        key = next(iter(tree))
        dup = raw.rstrip()[:-1] + b"," + json.dumps(key).encode() + b": 1}"
        assert _key_tokens(dup) > _key_count(json.loads(dup))
        assert [v.rule for v in duplicate_keys(dup)] == [DUPLICATE_KEY]


def test_a_duplicate_key_goes_to_quarantine_with_its_reason(writer):
    """The stream's contract check refuses it, and the quarantine record keeps rule and reason."""
    from streams.common import ContractCheck
    from streams.runtime import Rejected

    Message = namedtuple("Message", "topic partition offset key value headers")
    raw = _with_duplicate(encode_value(fresh(S)), "person_no", OTHER_PERSON)
    msg = Message(S, 0, 7, b"k", raw, make_headers(S, "simulator", event_id="ev-7"))
    with pytest.raises(Rejected) as caught:
        ContractCheck((S,))(msg)
    assert caught.value.rule == DUPLICATE_KEY
    q = writer.build(raw=msg.value, source_topic=msg.topic, partition=msg.partition, offset=msg.offset,
                     key=msg.key, headers=msg.headers, violations=caught.value.violations,
                     rule=caught.value.rule, message=str(caught.value))
    assert q["rules"] == [DUPLICATE_KEY]
    assert q["violations"][0]["field"] == "person_no" and "appears 2 times" in q["violations"][0]["message"]
    assert OTHER_PERSON not in json.dumps(q, ensure_ascii=False)
    assert writer.open(q).value == raw  # the original text, both values, is kept sealed


def test_medshare_encoded_messages_take_the_re_encoding_proof():
    """A message medshare wrote (compact, sorted) equals its value's re-encoding: no counting needed;
    a duplicate never survives that comparison (the re-encoding holds each key once)."""
    from contracts.validator import _is_canonical, decode_checked

    raw = encode_value(fresh(S))
    value, problems = decode_checked(raw)
    assert problems == [] and _is_canonical(value, raw)
    dup = _with_duplicate(raw, "person_no", OTHER_PERSON)
    value, problems = decode_checked(dup)
    assert not _is_canonical(value, dup) and [p.rule for p in problems] == [DUPLICATE_KEY]
    # an integer beyond 64 bits is decoded by json.loads and cannot be re-encoded: counted instead
    assert decode_checked(b'{"a":100000000000000000000000000000}') == ({"a": 10**29}, [])
