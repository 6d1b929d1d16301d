"""Each DAG really run with ``airflow dags test`` against the real broker and a fresh lab.

One module-wide pipeline (fresh topics and state on this session's broker, a two-day batch
snapshot: settlements as the national interface's JSON Lines, the other tables Parquet), then, in
order: ``platform_extract`` publishes exactly one day — the interface lines the contract accepts,
the refused ones sealed into the quarantine — and a rerun publishes nothing; the stream processors (consent-sync, de-identifier) run until idle; ``lab_load`` fills
the lab and a rerun adds nothing; a row breaking the lab contract fails ``lab_load`` with the
failed expectation in the task log; ``rotate_keys`` makes new key versions and old ciphertexts
still decrypt. Durations of each ``dags test`` are printed (``-s`` or the -ra summary).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from airflow_helpers import dags_test

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "streams"))
from pipeline_helpers import read_topic, reset_pipeline  # noqa: E402

from medshare import topics as t  # noqa: E402

pytestmark = pytest.mark.integration

DAY = date(2026, 3, 1)
#: a run after midnight (Shanghai) of 2 March: its data interval is the whole of 1 March
RUN_AFTER = "2026-03-02T00:00:00+08:00"
SIM = {"persons": 400, "days": 2, "seed": 29, "malformed_rate": 0.04, "start_date": DAY}  # DAY: 11 settlements, 4 malformed
TIMES: dict[str, list[float]] = {}


def _dags_test(dag_id: str, env: dict[str, str], conf: str | None = None, ok: bool = True):
    proc, seconds = dags_test(dag_id, RUN_AFTER, conf=conf, env=env)
    TIMES.setdefault(dag_id, []).append(round(seconds, 1))
    print(f"airflow dags test {dag_id}: {seconds:.1f} s (rc {proc.returncode})")
    if ok:
        assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return proc


def _returned(proc) -> str:
    lines = [ln for ln in proc.stdout.splitlines() if "Returned value was:" in ln]
    assert lines, proc.stdout[-3000:]
    return lines[-1]


@pytest.fixture(scope="module")
def pipeline(kafka_broker, airflow_db):
    from medshare.simulate import SimConfig, run_simulation

    cfg = kafka_broker
    reset_pipeline(cfg)
    run_dir = cfg.sim_dir / "airflow-dags"
    summary = run_simulation(SimConfig(**SIM), cfg=cfg, run_dir=run_dir, kafka=False)
    env = {"MEDSHARE_BATCH_DIR": str(run_dir / "batch")}
    yield {"cfg": cfg, "env": env, "batch": run_dir / "batch", "summary": summary, "run_dir": run_dir}
    print("dags test seconds:", json.dumps(TIMES))


def _batch_rows(batch: Path, table: str, day: date) -> list[dict]:
    import pyarrow.parquet as pq

    rows: list[dict] = []
    for f in sorted((batch / table / f"date={day.isoformat()}").glob("*.parquet")):
        rows.extend(pq.read_table(f).to_pylist())
    return rows


def _platform_messages(cfg) -> dict[str, list]:
    return {topic: read_topic(cfg, topic) for topic in (*t.PLATFORM_TOPICS, t.QUARANTINE)}


def _day_settlements() -> list:
    """The simulator's settlements and 2208 revocations of DAY (what the interface file holds, in order)."""
    from medshare.simulate import SimConfig
    from medshare.simulate.run import iter_events

    return [e for e in iter_events(SimConfig(**SIM)) if e.topic == t.PLATFORM_SETTLEMENTS and e.day == DAY]


@pytest.fixture(scope="module")
def extracted(pipeline):
    proc = _dags_test("platform_extract", pipeline["env"])
    return {"proc": proc, "messages": _platform_messages(pipeline["cfg"])}


def test_platform_extract_publishes_exactly_one_day(pipeline, extracted):
    from medshare.envelope import header_map
    from medshare.simulate.sinks import INTERFACE_TABLE, TABLES

    returned = _returned(extracted["proc"]).replace("'", '"')
    assert '"skipped": False' in returned
    for topic, table in TABLES.items():
        if table == INTERFACE_TABLE:
            continue
        rows = _batch_rows(pipeline["batch"], table, DAY)
        msgs = extracted["messages"][topic]
        assert len(msgs) == len(rows), f"{topic}: {len(msgs)} messages for {len(rows)} batch rows of {DAY}"
        heads = [header_map(m.headers) for m in msgs]
        assert sorted(h["ms-event-id"] for h in heads) == sorted(r["ms_event_id"] for r in rows)
        assert {h["ms-schema"] for h in heads} == {topic}
        # broken rows go out as their raw bytes, unchanged
        raw = {r["ms_event_id"]: r["raw"].encode() for r in rows if r["raw"] is not None}
        by_id = {h["ms-event-id"]: m.value for h, m in zip(heads, msgs, strict=True)}
        assert all(by_id[i] == v for i, v in raw.items())
    assert sum(r["raw"] is not None for r in _batch_rows(pipeline["batch"], "consents", DAY)) > 0, \
        "the day should carry some broken consent rows"


def test_platform_extract_takes_the_interface_lines_as_platform_ingest_does(pipeline, extracted):
    """The day's interface file: every line the simulator made valid is on platform.settlements.v2 as
    the record it published (ingest's event id, key psn_no); every malformed one is refused and sealed
    into the quarantine, naming the file and line — nothing else reaches the topic."""
    from contracts.quarantine import QuarantineWriter
    from medshare.envelope import header_map

    day = _day_settlements()
    valid = {e.event_id: e for e in day if e.malformed is None}
    malformed = [e for e in day if e.malformed is not None]
    assert valid and malformed, "the day should carry valid and malformed settlements"
    lines = (pipeline["batch"] / "settlements" / f"date={DAY}" / "part-00000.jsonl").read_bytes().splitlines()
    assert len(lines) == len(day)
    assert all({"setlinfo", "revoke"} & set(json.loads(ln)) for ln, e in zip(lines, day, strict=True)
               if e.malformed != "broken_json"), "each line is a 2207 settlement or a 2208 revocation"
    msgs = extracted["messages"][t.PLATFORM_SETTLEMENTS]
    heads = [header_map(m.headers) for m in msgs]
    got = {h["ms-event-id"]: m for h, m in zip(heads, msgs, strict=True)}
    assert set(got) == set(valid), "exactly the valid settlements of the day, once each"
    for eid, m in got.items():
        assert m.value == valid[eid].value and m.key == valid[eid].key.encode()
    assert {h["ms-producer"] for h in heads} == {"platform-extract"}
    source = f"settlements/date={DAY}/part-00000.jsonl:"
    quarantined = [json.loads(m.value) for m in extracted["messages"][t.QUARANTINE]]
    ours = [q for q in quarantined if (q.get("source_event_id") or "").startswith(source)]
    assert len(ours) == len(malformed)
    assert all(q["quarantined_by"] == "platform-extract" and q["contract_id"] == t.PLATFORM_SETTLEMENTS
               and q["violations"] for q in ours)
    lines_refused = sorted(int(q["source_event_id"].rsplit(":", 1)[1]) for q in ours)
    assert lines_refused == [i + 1 for i, e in enumerate(day) if e.malformed is not None]
    writer = QuarantineWriter(cfg=pipeline["cfg"])
    for q in ours:  # sealed: the line's identifiers are only inside the ciphertext
        number = int(q["source_event_id"].rsplit(":", 1)[1])
        assert writer.open(q).value in (lines[number - 1], _record_bytes(lines[number - 1]))
        record, text = day[number - 1].record or {}, json.dumps(q, ensure_ascii=False)
        assert not [f for f in ("psn_name", "certno", "psn_no") if isinstance(record.get(f), str) and record[f] in text]
    assert f'"quarantined": {len(malformed)}' in returned_of(extracted["proc"])


def _record_bytes(line: bytes) -> bytes | None:
    from medshare.envelope import encode_value
    from medshare.ingest import to_record

    try:
        record = to_record(json.loads(line))[1]
    except ValueError:
        return None
    return encode_value(record) if record is not None else None


def returned_of(proc) -> str:
    return _returned(proc).replace("'", '"')


def test_platform_extract_rerun_publishes_nothing(pipeline, extracted):
    proc = _dags_test("platform_extract", pipeline["env"])
    assert "already published" in proc.stdout
    after = _platform_messages(pipeline["cfg"])
    assert {k: len(v) for k, v in after.items()} == {k: len(v) for k, v in extracted["messages"].items()}


def _run_until_idle(name: str, cfg) -> None:
    from streams.registry import factory
    from streams.runtime import Runner, RunOptions

    Runner(factory(name)(cfg), RunOptions(until_idle=True, idle_s=1.5), cfg).run()


def _malformed_ids(run_dir: Path) -> set[str]:
    lines = (run_dir / "malformed.jsonl").read_text().splitlines()
    return {json.loads(ln)["event_id"] for ln in lines if ln.strip()}


@pytest.fixture(scope="module")
def loaded(pipeline, extracted):
    cfg = pipeline["cfg"]
    for name in ("consent-sync", "deidentify"):
        _run_until_idle(name, cfg)
    proc = _dags_test("lab_load", pipeline["env"])
    return {"proc": proc}


def _lab_ids(cfg, table: str = "lab_settlements_v2", key: str = "setl_id") -> list[str]:
    from streams.labdb import LabDB

    return [r[0] for r in LabDB(cfg=cfg).query(f"select {key} from {table}")]


def test_lab_load_fills_the_lab_with_the_days_valid_settlements(pipeline, loaded):
    cfg = pipeline["cfg"]
    bad = _malformed_ids(pipeline["run_dir"])
    # the day's valid settlements (v2: setl_id; a 2208 revocation line has no settlement of its own)
    expected = {e.record["setl_id"] for e in _day_settlements()
                if e.event_id not in bad and "revoke" not in e.record}
    assert expected, "the day should have valid settlements"
    ids = _lab_ids(cfg)
    assert sorted(ids) == sorted(expected)
    notes = {r["note_id"] for r in _batch_rows(pipeline["batch"], "emr_notes", DAY) if r["ms_event_id"] not in bad}
    assert set(_lab_ids(cfg, "lab_emr_notes", "note_id")) == notes
    returned = _returned(loaded["proc"])
    assert f"'lab_settlements_in_interval': {len(expected)}" in returned
    assert "'success': True" in returned


def test_lab_load_rerun_adds_no_rows(pipeline, loaded):
    cfg = pipeline["cfg"]
    before = Counter(_lab_ids(cfg))
    _dags_test("lab_load", pipeline["env"])
    assert Counter(_lab_ids(cfg)) == before
    assert max(before.values()) == 1


def test_lab_load_fails_on_a_contract_violation_and_logs_the_expectation(pipeline, loaded):
    import duckdb

    cfg = pipeline["cfg"]
    con = duckdb.connect(cfg.lab_database)
    try:
        con.execute("insert into lab_settlements_v2 select * replace ('310000000099999999' as setl_id, "
                    "null as person_key) from lab_settlements_v2 limit 1")
    finally:
        con.close()
    try:
        proc = _dags_test("lab_load", pipeline["env"], ok=False)
        assert proc.returncode != 0, "the run must fail"
        out = proc.stdout + proc.stderr
        assert "lab validation failed for lab_settlements_v2" in out
        assert "expect_column_values_to_not_be_null on person_key" in out
        assert "setl_id=310000000099999999" in out
        assert "AirflowFailException" in out  # failed at once: a retry cannot fix data
        # the task's FAIL event carries the results: exactly the broken expectation is success: false
        from medshare.lineage import LineageStore, lab_dataset

        fails = LineageStore.open(cfg).events(job="lab_load.load_and_validate")
        fail = [e for e in fails if e["eventType"] == "FAIL"][-1]
        inputs = {(i["namespace"], i["name"]): i.get("inputFacets") or {} for i in fail["inputs"]}
        assertions = inputs[lab_dataset(cfg, "lab_settlements_v2")]["dataQualityAssertions"]["assertions"]
        assert [(a["assertion"], a.get("column"), a["actual"]) for a in assertions
                if not a["success"] and a["severity"] == "critical"] == [
            ("expect_column_values_to_not_be_null", "person_key", "1")]
        assert sum(a["success"] for a in assertions) > 5
        assert all(a["success"] or a["severity"] != "critical"
                   for a in inputs[lab_dataset(cfg, "lab_emr_notes")]["dataQualityAssertions"]["assertions"])
    finally:
        con = duckdb.connect(cfg.lab_database)
        try:
            con.execute("delete from lab_settlements_v2 where setl_id = '310000000099999999'")
        finally:
            con.close()


@pytest.fixture(scope="module")
def transformed(pipeline, loaded):
    """A realistic month in the lab (simulated lab rows on top of the day loaded), then lab_transform."""
    from medshare.lab.simlab import build_simulated_lab
    from medshare.orchestration.transform import ensure_manifest
    from medshare.simulate import SimConfig

    cfg = pipeline["cfg"]
    build_simulated_lab(cfg.lab_database, SimConfig(persons=1500, days=30, seed=11, start_date=date(2026, 1, 1),
                                                    malformed_rate=0.0), cfg=cfg, notes=20)
    ensure_manifest(cfg)
    return _dags_test("lab_transform", pipeline["env"])


def test_lab_transform_builds_every_model_as_its_own_task(pipeline, transformed):
    import duckdb

    from medshare.lab.dbt import MARTS
    from medshare.orchestration.transform import manifest_path

    manifest = json.loads(manifest_path(pipeline["cfg"]).read_text())
    models = [n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    out = transformed.stdout
    for m in models:
        assert f"end task task_id=dbt.{m}.run" in out, m
    assert out.count(".test map_index") >= len(models) // 2
    assert "end task task_id=marts_built" in out
    con = duckdb.connect(pipeline["cfg"].lab_database, read_only=True)
    try:
        counts = {m: con.execute(f"select count(*) from marts.{m}").fetchone()[0] for m in MARTS}
    finally:
        con.close()
    assert all(n > 0 for n in counts.values()), counts


def _released(cfg) -> dict[str, list[dict]]:
    return {code: [json.loads(m.value) for m in read_topic(cfg, t.insurer_marts(code))]
            for code in ("hhb", "shenlife")}


def test_release_marts_releases_each_granted_mart_to_its_insurer_once(pipeline, transformed):
    from medshare.orchestration.release import mart_grants

    cfg = pipeline["cfg"]
    grants = mart_grants()
    proc = _dags_test("release_marts", pipeline["env"])
    ended = [ln for ln in proc.stdout.splitlines() if "end task task_id=release map_index=" in ln]
    assert len(ended) == len(grants), "one mapped task per insurer x mart grant"
    released = _released(cfg)
    hhb_marts = {g["mart"] for g in grants if g["insurer"] == "hhb"}
    assert released["hhb"], "hhb's topic received its marts"
    assert {r["mart"] for r in released["hhb"]} <= hhb_marts
    for code, records in released.items():
        allowed = {g["mart"] for g in grants if g["insurer"] == code}
        assert {r["mart"] for r in records} <= allowed, f"{code} got a mart it was not granted"
    # the same content again is not sent again
    proc = _dags_test("release_marts", pipeline["env"])
    assert "'status': 'published'" not in proc.stdout
    assert {k: len(v) for k, v in _released(cfg).items()} == {k: len(v) for k, v in released.items()}


def test_rotate_keys_makes_new_versions_and_old_ciphertexts_still_decrypt(pipeline):
    from privacy import keys
    from privacy.crypto import Encryptor
    from privacy.sdk import InsurerDecryptor

    cfg = pipeline["cfg"]
    before = {c: keys.current_key(c, cfg).version for c in ("hhb", "shenlife")}
    sealed = Encryptor.for_insurer("hhb", cfg).encrypt("310101199001011234", topic=t.insurer_claims("hhb"),
                                                       record_id="ST2026030100000001", field="resident_id")
    proc = _dags_test("rotate_keys", pipeline["env"], conf='{"max_age_days": 0}')
    after = {c: keys.current_key(c, cfg).version for c in before}
    assert after == {c: v + 1 for c, v in before.items()}
    assert "'action': 'rotated'" in _returned_of(proc, "rotate")
    live = {k.version for k in keys.live_versions("hhb", cfg)}
    assert {before["hhb"], after["hhb"]} <= live
    assert "live key versions" in proc.stdout
    decrypt = InsurerDecryptor.from_dir(cfg.insurers_dir / "hhb")
    assert decrypt.decrypt_value(sealed, t.insurer_claims("hhb"), "ST2026030100000001",
                                 "resident_id") == "310101199001011234"
    # a rerun of the same interval rotates nothing
    _dags_test("rotate_keys", pipeline["env"], conf='{"max_age_days": 0}')
    assert {c: keys.current_key(c, cfg).version for c in before} == after


def test_compliance_report_writes_the_days_report(pipeline, transformed):
    cfg = pipeline["cfg"]
    proc = _dags_test("compliance_report", pipeline["env"])
    out = cfg.home / "reports" / "compliance" / DAY.isoformat()
    assert (out / "index.html").stat().st_size > 1000
    data = json.loads((out / "report.json").read_text())
    assert data["window"]["since"].startswith("2026-03-01T00:00:00+08:00") or \
        data["window"]["since"].startswith("2026-02-28T16:00:00")
    assert data["quality"]["tables"], "the lab's data quality is in the report"
    assert str(out / "index.html") in _returned(proc)


def _returned_of(proc, task_id: str) -> str:
    lines = [ln for ln in proc.stdout.splitlines() if "Returned value was:" in ln and task_id in ln]
    return lines[-1] if lines else _returned(proc)
