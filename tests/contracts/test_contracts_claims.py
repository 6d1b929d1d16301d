"""Insurer claims contracts are generated from the sharing agreement and the platform contracts;
the checked-in files for the demo insurers match the generator; what the router publishes passes."""

from __future__ import annotations

import json

import pytest
from contract_records import emr_note, fresh

from contracts import claims, registry
from contracts.model import DIRECT_IDENTIFIER
from contracts.rules import FORMATS

agreements = pytest.importorskip("privacy.agreements")


@pytest.mark.parametrize("code", ["hhb", "shenlife"])
def test_checked_in_claims_contracts_match_the_generator(code):
    agreement = claims._agreement(code)
    path = claims.target(code)
    assert path.read_text(encoding="utf-8") == claims.render(agreement), (
        f"{path.name} is stale: run `python -m contracts.claims`")
    assert registry.load(f"insurer.{code}.claims.v1").origin == str(path)


def test_check_mode_reports_nothing_stale():
    assert claims.main(["--check"]) == 0


def test_claims_contract_follows_the_agreement():
    hhb = registry.load("insurer.hhb.claims.v1")
    assert [p.schema.name for p in hhb.parts] == ["emr_notes", "claim_results", "settlements"]
    notes, results, settlements = hhb.parts
    assert notes.selector == "note_id" and results.selector == "record_type" and settlements.selector is None
    agreement = claims._agreement("hhb")
    grant = agreement.grant("claims", "platform.settlements.v1")
    named = {p.split("[]")[0] for p, t in grant.fields.items() if t.passes}
    assert set(settlements.field_names()) == named  # dropped fields are absent
    assert not {"phone", "address", "card_no"} & set(settlements.field_names())
    for name in ("person_no", "resident_id", "name"):
        f = settlements.field(name)
        assert f.format == "envelope" and "encrypted" in f.tags and DIRECT_IDENTIFIER in f.tags
    assert settlements.field("birth_date").enum[-1] == "85+"
    assert "redacted" in notes.field("text").tags and DIRECT_IDENTIFIER not in notes.field("text").tags
    rules = {r.name for _, r in settlements.record_rules}
    assert {"payment-parts-sum", "items-sum", "refund-shape", "item-code-by-category"} <= rules
    assert "identity-consistent" not in rules  # it reads resident_id, which is encrypted
    shen = registry.load("insurer.shenlife.claims.v1")
    assert [p.schema.name for p in shen.parts] == ["claim_results", "settlements"]
    shen_settlements = shen.parts[-1]
    assert "name" not in shen_settlements.field_names() and "account_paid" not in shen_settlements.field_names()
    assert "payment-parts-sum" not in {r.name for _, r in shen.record_rules}  # account_paid is dropped
    assert shen.version == f"1.{claims._agreement('shenlife').version}.{claims.GENERATOR_REVISION}"


@pytest.fixture
def encryptor(home_cfg):
    from privacy import keys
    from privacy.crypto import Encryptor

    keys.create_insurer_keypair("hhb", cfg=home_cfg)
    return Encryptor.for_insurer("hhb", home_cfg)


def _as_router(grant, record, enc, topic, record_id):
    """What the sharing router publishes for one record (redaction stubbed: no Presidio here)."""
    from privacy import generalise

    def treat(path, value, t):
        if t.kind == "plain" or value is None:
            return value
        if t.kind == "encrypt":
            return enc.encrypt(value, topic=topic, record_id=record_id, field=path)
        if t.kind == "generalise":
            return generalise.apply(t.rule, value, at=record["event_time"])
        if t.kind == "redact":
            return "患者<PERSON>，身份证号<CN_RESIDENT_ID>，因2型糖尿病入院。"
        raise AssertionError(t.kind)

    return grant.project(record, treat=treat)


def test_router_output_passes_the_claims_contract(encryptor):
    topic = "insurer.hhb.claims.v1"
    agreement = claims._agreement("hhb")
    validator = registry.validator(topic)
    s = _as_router(agreement.grant("claims", "platform.settlements.v1"), fresh("platform.settlements.v1"),
                   encryptor, topic, "ST2026030500012345")
    assert s["resident_id"].startswith("mse1.") and "phone" not in s
    assert validator.validate(s) == [], [str(v) for v in validator.validate(s)]
    n = _as_router(agreement.grant("claims", "platform.emr-notes.v1"), emr_note(), encryptor, topic, "N1")
    assert validator.validate(n) == [], [str(v) for v in validator.validate(n)]
    raw = json.dumps(s, ensure_ascii=False).encode()
    assert validator.validate_bytes(raw)[1] == []

    # a plaintext identifier, or a field the agreement does not name, is a violation
    leaked = dict(s, resident_id=fresh("platform.settlements.v1")["resident_id"])
    [v] = validator.validate(leaked)
    assert (v.field, v.rule) == ("resident_id", "format") and leaked["resident_id"] not in str(v)
    extra = dict(s, phone="13812345678")
    assert [(v.field, v.rule) for v in validator.validate(extra)] == [("phone", "extra-field")]
    assert "13812345678" not in str(validator.validate(extra))


def test_envelope_format_matches_privacy_crypto(encryptor):
    import re

    token = encryptor.encrypt("张伟", topic="insurer.hhb.claims.v1", record_id="ST1", field="name")
    assert re.fullmatch(FORMATS["envelope"].pattern, token)


def test_agreement_naming_an_unknown_field_is_refused():
    agreement = claims._agreement("shenlife")
    grant = agreement.grant("claims")
    broken = agreement.model_copy(update={"grants": [grant.model_copy(update={
        "fields": {**grant.fields, "wechat_id": agreements.parse_treatment("plain")}})]})
    with pytest.raises(Exception, match="wechat_id"):
        claims.claims_document(broken)
