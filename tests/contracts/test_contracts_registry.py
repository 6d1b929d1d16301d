"""The checked-in contracts: they parse as ODCS v3, describe exactly the conventions' schemas, and
the registry finds them by id, version, topic, table and path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from contract_records import VALID

from contracts import registry
from contracts.exceptions import ContractError, ContractNotFound
from contracts.model import DIRECT_IDENTIFIER, QUASI_IDENTIFIER, SENSITIVE_HEALTH, Contract

ODCS = Path(registry.CONTRACTS_DIR)

#: the record schemas of docs/conventions.md, field for field
CONVENTIONS = {
    "platform.settlements.v1": [
        "settlement_id", "event_type", "refund_of", "event_time", "person_no", "name", "resident_id", "gender",
        "birth_date", "phone", "address", "card_no", "insurance_type", "visit_type", "institution_code",
        "institution_name", "admission_date", "discharge_date", "diagnosis_code", "diagnosis_name", "items",
        "total_amount", "fund_paid", "account_paid", "self_pay", "self_expense"],
    "platform.emr-notes.v1": ["note_id", "settlement_id", "person_no", "event_time", "institution_code",
                              "note_type", "text"],
    "platform.consents.v1": ["event_id", "consent_id", "action", "person_no", "resident_id", "insurer_code",
                             "purpose", "data_categories", "valid_from", "valid_to", "channel", "event_time",
                             "notice_id"],
    "platform.enrolments.v1": ["event_id", "enrolment_id", "action", "person_no", "insurer_code", "product_id",
                               "policy_no", "valid_from", "valid_to", "pre_existing", "plan", "claim_free_years", "channel",
                               "event_time"],
    "lab.settlements.v1": [
        "settlement_id", "event_type", "refund_of", "person_key", "event_hour", "event_month", "gender", "age_band",
        "district", "insurance_type", "visit_type", "institution_code", "admission_month", "length_of_stay",
        "diagnosis_code", "items", "total_amount", "fund_paid", "account_paid", "self_pay", "self_expense"],
    "lab.emr-notes.v1": ["note_id", "settlement_id", "person_key", "event_month", "institution_code", "note_type",
                         "text_redacted", "entities"],
}
ITEMS = {
    "platform.settlements.v1": ["item_code", "item_name", "category", "catalogue_class", "special_drug", "quantity",
                                "unit_price", "amount", "self_expense"],
    "lab.settlements.v1": ["item_code", "category", "catalogue_class", "special_drug", "quantity", "amount",
                           "self_expense"],
}


def test_every_file_is_a_valid_odcs_contract_named_after_its_id():
    files = sorted(ODCS.glob("*.yaml"))
    assert len(files) >= 6
    for path in files:
        c = Contract.from_file(path)  # checks the ODCS JSON Schema too
        assert path.name == f"{c.id}.yaml"
        assert c.odcs.apiVersion == "v3.2.0" and c.odcs.kind == "DataContract"
        assert c.max_record_bytes and c.max_record_bytes > 0
        assert c.primary_key, c.id


@pytest.mark.parametrize("cid", sorted(CONVENTIONS))
def test_contracts_describe_exactly_the_conventions(cid):
    c = registry.load(cid)
    assert c.field_names() == CONVENTIONS[cid]
    if cid in ITEMS:
        assert [f.name for f in c.fields if f.path.startswith("items[].")] == ITEMS[cid]


def test_classification_tags():
    s = registry.load("platform.settlements.v1")
    assert set(s.fields_tagged(DIRECT_IDENTIFIER)) == {"person_no", "name", "resident_id", "phone", "address",
                                                       "card_no"}
    assert {"gender", "birth_date"} <= set(s.fields_tagged(QUASI_IDENTIFIER))
    assert {"diagnosis_code", "diagnosis_name"} <= set(s.fields_tagged(SENSITIVE_HEALTH))
    assert set(registry.load("platform.consents.v1").fields_tagged(DIRECT_IDENTIFIER)) == {"person_no", "resident_id"}
    assert "text" in registry.load("platform.emr-notes.v1").fields_tagged(DIRECT_IDENTIFIER)
    enrol = registry.load("platform.enrolments.v1")
    assert set(enrol.fields_tagged(DIRECT_IDENTIFIER)) == {"person_no", "policy_no"}
    assert enrol.fields_tagged(SENSITIVE_HEALTH) == ["pre_existing"]
    assert "resident_id" not in enrol.field_names()  # the registry keeps person_no only
    for cid in ("lab.settlements.v1", "lab.emr-notes.v1", "pipeline.quarantine.v1"):
        assert registry.load(cid).fields_tagged(DIRECT_IDENTIFIER) == [], cid


def test_lab_contracts_name_their_tables():
    assert registry.for_table("lab_settlements").id == "lab.settlements.v1"
    assert registry.for_table("lab_emr_notes").id == "lab.emr-notes.v1"
    with pytest.raises(ContractNotFound, match="lab_settlements"):
        registry.for_table("lab_nothing")


def test_registry_lookup_and_errors(tmp_path):
    assert registry.load("platform.settlements.v1") is registry.load("platform.settlements.v1")  # cached
    assert registry.validator("platform.consents.v1") is registry.validator("platform.consents.v1")
    assert registry.resolve("lab_settlements").id == "lab.settlements.v1"
    assert registry.resolve(str(ODCS / "platform.consents.v1.yaml")).id == "platform.consents.v1"
    with pytest.raises(ContractNotFound, match="platform.settlements.v1"):
        registry.load("platform.nothing.v1")
    with pytest.raises(ContractNotFound, match="no version 9.9.9"):
        registry.load("platform.settlements.v1", "9.9.9")


def test_several_versions_side_by_side(tmp_path):
    doc = yaml.safe_load((ODCS / "platform.consents.v1.yaml").read_text())
    doc["version"] = "1.9.0"
    doc["schema"][0]["properties"].append({"name": "note", "logicalType": "string"})
    (tmp_path / "platform.consents.v1@1.9.0.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True))
    registry.add_directory(tmp_path)
    try:
        assert registry.versions("platform.consents.v1") == ["1.1.0", "1.9.0"]
        assert registry.load("platform.consents.v1").version == "1.9.0"
        assert registry.load("platform.consents.v1", "1.1.0").version == "1.1.0"
    finally:
        registry._extra_dirs.remove(tmp_path)
        registry.clear_cache()


def _broken(tmp_path, edit) -> Path:
    doc = yaml.safe_load((ODCS / "platform.consents.v1.yaml").read_text())
    edit(doc)
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    return path


@pytest.mark.parametrize("edit, message", [
    (lambda d: d["schema"][0]["properties"][0].update(requird=True), "not a valid ODCS"),
    (lambda d: d["schema"][0]["properties"][3]["customProperties"][0].update(value="passport"), "unknown format"),
    (lambda d: d["schema"][0]["quality"][0]["implementation"].update(rule="telepathy"), "unknown kind"),
    (lambda d: d["schema"][0]["quality"][0]["implementation"].pop("reference"), "needs argument"),
    (lambda d: d.update(version="one"), "MAJOR.MINOR.PATCH"),
    (lambda d: d["schema"][0]["properties"][2].update(logicalType="vector"), "not supported"),
])
def test_broken_contracts_fail_when_loaded(tmp_path, edit, message):
    with pytest.raises(ContractError, match=message):
        Contract.from_file(_broken(tmp_path, edit))


@pytest.mark.parametrize("cid", sorted(VALID))
def test_derived_json_schema_accepts_the_valid_records(cid):
    c = registry.load(cid)
    schema = c.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    for rec in VALID[cid]:
        assert v.is_valid(json.loads(json.dumps(rec))), list(v.iter_errors(rec))[:2]
    bad = dict(VALID[cid][0], unexpected=1)
    assert not v.is_valid(bad)


def test_contract_roundtrips_through_the_odcs_model(tmp_path):
    c = registry.load("platform.settlements.v1")
    path = tmp_path / "again.yaml"
    path.write_text(c.to_yaml())
    again = Contract.from_file(path)
    assert again.field_names() == c.field_names()
    assert [r.name for _, r in again.record_rules] == [r.name for _, r in c.record_rules]


def test_registry_copies_are_independent(tmp_path):
    # a contract folder elsewhere with the same id and version is refused, not silently shadowed
    shutil.copy(ODCS / "platform.consents.v1.yaml", tmp_path / "dup.yaml")
    registry.add_directory(tmp_path)
    try:
        with pytest.raises(ContractError, match="also defined"):
            registry.load("platform.consents.v1")
    finally:
        registry._extra_dirs.remove(tmp_path)
        registry.clear_cache()
