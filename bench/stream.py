"""Router throughput and end-to-end latency on the local broker, beside a plain passthrough.

    python -m bench.stream [--settlements 20000] [--rate 1000] [--seconds 10] [--json]

Runs against its own broker and state (``var/bench``, port 17092) so it never touches the demo.
Every client speaks SASL_SSL (TLS, SCRAM-SHA-512) like every other medshare client: the
passthrough's figure is a TLS passthrough, and ``transport`` in the result says what was negotiated.
In one run, on the same broker, with the same client library (kafka-python):

1. **passthrough** — a plain consume→produce loop: ``KafkaConsumer`` on ``platform.settlements.v2``,
   ``KafkaProducer(acks='all')`` to a scratch topic, offsets committed per batch. No parsing. With
   ``--workers N`` it runs in N processes of one group, like the router, so the ratio compares
   equal scale-out.
2. **router** — the sharing router as it runs in production (the transactional runtime, contract
   validation, consent lookups, projection, field encryption to each insurer, audit events) over
   the same settlements. ``--consents all`` (the worst case): every person consented to both
   insurers; the router sends a record only under a detail-mode grant (shenlife; hhb is
   result-mode and gets claim results from the claims processor), so each record is disclosed
   once (two messages out per record in). ``--consents simulated``: persons consent at the
   simulator's rates (40 % to hhb, 25 % to shenlife, independently), ≈0.25 disclosures per record.
3. **ceilings** (one process) — the same transactional runtime with a handler that sends exactly
   the router's messages and does none of its work; then the same with each settlement checked
   against its contract first. The most a router could reach with this runtime and client here.
4. **latency** — settlements published at ``--rate`` per second for ``--seconds`` while the router
   runs; for each, the time from the platform's send to its arrival on the detail insurer's claims topic
   (read_committed), p50/p99.

Throughput counts input records per second between the first and the last batch of each loop.
Before either is measured both run once over a warm-up backlog: a freshly started broker spends
most of its first seconds compiling (the JVM's JIT, measured at ≈2.8 of 6.2 broker CPU-seconds
of a cold router run), which is not what a running deployment pays.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _env() -> None:
    os.environ.setdefault("MEDSHARE_HOME", str(ROOT / "var" / "bench"))
    os.environ.setdefault("MEDSHARE_KAFKA_PORT", "17092")
    os.environ.setdefault("MEDSHARE_KAFKA_CONTROLLER_PORT", "17093")


def _settlements(n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` valid simulated settlements (the simulator's, renumbered so ids stay unique)."""
    from datetime import date

    from medshare.simulate import SimConfig, Simulation

    out: list[dict[str, Any]] = []
    persons = max(200, n // 8)
    while len(out) < n:
        sim = Simulation(SimConfig(persons=persons, days=120, seed=seed, malformed_rate=0.0,
                                   start_date=date(2026, 3, 1)))
        for e in sim.events():
            if e.topic == "platform.settlements.v2" and e.record and "revoke" not in e.record:
                out.append(e.record)
                if len(out) >= n:
                    break
        seed += 1
    return out


def _grant_everyone(records: list[dict[str, Any]], cfg, consents: str = "all", seed: int = 5,
                    categories: tuple[str, ...] = ("settlement", "emr")) -> dict[str, tuple[str, ...]]:
    """Store ``claims`` consents (for ``categories``) of the persons of ``records``: to both insurers
    (``all``), or each at the simulator's rate for that insurer (``simulated``). Returns person ->
    insurers."""
    import random
    from datetime import datetime

    from medshare.simulate.consents import claims_rate
    from privacy.consent import ConsentRegistry
    from privacy.notice import NoticeBook

    persons = sorted({r["psn_no"] for r in records})
    rng = random.Random(seed)
    events = []
    granted: dict[str, tuple[str, ...]] = {}
    given_at = "2026-01-01T00:00:00+08:00"
    book = NoticeBook.load()
    # a grant names the notice it was given on (PIPL Art. 17; the registry refuses one without)
    notices = {code: book.current(code, "claims", datetime.fromisoformat(given_at)) for code in ("hhb", "shenlife")}
    for i, p in enumerate(persons):
        for k, code in enumerate(("hhb", "shenlife")):
            if consents == "simulated" and rng.random() >= claims_rate(k):
                continue
            granted[p] = (*granted.get(p, ()), code)
            events.append({
                "event_id": f"bench-{code}-{i}", "consent_id": f"BENCH{code}{i:08d}", "action": "grant",
                "person_no": p, "resident_id": None, "insurer_code": code, "purpose": "claims",
                "data_categories": list(categories), "valid_from": "2026-01-01T00:00:00+08:00",
                "valid_to": "2028-01-01T00:00:00+08:00", "channel": "随申办",
                "event_time": given_at, "notice_id": notices[code].notice_id,
            })
    reg = ConsentRegistry.open(cfg.state_database)
    try:
        result = reg.apply_many(events)
    finally:
        reg.close()
    if result.rejected:  # a benchmark of refused consents measures nothing
        raise SystemExit(f"bench consents refused ({len(result.rejected)}), e.g. {result.rejected[0]}")
    return granted


class _NoopRouter:
    """The router's messages without its work: for each consented insurer, the settlement as is
    to the insurer's claims topic and ~700 bytes to the audit topic (what a disclosure sends).

    ``validate``: each settlement is first checked against its contract, as the router checks it
    (the one piece of the router's work every record needs, whoever it goes to).
    """

    inputs = ("platform.settlements.v2", "platform.consents.v1")
    align_inputs = True

    def __init__(self, granted: dict[str, tuple[str, ...]], validate: bool = False) -> None:
        from streams.common import ContractCheck

        self.granted = granted
        self.name = "bench-ceiling-validating" if validate else "bench-ceiling"
        self.check = ContractCheck(self.inputs[:1]) if validate else None

    def begin_batch(self) -> None: ...

    def handle(self, msg: Any, counters: Any) -> list[Any]:
        from medshare.envelope import Outgoing

        if self.check is not None:
            self.check(msg)
        outs = []
        for code in self.granted.get(msg.key.decode(), ()):
            outs.append(Outgoing(f"insurer.{code}.claims.v1", msg.value, msg.key, list(msg.headers)))
            outs.append(Outgoing("governance.audit.v1", msg.value[:700], msg.key, list(msg.headers)))
        return outs

    def quarantine(self, msg: Any, reason: Exception) -> Any:
        raise RuntimeError(f"bench settlements are all valid, yet {msg.topic}@{msg.offset} was refused: {reason}")

    def before_commit(self) -> None: ...

    def close(self) -> None: ...


def noop_ceiling(cfg, granted: dict[str, tuple[str, ...]], validate: bool = False) -> dict[str, float]:
    """The transactional runtime sending exactly the router's messages but doing none of its work,
    over every settlement published so far (its own consumer group): the most any router on this
    client, broker and machine could reach for this workload. ``validate``: the same, with each
    settlement checked against its contract first (the most any router that validates reaches)."""
    from streams.runtime import Runner, RunOptions

    c = Runner(_NoopRouter(granted, validate), RunOptions(until_idle=True, idle_s=2.0), cfg).run()
    return {"records": c.consumed, "messages_per_record": round(c.published / c.consumed, 2),
            "records_per_s": round(c.consumed / (c.last_commit_at - c.first_batch_at), 1)}


def _publish(records: list[dict[str, Any]], cfg, rate: float | None = None,
             sent_at: dict[str, float] | None = None) -> float:
    from medshare import kafka as mk
    from medshare.envelope import Outgoing

    prod = mk.producer("platform", cfg=cfg, linger_ms=5)
    try:
        # a new producer's first send() waits for the topic's metadata, once for up to 60 s
        # (max_block_ms) in ~45 runs: learn it before the clock starts, so the records do not
        # go out late and in a burst
        prod.partitions_for("platform.settlements.v2")
        t0 = time.perf_counter()
        for i, r in enumerate(records):
            if rate:
                due = t0 + i / rate
                while (now := time.perf_counter()) < due:
                    time.sleep(min(0.002, due - now))
            msg = Outgoing.record("platform.settlements.v2", r, key=r["psn_no"], producer="bench",
                                  event_id=r["setl_id"])
            if sent_at is not None:
                sent_at[r["setl_id"]] = time.time()
            prod.send(msg.topic, value=msg.value, key=msg.key, headers=msg.headers)
            if rate:
                prod.flush() if i % 10 == 0 else None
        prod.flush()
    finally:
        prod.close()
    return time.perf_counter() - t0


def passthrough(cfg, expected: int, group: str, idle_s: float | None = None) -> dict[str, float]:
    """Plain consume -> produce, acks=all, commit per batch; records/s between first and last batch.

    Stops after ``expected`` records, or (one of several processes in the group) once nothing
    arrived for ``idle_s`` seconds after its first batch.
    """
    from medshare import kafka as mk

    consumer = mk.consumer("pipeline", group, ["platform.settlements.v2"], cfg=cfg, max_poll_records=500)
    # the same producer settings as the processors' runtime (streams/runtime.py)
    producer = mk.producer("pipeline", cfg=cfg, linger_ms=10, batch_size=262144,
                           max_in_flight_requests_per_connection=5)
    n, first, last = 0, None, None
    started = time.perf_counter()
    deadline = time.monotonic() + 600
    try:
        while n < expected and time.monotonic() < deadline:
            polled = consumer.poll(timeout_ms=500)
            batch = [m for ms in polled.values() for m in ms]
            if not batch:
                # one of several processes: done once idle after its records, or when none came at
                # all (the others took every partition before it joined)
                if idle_s is not None and time.perf_counter() - (last or started) >= (idle_s if last else 5 * idle_s):
                    break
                continue
            first = first or time.perf_counter()
            for m in batch:
                producer.send("lab.bench-passthrough.v1", value=m.value, key=m.key, headers=m.headers)
            producer.flush()
            consumer.commit()
            n += len(batch)
            last = time.perf_counter()
    finally:
        producer.close()
        consumer.close()
    if not n:
        return {"records": 0, "first": None, "last": None}
    # wall-clock ends as well, so several processes' runs can be combined
    now_wall, now_perf = time.time(), time.perf_counter()
    return {"records": n, "seconds": round(last - first, 3), "records_per_s": round(n / (last - first), 1),
            "first": now_wall - (now_perf - first), "last": now_wall - (now_perf - last)}


def _passthrough_worker(group: str, idle_s: float, out) -> None:
    from medshare.config import reload_settings

    out.put(passthrough(reload_settings(), 10**12, group, idle_s=idle_s))


def passthrough_workers(cfg, expected: int, group: str, workers: int) -> dict[str, float]:
    """The passthrough in ``workers`` processes of one group (the router's scale-out, for a fair ratio)."""
    if workers == 1:
        r = passthrough(cfg, expected, group)
        return {k: r[k] for k in ("records", "seconds", "records_per_s")} | {"workers": 1}
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_passthrough_worker, args=(group, 3.0, out)) for _ in range(workers)]
    for p in procs:
        p.start()
    results = [out.get(timeout=900) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    runs = [r for r in results if r["records"]]
    n = sum(r["records"] for r in runs)
    assert n >= expected, f"passthrough consumed {n} of {expected}"
    first, last = min(r["first"] for r in runs), max(r["last"] for r in runs)
    return {"records": n, "seconds": round(last - first, 3), "records_per_s": round(n / (last - first), 1),
            "workers": workers}


def group_run(cfg, processor: str, workers: int, backlog: list[dict[str, Any]], batch_size: int | None = None,
              on_settled: Any = None) -> list[dict[str, Any]]:
    """``medshare run PROCESSOR --workers N --until-idle`` over ``backlog``; each process's final status.

    The processes first join their group and settle (all idle, partitions assigned), then ``backlog``
    is published: otherwise the first process to join takes every partition and the run measures a
    rebalance, not the processor. ``on_settled(pid)`` is called with the parent's pid once they
    have settled (e.g. to read the processes' CPU before the measured part).
    """
    for path in (cfg.state_dir / "processors").glob(f"{processor}-*.json"):
        path.unlink()
    cmd = [_medshare(), "run", processor, "--until-idle", "--workers", str(workers), "--idle-seconds", "8"]
    if batch_size:
        cmd += ["--batch-size", str(batch_size)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        idle = [s for s in _statuses(cfg) if s["processor"] == processor and s["state"] == "idle"]
        if len(idle) >= workers:
            break
        time.sleep(0.1)
    if on_settled is not None:
        on_settled(proc.pid)
    _publish(backlog, cfg)
    _, err = proc.communicate(timeout=900)
    if proc.returncode:
        raise RuntimeError(err[-2000:])
    return [s for s in _statuses(cfg) if s["processor"] == processor]


def router_throughput(cfg, expected: int, workers: int = 1, backlog: list[dict[str, Any]] | None = None
                      ) -> dict[str, float]:
    """The router over a backlog: in this process, or ``workers`` processes in one group.

    One process reads the backlog already published. Several first join their group and settle
    (all idle, partitions assigned), then ``backlog`` is published: otherwise the first process to
    join takes every partition and the run measures a rebalance, not the router.
    """
    if workers == 1:
        from streams.router import build
        from streams.runtime import Runner, RunOptions

        c = Runner(build(cfg), RunOptions(until_idle=True, idle_s=2.0), cfg).run()
        consumed, disclosed, first, last = c.consumed, c.disclosed, c.first_batch_at, c.last_commit_at
    else:
        st = group_run(cfg, "router", workers, backlog or [])
        consumed, disclosed = sum(s["consumed"] for s in st), sum(s["disclosed"] for s in st)
        first = min(s["first_batch_at"] for s in st if s["first_batch_at"])
        last = max(s["last_commit_at"] for s in st)
    assert consumed >= expected, f"router consumed {consumed} of {expected}"
    return {"records": consumed, "disclosed": disclosed, "workers": workers, "seconds": round(last - first, 3),
            "records_per_s": round(consumed / (last - first), 1)}


def _medshare() -> str:
    return str(Path(sys.executable).with_name("medshare"))


def _statuses(cfg) -> list[dict[str, Any]]:
    from streams.runtime import read_statuses

    return read_statuses(cfg)


def detail_insurers() -> tuple[str, ...]:
    """The insurers the router sends settlements to: those with a detail-mode grant on the platform's
    settlements (快赔/直赔). A result-mode insurer (主动赔, rules inside: hhb) gets claim results from
    the claims processor, never a record from the router."""
    from medshare import topics as t
    from privacy.agreements import load_agreements

    return tuple(sorted({ref.insurer for ref in load_agreements().by_source(t.PLATFORM_SETTLEMENTS)
                         if ref.grant.mode == "detail" and ref.grant.purpose == "claims"}))


def latency(cfg, records: list[dict[str, Any]], rate: float, workers: int = 1, batch: int = 200) -> dict[str, float]:
    insurer = detail_insurers()[0]
    cmd = [_medshare(), "run", "router", "--workers", str(workers), "--batch-size", str(batch)]
    lat = processor_latencies(cfg, "router", cmd, records, rate, instances=workers, insurer=insurer,
                              env=os.environ.copy())
    warm = warmup_count(records, rate)
    if not lat:  # a latency of nothing is not a figure
        raise SystemExit(f"latency: none of the {len(records) - warm} settlements reached {insurer}'s claims topic")
    q = percentiles(lat)
    return {"rate_per_s": rate, "workers": workers, "batch": batch, "warm_up": warm, "sent": len(records) - warm,
            "received": len(lat), "insurer": insurer, **q}


def processor_latencies(cfg, processor: str, cmd: list[str], records: list[dict[str, Any]], rate: float,
                        instances: int = 1, insurer: str = "hhb", **popen: Any) -> list[float]:
    """Run ``cmd`` (the ``processor``'s ``instances`` processes), then publish ``records`` at ``rate``
    and time each to its arrival on ``insurer``'s claims topic, read with its own credentials (ms, sorted).

    The first second's worth of ``records`` (at most a tenth) warms the processor up, untimed.
    """
    from kafka import KafkaConsumer

    from medshare.kafka import NO_CLIENT_METRICS, client_config
    from medshare.onboard import insurer_bundle

    for path in (cfg.state_dir / "processors").glob(f"{processor}-*.json"):
        path.unlink()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **popen)
    b = insurer_bundle(insurer, cfg)
    # an insurer's consumer as it would run (kafka-python's default fetch wait: the broker answers a
    # waiting read_committed fetch as soon as a commit marker makes records visible — measured: the
    # time from the processor's commit to arrival is the same as with a 10 ms wait, and the reader
    # no longer sends ≈100 empty fetches a second that took CPU from the processor and the broker)
    reader = KafkaConsumer(b["topics"]["claims"], group_id=f"{b['group_prefix']}bench-{time.time_ns()}",
                           auto_offset_reset="latest", isolation_level="read_committed",
                           **NO_CLIENT_METRICS, **client_config(b))
    try:
        # the reader sits at the end, every instance has joined its group and polls, idle
        deadline = time.monotonic() + 60
        while True:
            reader.poll(timeout_ms=100)
            idle = [s for s in _statuses(cfg) if s["processor"] == processor and s["state"] == "idle"]
            if reader.assignment() and len(idle) >= instances:
                break
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"processor or reader not ready (waited up to 60 s): reader assigned {sorted(reader.assignment())}, "
                                   f"{len(idle)} of {instances} {processor} processes idle, "
                                   f"exit code {proc.poll()}")
        time.sleep(2)
        # the first records of a just-started processor wait for its producer's metadata of each
        # output topic and its first transaction (≈0.3 s, measured), and the backlog that makes
        # sits in the next few batches: a running deployment never pays that, so the first
        # records warm the processor up and are not counted
        warm = warmup_count(records, rate)
        collect_latencies(reader, records[:warm], cfg, rate)
        time.sleep(1)
        return collect_latencies(reader, records[warm:], cfg, rate)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        reader.close()


def warmup_count(records: list[Any], rate: float) -> int:
    """How many of ``records`` :func:`processor_latencies` spends warming the processor up."""
    return min(len(records) // 10, max(100, int(rate)))


def collect_latencies(reader, records: list[dict[str, Any]], cfg, rate: float) -> list[float]:
    """Publish ``records`` at ``rate`` and time each from send to its arrival at ``reader`` (ms, sorted).

    Outputs are matched to inputs by ``settlement_id``; ``reader`` must already sit at the end of
    the output topic.
    """
    sent: dict[str, float] = {}
    lat: list[float] = []
    pub = threading.Thread(target=_publish, args=(records, cfg, rate, sent))
    pub.start()
    deadline = time.monotonic() + len(records) / rate + 60
    while len(lat) < len(records) and time.monotonic() < deadline:
        for ms in reader.poll(timeout_ms=100).values():
            now = time.time()
            for m in ms:
                value = json.loads(m.value)
                sid = value.get("setl_id") or value.get("settlement_id")
                if sid in sent:
                    lat.append((now - sent[sid]) * 1000)
    pub.join()
    return sorted(lat)


def percentiles(lat: list[float]) -> dict[str, float | None]:
    """p50/p99/max of sorted latencies in ms (NaN percentiles below 100 samples)."""
    q = statistics.quantiles(lat, n=100) if len(lat) >= 100 else [float("nan")] * 99
    return {"p50_ms": round(q[49], 1), "p99_ms": round(q[98], 1), "max_ms": round(lat[-1], 1) if lat else None}


def transport(cfg) -> str:
    """How the bench's clients reach the broker: protocol, negotiated TLS version, SASL mechanism."""
    import socket
    import ssl

    if cfg.security_protocol != "SASL_SSL":
        return f"{cfg.security_protocol}, {cfg.sasl_mechanism}"
    host, port = cfg.bootstrap.split(",")[0].rsplit(":", 1)
    ctx = ssl.create_default_context(cafile=str(cfg.cafile) if cfg.cafile else None)
    with socket.create_connection((host, int(port)), timeout=10) as raw, \
            ctx.wrap_socket(raw, server_hostname=host) as s:
        return f"SASL_SSL ({s.version()}, {s.cipher()[0]}), {cfg.sasl_mechanism}"


def fresh_bench(quiet: bool) -> tuple[Any, Any]:
    """(settings, progress printer) of a benchmark: its home's state wiped, its broker started and
    both insurers onboarded (the caller's ``_env`` chose the home and ports)."""
    from medshare import broker
    from medshare.config import reload_settings
    from medshare.demo import reset_state
    from medshare.onboard import onboard_insurer

    cfg = reload_settings()
    say = (lambda *_: None) if quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    say(f"fresh broker and state in {cfg.home} ...")
    reset_state(cfg)
    broker.start(cfg, quiet=True)
    for code in ("hhb", "shenlife"):
        onboard_insurer(code, cfg=cfg)
    return cfg, say


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--settlements", type=int, default=20000)
    ap.add_argument("--rate", type=float, default=1000.0)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--workers", type=int, default=1,
                    help="router processes (one consumer group); the passthrough runs as many")
    ap.add_argument("--latency-batch", type=int, default=500,
                    help="most records per router batch (one transaction) in the latency phase; a batch "
                         "is what arrived since the last one, so under load it grows up to this")
    ap.add_argument("--consents", choices=("all", "simulated"), default="all",
                    help="all: every person consented to both insurers (worst case); simulated: the "
                         "simulator's consent rates")
    ap.add_argument("--warmup", type=int, default=10000,
                    help="settlements both loops handle first, unmeasured, so the broker's JIT is warm")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    _env()

    from medshare import acls, broker

    cfg, say = fresh_bench(args.json)
    acls.ensure_topics([acls.t.TopicSpec("lab.bench-passthrough.v1", cfg.partitions)], cfg)
    n_latency = int(args.rate * args.seconds)
    say(f"generating {args.warmup + args.settlements + n_latency} settlements ...")
    records = _settlements(args.warmup + args.settlements + n_latency, args.seed)
    warm, bulk, live = (records[: args.warmup], records[args.warmup: args.warmup + args.settlements],
                        records[args.warmup + args.settlements:])
    granted = _grant_everyone(records, cfg, args.consents, args.seed)
    from streams.runtime import tune_gc

    tune_gc()  # as `medshare run` does; the passthrough in this process runs under it too
    if warm:
        say(f"warm-up: {len(warm)} settlements through the passthrough and the router ...")
        if args.workers == 1:
            _publish(warm, cfg)
            router_throughput(cfg, len(warm))
        else:  # the processes settle in their group first, then the warm-up is published to them
            router_throughput(cfg, len(warm), args.workers, backlog=warm)
        passthrough(cfg, len(warm), "medshare-bench-passthrough")
    if args.workers == 1:
        say(f"publishing {len(bulk)} settlements ...")
        _publish(bulk, cfg)
        say("passthrough ...")
        pt = passthrough_workers(cfg, len(bulk), "medshare-bench-passthrough", 1)
        say("router ...")
        rt = router_throughput(cfg, len(bulk))
    else:  # the router processes settle in their group, then the backlog is published to them
        say(f"router ({args.workers} processes), publishing {len(bulk)} settlements to it ...")
        rt = router_throughput(cfg, len(bulk), args.workers, backlog=bulk)
        say(f"passthrough ({args.workers} processes) over the same settlements ...")
        pt = passthrough_workers(cfg, len(bulk), "medshare-bench-passthrough", args.workers)
    ceiling = None
    if args.workers == 1:
        say("no-op ceiling (the router's messages, none of its work) ...")
        # the router's messages: only to the insurers it sends records to (detail grants)
        detail = set(detail_insurers())
        granted = {p: tuple(c for c in codes if c in detail) for p, codes in granted.items()}
        ceiling = noop_ceiling(cfg, granted)
        ceiling["ratio_to_passthrough"] = round(ceiling["records_per_s"] / pt["records_per_s"], 3)
        say("no-op ceiling with contract validation ...")
        validating = noop_ceiling(cfg, granted, validate=True)
        ceiling["validating"] = {**validating,
                                 "ratio_to_passthrough": round(validating["records_per_s"] / pt["records_per_s"], 3)}
    say(f"latency at {args.rate:.0f}/s for {args.seconds:.0f}s ...")
    lt = latency(cfg, live, args.rate, args.workers, args.latency_batch)
    result = {"consents": args.consents, "warmup": args.warmup, "passthrough": pt, "router": rt,
              "noop_ceiling": ceiling, "ratio_router_to_passthrough": round(rt["records_per_s"] / pt["records_per_s"], 3),
              "latency": lt, "partitions": cfg.partitions, "broker": f"Kafka {cfg.kafka_version} (local, KRaft)",
              "transport": transport(cfg)}
    broker.stop(cfg)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"transport: {result['transport']} (passthrough and router alike)")
        print(f"passthrough: {pt['records_per_s']:>9.1f} records/s ({pt['records']} in {pt['seconds']}s, "
              f"{pt['workers']} process(es))")
        print(f"consents: {args.consents}; warm-up {args.warmup} settlements")
        print(f"router:      {rt['records_per_s']:>9.1f} records/s ({rt['records']} in {rt['seconds']}s, "
              f"{rt['disclosed']} disclosures, {rt['workers']} process(es))")
        print(f"ratio router/passthrough: {result['ratio_router_to_passthrough']:.2f}")
        if ceiling:
            print(f"no-op ceiling: {ceiling['records_per_s']:>9.1f} records/s ({ceiling['messages_per_record']} "
                  f"messages out per record; ratio {ceiling['ratio_to_passthrough']:.2f})")
            v = ceiling["validating"]
            print(f"  with contract validation: {v['records_per_s']:>9.1f} records/s "
                  f"(ratio {v['ratio_to_passthrough']:.2f})")
        print(f"latency at {lt['rate_per_s']:.0f}/s to {lt['insurer']}: p50 {lt['p50_ms']} ms, p99 {lt['p99_ms']} ms, "
              f"max {lt['max_ms']} ms ({lt['received']}/{lt['sent']} received)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
