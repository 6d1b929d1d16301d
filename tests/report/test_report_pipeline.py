"""The whole stream path on the real broker with lineage on, then the report, opened in headless Chromium.

One run (module fixture): simulate -> consent-sync -> router -> de-identifier -> lab sink -> audit
sink, each through ``streams.service.run_processor`` (which emits the OpenLineage events). Then:
the lineage store and ``governance.lineage.v1`` hold START and COMPLETE of every processor; the
claims topics' column lineage matches the agreements; the disclosure facet counts the consents the
audit events name; the report is written, holds no simulated person's identifier, and renders in
Chromium with every section, the graph and no console error (screenshot in artifacts/).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "streams"))
from pipeline_helpers import INSURERS, read_topic, reset_pipeline, values  # noqa: E402

from medshare import topics as t  # noqa: E402

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SIM = {"persons": 120, "days": 20, "seed": 23, "malformed_rate": 0.03, "start_date": date(2026, 3, 1)}
PROCESSORS = ("consent-sync", "router", "deidentify", "lab-sink", "audit-sink")
SCREENSHOT = ROOT / "artifacts" / "report-screenshot.png"


@pytest.fixture(scope="module")
def run(kafka_broker, tmp_path_factory):
    from medshare.simulate import SimConfig, Simulation, run_simulation
    from streams.runtime import RunOptions
    from streams.service import run_processor

    cfg = kafka_broker
    reset_pipeline(cfg)
    shutil.rmtree(cfg.state_dir / "lineage", ignore_errors=True)
    sim_cfg = SimConfig(insurers=INSURERS, **SIM)
    run_simulation(sim_cfg, cfg=cfg, jsonl_dir=tmp_path_factory.mktemp("jsonl"))
    counters = {name: run_processor(name, RunOptions(until_idle=True, idle_s=1.5), cfg).__dict__
                for name in PROCESSORS}
    events = list(Simulation(sim_cfg).events())
    out = tmp_path_factory.mktemp("report")
    from medshare.report import write_report

    data = write_report(out, cfg)
    return {"cfg": cfg, "counters": counters, "events": events, "out": out, "data": data}


def _store_events(cfg):
    from medshare.lineage import LineageStore

    return LineageStore.open(cfg).events()


def _complete(events, job):
    return [e for e in events if e["job"]["name"] == job and e["eventType"] == "COMPLETE"][-1]


def test_store_and_topic_hold_start_and_complete_of_every_processor(run):
    cfg = run["cfg"]
    stored = _store_events(cfg)
    for name in PROCESSORS:
        states = [e["eventType"] for e in stored if e["job"]["name"] == f"streams.{name}"]
        assert states == ["START", "COMPLETE"], name
    on_topic = values(read_topic(cfg, t.LINEAGE))
    streams_events = {(e["job"]["name"], e["eventType"], e["run"]["runId"]) for e in on_topic
                      if e["job"]["name"].startswith("streams.")}
    assert streams_events == {(e["job"]["name"], e["eventType"], e["run"]["runId"]) for e in stored
                              if e["job"]["name"].startswith("streams.")}
    counters = _complete(stored, "streams.router")["run"]["facets"]["medshare_processor"]
    assert counters["disclosed"] == run["counters"]["router"]["disclosed"] > 0


def test_claims_column_lineage_and_disclosure_facet(run):
    from privacy.agreements import load_agreements

    cfg = run["cfg"]
    done = _complete(_store_events(cfg), "streams.router")
    audits = values(read_topic(cfg, t.AUDIT))
    agreements = load_agreements()
    assert t.insurer_claims("hhb") not in {o["name"] for o in done["outputs"]}  # hhb: mode result
    for code in ("shenlife",):
        out = next(o for o in done["outputs"] if o["name"] == t.insurer_claims(code))
        fields = out["facets"]["columnLineage"]["fields"]
        assert fields["psn_no"]["transformationDescription"] == "encrypt"
        assert fields["certno"]["transformationDescription"] == "encrypt"
        for ref in agreements.grants("claims"):
            if ref.insurer != code:
                continue
            for path, tr in ref.grant.fields.items():
                if tr.kind == "drop" and not any(r.insurer == code and r.grant.fields.get(path, tr).passes
                                                 for r in agreements.grants("claims")):
                    assert path not in fields, f"{code}: dropped {path} must be absent"
                elif tr.passes:
                    assert str(tr) in fields[path]["transformationDescription"]
        facet = out["outputFacets"]["medshare_disclosure"]
        mine = [a for a in audits if a["insurer"] == code]
        assert facet["disclosures"] == len(mine)
        assert facet["consentsReliedOn"] == len({a["consent_id"] for a in mine})
        assert facet["legalBasis"] == "consent" and facet["purpose"] == "claims"


def test_report_data_matches_the_stores_and_leaks_nothing(run):
    from privacy.leakguard import find_identifiers

    data, out = run["data"], run["out"]
    audits = values(read_topic(run["cfg"], t.AUDIT))
    assert data["disclosures"]["total"] == len(audits)
    assert data["audit_chain"]["ok"] is True and data["audit_chain"]["entries"] == len(audits)
    assert data["quarantine"]["source"] == "topic" and data["quarantine"]["total"] > 0
    assert data["quarantine"]["by_rule"]
    assert data["consents"]["granted"] > 0
    assert {tb["table"] for tb in data["quality"]["tables"]} == {"lab_settlements_v2", "lab_revocations_v2", "lab_emr_notes"}
    observed = {(e["source"], e["target"]) for e in data["lineage"]["edges"] if e["observed"]}
    # the router feeds shenlife's claims topic (mode detail), never hhb's (mode result)
    assert any(s.endswith("streams.router") and d.endswith("insurer.shenlife.claims.v1") for s, d in observed)
    assert not any(s.endswith("streams.router") and d.endswith("insurer.hhb.claims.v1") for s, d in observed)
    assert find_identifiers(json.loads((out / "report.json").read_text())) == []
    page = (out / "index.html").read_text()
    secrets = set()
    for e in run["events"]:
        r = e.record if isinstance(e.record, dict) else {}
        for k in ("name", "resident_id", "phone", "person_no", "card_no", "address", "psn_no", "psn_name", "certno",
                  "brdy"):
            if isinstance(r.get(k), str) and len(r[k]) >= 2:
                secrets.add(r[k])
    assert secrets
    leaked = [s for s in secrets if s in page or s in (out / "report.json").read_text()]
    assert not leaked, f"{len(leaked)} simulated identifiers in the report"
    assert "<script" not in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.fail("chromium is not installed (apt-get install -y chromium)")
    return exe


def _chrome(args, tmp_path, url):
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'chrome-profile'}", "--enable-logging=stderr", "--v=0", *args, url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env={**os.environ, "LANG": "C.UTF-8"})


def test_report_renders_in_headless_chromium(run, tmp_path):
    from medshare.report import SECTIONS

    url = (run["out"] / "index.html").resolve().as_uri()
    dom = _chrome(["--dump-dom"], tmp_path, url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    for sid, _title in SECTIONS:
        assert f'id="{sid}"' in html, sid
    assert '<svg id="lineage-graph"' in html
    nodes = re.findall(r'<g class="node ([a-z]+) group-([a-z-]+)"', html)
    assert len(nodes) >= 20 and ("job", "job") in nodes
    for code in INSURERS:
        assert f'href="#insurer-{code}"' in html and f'id="insurer-{code}"' in html
    assert 'id="chart-disclosures"' in html and 'id="chart-consents"' in html
    assert "INTACT" in html
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    shot = _chrome([f"--screenshot={SCREENSHOT}", "--window-size=1400,2000"], tmp_path, url)
    assert shot.returncode == 0 and SCREENSHOT.stat().st_size > 10_000, shot.stderr[-2000:]
    console = [ln for ln in (dom.stderr + shot.stderr).splitlines() if "CONSOLE" in ln or "Uncaught" in ln
               or "Content Security Policy" in ln or "Failed to load resource" in ln]
    assert console == [], console
