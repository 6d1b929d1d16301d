"""``medshare deid text``: one note per line in, one per line out; --json never echoes identifiers."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from medshare.cli.main import app

NOTES = "患者张伟，联系电话13812345678。\n\n随访：隋东华今日复诊，住院号：20240315\n"


def test_text_one_per_line():
    result = CliRunner().invoke(app, ["deid", "text"], input=NOTES)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "患者<PERSON>，联系电话<PHONE>。",
        "",
        "随访：隋东华今日复诊，住院号：<HOSPITAL_RECORD_NO>",
    ]


def test_known_names_option():
    result = CliRunner().invoke(app, ["deid", "text", "--name", "隋东华", "-n", "张伟"], input=NOTES)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2] == "随访：<PERSON>今日复诊，住院号：<HOSPITAL_RECORD_NO>"


def test_json_lines_with_offsets_and_no_plaintext():
    result = CliRunner().invoke(app, ["deid", "text", "--json"], input=NOTES)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3
    first = lines[0]
    assert first["text"] == "患者<PERSON>，联系电话<PHONE>。"
    assert first["spans"] == [
        {"start": 2, "end": 4, "type": "PERSON", "score": 0.85},
        {"start": 9, "end": 20, "type": "PHONE", "score": 1.0},
    ]
    assert first["counts"] == {"PHONE": 1, "PERSON": 1}
    assert lines[1] == {"text": "", "spans": [], "counts": {}}
    assert "13812345678" not in result.stdout and "20240315" not in result.stdout


def test_help_has_an_example():
    result = CliRunner().invoke(app, ["deid", "text", "--help"])
    assert result.exit_code == 0
    assert "medshare deid text --json" in result.stdout
