"""The generated contract of ``insurer.<code>.claims.v1`` describes the claims engine's results too.

Real claim results — produced by the claims processor's handler from simulated settlements — pass
the contract through the compiled validator (fast path and explaining path agree); a result with a
field missing, a wrong type, a plaintext identity field or a field the contract does not name fails
with the field and the rule named, and never shows the identifier. The insurer client decrypts
claim results (their envelopes are bound to ``claim_id``, not to the settlement id they carry).
"""

from __future__ import annotations

import json

import pytest
from claims_helpers import INSURERS, Feed, engine, run_batch, settlements

from contracts import registry
from medshare import topics as t


@pytest.fixture(scope="module")
def cfg(tmp_path_factory):
    from medshare.config import Settings

    return Settings(home=tmp_path_factory.mktemp("claim-contract") / "home")


@pytest.fixture(scope="module")
def results(cfg):
    """insurer -> the claim-result messages the processor published (settlements and a refund)."""
    from claims_helpers import revocation

    from streams.claims import ClaimsHandler

    records = settlements()
    persons = sorted({r["person_no"] for r in records})
    handler = ClaimsHandler(cfg, engine(cfg, persons))
    feed = Feed()
    outs = run_batch(handler, [feed.msg(t.PLATFORM_SETTLEMENTS, r, r["settlement_id"], r["person_no"])
                               for r in records])
    # a refund of the settlement that paid most under hhb, so a negative result is among them for sure
    paid = max((json.loads(o.value) for o in outs if o.topic == t.insurer_claims("hhb")),
               key=lambda r: r["total_payable"])
    assert paid["total_payable"] > 0
    original = next(r for r in records if r["settlement_id"] == paid["settlement_id"])
    refund = revocation(original)
    outs += run_batch(handler, [feed.msg(t.PLATFORM_SETTLEMENTS, refund, refund["settlement_id"],
                                         refund["person_no"])])
    handler.close()
    by_code: dict[str, list] = {c: [] for c in INSURERS}
    for o in outs:
        if o.topic.startswith("insurer."):
            by_code[o.topic.split(".")[1]].append(o)
    return by_code


def _record(out) -> dict:
    return json.loads(out.value)


def test_both_insurers_got_results_and_a_refund(results):
    for code in INSURERS:
        assert results[code], code
        assert all(_record(o)["record_type"] == "claim-result" for o in results[code])
    # shenlife (detail grant) receives every claim, hhb (result grant) only those that pay, and the
    # reversal of a claim it received
    assert len(results["shenlife"]) > 20
    assert any(_record(o)["total_payable"] == 0 for o in results["shenlife"])
    assert all(_record(o)["total_payable"] > 0 for o in results["hhb"] if _record(o)["event_type"] == "settlement")
    assert [_record(o)["total_payable"] < 0 for o in results["hhb"] if _record(o)["event_type"] == "refund"] == [True]


@pytest.mark.parametrize("code", INSURERS)
def test_real_claim_results_pass_the_contract(results, code):
    contract = registry.load(t.insurer_claims(code))
    v = contract.validator()
    for out in results[code]:
        record, violations = v.validate_bytes(out.value)
        assert violations == [], [str(x) for x in violations]
        assert contract.part_for(record).schema.name == "claim_results"
        # the explaining path agrees with the generated fast path
        assert v.explain(record) == []


@pytest.mark.parametrize("code", INSURERS)
def test_claim_results_kind_in_the_contract(code):
    contract = registry.load(t.insurer_claims(code))
    part = next(p for p in contract.parts if p.schema.name == "claim_results")
    assert part.selector == "record_type" and part.primary_key == ["claim_id"]
    if code == "hhb":  # mode result: only claim results leave, no record kind of the router
        assert [p.schema.name for p in contract.parts] == ["claim_results"]
        assert contract.version.startswith("3.")
    else:
        assert [p.schema.name for p in contract.parts] == ["settlements", "claim_results", "revocations"]
        assert contract.parts[-1].selector is None
    for name in ("person_no", "policy_no"):
        f = part.field(name)
        assert f.format == "envelope" and "direct-identifier" in f.tags and "encrypted" in f.tags
    assert not {"diagnosis_code", "items", "name", "resident_id"} & set(part.field_names())
    assert {f.path for f in part.fields} >= {"caps{}.cap", "caps{}.used", "caps{}.remaining", "deductible.used"}


def _hhb_result(results, event_type="settlement") -> dict:
    return next(_record(o) for o in results["hhb"]
                if _record(o)["event_type"] == event_type and _record(o)["total_payable"] != 0)


def _violations(record) -> list[tuple[str, str]]:
    v = registry.validator(t.insurer_claims("hhb"))
    return sorted((x.field, x.rule) for x in v.validate(record))


def test_missing_field(results):
    r = _hhb_result(results)
    del r["total_payable"]
    assert _violations(r) == [("total_payable", "required")]
    r = _hhb_result(results)
    del next(iter(r["caps"].values()))["used"]
    [(path, rule)] = _violations(r)
    assert rule == "required" and path.startswith("caps[") and path.endswith("].used")


def test_wrong_type(results):
    r = _hhb_result(results)
    r["year"] = str(r["year"])
    assert _violations(r) == [("year", "type")]
    r = _hhb_result(results)
    r["payable"] = {k: str(v) for k, v in r["payable"].items()}
    got = _violations(r)
    assert got and all(rule == "type" and path.startswith("payable[") for path, rule in got)


def test_plaintext_identity_is_refused_and_not_shown(results):
    r = _hhb_result(results)
    plain = "31011519800101001X"
    r["person_no"] = plain
    v = registry.validator(t.insurer_claims("hhb"))
    [violation] = v.validate(r)
    assert (violation.field, violation.rule) == ("person_no", "format")
    assert plain not in str(violation) and "envelope" in violation.message
    r = _hhb_result(results)
    r["policy_no"] = "HHB202600000001"
    assert _violations(r) == [("policy_no", "format")]


def test_a_field_not_in_the_contract(results):
    r = _hhb_result(results)
    r["diagnosis_code"] = "C50.9"
    assert _violations(r) == [("diagnosis_code", "extra-field")]
    r = _hhb_result(results)
    r["deductible"]["carried_over"] = 0.0
    assert _violations(r) == [("deductible.carried_over", "extra-field")]


def test_refund_shape_rule(results):
    r = _hhb_result(results, "refund")
    assert r["total_payable"] < 0 and r["reverses"]
    r["total_payable"] = -r["total_payable"]
    assert ("total_payable", "claim-reversal-shape") in _violations(r)
    r = _hhb_result(results)
    r["reverses"] = r["settlement_id"]
    assert _violations(r) == [("reverses", "claim-reversal-shape")]


def test_a_record_without_the_discriminator(results):
    """shenlife (mode detail): checked as the router's settlement record; hhb (mode result): no
    record kind but claim results exists on its topic, so the missing discriminator is a violation."""
    r = _hhb_result(results)
    del r["record_type"]
    assert dict(_violations(r)).get("record_type") == "required"
    v = registry.validator(t.insurer_claims("shenlife"))
    got = {x.field: x.rule for x in v.validate({**r, "claim_id": "shenlife-" + r["settlement_id"]})}
    assert got.get("claim_id") == "extra-field"  # judged as a settlement record: claim fields are foreign


def test_insurer_client_decrypts_claim_results(cfg, results):
    from medshare.insurer_client import record_id_field
    from privacy.sdk import InsurerDecryptor

    for code in INSURERS:
        dec = InsurerDecryptor.from_dir(cfg.insurers_dir / code)
        for out in results[code][:10]:
            r = _record(out)
            assert record_id_field(r) == "claim_id"
            plain = dec.decrypt_record(r, t.insurer_claims(code), record_id_field=record_id_field(r))
            assert plain["person_no"].isdigit() and plain["policy_no"].startswith(code.upper())
            assert plain["claim_id"] == f"{code}-{plain['settlement_id']}"
    # the router's records keep their ids
    assert record_id_field({"setl_id": "ST1", "certno": "mse1.x"}) == "setl_id"
    assert record_id_field({"revoke": {"setl_id": "ST1", "psn_no": "mse1.x"}}) == "revoke.setl_id"
    assert record_id_field({"note_id": "N1", "setl_id": "ST1"}) == "note_id"


def test_insurer_decrypt_cli_reads_claim_results(cfg, results, tmp_path, monkeypatch):
    """``medshare insurer decrypt`` picks claim_id for claim results without being told."""
    import typer
    from typer.testing import CliRunner

    from medshare.cli import insurer as insurer_cli
    from medshare.cli import insurer_sdk

    app = typer.Typer()
    insurer_cli.register(app)
    insurer_sdk.register(app)
    f = tmp_path / "claims.jsonl"
    f.write_bytes(b"\n".join(o.value for o in results["shenlife"][:5]) + b"\n")
    r = CliRunner().invoke(app, ["insurer", "decrypt", "shenlife", str(f), "--key-dir",
                                 str(cfg.insurers_dir / "shenlife"), "--json"], catch_exceptions=False)
    lines = [json.loads(x) for x in r.output.splitlines()]
    assert r.exit_code == 0 and len(lines) == 5 and all(x["ok"] for x in lines), r.output
    assert {tuple(sorted(x["decrypted"])) for x in lines} == {("person_no", "policy_no")}


def test_published_results_and_audit_events_are_the_ledgers_bytes(cfg, results):
    """The claim result and its audit event are encoded once: the messages carry exactly the JSON text
    the ledger row stores (a replay republishes that row), in the canonical encoding of every
    medshare message (``encode_value``: sorted keys, compact)."""
    from sqlalchemy import create_engine, text

    from medshare.claims.state import claims_database
    from medshare.envelope import encode_value

    engine_ = create_engine(claims_database(cfg))
    with engine_.connect() as c:
        rows = {r[0]: (r[1], r[2]) for r in c.execute(text("SELECT claim_id, result, audit FROM claim_ledger"))}
    engine_.dispose()
    published = [o for code in INSURERS for o in results[code]]
    assert published
    for out in published:
        record = json.loads(out.value)
        stored_result, stored_audit = rows[record["claim_id"]]
        assert out.value == stored_result.encode() == encode_value(record)
        assert stored_audit is not None and json.loads(stored_audit)["record_id"] == record["claim_id"]
