"""直赔 latency: settlement event -> claim result on the insurer's topic, on the local broker.

    python -m bench.claims_latency [--rate 500] [--seconds 20] [--backlog 10000] [--batch-size 200] [--json]

At the hospital counter the insurer's share must be known while the person waits (target: p99 under
200 ms at 500 settlements/s). Runs on its own broker and state (``var/bench-claims``, ports
18092/18093) so it never touches the demo. Every simulated person is enrolled in both products and
holds a claims consent for both insurers, so each settlement is evaluated twice (hhb and shenlife)
and produces two claim results and two audit events.

1. **throughput** — the claims processor (the transactional runtime, contract check, enrolment and
   consent lookups, rule evaluation, state commit per batch, encryption, audit) over a published
   backlog, in this process: settlements per second between its first and last batch.
2. **latency** — settlements published at ``--rate`` per second for ``--seconds`` while the
   processor (``python -m streams.claims``) runs; for each, the time from the platform's send to
   the arrival of its hhb claim result (read_committed, the insurer's own credentials), p50/p99.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from bench.stream import (
    _grant_everyone,
    _publish,
    _settlements,
    fresh_bench,
    percentiles,
    processor_latencies,
    warmup_count,
)

ROOT = Path(__file__).resolve().parents[1]


def _env() -> None:
    os.environ.setdefault("MEDSHARE_HOME", str(ROOT / "var" / "bench-claims"))
    os.environ.setdefault("MEDSHARE_KAFKA_PORT", "18092")
    os.environ.setdefault("MEDSHARE_KAFKA_CONTROLLER_PORT", "18093")


def _consent_and_enrol(records: list[dict[str, Any]], cfg) -> int:
    from medshare.claims.enrolment import EnrolmentRegistry, enrolment_events
    from medshare.claims.state import claims_database

    persons = sorted({r["person_no"] for r in records})
    _grant_everyone(records, cfg, categories=("settlement",))
    enrol = EnrolmentRegistry(claims_database(cfg))
    try:
        for code, product in (("hhb", "hhb-huibao"), ("shenlife", "shenlife-plus")):
            enrol.apply_many(enrolment_events(persons, code, product, 2026))
    finally:
        enrol.close()
    return len(persons)


def throughput(cfg, expected: int, batch_size: int) -> dict[str, Any]:
    from streams.claims import build
    from streams.runtime import Runner, RunOptions

    c = Runner(build(cfg), RunOptions(until_idle=True, idle_s=2.0, max_records=batch_size), cfg).run()
    assert c.consumed >= expected, f"claims consumed {c.consumed} of {expected}"
    secs = c.last_commit_at - c.first_batch_at
    return {"records": c.consumed, "claim_results": c.disclosed, "seconds": round(secs, 3),
            "records_per_s": round(c.consumed / secs, 1)}


def latency(cfg, records: list[dict[str, Any]], rate: float, batch_size: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    lat = processor_latencies(cfg, "claims", [sys.executable, "-m", "streams.claims", "--batch-size", str(batch_size)],
                              records, rate, cwd=ROOT, env=env)
    warm = warmup_count(records, rate)
    return {"rate_per_s": rate, "warm_up": warm, "sent": len(records) - warm, "received": len(lat),
            **percentiles(lat)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rate", type=float, default=500.0, help="settlements per second in the latency run")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--backlog", type=int, default=10000, help="settlements for the throughput run")
    ap.add_argument("--batch-size", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    _env()

    from medshare import broker

    cfg, say = fresh_bench(args.json)
    try:
        n_live = int(args.rate * args.seconds)
        say(f"generating {args.backlog + n_live} settlements ...")
        records = _settlements(args.backlog + n_live, args.seed)
        bulk, live = records[: args.backlog], records[args.backlog:]
        persons = _consent_and_enrol(records, cfg)
        say(f"{persons} persons enrolled in both products with claims consent; publishing {len(bulk)} ...")
        _publish(bulk, cfg)
        say("throughput ...")
        tp = throughput(cfg, len(bulk), args.batch_size)
        say(f"latency at {args.rate:.0f}/s for {args.seconds:.0f}s ...")
        lt = latency(cfg, live, args.rate, args.batch_size)
    finally:
        broker.stop(cfg)
    result = {"throughput": tp, "latency": lt, "target_p99_ms": 200, "partitions": cfg.partitions,
              "broker": f"Kafka {cfg.kafka_version} (local, KRaft)"}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"claims throughput: {tp['records_per_s']:>8.1f} settlements/s ({tp['records']} in {tp['seconds']}s, "
              f"{tp['claim_results']} claim results)")
        print(f"latency at {lt['rate_per_s']:.0f}/s: p50 {lt['p50_ms']} ms, p99 {lt['p99_ms']} ms, "
              f"max {lt['max_ms']} ms ({lt['received']}/{lt['sent']} received; target p99 < 200 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
