"""No violation — and no quarantine record outside its ciphertexts — ever shows the plaintext of a
field tagged direct-identifier, whatever the identifier looks like."""

from __future__ import annotations

import json

from contract_records import fresh, resident_id
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts import registry
from contracts.model import DIRECT_IDENTIFIER

CIDS = ["platform.settlements.v1", "platform.consents.v1", "platform.emr-notes.v1", "platform.enrolments.v1"]

# identifiers that look real and ones that do not: digits, X, CJK, latin, punctuation
identifier_text = st.text(alphabet=st.sampled_from("0123456789Xx张王李赵上海市路号ABCab-_ 。"), min_size=8,
                          max_size=40)
near_ids = st.builds(lambda base, pos, d: base[:pos] + d + base[pos + 1:],
                     st.sampled_from([resident_id(), resident_id(birth="19900101", seq="222")]),
                     st.integers(0, 17), st.sampled_from("0123456789X"))
identifier_values = identifier_text | near_ids | st.integers(10**7, 10**18) | st.lists(identifier_text, max_size=2)


def _texts(violations) -> list[str]:
    return [f"{v.field}|{v.message}|{v.value}" for v in violations]


def _leaks(plain: list[str], texts: list[str]) -> list[str]:
    return [p for p in plain for t in texts if p in t]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cid=st.sampled_from(CIDS), data=st.data())
def test_no_plaintext_identifier_in_any_violation(cid, data):
    contract = registry.load(cid)
    rec = fresh(cid)
    plain: list[str] = []
    for name in contract.fields_tagged(DIRECT_IDENTIFIER):
        if data.draw(st.booleans()):
            value = data.draw(identifier_values)
            rec[name] = value
        if isinstance(rec[name], str | int):
            plain.append(str(rec[name]))
    # also break something else so cross-field rules and the extra-field rule speak
    if data.draw(st.booleans()):
        rec["smuggled"] = data.draw(identifier_text)
        plain.append(rec["smuggled"])
    if data.draw(st.booleans()) and "total_amount" in rec:
        rec["total_amount"] = -1.0
    v = contract.validator()
    texts = _texts(v.validate(rec)) + _texts(v.validate_bytes(json.dumps(rec, ensure_ascii=False).encode())[1])
    assert not _leaks([p for p in plain if len(p) >= 8], texts)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(value=identifier_text | near_ids)
def test_quarantine_record_shows_no_identifier(writer, value):
    rec = fresh("platform.settlements.v1")
    rec["resident_id"] = value
    rec["name"] = value[::-1]
    raw = json.dumps(rec, ensure_ascii=False).encode()
    _, violations = registry.validator("platform.settlements.v1").validate_bytes(raw)
    # a processor error whose message quotes the identifier is scrubbed too
    common = dict(raw=raw, source_topic="platform.settlements.v1", partition=0, offset=7,
                  key=rec["person_no"].encode(), headers={"ms-event-id": "e-1"})
    records = [
        writer.build(**common, violations=violations),
        writer.build(**common, violations=[], rule="processor-error:ValueError",
                     message=f"cannot pseudonymise {value} for {rec['person_no']} ({rec['phone']})"),
    ]
    for q in records:
        visible = json.dumps({k: v for k, v in q.items() if k not in ("payload", "envelope")}, ensure_ascii=False)
        for plain in (value, value[::-1], rec["person_no"], rec["phone"], rec["address"]):
            assert plain not in visible
