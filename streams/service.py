"""Running processors as services: one process per worker, Prometheus metrics, clean shutdown."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
from typing import Any

from medshare.config import Settings, reload_settings, settings
from streams.registry import factory
from streams.runtime import Counters, Runner, RunOptions, read_statuses, tune_gc


def run_processor(name: str, opts: RunOptions, cfg: Settings | None = None) -> Counters:
    """Run one instance of processor ``name`` in this process until stopped (or idle)."""
    cfg = cfg or settings()
    handler = factory(name)(cfg)
    runner = Runner(handler, opts, cfg)
    runner.install_signal_handlers()
    tune_gc()
    from medshare.lineage import processor_run

    with processor_run(handler, runner, cfg):  # OpenLineage START/COMPLETE; never fails the run
        return runner.run()


def _worker(name: str, opts: RunOptions, queue: Any) -> None:
    from streams.logs import configure

    configure(f"{name}[{opts.instance}]")
    counters = run_processor(name, opts, reload_settings())
    queue.put(counters.__dict__)


def run_workers(name: str, workers: int, opts: RunOptions) -> list[dict[str, Any]]:
    """Run ``workers`` instances in one consumer group (they share the partitions)."""
    if workers == 1:
        return [run_processor(name, opts).__dict__]
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = []
    for i in range(workers):
        o = RunOptions(**{**opts.__dict__, "instance": str(i) if opts.instance == "0" else f"{opts.instance}-{i}"})
        p = ctx.Process(target=_worker, args=(name, o, queue), name=f"{name}-{i}")
        p.start()
        procs.append(p)

    def forward(signum, _frame):
        for p in procs:
            if p.is_alive() and p.pid:
                os.kill(p.pid, signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    for p in procs:
        p.join()
    results = []
    while not queue.empty():
        results.append(queue.get())
    return results


def start_metrics_server(port: int, cfg: Settings | None = None, host: str = "127.0.0.1") -> None:
    """Expose every processor's counters (from their status files) in Prometheus text format."""
    from prometheus_client import start_http_server
    from prometheus_client.core import REGISTRY, GaugeMetricFamily

    cfg = cfg or settings()

    class StatusCollector:
        def collect(self):
            fams = {k: GaugeMetricFamily(f"medshare_processor_{k}", f"processor {k}", labels=["processor", "instance"])
                    for k in ("consumed", "published", "quarantined", "disclosed", "lag", "batches")}
            for st in read_statuses(cfg):
                for k, fam in fams.items():
                    fam.add_metric([st["processor"], st["instance"]], float(st.get(k, 0)))
            yield from fams.values()

    REGISTRY.register(StatusCollector())
    start_http_server(port, addr=host)
