"""Insurer claims contracts are generated from the sharing agreement and the platform contracts;
the checked-in files for the demo insurers match the generator; what the router publishes passes."""

from __future__ import annotations

import json

import pytest
from contract_records import fresh

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
    # hhb: mode result (主动赔, rules inside) — the topic carries claim results only, a new major
    hhb = registry.load("insurer.hhb.claims.v1")
    assert [p.schema.name for p in hhb.parts] == ["claim_results"]
    assert hhb.version == f"3.{claims._agreement('hhb').version}.{claims.GENERATOR_REVISION}"
    assert {"settlement_id", "payable", "person_no"} <= set(hhb.parts[0].field_names())
    assert not {"diseinfo", "feedetail", "psn_name", "certno", "diagnosis_code", "items"} & \
        set(hhb.parts[0].field_names())
    # shenlife: mode detail — the router's settlements as its grant names them, and claim results
    agreement = claims._agreement("shenlife")
    grant = agreement.grant("claims", "platform.settlements.v2")
    shen = registry.load("insurer.shenlife.claims.v1")
    # v2 settlements (selected by setl_id), claim results (record_type), 2208 revocations (the rest)
    assert [p.schema.name for p in shen.parts] == ["settlements", "claim_results", "revocations"]
    settlements, revocations = shen.parts[0], shen.parts[-1]
    assert settlements.selector == "setl_id" and shen.parts[1].selector == "record_type"
    assert revocations.selector is None and revocations.field_names() == ["revoke"]
    named = {p.split("[]")[0] for p, t in grant.fields.items() if t.passes and not p.startswith("revoke.")}
    assert set(settlements.field_names()) == named  # dropped fields are absent
    assert not {"psn_name", "brdy", "gend", "acct_pay", "fixmedins_name"} & set(settlements.field_names())
    for name in ("psn_no", "certno"):
        f = settlements.field(name)
        assert f.format == "envelope" and "encrypted" in f.tags and DIRECT_IDENTIFIER in f.tags
    assert revocations.field("revoke.psn_no").format == "envelope"
    rules = {r.name for _, r in settlements.record_rules}
    assert "fee-lines-sum" in rules
    assert "personal-part-sum" not in rules  # acct_pay is dropped
    assert shen.version == f"2.{claims._agreement('shenlife').version}.{claims.GENERATOR_REVISION}"


@pytest.fixture
def shen_encryptor(home_cfg):
    from privacy import keys
    from privacy.crypto import Encryptor

    keys.create_insurer_keypair("shenlife", cfg=home_cfg)
    return Encryptor.for_insurer("shenlife", home_cfg)


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
            return generalise.apply(t.rule, value, at=record.get("event_time") or record.get("setl_time"))
        if t.kind == "redact":
            return "患者<PERSON>，身份证号<CN_RESIDENT_ID>，因2型糖尿病入院。"
        raise AssertionError(t.kind)

    return grant.project(record, treat=treat)


def test_router_output_passes_the_claims_contract(shen_encryptor):
    topic = "insurer.shenlife.claims.v1"
    agreement = claims._agreement("shenlife")
    validator = registry.validator(topic)
    record = fresh("platform.settlements.v2")
    s = _as_router(agreement.grant("claims", "platform.settlements.v2"), record, shen_encryptor, topic,
                   record["setl_id"])
    assert s["psn_no"].startswith("mse1.") and s["certno"].startswith("mse1.") and "psn_name" not in s
    assert validator.validate(s) == [], [str(v) for v in validator.validate(s)]
    raw = json.dumps(s, ensure_ascii=False).encode()
    assert validator.validate_bytes(raw)[1] == []

    # a plaintext identifier, or a field the agreement does not name, is a violation
    leaked = dict(s, psn_no=fresh("platform.settlements.v2")["psn_no"])
    [v] = validator.validate(leaked)
    assert (v.field, v.rule) == ("psn_no", "format") and leaked["psn_no"] not in str(v)
    # a revocation: its psn_no encrypted, nothing else of the settlement
    revocation = fresh("platform.settlements.v2", -1)
    r = _as_router(agreement.grant("claims", "platform.settlements.v2"), revocation, shen_encryptor, topic,
                   revocation["revoke"]["setl_id"])
    assert set(r) == {"revoke"} and r["revoke"]["psn_no"].startswith("mse1.")
    assert validator.validate(r) == [], [str(v) for v in validator.validate(r)]
    # hhb's topic (mode result) takes no settlement record at all: it is judged as a claim result
    hhb_validator = registry.validator("insurer.hhb.claims.v1")
    assert hhb_validator.validate(s)
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
