"""Delivery semantics under failure: SIGKILL mid-run loses nothing and duplicates nothing; SIGTERM drains.

Processors run as real ``medshare run`` processes against the real broker; the test kills them
while batches are in flight, restarts them, and checks the outputs are exactly what one clean run
would give.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from pipeline_helpers import INSURERS, disclosure_id, expected_disclosures, read_topic, reset_pipeline, values

from medshare import topics as t

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SIM = {"persons": 500, "days": 40, "seed": 23, "malformed_rate": 0.01, "start_date": date(2026, 3, 1)}
MEDSHARE = str(Path(sys.executable).with_name("medshare"))


def _status(cfg, name: str) -> dict:
    path = cfg.state_dir / "processors" / f"{name}-0.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _start(name: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([MEDSHARE, "run", name, "--batch-size", "20", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy())


def _kill_mid_run(cfg, name: str, sig: int, min_batches: int = 3) -> dict:
    """Start ``name``, wait until it has committed ``min_batches`` batches, send ``sig``."""
    (cfg.state_dir / "processors" / f"{name}-0.json").unlink(missing_ok=True)
    proc = _start(name)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and _status(cfg, name).get("batches", 0) < min_batches:
        assert proc.poll() is None, f"{name} exited early: {proc.stderr.read().decode()[-2000:]}"
        time.sleep(0.05)
    os.kill(proc.pid, sig)
    rc = proc.wait(timeout=60)
    st = _status(cfg, name)
    return {"rc": rc, "status": st}


def _run_until_idle(name: str) -> None:
    proc = subprocess.run([MEDSHARE, "run", name, "--until-idle", "--batch-size", "50"],
                          capture_output=True, text=True, timeout=600, env=os.environ.copy())
    assert proc.returncode == 0, proc.stderr[-2000:]


@pytest.fixture(scope="module")
def crashed_run(kafka_broker):
    from medshare.simulate import SimConfig, Simulation, run_simulation

    cfg = kafka_broker
    reset_pipeline(cfg)
    sim_cfg = SimConfig(insurers=INSURERS, **SIM)
    run_simulation(sim_cfg, cfg=cfg, batch=False)
    _run_until_idle("consent-sync")

    kills = {}
    kills["router"] = _kill_mid_run(cfg, "router", signal.SIGKILL)
    _run_until_idle("router")
    kills["deidentify-term"] = _kill_mid_run(cfg, "deidentify", signal.SIGTERM)
    _run_until_idle("deidentify")
    kills["lab-sink"] = _kill_mid_run(cfg, "lab-sink", signal.SIGKILL)
    _run_until_idle("lab-sink")
    events = list(Simulation(sim_cfg).events())
    return {"cfg": cfg, "kills": kills, "events": events}


def test_kills_happened_mid_run(crashed_run):
    valid = sum(1 for e in crashed_run["events"] if e.topic != t.PLATFORM_CONSENTS)
    k = crashed_run["kills"]
    assert k["router"]["rc"] == -signal.SIGKILL
    assert k["lab-sink"]["rc"] == -signal.SIGKILL
    # they were killed before they had consumed everything
    assert 0 < k["router"]["status"]["consumed"] < valid
    assert 0 < k["lab-sink"]["status"]["consumed"]


def test_sigterm_drains_and_exits_cleanly(crashed_run):
    k = crashed_run["kills"]["deidentify-term"]
    assert k["rc"] == 0
    assert k["status"]["state"] == "stopped"


def test_lab_has_each_valid_settlement_exactly_once(crashed_run):
    from streams.labdb import LabDB

    db = LabDB(cfg=crashed_run["cfg"])
    platform = [e.record for e in crashed_run["events"]
                if e.topic == t.PLATFORM_SETTLEMENTS_V2 and e.malformed is None]
    valid = [r["setl_id"] for r in platform if "revoke" not in r]
    rows = [r[0] for r in db.query("select setl_id from lab_settlements_v2")]
    assert sorted(rows) == sorted(valid)
    # the lab topic itself (read_committed) has no duplicates either
    lab = [r for r in values(read_topic(crashed_run["cfg"], t.LAB_SETTLEMENTS_V2)) if "setl_id" in r]
    assert len(lab) == len(valid) == len({r["setl_id"] for r in lab})


def test_every_consented_disclosure_arrived_once(crashed_run):
    cfg = crashed_run["cfg"]
    expected = expected_disclosures(cfg, crashed_run["events"])
    got = Counter()
    for code in INSURERS:
        for m in read_topic(cfg, t.insurer_claims(code)):
            rec = json.loads(m.value)
            source = dict((k, v.decode()) for k, v in m.headers)["ms-source"]
            got[(code, source, disclosure_id(source, rec))] += 1
    assert set(got) == expected
    assert max(got.values()) == 1, "a disclosure was duplicated by the crash"
    audits = Counter((a["insurer"], a["source"], a["record_id"]) for a in values(read_topic(cfg, t.AUDIT)))
    assert set(audits) == expected and max(audits.values()) == 1
