"""SIGKILL at random moments loses nothing and duplicates nothing (issue #16), on the real broker.

The router, the claims processor, the de-identifier and the lab sink work through one simulated
backlog twice over the same published records (same Kafka timestamps):

* run A, never killed: each processor alone until idle;
* run B: all four at once, and every ~1 s one of them, chosen at random, is SIGKILLed and started
  again — several times — then each runs until idle.

Every output of B equals A's: the insurer topics under read_committed (what was disclosed, each
once; the claim results' amounts), the audit ids on ``governance.audit.v1``, the lab tables, the
claim ledger, and what was quarantined by whom. Consent-sync does not run: the processors learn
consents (and the claims processor enrolments) from the streams only.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from pipeline_helpers import INSURERS, disclosed, read_topic, reset_pipeline, values

from medshare import topics as t

pytestmark = [pytest.mark.integration, pytest.mark.slow]

MEDSHARE = str(Path(sys.executable).with_name("medshare"))
PROCESSORS = ("router", "claims", "deidentify", "lab-sink")
SEED = int(os.environ.get("MEDSHARE_KILL_SEED", "7"))
KILLS = 8


def _start(name: str, batch: int = 20) -> subprocess.Popen:
    return subprocess.Popen([MEDSHARE, "run", name, "--until-idle", "--idle-seconds", "2", "--batch-size", str(batch)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy())


def _until_idle(name: str) -> None:
    proc = _start(name, batch=200)
    _, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, f"{name}: {err.decode()[-3000:]}"


def _status(cfg, name: str) -> dict:
    try:
        return json.loads((cfg.state_dir / "processors" / f"{name}-0.json").read_text())
    except (OSError, ValueError):
        return {}


def _reset_outputs(cfg) -> None:
    """Everything but the platform topics and the keys: output topics, consumer groups, state, lab
    (pipeline/ keeps the pseudonym and quarantine keys: the same as run A)."""
    reset_pipeline(cfg, keep_topics=("platform.",), wipe=("state", "lab"))


def _outputs(cfg) -> dict:
    from sqlalchemy import create_engine, text

    from medshare.claims.state import claims_database
    from streams.labdb import TABLES, LabDB

    claims = sorted(
        (code, r["claim_id"], r["settlement_id"], r["event_type"], r["total_payable"],
         json.dumps(r["payable"], sort_keys=True), r["reverses"])
        for code in INSURERS for r in values(read_topic(cfg, t.insurer_claims(code)))
        if r.get("record_type") == "claim-result")
    audit = Counter(a["audit_id"] for a in values(read_topic(cfg, t.AUDIT)) if "audit_id" in a)
    quarantined = Counter((q["quarantined_by"], q["source_topic"], q["source_partition"], q["source_offset"])
                          for q in values(read_topic(cfg, t.QUARANTINE)))
    db = LabDB(cfg=cfg)
    lab = {}
    for name, table in TABLES.items():
        cols = [c[0] for c in table.columns if not c[0].endswith("_at")]
        lab[name] = sorted(db.query(f"select {', '.join(cols)} from {name}"))
    engine = create_engine(claims_database(cfg))
    with engine.connect() as c:
        ledger = sorted(tuple(r) for r in c.execute(text(
            "select insurer, settlement_id, claim_id, kind, total_payable, deltas, consent_id, reverses, reversed_by "
            "from claim_ledger")))
    engine.dispose()
    return {"disclosed": disclosed(cfg), "claims": claims, "audit": audit, "quarantined": quarantined,
            "lab": lab, "ledger": ledger}


@pytest.fixture(scope="module")
def two_runs(kafka_broker):
    from medshare.simulate import SimConfig, run_simulation

    cfg = kafka_broker
    reset_pipeline(cfg)
    run_simulation(SimConfig(insurers=INSURERS, persons=1000, days=30, seed=SEED, malformed_rate=0.01,
                             start_date=date(2026, 3, 1)), cfg=cfg, batch=False)

    for name in PROCESSORS:  # run A: never killed
        _until_idle(name)
    clean = _outputs(cfg)

    _reset_outputs(cfg)  # run B: the same published records, killed at random moments
    rng = random.Random(SEED)
    procs = {name: _start(name, batch=5) for name in PROCESSORS}
    kills = []
    for _ in range(KILLS):
        running = [n for n in PROCESSORS if procs[n].poll() is None]
        if not running:
            break
        name = rng.choice(running)  # a processor still at work (one that finished cannot be killed mid-run)
        proc = procs[name]
        # once this process has committed a batch (its own status file), at a random moment after
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            st = _status(cfg, name)
            if st.get("pid") == proc.pid and st.get("batches", 0) >= 1:
                break
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.4))
        if proc.poll() is None:
            st = _status(cfg, name)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
            kills.append((name, st.get("consumed", 0), st.get("batches", 0)))
        procs[name] = _start(name, batch=5)
    for name, proc in procs.items():
        _, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, f"{name}: {err.decode()[-3000:]}"
    for name in PROCESSORS:  # whatever the last ones left (the lab sink after the de-identifier's end)
        _until_idle(name)
    return {"clean": clean, "killed": _outputs(cfg), "kills": kills}


def test_processors_were_killed_mid_run(two_runs):
    """Most kills land in a process that had committed batches and was still working."""
    mid = [k for k in two_runs["kills"] if k[2] > 0]
    assert len(mid) >= KILLS // 2, two_runs["kills"]
    assert len({k[0] for k in mid}) >= 2, f"kills after a committed batch: {mid}"


@pytest.mark.parametrize("what", ["disclosed", "claims", "audit", "quarantined", "lab", "ledger"])
def test_every_output_equals_the_run_never_killed(two_runs, what):
    clean, killed = two_runs["clean"][what], two_runs["killed"][what]
    assert clean, f"the clean run produced no {what}"
    if isinstance(clean, Counter):
        assert max(killed.values()) == 1, f"a duplicate in {what}"
    assert killed == clean, f"{what} differs after kills {two_runs['kills']}"
