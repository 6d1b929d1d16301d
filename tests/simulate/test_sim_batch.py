"""The batch snapshot (per table and day: settlements as the interface's JSON Lines, the rest Parquet),
JSONL files, the sidecar and summary of a run."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from medshare.simulate.run import SimConfig, iter_events, run
from medshare.simulate.sinks import COLUMNS, INTERFACE_TABLE, TABLES
from medshare.topics import PLATFORM_CONSENTS, PLATFORM_EMR_NOTES, PLATFORM_SETTLEMENTS, PLATFORM_TOPICS

CFG = SimConfig(persons=800, days=6, seed=31, malformed_rate=0.05)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("sim")
    summary = run(CFG, folder / "run", kafka=False, batch=True, jsonl_dir=folder / "jsonl")
    return folder, summary


def _table(root: Path, table: str, day: str = "*") -> str:
    return f"read_parquet('{root}/run/batch/{table}/date={day}/*.parquet', hive_partitioning=true)"


def _interface_lines(root: Path, day: str = "*") -> list[bytes]:
    files = sorted((root / "run" / "batch" / INTERFACE_TABLE).glob(f"date={day}/part-*.jsonl"))
    return [ln for f in files for ln in f.read_bytes().splitlines()]


def test_summary_and_sidecar(run_dir: tuple[Path, dict[str, Any]]) -> None:
    root, summary = run_dir
    on_disk = json.loads((root / "run" / "summary.json").read_text())
    assert on_disk["topics"] == summary["topics"] and on_disk["malformed"] == summary["malformed"]
    lines = [json.loads(x) for x in (root / "run" / "malformed.jsonl").read_text().splitlines()]
    assert len(lines) == summary["malformed_total"] > 0
    assert Counter(x["kind"] for x in lines) == Counter(summary["malformed"])
    assert {x["topic"] for x in lines} <= set(PLATFORM_TOPICS)
    assert summary["persons"] == CFG.persons
    assert set(summary["consents"]["consenting_persons"]) == set(CFG.insurers)
    assert summary["settlements_per_second"] > 0


def test_parquet_counts_match(run_dir: tuple[Path, dict[str, Any]]) -> None:
    root, summary = run_dir
    con = duckdb.connect()
    for topic, table in TABLES.items():
        if table == INTERFACE_TABLE:
            n = len(_interface_lines(root))
        else:
            n = con.execute(f"select count(*) from {_table(root, table)}").fetchone()[0]
        assert n == summary["topics"][topic] == summary["sinks"]["batch"]["rows"][table]


def test_one_folder_per_day_and_table(run_dir: tuple[Path, dict[str, Any]]) -> None:
    root, _ = run_dir
    days = [(CFG.start_date + timedelta(days=d)).isoformat() for d in range(CFG.days)]
    for table in TABLES.values():
        folders = sorted(p.name for p in (root / "run" / "batch" / table).iterdir())
        assert folders == [f"date={d}" for d in days]
        suffix = "jsonl" if table == INTERFACE_TABLE else "parquet"
        assert all((root / "run" / "batch" / table / f"date={d}" / f"part-00000.{suffix}").exists() for d in days)
    # one day of the platform, as an extract task reads it
    day = days[2]
    got = _interface_lines(root, day)
    assert got
    expected = [e for e in iter_events(CFG) if e.topic == PLATFORM_SETTLEMENTS and e.day == date.fromisoformat(day)]
    assert len(got) == len(expected)


def test_settlements_are_the_interfaces_own_lines(run_dir: tuple[Path, dict[str, Any]]) -> None:
    """Each line is what a 医保 interface extract holds, and ``platform ingest``'s shaping gives back
    exactly the record the simulator published (malformed ones stay malformed the same way)."""
    from medshare.envelope import encode_value
    from medshare.ingest import to_record

    root, _ = run_dir
    events = [e for e in iter_events(CFG) if e.topic == PLATFORM_SETTLEMENTS]
    lines = _interface_lines(root)
    assert len(lines) == len(events)
    kinds: Counter = Counter()
    for raw, ev in zip(lines, events, strict=True):
        if ev.malformed == "broken_json":
            assert raw == ev.value
            continue
        line = json.loads(raw)
        if "revoke" in line:
            assert set(line) == {"revoke"}
            kinds["revoke"] += 1
        else:
            assert set(line) <= {"setlinfo", "setldetail", "feedetail", "diseinfo"} and "setlinfo" in line
            assert not {"setldetail", "feedetail", "diseinfo"} & set(line["setlinfo"])
            kinds["settlement"] += 1
        kind, record, problems = to_record(line)
        assert not problems and record == ev.record
        assert encode_value(record) == ev.value
    assert kinds["settlement"] > 100  # (revocations are 0.5 %: their lines are checked in tests/platform)


def test_rows_are_faithful(run_dir: tuple[Path, dict[str, Any]]) -> None:
    root, _ = run_dir
    con = duckdb.connect()
    by_id = {e.event_id: e for e in iter_events(CFG)}
    for table in COLUMNS:
        rows = con.execute(f"select * from {_table(root, table)}").fetchall()
        cols = [c[0] for c in con.execute(f"describe select * from {_table(root, table)}").fetchall()]
        for values in rows:
            row = dict(zip(cols, values, strict=True))
            ev = by_id[row["ms_event_id"]]
            assert row["date"] == ev.day
            if ev.malformed in ("broken_json", "wrong_type"):
                assert row["raw"] == ev.value.decode("utf-8")
                continue
            assert row["raw"] is None
            for name, value in ev.record.items():
                assert row[name] == value, (table, name)


def test_jsonl_values_are_the_published_bytes(run_dir: tuple[Path, dict[str, Any]]) -> None:
    root, summary = run_dir
    for topic in (PLATFORM_SETTLEMENTS, PLATFORM_EMR_NOTES, PLATFORM_CONSENTS):
        lines = (root / "jsonl" / f"{topic}.jsonl").read_bytes().splitlines()
        assert len(lines) == summary["topics"][topic]
        assert lines == [e.value for e in iter_events(CFG) if e.topic == topic]


def test_a_rerun_replaces_the_batch(run_dir: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    small = SimConfig(persons=50, days=2, seed=31)
    run(small, tmp_path / "r", kafka=False)
    run(small, tmp_path / "r", kafka=False)
    con = duckdb.connect()
    n = con.execute(f"select count(*) from read_parquet('{tmp_path}/r/batch/emr_notes/*/*.parquet')").fetchone()[0]
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    assert n == summary["topics"][PLATFORM_EMR_NOTES]
    lines = sum(len(f.read_bytes().splitlines()) for f in (tmp_path / "r" / "batch" / INTERFACE_TABLE).glob("*/*.jsonl"))
    assert lines == summary["topics"][PLATFORM_SETTLEMENTS]


def test_files_with_plaintext_identifiers_are_owner_only(run_dir: tuple[Path, dict[str, Any]]) -> None:
    """Batch Parquet and interface lines, JSON Lines and the sidecar hold names and ID numbers: 0600 files
    in 0700 folders."""
    import stat

    root, _ = run_dir
    files = [p for p in (root / "run").rglob("*") if p.is_file()] + list((root / "jsonl").glob("*.jsonl"))
    folders = [root / "run", root / "jsonl"] + [p for p in (root / "run").rglob("*") if p.is_dir()]
    assert {".parquet", ".jsonl"} <= {p.suffix for p in files} and len(folders) > 3
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {"0o600"}
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in folders} == {"0o700"}
