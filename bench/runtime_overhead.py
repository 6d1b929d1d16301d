"""What the transactional runtime costs per record, beside a plain passthrough, in CPU and rate.

    python -m bench.runtime_overhead [--settlements 20000] [--rounds 3] [--code NAME=PATH ...]
                                     [--profile PHASE] [--json]

On its own broker (``var/bench-runtime``, ports 19092/19093 unless ``MEDSHARE_KAFKA_PORT``,
``MEDSHARE_KAFKA_CONTROLLER_PORT`` and ``MEDSHARE_HOME`` say otherwise) the settlements are
published once; then, ``--rounds`` times, each phase reads all of them in a fresh consumer group,
in a child process of its own:

* **passthrough** — ``bench.stream.passthrough``'s loop: consume → produce one message (acks=all),
  commit per batch, no parsing;
* **noop** — ``bench.stream``'s no-op ceiling: the transactional runtime (``streams.runtime``) with
  a handler that sends the router's messages (the settlement to the detail insurer and 700 bytes to
  the audit topic, under ``--consents all``: 2 messages per record) and does none of its work;
* **noop-validating** — the same with each settlement checked against its contract first.

For each: records per second between the first batch and the last commit, and the **CPU per record**
from the first batch to the last commit, of the child (all its threads: the client's I/O threads
too) and of the broker. On a shared machine the rates move with everyone else's load; CPU per
record much less. ``--code NAME=PATH`` (repeatable) runs every phase once per code tree
(``PYTHONPATH``), alternated within each round: before/after on the same broker, minutes apart.
``--profile PHASE`` writes a cProfile of that phase's child (the first round, first code tree) to
``$MEDSHARE_HOME/<phase>.prof``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PHASES = ("passthrough", "noop", "noop-validating")


def _env() -> None:
    os.environ.setdefault("MEDSHARE_HOME", str(ROOT / "var" / "bench-runtime"))
    os.environ.setdefault("MEDSHARE_KAFKA_PORT", "19092")
    os.environ.setdefault("MEDSHARE_KAFKA_CONTROLLER_PORT", "19093")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _broker_cpu(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Window:
    """CPU (this process, the broker) and wall clock from the first batch to the last one's end."""

    def __init__(self, broker_pid: int | None) -> None:
        self.pid = broker_pid
        self.start: tuple[float, float, float | None] | None = None
        self.end: tuple[float, float, float | None] | None = None

    def _now(self) -> tuple[float, float, float | None]:
        return time.perf_counter(), _cpu(), _broker_cpu(self.pid)

    def first(self) -> None:
        if self.start is None:
            self.start = self._now()

    def last(self) -> None:
        self.end = self._now()

    def result(self, n: int) -> dict[str, Any]:
        assert self.start and self.end, "nothing was consumed"
        secs = self.end[0] - self.start[0]
        broker = (None if self.start[2] is None or self.end[2] is None
                  else round((self.end[2] - self.start[2]) / n * 1000, 4))
        return {"records": n, "seconds": round(secs, 3), "records_per_s": round(n / secs, 1),
                "cpu_ms_per_record": {"client": round((self.end[1] - self.start[1]) / n * 1000, 4),
                                      "broker": broker}}


def _passthrough(cfg, expected: int, group: str, win: _Window) -> dict[str, Any]:
    """``bench.stream.passthrough``'s loop, with the CPU window around its batches."""
    from medshare import kafka as mk

    consumer = mk.consumer("pipeline", group, ["platform.settlements.v2"], cfg=cfg, max_poll_records=500)
    producer = mk.producer("pipeline", cfg=cfg, linger_ms=10, batch_size=262144,
                           max_in_flight_requests_per_connection=5)
    n = 0
    deadline = time.monotonic() + 600
    try:
        while n < expected and time.monotonic() < deadline:
            polled = consumer.poll(timeout_ms=500)
            batch = [m for ms in polled.values() for m in ms]
            if not batch:
                continue
            win.first()
            for m in batch:
                producer.send("lab.bench-passthrough.v1", value=m.value, key=m.key, headers=m.headers)
            producer.flush()
            consumer.commit()
            n += len(batch)
            win.last()
    finally:
        producer.close()
        consumer.close()
    return win.result(n)


def _noop(cfg, expected: int, group: str, validate: bool, win: _Window) -> dict[str, Any]:
    from bench.stream import _NoopRouter
    from streams.runtime import Runner, RunOptions

    granted = {p: tuple(c) for p, c in json.loads((cfg.home / "bench-granted.json").read_text()).items()}
    handler = _NoopRouter(granted, validate)
    handler.name = group

    class _Timed(Runner):
        def _process_batch(self, *a: Any, **k: Any) -> Any:
            win.first()
            try:
                return super()._process_batch(*a, **k)
            finally:
                win.last()

    c = _Timed(handler, RunOptions(until_idle=True, idle_s=1.0), cfg).run()
    assert c.consumed >= expected, f"{group} consumed {c.consumed} of {expected}"
    out = win.result(c.consumed)
    out["messages_per_record"] = round(c.published / c.consumed, 2)
    return out


def child(phase: str, group: str, expected: int, profile: str | None) -> dict[str, Any]:
    from medshare import broker
    from medshare.config import reload_settings
    from streams.runtime import tune_gc

    cfg = reload_settings()
    if phase == "noop-validating":  # the contracts load before the clock starts, as in a processor
        from contracts import registry

        registry.load("platform.settlements.v2").validator()
    tune_gc()
    win = _Window(next(iter(broker.node_pids(cfg).values()), None))
    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    try:
        if phase == "passthrough":
            return _passthrough(cfg, expected, f"medshare-{group}", win)
        return _noop(cfg, expected, group, phase == "noop-validating", win)
    finally:
        if prof is not None:
            prof.disable()
            prof.dump_stats(profile)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--settlements", type=int, default=20000)
    ap.add_argument("--warmup", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--code", action="append", default=[], metavar="NAME=PATH",
                    help="a code tree to run each phase with (PYTHONPATH); default: this one")
    ap.add_argument("--phases", default=",".join(PHASES))
    ap.add_argument("--profile", choices=PHASES)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", nargs=3, metavar=("PHASE", "GROUP", "EXPECTED"), help=argparse.SUPPRESS)
    ap.add_argument("--child-profile", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    _env()
    if args.child:
        phase, group, expected = args.child
        print(json.dumps(child(phase, group, int(expected), args.child_profile)))
        return 0

    from bench.stream import _grant_everyone, _publish, _settlements, detail_insurers, fresh_bench
    from medshare import acls, broker

    codes = [tuple(c.split("=", 1)) for c in args.code] or [("this", str(ROOT))]
    phases = args.phases.split(",")
    cfg, say = fresh_bench(args.json)
    runs: list[dict[str, Any]] = []
    try:
        acls.ensure_topics([acls.t.TopicSpec("lab.bench-passthrough.v1", cfg.partitions)], cfg)
        records = _settlements(args.warmup + args.settlements, args.seed)
        granted = _grant_everyone(records, cfg, "all", args.seed)
        detail = set(detail_insurers())
        (cfg.home / "bench-granted.json").write_text(json.dumps(
            {p: [c for c in codes_ if c in detail] for p, codes_ in granted.items()}))

        def run(name: str, path: str, phase: str, group: str, expected: int, profile: str | None = None):
            env = {**os.environ, "PYTHONPATH": path}
            cmd = [sys.executable, "-m", "bench.runtime_overhead", "--child", phase, group, str(expected)]
            if profile:
                cmd += ["--child-profile", profile]
            out = subprocess.run(cmd, env=env, cwd=path, capture_output=True, text=True, timeout=900)
            if out.returncode:
                raise RuntimeError(f"{name} {phase}: {out.stderr[-3000:]}")
            return json.loads(out.stdout.strip().splitlines()[-1])

        say(f"warm-up: {args.warmup} settlements through each phase ...")
        _publish(records[: args.warmup], cfg)
        for phase in phases:
            run(*codes[0], phase, f"bench-warm-{phase}", args.warmup)
        say(f"publishing {args.settlements} settlements ...")
        _publish(records[args.warmup:], cfg)
        total = len(records)
        for rnd in range(args.rounds):
            for name, path in codes:
                for phase in phases:
                    profile = (str(cfg.home / f"{phase}.prof")
                               if args.profile == phase and rnd == 0 and name == codes[0][0] else None)
                    r = run(name, path, phase, f"bench-{phase}-{name}-{rnd}", total, profile)
                    r.update(code=name, phase=phase, round=rnd, load=round(os.getloadavg()[0], 2))
                    runs.append(r)
                    say(f"round {rnd} {name:>8} {phase:<16} {r['records_per_s']:>8.0f} rec/s  CPU client "
                        f"{r['cpu_ms_per_record']['client']:.3f} ms/rec, broker {r['cpu_ms_per_record']['broker']} "
                        f"(load {r['load']})")
    finally:
        broker.stop(cfg)
    summary = _summary(runs, codes, phases, args.rounds)
    result = {"settlements": args.settlements + args.warmup, "rounds": args.rounds, "runs": runs, "summary": summary}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(json.dumps(summary, indent=2))
    return 0


def _summary(runs: list[dict[str, Any]], codes: list[tuple[str, ...]], phases: list[str], rounds: int
             ) -> dict[str, Any]:
    """Per code tree and phase: median rate and CPU per record; the median ratio to the passthrough
    of the same round (rate) and the passthrough's CPU over the phase's."""
    summary: dict[str, Any] = {}
    for name, _ in codes:
        mine = [r for r in runs if r["code"] == name]
        s: dict[str, Any] = {}
        for phase in phases:
            rs = [r for r in mine if r["phase"] == phase]
            s[phase] = {"records_per_s": statistics.median(r["records_per_s"] for r in rs),
                        "cpu_client_ms": statistics.median(r["cpu_ms_per_record"]["client"] for r in rs)}
        if "passthrough" in s:
            for phase in phases[1:] if phases[0] == "passthrough" else phases:
                if phase == "passthrough":
                    continue
                ratios = []
                for rnd in range(rounds):
                    pt = next(r for r in mine if r["round"] == rnd and r["phase"] == "passthrough")
                    ph = next(r for r in mine if r["round"] == rnd and r["phase"] == phase)
                    ratios.append(ph["records_per_s"] / pt["records_per_s"])
                s[phase]["ratio_to_passthrough"] = round(statistics.median(ratios), 3)
                s[phase]["cpu_ratio_passthrough_over_phase"] = round(
                    s["passthrough"]["cpu_client_ms"] / s[phase]["cpu_client_ms"], 3)
        summary[name] = s
    return summary


if __name__ == "__main__":
    sys.exit(main())
