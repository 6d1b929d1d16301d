"""直赔 latency: settlement event -> claim result on the insurer's topic, on the local broker.

    python -m bench.claims_latency [--rate 500] [--seconds 20] [--backlog 10000] [--batch-size 500]
                                   [--warmup 2000] [--workers 1] [--profile N] [--json]

At the hospital counter the insurer's share must be known while the person waits (target: p99 under
200 ms at 500 settlements/s). Runs on its own broker and state (``var/bench-claims``, ports
18092/18093) so it never touches the demo. Every simulated person is enrolled in both products and
holds a claims consent for both insurers, so each settlement is evaluated twice (hhb and shenlife).
shenlife's grant is ``detail`` (直赔): every claim is published, with its audit event; hhb's is
``result`` (主动赔): only the claims that pay (about 1 in 200 here) leave. So a settlement makes
two messages, a paying one four.

0. **profile** (``--profile N``, no broker) — the claims handler in this process over N settlements,
   with the time of each phase per settlement: contract check, state prefetch, the adapter, the
   engine, the result and audit records (encryption), the state commit.

Before anything is measured, ``--warmup`` settlements (2,000) go through the claims processor and
the passthrough: a fresh broker compiles its transactional paths during its first claims (its JIT
took 0.2–0.35 ms of broker CPU per settlement in session 9's runs), which a running deployment does
not pay per record. Batches hold ``--batch-size`` records, the processor's own default (500).

1. **throughput** — a plain kafka-python passthrough (consume → produce, acks=all, commit per
   batch; ``bench.stream.passthrough``) over the published backlog, before and after the claims
   processor (the transactional runtime, contract check, enrolment and consent lookups, rule
   evaluation, state commit per batch, encryption, audit) over the same backlog, in this process:
   records per second between the first and last batch, and the ratio claims / passthrough (mean
   of the two passthrough runs) — the capacity target is ≥ 0.25. With ``--workers N`` the claims
   processor runs as ``medshare run claims --workers N`` (N processes of one group sharing the
   partitions) and the passthrough in as many processes (``bench.stream.passthrough_workers``), so
   the ratio compares equal scale-out, as ``bench.stream`` does for the router (the two
   passthroughs then both run after the claims). Each of the three also reports the CPU it took
   per record, in the client (this process, all threads; with ``--workers``, the processes after
   they settled in their group) and in the broker: on a machine shared
   with other work the rates swing with the load, the CPU per record much less. The broker's CPU
   is also split by thread: the JVM's JIT compilers, its garbage collector, and Kafka's own threads
   (a fresh broker compiles and collects during the bench; a warm one does neither per record).
2. **latency** — settlements published at min(``--rate``, capacity / 3) per second for
   ``--seconds`` while the processor (``medshare run claims --workers N``) runs; for each, the time from
   the platform's send to the arrival of its shenlife claim result (直赔 is a detail grant: every
   settlement has one; read_committed, the insurer's own credentials), p50/p99.
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
    passthrough_workers,
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

    persons = sorted({r["psn_no"] for r in records})
    _grant_everyone(records, cfg, categories=("settlement",))
    enrol = EnrolmentRegistry(claims_database(cfg))
    try:
        for code, product in (("hhb", "hhb-huibao"), ("shenlife", "shenlife-plus")):
            enrol.apply_many(enrolment_events(persons, code, product, 2026))
    finally:
        enrol.close()
    return len(persons)


def _cpu_s(pid: int | None = None, children: bool = False) -> float | None:
    """CPU seconds (user + system, all threads) of this process (``children``: of its waited-for
    descendants instead), or of process ``pid`` (None if gone)."""
    if pid is None:
        import resource

        r = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


#: the JVM's own threads by name prefix (``/proc/<pid>/task/<tid>/comm``): the JIT compilers and the
#: garbage collector; every other thread of the broker is Kafka's (network, request handlers, log,
#: coordinators, controller)
_JVM_THREADS = (("jit", ("C1 CompilerThre", "C2 CompilerThre")),
                ("gc", ("G1 ", "GC Thread", "VM Thread")))


def _thread_cpu_s(pid: int | None) -> dict[str, float] | None:
    """CPU seconds of process ``pid`` by kind of thread: ``jit``, ``gc``, ``kafka`` (None if gone).

    A fresh broker compiles its hot paths while the bench runs and collects its heap: both take a
    core from the client on a 2-core machine, and neither is a cost per record of a warm broker."""
    if pid is None:
        return None
    out = {"jit": 0.0, "gc": 0.0, "kafka": 0.0}
    tick = os.sysconf("SC_CLK_TCK")
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for tid in tids:
        try:
            comm = Path(f"/proc/{pid}/task/{tid}/comm").read_text().strip()
            fields = Path(f"/proc/{pid}/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended
            continue
        kind = next((k for k, prefixes in _JVM_THREADS if comm.startswith(prefixes)), "kafka")
        out[kind] += (int(fields[11]) + int(fields[12])) / tick
    return out


def with_cpu(cfg, records: int, fn, children: bool = False, not_counted: dict[str, float] | None = None
             ) -> dict[str, Any]:
    """``fn()``'s result plus the CPU it took per record: this process (the client, all its threads;
    ``children``: the processes ``fn`` started and waited for instead, less the seconds ``fn`` puts
    in ``not_counted["cpu"]``, e.g. their start-up) and the broker, in ms. On a
    shared machine CPU per record moves far less than records per second: it says what each side
    costs, whoever else runs (start-up and the idle seconds before an ``until_idle`` exit are
    included, so both are a little high)."""
    from medshare import broker

    pid = next(iter(broker.node_pids(cfg).values()), None)
    c0, b0, t0 = _cpu_s(children=children), _cpu_s(pid), _thread_cpu_s(pid)
    out = fn()
    c1, b1, t1 = _cpu_s(children=children), _cpu_s(pid), _thread_cpu_s(pid)
    client = c1 - c0 - (not_counted or {}).get("cpu", 0.0)
    out["cpu_ms_per_record"] = {"client": round(client / records * 1000, 3),
                                "broker": round((b1 - b0) / records * 1000, 3) if b0 is not None and b1 is not None
                                else None}
    if t0 is not None and t1 is not None:  # threads that ended in between are missing: a little low
        out["broker_cpu_ms_per_record_by_thread"] = {k: round(max(0.0, t1[k] - t0[k]) / records * 1000, 3)
                                                     for k in t1}
    return out


def throughput(cfg, expected: int, batch_size: int, workers: int = 1,
               backlog: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The claims processor over a backlog: in this process (``workers`` 1: the backlog is already
    published), or ``medshare run claims --workers N`` in one group (``backlog`` is published once
    its processes have settled, as the router's bench does)."""
    if workers == 1:
        from streams.claims import build
        from streams.runtime import Runner, RunOptions

        runner = Runner(build(cfg), RunOptions(until_idle=True, idle_s=2.0, max_records=batch_size), cfg)
        # the CPU of the run only: loading the contracts, products and agreements is start-up (≈2 s)
        out = with_cpu(cfg, expected, lambda: {"counters": runner.run()})
        c = out.pop("counters")
        consumed, disclosed, published, extra = c.consumed, c.disclosed, c.published, c.extra
        first, last = c.first_batch_at, c.last_commit_at
    else:
        from bench.stream import group_run

        settled: dict[str, Any] = {}

        def at_settled(pid: int) -> None:
            # the processes' CPU once started and settled: what the run adds after it is the work
            # (and the idle seconds before they exit), not the start-up
            settled["cpu"] = sum(filter(None, (_cpu_s(p) for p in _process_tree(pid))))

        out = with_cpu(cfg, expected, lambda: {"statuses": group_run(cfg, "claims", workers, backlog or [],
                                                                     batch_size, at_settled)},
                       children=True, not_counted=settled)
        st = out.pop("statuses")
        consumed, disclosed, published = (sum(s[k] for s in st) for k in ("consumed", "disclosed", "published"))
        extra: dict[str, int] = {}
        for s in st:
            for k, v in s["extra"].items():
                extra[k] = extra.get(k, 0) + v
        first = min(s["first_batch_at"] for s in st if s["first_batch_at"])
        last = max(s["last_commit_at"] for s in st)
    assert consumed >= expected, f"claims consumed {consumed} of {expected}"
    secs = last - first
    return {**out, "records": consumed, "claim_results": disclosed, "seconds": round(secs, 3), "workers": workers,
            "records_per_s": round(consumed / secs, 1), "messages_per_settlement": round(published / consumed, 2),
            "withheld": {k.removeprefix("claims.withheld."): v for k, v in extra.items()
                         if k.startswith("claims.withheld.")}}


def _process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux ``/proc/<pid>/task/<tid>/children``)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for tid in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in Path(f"/proc/{p}/task/{tid}/children").read_text().split()]
        except OSError:
            continue
    return out


def profile(records: list[dict[str, Any]], batch_size: int) -> dict[str, Any]:
    """The claims handler without Kafka: seconds per settlement in each phase (both insurers)."""
    import tempfile
    import time

    from medshare import topics as t
    from medshare.claims.claimable import to_claimable
    from medshare.config import Settings
    from medshare.envelope import encode_value, make_headers
    from streams.claims import ClaimsHandler
    from streams.runtime import Counters

    class Msg:
        __slots__ = ("topic", "value", "key", "offset", "partition", "headers", "timestamp")

        def __init__(self, r: dict[str, Any], n: int) -> None:
            self.topic, self.value, self.key, self.offset, self.partition = (
                t.PLATFORM_SETTLEMENTS, encode_value(r), r["psn_no"].encode(), n, 0)
            self.headers, self.timestamp = make_headers(t.PLATFORM_SETTLEMENTS, "bench", event_id=r["setl_id"]), 0

    with tempfile.TemporaryDirectory() as home:
        cfg = Settings(home=Path(home))
        from privacy import keys

        for code in ("hhb", "shenlife"):
            keys.create_insurer_keypair(code, cfg=cfg)
        _consent_and_enrol(records, cfg)
        handler = ClaimsHandler(cfg)
        eng = handler.engine
        phases = {"contract check + state prefetch": 0.0, "adapter": 0.0, "engine (compute)": 0.0,
                  "records (result, audit, encryption)": 0.0, "handle (rest)": 0.0, "state commit": 0.0}
        from medshare.claims import engine as ce

        real_compute, real_records, real_adapter = ce.compute, eng._records, to_claimable
        # phases in CPU time of this thread: on the shared machine wall time per phase mostly
        # measures the other processes (the whole batch's wall time is reported as well)
        clock = time.thread_time

        def timed(name, fn):
            def wrapper(*a, **k):
                t0 = clock()
                try:
                    return fn(*a, **k)
                finally:
                    phases[name] += clock() - t0
            return wrapper

        import medshare.claims.claimable as cc
        import medshare.claims.state as cs

        cs.eng.compute = timed("engine (compute)", real_compute)
        cc.to_claimable = timed("adapter", real_adapter)
        eng._records = timed("records (result, audit, encryption)", real_records)
        msgs = [Msg(r, i) for i, r in enumerate(records)]
        counters = Counters()
        warm = min(len(msgs) // 5, 1000)
        t_all = cpu_all = 0.0
        produced = 0
        try:
            for i in range(0, len(msgs), batch_size):
                if i == warm:
                    phases.update({k: 0.0 for k in phases})
                    t_all = cpu_all = 0.0
                batch = msgs[i:i + batch_size]
                c0 = time.process_time()
                w0 = time.perf_counter()
                t0 = clock()
                handler.begin_batch()
                handler.prepare(batch)
                t1 = clock()
                for m in batch:
                    produced += len(handler.handle(m, counters))
                t2 = clock()
                handler.before_commit()
                t3 = clock()
                phases["contract check + state prefetch"] += t1 - t0
                phases["handle (rest)"] += t2 - t1
                phases["state commit"] += t3 - t2
                t_all += time.perf_counter() - w0
                cpu_all += time.process_time() - c0
        finally:
            cs.eng.compute, cc.to_claimable, eng._records = real_compute, real_adapter, real_records
            handler.close()
        if not produced:  # e.g. every consent refused: the profile would time nothing
            raise SystemExit(f"the claims handler produced no message for {len(msgs)} settlements: {counters.extra}")
        n = len(msgs) - warm
        inner = sum(phases[k] for k in ("adapter", "engine (compute)", "records (result, audit, encryption)"))
        phases["handle (rest)"] -= inner
        return {"settlements": n, "ms_per_settlement": round(t_all / n * 1000, 3),
                "cpu_ms_per_settlement": round(cpu_all / n * 1000, 3),
                "settlements_per_s": round(n / t_all, 1),
                "phases_ms_per_settlement": {k: round(v / n * 1000, 3) for k, v in phases.items()},
                "messages_out_per_settlement": round(produced / len(msgs), 2), "counters": dict(counters.extra)}


def latency(cfg, records: list[dict[str, Any]], rate: float, batch_size: int, workers: int = 1) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    cmd = [str(Path(sys.executable).with_name("medshare")), "run", "claims", "--workers", str(workers),
           "--batch-size", str(batch_size)]
    lat = processor_latencies(cfg, "claims", cmd, records, rate, instances=workers, insurer="shenlife", cwd=ROOT,
                              env=env)
    warm = warmup_count(records, rate)
    return {"rate_per_s": rate, "warm_up": warm, "sent": len(records) - warm, "received": len(lat),
            **percentiles(lat)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rate", type=float, default=500.0, help="settlements per second in the latency run")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--backlog", type=int, default=10000, help="settlements for the throughput run")
    ap.add_argument("--batch-size", type=int, default=500, help="records per batch (the processor's default)")
    ap.add_argument("--warmup", type=int, default=2000,
                    help="settlements through the claims processor and the passthrough before measuring (0: none)")
    ap.add_argument("--workers", type=int, default=1,
                    help="claims processes in one group; the passthrough runs in as many (a fair ratio)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="only profile the handler without Kafka over N settlements")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    _env()
    if args.profile:
        from streams.runtime import tune_gc

        records = _settlements(args.profile, args.seed)
        tune_gc()  # as the processor does (`medshare run`, the throughput run below)
        prof = profile(records, args.batch_size)
        if args.json:
            print(json.dumps(prof, indent=2))
        else:
            print(f"claims handler without Kafka: {prof['ms_per_settlement']} ms per settlement "
                  f"({prof['settlements_per_s']}/s, both insurers; CPU {prof['cpu_ms_per_settlement']} ms), "
                  f"{prof['messages_out_per_settlement']} messages out")
            for k, v in prof["phases_ms_per_settlement"].items():
                print(f"  {k:40} {v:7.3f} ms")
        return 0

    from medshare import acls, broker
    from streams.runtime import tune_gc

    cfg, say = fresh_bench(args.json)
    acls.ensure_topics([acls.t.TopicSpec("lab.bench-passthrough.v1", cfg.partitions)], cfg)
    tune_gc()  # as `medshare run` does; the passthrough and the claims run in this process under it
    n = args.workers
    try:
        most_live = int(args.rate * args.seconds)
        say(f"generating {args.warmup + args.backlog + most_live} settlements ...")
        records = _settlements(args.warmup + args.backlog + most_live, args.seed)
        warm, bulk = records[: args.warmup], records[args.warmup: args.warmup + args.backlog]
        persons = _consent_and_enrol(records, cfg)
        if warm:
            # a fresh broker compiles its transactional paths during its first claims (the JIT: a
            # quarter to a third of a core here, measured in session 9); a running one does not
            say(f"{persons} persons enrolled in both products with claims consent; warm-up: {len(warm)} "
                "settlements through the claims processor and the passthrough ...")
            if n == 1:
                _publish(warm, cfg)
                throughput(cfg, len(warm), args.batch_size)
            else:
                throughput(cfg, len(warm), args.batch_size, n, backlog=warm)
            for group in ("medshare-bench-passthrough-1", "medshare-bench-passthrough-2"):
                passthrough_workers(cfg, len(warm), group, 1)  # one process: it reads exactly the warm-up
        if n == 1:
            say(f"publishing {len(bulk)} ...")
            _publish(bulk, cfg)
            say("passthrough (kafka-python consume -> produce) ...")
            pt1 = with_cpu(cfg, len(bulk), lambda: passthrough_workers(cfg, len(bulk), "medshare-bench-passthrough-1", 1))
            say("claims throughput ...")
            tp = throughput(cfg, len(bulk), args.batch_size)
        else:  # the claims processes settle in their group, then the backlog is published to them
            say(f"claims throughput ({n} processes), publishing {len(bulk)} settlements to it ...")
            tp = throughput(cfg, len(bulk), args.batch_size, n, backlog=bulk)
            say(f"passthrough ({n} processes) over the same settlements ...")
            pt1 = with_cpu(cfg, len(bulk), lambda: passthrough_workers(cfg, len(bulk), "medshare-bench-passthrough-1", n),
                           children=True)
        say("passthrough again ...")
        pt2 = with_cpu(cfg, len(bulk), lambda: passthrough_workers(cfg, len(bulk), "medshare-bench-passthrough-2", n),
                       children=n > 1)
        base = (pt1["records_per_s"] + pt2["records_per_s"]) / 2
        ratio = round(tp["records_per_s"] / base, 3)
        rate = round(min(args.rate, tp["records_per_s"] / 3), 1)
        live = records[args.warmup + args.backlog: args.warmup + args.backlog + int(rate * args.seconds)]
        say(f"latency at {rate:.0f}/s for {args.seconds:.0f}s ...")
        lt = latency(cfg, live, rate, args.batch_size, n)
    finally:
        broker.stop(cfg)
    result = {"passthrough": [{k: p[k] for k in ("records", "seconds", "records_per_s", "cpu_ms_per_record",
                                                 "broker_cpu_ms_per_record_by_thread") if k in p}
                              for p in (pt1, pt2)],
              "throughput": tp, "ratio_to_passthrough": ratio, "target_ratio": 0.25, "latency": lt,
              "target_p99_ms": 200, "partitions": cfg.partitions, "workers": n, "warmup": args.warmup,
              "batch_size": args.batch_size, "broker": f"Kafka {cfg.kafka_version} (local, KRaft)"}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{n} process(es) each, batches of {args.batch_size}, after a warm-up of {args.warmup} settlements")
        print(f"passthrough:       {pt1['records_per_s']:>8.1f} and {pt2['records_per_s']:.1f} records/s "
              f"(kafka-python consume -> produce, before and after)")
        print(f"claims throughput: {tp['records_per_s']:>8.1f} settlements/s ({tp['records']} in {tp['seconds']}s, "
              f"{tp['claim_results']} claim results, {tp['messages_per_settlement']} messages per settlement; "
              f"zero claims kept, not sent: {tp['withheld']})")
        print(f"ratio claims / passthrough: {ratio} (target >= 0.25)")
        cpu = [x["cpu_ms_per_record"] for x in (pt1, tp, pt2)]
        print("CPU per record (ms, client / broker): passthrough {0[client]} / {0[broker]}, claims {1[client]} / "
              "{1[broker]}, passthrough {2[client]} / {2[broker]}".format(*cpu))
        split = [x.get("broker_cpu_ms_per_record_by_thread") for x in (pt1, tp, pt2)]
        if all(split):
            print("  broker CPU per record by thread (ms, JIT / GC / Kafka): " + ", ".join(
                f"{name} {d['jit']} / {d['gc']} / {d['kafka']}"
                for name, d in zip(("passthrough", "claims", "passthrough"), split, strict=True)))
        print(f"latency at {lt['rate_per_s']:.0f}/s (min(--rate, capacity/3)): p50 {lt['p50_ms']} ms, p99 "
              f"{lt['p99_ms']} ms, max {lt['max_ms']} ms ({lt['received']}/{lt['sent']} received; target p99 < 200 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
