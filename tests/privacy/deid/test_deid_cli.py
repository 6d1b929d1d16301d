"""``medshare deid text``: one note per line in, one per line out; --json never echoes identifiers."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from medshare.cli.main import app

NOTES = "患者张伟，联系电话13812345678。\n\n随访：今日复诊，住院号：20240315\n"


def test_text_one_per_line():
    result = CliRunner().invoke(app, ["deid", "text"], input=NOTES)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "患者<PERSON>，联系电话<PHONE>。",
        "",
        "随访：今日复诊，住院号：<HOSPITAL_RECORD_NO>",
    ]


def test_known_names_option():
    note = "家属隋东：今日来电\n"
    plain = CliRunner().invoke(app, ["deid", "text"], input=note)
    named = CliRunner().invoke(app, ["deid", "text", "--name", "隋东", "-n", "张伟"], input=note)
    assert named.exit_code == 0, named.output
    assert named.stdout.splitlines() == ["家属<PERSON>：今日来电"]
    assert plain.exit_code == 0


def test_json_lines_with_offsets_and_no_plaintext():
    result = CliRunner().invoke(app, ["deid", "text", "--json"], input=NOTES)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3
    first = lines[0]
    assert first["text"] == "患者<PERSON>，联系电话<PHONE>。"
    assert [(s["start"], s["end"], s["type"]) for s in first["spans"]] == [(2, 4, "PERSON"), (9, 20, "PHONE")]
    assert all(0.5 <= s["score"] <= 1.0 for s in first["spans"])
    assert first["counts"] == {"PHONE": 1, "PERSON": 1}
    assert lines[1] == {"text": "", "spans": [], "counts": {}}
    assert "13812345678" not in result.stdout and "20240315" not in result.stdout


def test_full_width_identifiers_are_redacted_and_offsets_are_the_inputs():
    note = "身份证号３１０１０４１９９００３０７４２１１，电话１３８ １２３４ ５６７８\n"
    result = CliRunner().invoke(app, ["deid", "text", "--json"], input=note)
    line = json.loads(result.stdout)
    assert line["text"] == "身份证号<RESIDENT_ID>，电话<PHONE>"
    assert [(s["start"], s["end"]) for s in line["spans"]] == [(4, 22), (25, 38)]


def test_residual_numbers_are_redacted_and_reported_without_their_value():
    result = CliRunner().invoke(app, ["deid", "text", "--json"], input="备注 123456789012345678901\n")
    line = json.loads(result.stdout)
    assert line["text"] == "备注 <ID_NUMBER>"
    assert line["residual"] == [{"rule": "long-number", "start": 3, "end": 24}]
    assert "123456789012345678901" not in result.stdout


def test_help_has_an_example():
    result = CliRunner().invoke(app, ["deid", "text", "--help"])
    assert result.exit_code == 0
    assert "medshare deid text --json" in result.stdout
