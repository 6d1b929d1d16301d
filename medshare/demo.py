"""The README's main job: the whole pipeline, end to end, on synthetic data, on this machine.

Each step is a function of the packages; the demo only sequences them and reports what each
produced, so a new user sees the pipeline work and where to look next.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from medshare.config import Settings, settings

DEMO_INSURERS = ("hhb", "shenlife")


@dataclass
class DemoOptions:
    persons: int = 1500
    days: int = 30
    seed: int = 7
    fresh: bool = True
    #: both demo agreements are in effect from 2026-03-01
    start_date: date = date(2026, 3, 1)


@dataclass
class DemoReport:
    steps: list[dict[str, Any]] = field(default_factory=list)

    def add(self, name: str, seconds: float, result: Any) -> None:
        self.steps.append({"step": name, "seconds": round(seconds, 2), "result": result})


#: what the demo resets under MEDSHARE_HOME (never the whole folder: other homes, such as the
#: tests' var/test or the benchmarks' var/bench*, may live inside the default var/)
STATE_DIRS = ("kafka", "tls", "secrets", "keyring", "insurers", "pipeline", "state", "lab", "sim", "report", "reports")


def reset_state(cfg: Settings) -> None:
    """Stop the broker and remove the local state (never the download cache, never other homes)."""
    from medshare import broker

    broker.stop(cfg)
    for name in STATE_DIRS:
        shutil.rmtree(cfg.home / name, ignore_errors=True)


def run_demo(opts: DemoOptions, say: Callable[[str], None] = print, cfg: Settings | None = None) -> DemoReport:
    from medshare import broker
    from medshare.onboard import onboard_insurer, topic_overview

    cfg = cfg or settings()
    report = DemoReport()
    steps: list[tuple[str, Callable[[], Any]]] = []
    if opts.fresh and cfg.manages_broker:
        steps.append(("reset local state", lambda: reset_state(cfg) or str(cfg.home)))
    if cfg.manages_broker:
        steps.append(("start Kafka broker", lambda: broker.start(cfg, quiet=True).as_dict()))
    for code in DEMO_INSURERS:
        steps.append((f"onboard insurer {code}",
                      lambda code=code: {k: v for k, v in onboard_insurer(code, cfg=cfg).items() if k != "password"}))
    steps.append(("simulate the platform", lambda: _simulate(opts, cfg)))
    steps.append(("publish demo claim stories", lambda: _claim_stories(opts, cfg)))
    # consents first (the router and the claims engine ask them); the claims engine applies the
    # enrolment events in stream order beside the settlements (streams/claims.py)
    for name in ("consent-sync", "router", "claims", "deidentify", "lab-sink"):
        steps.append((f"run {name} until caught up", lambda name=name: _run_processor(name, cfg)))
    steps.append(("build the lab marts (dbt)", lambda: _lab_build(cfg)))
    steps.append(("release marts to insurers (k-anonymity check)", lambda: _lab_release(cfg)))
    steps.append(("run audit-sink until caught up", lambda: _run_processor("audit-sink", cfg)))
    steps.append(("topics", lambda: topic_overview(cfg)))
    steps.append(("lab tables", lambda: _lab_counts(cfg)))
    for code in DEMO_INSURERS:
        steps.append((f"insurer {code} reads its claims", lambda code=code: _insurer_sample(cfg, code)))
    steps.append(("explain a paying claim per product", lambda: _explain_paying(cfg)))
    steps.append(("verify the disclosure log", lambda: _audit_verify(cfg)))
    steps.append(("write the compliance report", lambda: _report(cfg)))

    for i, (name, fn) in enumerate(steps, 1):
        say(f"[{i}/{len(steps)}] {name} ...")
        t0 = time.monotonic()
        result = fn()
        dt = time.monotonic() - t0
        report.add(name, dt, result)
        say(f"      done in {dt:.1f}s")
    return report


def _sim_config(opts: DemoOptions) -> Any:
    from medshare.simulate import SimulationConfig

    return SimulationConfig(persons=opts.persons, days=opts.days, seed=opts.seed, insurers=DEMO_INSURERS,
                            start_date=opts.start_date)


def _simulate(opts: DemoOptions, cfg: Settings) -> dict[str, Any]:
    from medshare.simulate import run_simulation

    return run_simulation(_sim_config(opts), cfg=cfg)


def _claim_stories(opts: DemoOptions, cfg: Settings) -> dict[str, Any]:
    """Hand-made settlements that cross the deductibles (medshare.claims.stories): 30 simulated days
    rarely do, and a demo of 主动赔 must show claims that pay."""
    from medshare.claims.stories import publish

    return publish(_sim_config(opts), cfg)


def _explain_paying(cfg: Settings) -> dict[str, Any]:
    """Per insurer, the operator's explanation of one paying claim (medshare claims explain)."""
    from medshare.claims.state import ClaimStore, claims_database
    from medshare.cli.claims import explain_text

    store = ClaimStore(claims_database(cfg))
    try:
        out = {}
        for code in DEMO_INSURERS:
            paying = [e for e in store.entries(insurer=code) if e.kind == "settlement" and e.total_payable > 0]
            paying.sort(key=lambda e: (e.settlement_id[10:12] != "99", e.settlement_id))  # a story first
            if paying:
                e = paying[0]
                ex = {k: v for k, v in e.explanation.items() if k != "policy_no"}
                out[code] = {"settlement_id": e.settlement_id, "claim_id": e.claim_id, "product": e.product_id,
                             "total_payable": e.total_payable / 100, "paying_claims": len(paying),
                             "explanation": explain_text(ex)}
            else:
                out[code] = {"paying_claims": 0}
        return out
    finally:
        store.close()


def _run_processor(name: str, cfg: Settings) -> dict[str, Any]:
    from streams.runtime import RunOptions
    from streams.service import run_processor

    # as `medshare run NAME --until-idle` does: lineage START/COMPLETE, status counters
    counters = run_processor(name, RunOptions(until_idle=True, idle_s=1.5), cfg)
    return {k: v for k, v in counters.__dict__.items() if k not in ("started_at", "updated_at")}


def _lab_counts(cfg: Settings) -> dict[str, int]:
    from streams.labdb import TABLES, LabDB

    db = LabDB(cfg=cfg)
    return {name: db.query(f"select count(*) from {name}")[0][0] for name in TABLES}


def _lab_build(cfg: Settings) -> dict[str, Any]:
    from medshare.lab import dbt

    run = dbt.build(cfg=cfg)
    return run.to_dict() if hasattr(run, "to_dict") else {"ok": True}


def _lab_release(cfg: Settings) -> list[dict[str, Any]]:
    from medshare.lab.release import release_all

    return [{k: r.get(k) for k in ("status", "insurer", "mart", "purpose", "rows", "reason")}
            for r in release_all(cfg=cfg, lineage=True)]


def _report(cfg: Settings) -> dict[str, Any]:
    from medshare.report import write_report

    out = cfg.home / "report"
    write_report(out, cfg)
    return {"path": str(out / "index.html")}


def _audit_verify(cfg: Settings) -> dict[str, Any]:
    from privacy.audit import AuditStore

    store = AuditStore.open(cfg)
    try:
        result = store.verify()
    finally:
        store.close()
    return {"ok": result.ok, "entries": result.entries, "head_hash": result.head_hash}


def _insurer_sample(cfg: Settings, code: str) -> dict[str, Any]:
    import json

    from medshare.insurer_client import consume

    bundle = json.loads((cfg.insurers_dir / code / "bundle.json").read_text())
    records = [item["record"] for item in consume(bundle, "claims", max_records=5000, timeout_s=5,
                                                   group_suffix="demo")]
    # a routed v2 settlement (not a claim result, a note or a 2208 revocation)
    sample = next((r for r in records if "setl_id" in r and "note_id" not in r and "record_type" not in r), None)
    results = [r for r in records if r.get("record_type") == "claim-result"]
    paying = sorted((r for r in results if r["total_payable"] > 0),
                    key=lambda r: (r["settlement_id"][10:12] != "99", r["settlement_id"]))  # a story first
    paid = paying[0] if paying else (results[0] if results else None)
    from privacy.agreements import load_agreements

    try:  # detail: every claim's result; result: only those that pay, and their reversals (docs/claims.md)
        mode = load_agreements().grant(code, "claims", "platform.settlements.v2").mode
    except (KeyError, LookupError):
        mode = None
    return {"records_read": len(records), "sample_decrypted": sample, "claim_results": len(results),
            "claim_results_paying": sum(1 for r in results if r["total_payable"] > 0),
            "claims_mode": mode, "claim_sample_decrypted": paid}
