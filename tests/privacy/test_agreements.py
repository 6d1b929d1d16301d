"""Sharing agreements: the shipped ones load, every malformed kind fails with file and line,
and projection keeps only what an agreement names."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from medshare.cli import agreements as agreements_cli
from privacy.agreements import (
    AGREEMENTS_DIR,
    DIRECT_IDENTIFIERS,
    DROP,
    AgreementError,
    Retention,
    Treatment,
    check_folder,
    load_agreement,
    load_agreements,
    parse_agreement,
    parse_retention,
    parse_treatment,
)

# --- the shipped agreements ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return load_agreements()


def test_shipped_agreements_load(shipped):
    assert sorted(shipped.insurers) == ["hhb", "shenlife"]
    hhb, shen = shipped.for_insurer("hhb"), shipped.for_insurer("shenlife")
    assert {g.purpose for g in hhb.grants} == {"claims", "actuarial", "supervision"}
    assert {g.purpose for g in shen.grants} == {"claims", "actuarial"}
    for a in shipped:
        assert "fictional" in (a.notes or "").lower()
        assert "FICTIONAL" in a.path.read_text("utf-8")


def test_shipped_agreements_differ_in_fields(shipped):
    hhb = shipped.grant("hhb", "claims")
    shen = shipped.grant("shenlife", "claims")
    # hhb is mode result (rules inside: only the claim result leaves); shenlife mode detail
    assert (hhb.mode, shen.mode) == ("result", "detail")
    assert not hhb.sends_records and shen.sends_records
    # what hhb's rules read inside is less than what shenlife receives: no name, no resident ID
    assert not {"name", "resident_id", "phone", "address", "card_no", "birth_date"} & set(hhb.output_fields)
    assert hhb.treatment("name") == Treatment("drop") and hhb.treatment("resident_id") == Treatment("drop")
    # no e-medical notes for either
    for code in ("hhb", "shenlife"):
        assert [g.source for g in shipped.for_insurer(code).grants_for("claims")] == ["platform.settlements.v2"]


def test_shipped_identity_fields_never_plain(shipped):
    for a in shipped:
        for g in a.grants:
            for path, t in g.fields.items():
                if path.rsplit(".", 1)[-1] in DIRECT_IDENTIFIERS:
                    assert t.kind in ("encrypt", "pseudonymise", "redact", "drop"), (a.insurer, path)
            if g.is_aggregate:
                assert g.min_group_size >= 2 and g.source_kind == "mart"
                assert g.output == f"insurer.{a.insurer}.marts.v1"
            else:
                assert g.basis == "consent" and g.consent_categories
                assert g.output == f"insurer.{a.insurer}.claims.v1"


def test_agreement_set_lookups(shipped):
    claims = shipped.grants("claims")
    assert [(ref.insurer, ref.grant.source) for ref in claims] == [
        ("hhb", "platform.settlements.v2"),
        ("shenlife", "platform.settlements.v2"),
    ]
    insurer, grant = claims[0]  # unpacks as (insurer, grant)
    assert insurer == "hhb" and grant.purpose == "claims"
    assert [r.insurer for r in shipped.by_source("platform.settlements.v2")] == ["hhb", "shenlife"]
    assert [r.insurer for r in shipped.grants("supervision")] == ["hhb"]
    with pytest.raises(KeyError, match="grants no supervision"):
        shipped.grant("shenlife", "supervision")
    with pytest.raises(KeyError, match="no agreement for insurer 'nope'"):
        shipped.for_insurer("nope")


def test_effective_dates(shipped):
    shen = shipped.for_insurer("shenlife")
    assert not shen.in_effect(date(2026, 2, 28)) and shen.in_effect(date(2026, 3, 1))
    assert not shen.in_effect(date(2027, 3, 1))  # effective_to is exclusive
    # a datetime counts in Shanghai time: 2026-02-28T16:00Z is 2026-03-01 00:00 in Shanghai
    assert shen.in_effect(datetime(2026, 2, 28, 16, 0, tzinfo=UTC))
    assert [r.insurer for r in shipped.grants("claims", at=date(2026, 2, 1))] == ["hhb"]


def test_fingerprint_is_a_stable_hash_of_the_file(tmp_path, shipped):
    a = shipped.for_insurer("hhb")
    assert a.fingerprint.startswith("sha256:") and len(a.fingerprint) == 7 + 64
    assert load_agreement(a.path).fingerprint == a.fingerprint
    copy = tmp_path / "hhb.yaml"
    copy.write_bytes(a.path.read_bytes())
    assert load_agreement(copy).fingerprint == a.fingerprint  # content, not location
    copy.write_bytes(a.path.read_bytes() + b"# a comment changes the text\n")
    assert load_agreement(copy).fingerprint != a.fingerprint


# --- malformed agreements: every kind names the file and the line -----------------------------

BASE = """\
insurer: acme
insurer_name: Acme (fictional)
agreement_id: T-1
version: 1
effective_from: 2026-01-01
effective_to: 2027-01-01
grants:
  - purpose: claims
    basis: consent
    mode: detail
    source: platform.settlements.v2
    output: insurer.acme.claims.v1
    consent_categories: [settlement]
    retention: P1Y
    fields:
      settlement_id: plain
      person_no: encrypt
      resident_id: encrypt
      address: drop
      birth_date: generalise:age_band
      items[].item_code: plain
      items[].amount: plain
    method: claims adjudication
  - purpose: actuarial
    basis: aggregate
    source: mart:cost_by_disease_age_band
    output: insurer.acme.marts.v1
    min_group_size: 10
    retention: 365
    fields:
      age_band: plain
      total_amount: generalise:amount_band
recipient: {legal_name: Acme Ltd (fictional), contact: 400-000-0000, dpo_contact: dpo@acme.example}
"""

# (case id, [(old, new)], message fragment); the expected line carries the marker "# <-"
MALFORMED = [
    (
        "unknown-treatment",
        [("      items[].amount: plain", "      items[].amount: hash  # <-")],
        "unknown treatment 'hash'",
    ),
    (
        "unknown-generalise-rule",
        [("birth_date: generalise:age_band", "birth_date: generalise:decade  # <-")],
        "unknown generalise rule 'decade'",
    ),
    (
        "generalise-without-rule",
        [("birth_date: generalise:age_band", "birth_date: generalise  # <-")],
        "needs a rule",
    ),
    ("rule-on-plain", [("settlement_id: plain", "settlement_id: plain:x  # <-")], "takes no rule"),
    (
        "treatment-not-string",
        [("settlement_id: plain", "settlement_id: [plain]  # <-")],
        "treatment is a string",
    ),
    (
        "duplicate-field",
        [("      address: drop", "      address: drop\n      person_no: plain  # <-")],
        "duplicate field 'person_no' (first at line 17)",
    ),
    ("duplicate-key", [("version: 1", "version: 1\nversion: 2  # <-")], "duplicate key 'version'"),
    (
        "plain-direct-identifier",
        [("      resident_id: encrypt", "      resident_id: plain  # <-")],
        "'resident_id' is a direct identifier: 'plain' is not allowed",
    ),
    (
        "generalised-direct-identifier",
        [("      address: drop", "      address: generalise:district  # <-")],
        "'address' is a direct identifier",
    ),
    (
        "nested-direct-identifier",
        [("      items[].amount: plain", "      items[].amount: plain\n      contact.phone: plain  # <-")],
        "'contact.phone' is a direct identifier",
    ),
    (
        "free-text-plain",
        [("      items[].amount: plain", "      items[].amount: plain\n      text: plain  # <-")],
        "free text",
    ),
    (
        "aggregate-per-record-source",
        [("source: mart:cost_by_disease_age_band", "source: lab.settlements.v1  # <-")],
        "cannot read the per-record source",
    ),
    (
        "aggregate-without-k",
        [("  - purpose: actuarial", "  - purpose: actuarial  # <-"), ("    min_group_size: 10\n", "")],
        "needs min_group_size",
    ),
    ("aggregate-k-below-2", [("min_group_size: 10", "min_group_size: 1  # <-")], "at least 2"),
    ("k-not-integer", [("min_group_size: 10", "min_group_size: '10'  # <-")], "valid integer"),
    (
        "aggregate-names-identifier",
        [("      age_band: plain", "      age_band: plain\n      person_no: encrypt  # <-")],
        "an aggregate grant may only drop it",
    ),
    (
        "unknown-key",
        [("    retention: P1Y", "    retention: P1Y\n    colour: red  # <-")],
        "unknown key 'colour'",
    ),
    (
        "missing-key",
        [("  - purpose: claims", "  - purpose: claims  # <-"), ("    retention: P1Y\n", "")],
        "missing key 'retention'",
    ),
    ("unknown-purpose", [("purpose: claims", "purpose: marketing  # <-")], "'marketing'"),
    (
        "purpose-basis-mismatch",
        [("basis: consent", "basis: aggregate  # <-")],
        "must rest on basis 'consent'",
    ),
    (
        "other-insurers-topic",
        [("output: insurer.acme.claims.v1", "output: insurer.hhb.claims.v1  # <-")],
        "must be insurer.acme.claims.v1",
    ),
    (
        "missing-consent-category",
        [("consent_categories: [settlement]", "consent_categories: [emr]  # <-")],
        "needs consent category 'settlement'",
    ),
    (
        "unknown-source",
        [("source: platform.settlements.v2", "source: platform.nope.v1  # <-")],
        "unknown source",
    ),
    ("bad-retention", [("retention: P1Y", "retention: 5 years  # <-")], "not an ISO 8601 duration"),
    ("bad-field-path", [("settlement_id: plain", "settlement id: plain  # <-")], "not a name or a path"),
    (
        "overlapping-fields",
        [("      items[].amount: plain", "      items[].amount: plain\n      items: plain  # <-")],
        "name it whole or by its parts",
    ),
    ("version-as-string", [("version: 1", "version: '1'  # <-")], "valid integer"),
    ("bad-insurer-code", [("insurer: acme", "insurer: ACME  # <-")], "insurer code 'ACME'"),
    (
        "effective-to-before-from",
        [("effective_to: 2027-01-01", "effective_to: 2025-01-01  # <-")],
        "after effective_from",
    ),
]


def _variant(edits: list[tuple[str, str]]) -> tuple[str, int]:
    text = BASE
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    marked = [i for i, line in enumerate(text.splitlines(), 1) if "# <-" in line]
    assert len(marked) == 1
    return text, marked[0]


def test_base_fixture_is_valid(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text(BASE, "utf-8")
    a = load_agreement(path)
    assert a.insurer == "acme" and [g.purpose for g in a.grants] == ["claims", "actuarial"]


@pytest.mark.parametrize(("edits", "fragment"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_malformed_agreement_names_file_and_line(tmp_path, edits, fragment):
    text, line = _variant(edits)
    path = tmp_path / "acme.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(AgreementError) as info:
        load_agreement(path)
    err = info.value
    first = err.problems[0]
    assert first.path.endswith("acme.yaml")
    assert (first.line, fragment in first.message) == (line, True), str(err)
    assert str(err).startswith(f"{first.path}:{line}: ")


@pytest.mark.parametrize(("old", "new", "fragment"), [
    ("    mode: detail\n", "", "a claims grant must declare its mode"),
    ("    mode: detail\n", "    mode: both\n", "grants[0].mode"),
    ("    basis: aggregate\n", "    basis: aggregate\n    mode: result\n", "mode applies to claims grants only"),
    ("    mode: detail\n    source: platform.settlements.v2", "    mode: result\n    source: platform.emr-notes.v1",
     "a result grant reads platform.settlements.v2"),
])
def test_claims_grants_declare_their_mode(old, new, fragment):
    with pytest.raises(AgreementError) as info:
        parse_agreement(BASE.replace(old, new), "acme.yaml")
    assert fragment in str(info.value)


def test_yaml_syntax_error_names_where_noticed_and_where_it_started(tmp_path):
    text = BASE.replace("consent_categories: [settlement]", "consent_categories: [settlement")
    path = tmp_path / "acme.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(AgreementError) as info:
        load_agreement(path)
    # the bracket opened on line 13 is noticed unclosed on line 14
    assert info.value.line == 14
    assert "YAML syntax" in str(info.value) and "flow sequence started at line 13" in str(info.value)


def test_all_problems_of_a_file_are_reported(tmp_path):
    text = BASE.replace("resident_id: encrypt", "resident_id: plain").replace(
        "min_group_size: 10", "min_group_size: 1"
    )
    with pytest.raises(AgreementError) as info:
        parse_agreement(text, "x.yaml")
    assert len(info.value.problems) == 2
    assert "and 1 more" in info.value.summary()


def test_empty_and_unreadable_files(tmp_path):
    empty = tmp_path / "e.yaml"
    empty.write_text("", "utf-8")
    with pytest.raises(AgreementError, match="e.yaml:1: the file is empty"):
        load_agreement(empty)
    with pytest.raises(AgreementError, match="cannot read"):
        load_agreement(tmp_path / "missing.yaml")
    with pytest.raises(AgreementError, match="valid dictionary"):
        parse_agreement("- a\n- b\n", "list.yaml")


def test_folder_rules_across_files(tmp_path):
    (tmp_path / "acme.yaml").write_text(BASE, "utf-8")
    (tmp_path / "other.yaml").write_text(BASE, "utf-8")  # acme again, and misnamed
    (tmp_path / "bad.yaml").write_text(
        BASE.replace("hash", "x").replace("address: drop", "address: plain"), "utf-8"
    )
    with pytest.raises(AgreementError) as info:
        load_agreements(tmp_path)
    text = str(info.value)
    assert "bad.yaml:19: grants[0].fields.address" in text
    assert "other.yaml:1: insurer: the agreement of insurer 'acme' must be in a file named acme.yaml" in text
    checks = {c.path.name: c.ok for c in check_folder(tmp_path)}
    assert checks == {"acme.yaml": True, "bad.yaml": False, "other.yaml": False}


def test_duplicate_insurer_in_two_files(tmp_path):
    (tmp_path / "acme.yaml").write_text(BASE, "utf-8")
    (tmp_path / "acme.yml").write_text(BASE, "utf-8")
    with pytest.raises(AgreementError, match="already has an agreement in"):
        load_agreements(tmp_path)


# --- treatments, retention, projection -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", Treatment("plain")),
        ("encrypt", Treatment("encrypt")),
        ("pseudonymise", Treatment("pseudonymise")),
        ("redact", Treatment("redact")),
        ("drop", Treatment("drop")),
        ("generalise:age_band", Treatment("generalise", "age_band")),
        ("generalise:amount_band", Treatment("generalise", "amount_band")),
    ],
)
def test_parse_treatment(text, expected):
    t = parse_treatment(text)
    assert t == expected and str(t) == text


@pytest.mark.parametrize(
    "text", ["hash", "generalise", "generalise:", "generalise:decade", "encrypt:x", "", "PLAIN"]
)
def test_parse_treatment_rejects(text):
    with pytest.raises(ValueError):
        parse_treatment(text)


@pytest.mark.parametrize(
    ("value", "iso", "days"),
    [
        ("P5Y", "P5Y", 1825),
        ("P18M", "P18M", 540),
        ("P2W", "P14D", 14),
        ("P1Y6M", "P1Y6M", 545),
        (365, "P365D", 365),
    ],
)
def test_parse_retention(value, iso, days):
    r = parse_retention(value)
    assert (r.iso, r.approx_days) == (iso, days)


@pytest.mark.parametrize("value", ["P", "P0D", "5Y", "PT5H", 0, -3, True, 1.5, "P1.5Y"])
def test_parse_retention_rejects(value):
    with pytest.raises(ValueError):
        parse_retention(value)


def test_retention_expiry_is_calendar_exact():
    assert Retention(years=1).expires(date(2024, 2, 29)) == date(2025, 2, 28)
    assert Retention(months=1).expires(date(2026, 1, 31)) == date(2026, 2, 28)
    assert Retention(days=10).expires(date(2026, 12, 25)) == date(2027, 1, 4)


SETTLEMENT = {
    "settlement_id": "ST2026030512345678",
    "event_type": "settlement",
    "person_no": "3100000000012345",
    "name": "张三",
    "resident_id": "310101199001011234",
    "address": "上海市黄浦区某路1号",
    "birth_date": "1990-01-01",
    "surprise_new_field": "never passes",
    "items": [
        {"item_code": "X01", "amount": 12.5, "item_name": "药", "secret": 1},
        {"item_code": "X02", "amount": 3.0},
    ],
}


def test_project_keeps_only_named_fields():
    grant = parse_agreement(BASE, "acme.yaml").grant("claims")
    out = grant.project(SETTLEMENT)
    assert out == {
        "settlement_id": "ST2026030512345678",
        "person_no": "3100000000012345",
        "resident_id": "310101199001011234",
        "birth_date": "1990-01-01",
        "items": [{"item_code": "X01", "amount": 12.5}, {"item_code": "X02", "amount": 3.0}],
    }
    # name is not named at all, address is named "drop", the new field is unknown: none pass
    assert (
        grant.treatment("name") == Treatment("drop") and grant.treatment("surprise_new_field").kind == "drop"
    )


def test_project_applies_treat_callback_with_agreement_paths():
    grant = parse_agreement(BASE, "acme.yaml").grant("claims")
    seen = []

    def treat(path, value, treatment):
        seen.append((path, str(treatment)))
        if treatment.kind == "encrypt":
            return f"enc({value})"
        if path == "items[].amount":
            return DROP
        return value

    out = grant.project(SETTLEMENT, treat)
    assert out["person_no"] == "enc(3100000000012345)"
    assert out["items"] == [{"item_code": "X01"}, {"item_code": "X02"}]
    assert ("birth_date", "generalise:age_band") in seen and ("items[].amount", "plain") in seen
    assert not any(p in ("address", "name") for p, _ in seen)


def test_project_leaves_out_an_array_whose_fields_are_all_dropped():
    text = BASE.replace("items[].item_code: plain", "items[].item_code: drop").replace(
        "items[].amount: plain", "items[].amount: drop"
    )
    grant = parse_agreement(text, "acme.yaml").grant("claims")
    assert "items" not in grant.project(SETTLEMENT)


def test_project_leaves_out_wrongly_shaped_nested_values():
    grant = parse_agreement(BASE, "acme.yaml").grant("claims")
    assert "items" not in grant.project({"items": "not a list"})
    assert grant.project({"items": None}) == {"items": None}
    assert grant.project({"items": [1, {"item_code": "A", "x": 2}]}) == {"items": [{"item_code": "A"}]}


_keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=14)
_records = st.dictionaries(
    st.one_of(_keys, st.sampled_from(list(SETTLEMENT))),
    st.one_of(
        st.integers(), st.text(max_size=5), st.lists(st.dictionaries(_keys, st.integers()), max_size=3)
    ),
    max_size=12,
)


@given(_records)
def test_nothing_unnamed_ever_passes(record):
    grant = parse_agreement(BASE, "acme.yaml").grant("claims")
    out = grant.project(record)
    allowed_top = {p.split(".")[0].removesuffix("[]") for p in grant.output_fields}
    assert set(out) <= allowed_top
    for item in out.get("items") or []:
        assert set(item) <= {"item_code", "amount"}


def test_agreements_dir_is_the_shipped_folder():
    assert AGREEMENTS_DIR == Path(__file__).resolve().parents[2] / "contracts" / "agreements"


# --- CLI ------------------------------------------------------------------------------------


@pytest.fixture
def cli():
    app = typer.Typer()
    agreements_cli.register(app)
    app.command("noop")(lambda: None)  # a second command keeps "agreements" a sub-command
    return app


def test_cli_list_show_validate(cli):
    runner = CliRunner()
    res = runner.invoke(cli, ["agreements", "list", "--json"])
    assert res.exit_code == 0, res.output
    assert [a["insurer"] for a in json.loads(res.stdout)] == ["hhb", "shenlife"]
    res = runner.invoke(cli, ["agreements", "show", "shenlife", "--json"])
    detail = json.loads(res.stdout)
    assert detail["grants"][0]["fields"]["certno"] == "encrypt"
    res = runner.invoke(cli, ["agreements", "validate"])
    assert res.exit_code == 0 and res.stdout.count("ok ") == 2


def test_cli_validate_reports_file_and_line(cli, tmp_path):
    text, line = _variant(MALFORMED[0][1])
    bad = tmp_path / "acme.yaml"
    bad.write_text(text, "utf-8")
    res = CliRunner().invoke(cli, ["agreements", "validate", str(bad), "--json"])
    assert res.exit_code == 1
    report = json.loads(res.stdout)
    assert report["ok"] is False and report["files"][0]["problems"][0]["line"] == line
    res = CliRunner().invoke(cli, ["agreements", "validate", str(bad)])
    assert f"acme.yaml:{line}: grants[0].fields.items[].amount: unknown treatment" in res.output


def test_cli_show_unknown_insurer_is_a_user_error(cli):
    from medshare.errors import UserError

    res = CliRunner().invoke(cli, ["agreements", "show", "nope"])
    assert isinstance(res.exception, UserError) and "no agreement for insurer 'nope'" in str(res.exception)
