"""The simulator's v2 settlements through the de-identifier into a lab that dbt builds, with no
identifier of any simulated person anywhere in the lab tables (no broker)."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

pytestmark = pytest.mark.integration  # a real DuckDB file and dbt

SIM = dict(persons=600, days=35, seed=5, start_date=date(2026, 1, 1), malformed_rate=0.0)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    from medshare.config import reload_settings
    from medshare.lab import dbt
    from medshare.lab.simlab import build_simulated_lab
    from medshare.simulate import SimConfig

    cfg = reload_settings()
    path = tmp_path_factory.mktemp("simlab") / "lab.duckdb"
    cfg = cfg.model_copy(update={"lab_url": str(path)})
    counts = build_simulated_lab(str(path), SimConfig(**SIM), cfg=cfg, notes=40)
    run = dbt.build(cfg=cfg, check=False)
    return cfg, path, counts, run


def _rows(path, table):
    con = duckdb.connect(str(path), read_only=True)
    try:
        cur = con.execute(f"select * from {table}")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    finally:
        con.close()


def test_simulated_lab_builds(simulated):
    _, path, counts, run = simulated
    assert counts["lab_settlements_v2"] > 500 and counts["lab_emr_notes"] == 40
    assert run.success, run.failures
    con = duckdb.connect(str(path), read_only=True)
    try:
        (total,), = con.execute("select sum(total_amount) from marts.cost_by_disease_age_band").fetchall()
        (raw,), = con.execute("""select sum(medfee_sumamt) from lab_settlements_v2 s where not exists
                                 (select 1 from lab_revocations_v2 r where r.revoked_setl_id = s.setl_id)""").fetchall()
        kinds = {k for (k,) in con.execute("select distinct visit_type from staging.stg_settlements").fetchall()}
    finally:
        con.close()
    assert total == raw
    assert {"11", "21", "41"} <= kinds  # outpatient, inpatient, pharmacy


def test_no_identifier_of_a_simulated_person_in_the_lab(simulated):
    from medshare.simulate import SimConfig, Simulation
    from streams.lab_sink import lab_leaks

    _, path, _, _ = simulated
    ids: set[str] = set()
    for ev in Simulation(SimConfig(**SIM)).events():
        r = ev.record or {}
        src = r.get("revoke") or r
        for f in ("psn_no", "psn_name", "certno", "brdy", "person_no", "resident_id", "name", "phone", "card_no"):
            if isinstance(src.get(f), str) and len(src[f]) >= 2:
                ids.add(src[f])
    assert len(ids) > 1000
    texts = []
    for table, topic in (("lab_settlements_v2", "lab.settlements.v2"), ("lab_revocations_v2", "lab.settlements.v2"),
                         ("lab_emr_notes", "lab.emr-notes.v1")):
        for row in _rows(path, table):
            row.pop("loaded_at", None)
            for k in ("diseinfo", "feedetail", "entities"):
                if isinstance(row.get(k), str):
                    row[k] = json.loads(row[k])
            if "setl_hour" in row:
                row["setl_hour"] = row["setl_hour"].isoformat()
            if "revoked_hour" in row:
                row["revoked_hour"] = row["revoked_hour"].isoformat()
            row = {k: (float(v) if hasattr(v, "as_tuple") else v) for k, v in row.items()}
            assert lab_leaks(topic, row) == [], (table, lab_leaks(topic, row))
            texts.append(json.dumps(row, ensure_ascii=False, default=str))
    blob = "\n".join(texts)
    # names are checked where they stand as a value (a two-character name may be part of a word)
    leaked = [v for v in ids if v in blob and (len(v) > 4 or f'"{v}"' in blob)]
    assert leaked == []
