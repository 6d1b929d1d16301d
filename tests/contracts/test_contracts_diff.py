"""The breaking-change gate: one test per breaking and per compatible change kind."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from contracts import registry
from contracts.diff import diff, diff_files, main
from contracts.model import Contract

BASE = yaml.safe_load((Path(registry.CONTRACTS_DIR) / "platform.settlements.v1.yaml").read_text())


def _props(doc) -> list[dict]:
    return doc["schema"][0]["properties"]


def _prop(doc, name: str) -> dict:
    return next(p for p in _props(doc) if p["name"] == name)


def _item(doc, name: str) -> dict:
    return next(p for p in _prop(doc, "items")["items"]["properties"] if p["name"] == name)


def _custom(doc, name: str) -> dict:
    return next(cp for cp in doc["customProperties"] if cp["property"] == name)


def changed(edit: Callable[[dict], None], version: str = "1.1.0"):
    doc = copy.deepcopy(BASE)
    edit(doc)
    doc["version"] = version
    # the ODCS schema check takes ~0.3 s per document; the gate and registry tests exercise it
    return diff(Contract.from_dict(BASE), Contract.from_dict(doc, check=False))


BREAKING = {
    "field-removed": (lambda d: _props(d).remove(_prop(d, "card_no")), "card_no"),
    "field-renamed": (lambda d: _prop(d, "institution_name").update(name="hospital_name"), "institution_name"),
    "type-changed": (lambda d: _prop(d, "insurance_type").update(logicalType="integer", enum=[{"value": 310}]),
                     "insurance_type"),
    "required-field-added": (lambda d: _props(d).append({"name": "ward", "logicalType": "string", "required": True}),
                             "ward"),
    "made-required": (lambda d: _prop(d, "refund_of").update(required=True), "refund_of"),
    "made-optional": (lambda d: _prop(d, "gender").update(required=False), "gender"),
    "enum-narrowed": (lambda d: _prop(d, "visit_type")["enum"].pop(), "visit_type"),
    "format-added": (lambda d: _prop(d, "institution_name").update(
        customProperties=[{"property": "format", "value": "institution_code"}]), "institution_name"),
    "format-changed": (lambda d: _item(d, "item_code").update(
        customProperties=[{"property": "format", "value": "drug_code"}]), "items[].item_code"),
    "pattern-changed": (lambda d: _prop(d, "refund_of")["logicalTypeOptions"].update(pattern="^ST2026\\d{12}$"),
                        "refund_of"),
    "constraint-tightened": (lambda d: _prop(d, "address")["logicalTypeOptions"].update(maxLength=100), "address"),
    "max-bytes-tightened": (lambda d: _custom(d, "maxRecordBytes").update(value=65536), ""),
    "extra-fields-forbidden": None,  # the base forbids already; tested below from an allowing base
    "primary-key-changed": (lambda d: (_prop(d, "settlement_id").pop("primaryKey"),
                                       _prop(d, "event_time").update(primaryKey=True)), ""),
    "rule-added": (lambda d: d["schema"][0]["quality"].append({
        "type": "custom", "engine": "medshare", "name": "quick", "implementation": {
            "rule": "not-before", "field": "discharge_date", "reference": "birth_date"}}), ""),
    "rule-changed": (lambda d: d["schema"][0]["quality"][0]["implementation"].update(tolerance=0.001), ""),
    "quality-tightened": (lambda d: d["schema"][0]["quality"][-1].update(mustBeGreaterOrEqualTo=10), ""),
    "tag-removed": (lambda d: _prop(d, "phone").update(tags=[]), "phone"),
}

COMPATIBLE = {
    "optional-field-added": (lambda d: _props(d).append({"name": "ward", "logicalType": "string"}), "ward"),
    "enum-widened": (lambda d: _prop(d, "visit_type")["enum"].append({"value": "22"}), "visit_type"),
    "format-removed": (lambda d: _prop(d, "phone").pop("customProperties"), "phone"),
    "pattern-removed": (lambda d: _prop(d, "refund_of").pop("logicalTypeOptions"), "refund_of"),
    "constraint-relaxed": (lambda d: _prop(d, "address")["logicalTypeOptions"].update(maxLength=400), "address"),
    "max-bytes-relaxed": (lambda d: _custom(d, "maxRecordBytes").update(value=524288), ""),
    "extra-fields-allowed": (lambda d: _custom(d, "extraFields").update(value="allow"), ""),
    "rule-removed": (lambda d: d["schema"][0]["quality"].pop(1), ""),
    "quality-relaxed": (lambda d: d["schema"][0]["quality"].pop(), ""),
    "tag-added": (lambda d: _prop(d, "institution_code")["tags"].append("provider"), "institution_code"),
    "description-changed": (lambda d: _prop(d, "name").update(description="姓名 as on the ID card"), "name"),
}


@pytest.mark.parametrize("kind", sorted(k for k, v in BREAKING.items() if v))
def test_breaking_change_without_major_bump_is_an_error(kind):
    edit, field = BREAKING[kind]
    report = changed(edit)
    kinds = {(c.kind, c.field) for c in report.changes}
    assert (kind, field) in kinds, sorted(kinds)
    assert not report.ok
    [error] = [e for e in report.errors if f": {kind}:" in e]
    assert error.startswith(f"{field or '(contract)'}: {kind}:") and "major version bump" in error
    # the same change with a major bump is allowed
    assert changed(edit, version="2.0.0").ok


@pytest.mark.parametrize("kind", sorted(COMPATIBLE))
def test_compatible_change_passes(kind):
    edit, field = COMPATIBLE[kind]
    report = changed(edit)
    assert (kind, field) in {(c.kind, c.field) for c in report.changes}
    assert report.ok, report.errors
    assert not report.breaking


def test_extra_fields_forbidden_from_an_allowing_contract():
    allowing = copy.deepcopy(BASE)
    _custom(allowing, "extraFields")["value"] = "allow"
    forbidding = copy.deepcopy(BASE)
    forbidding["version"] = "1.1.0"
    report = diff(Contract.from_dict(allowing), Contract.from_dict(forbidding))
    assert [c.kind for c in report.breaking] == ["extra-fields-forbidden"] and not report.ok


def test_quality_bound_relaxed_and_tightened():
    lab = yaml.safe_load((Path(registry.CONTRACTS_DIR) / "lab.settlements.v1.yaml").read_text())

    def with_bounds(lo, hi):
        d = copy.deepcopy(lab)
        d["version"] = "1.1.0"
        d["schema"][0]["quality"][-1]["mustBeBetween"] = [lo, hi]
        return Contract.from_dict(d)

    base = Contract.from_dict(lab)
    wider = diff(base, with_bounds(0, 10**9))
    assert [c.kind for c in wider.changes] == ["quality-relaxed"] and wider.ok
    narrower = diff(base, with_bounds(100, 10**6))
    assert [c.kind for c in narrower.changes] == ["quality-tightened"] and not narrower.ok


def test_unchanged_contract_and_version_rules():
    same = diff(Contract.from_dict(BASE), Contract.from_dict(BASE))
    assert same.ok and same.changes == [] and same.warnings == []
    backwards = changed(lambda d: None, version="0.9.0")
    assert any("backwards" in e for e in backwards.errors)
    unbumped = changed(lambda d: _props(d).append({"name": "ward", "logicalType": "string"}), version="1.0.0")
    assert unbumped.ok and any("still 1.0.0" in w for w in unbumped.warnings)


def test_diff_command_and_module_entry_point(tmp_path, capsys):
    from medshare.cli.main import app

    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text(yaml.safe_dump(BASE, allow_unicode=True))
    doc = copy.deepcopy(BASE)
    doc["version"] = "1.1.0"
    _props(doc).remove(_prop(doc, "card_no"))
    new.write_text(yaml.safe_dump(doc, allow_unicode=True))
    runner = CliRunner()
    res = runner.invoke(app, ["contracts", "diff", str(old), str(new)])
    assert res.exit_code == 1 and "card_no: field-removed" in res.output
    res = runner.invoke(app, ["contracts", "diff", str(old), str(new), "--json"])
    data = json.loads(res.output)
    assert data["ok"] is False and data["changes"][0]["kind"] == "field-removed"
    assert runner.invoke(app, ["contracts", "diff", str(old), str(old)]).exit_code == 0
    assert diff_files(str(old), str(new)).breaking
    assert main([str(old), str(new)]) == 1
    assert main([str(old), str(old), "--json"]) == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\n")
    assert main([str(old), str(broken)]) == 2


# --- record kinds on one topic (an insurer's claims topic) ---------------------------------------


def _claims_doc(code: str) -> dict:
    return yaml.safe_load((Path(registry.CONTRACTS_DIR) / f"insurer.{code}.claims.v1.yaml").read_text())


def _without_kind(doc: dict, name: str) -> dict:
    d = copy.deepcopy(doc)
    d["schema"] = [o for o in d["schema"] if o["name"] != name]
    return d


@pytest.mark.parametrize("code", ["shenlife"])  # hhb's topic (mode result) has the claim results only
def test_a_new_record_kind_is_compatible(code):
    """The claim results added beside the router's records (shenlife: one kind became two)."""
    new = _claims_doc(code)
    old = _without_kind(new, "claim_results")
    old["version"] = "1.0.0"
    report = diff(Contract.from_dict(old), Contract.from_dict(new))
    assert report.ok, report.errors
    assert ("optional-field-added", "claim_results:") in {(c.kind, c.field) for c in report.changes}
    assert not report.breaking


def test_a_record_kinds_key_change_is_breaking():
    old = _claims_doc("shenlife")
    new = copy.deepcopy(old)
    new["version"] = "1.9.0"
    kind = next(o for o in new["schema"] if o["name"] == "claim_results")
    next(p for p in kind["properties"] if p["name"] == "claim_id")["primaryKey"] = False
    next(p for p in kind["properties"] if p["name"] == "settlement_id")["primaryKey"] = True
    report = diff(Contract.from_dict(old), Contract.from_dict(new))
    assert ("primary-key-changed", "claim_results:") in {(c.kind, c.field) for c in report.breaking}
    assert not report.ok
    # and a removed record kind breaks its consumers
    gone = diff(Contract.from_dict(old), Contract.from_dict({**_without_kind(old, "claim_results"), "version": "1.9.0"}))
    assert ("field-removed", "claim_results:") in {(c.kind, c.field) for c in gone.breaking}
