"""The README's main job: the whole pipeline, end to end, on synthetic data, on this machine.

Each step is a function of the packages; the demo only sequences them and reports what each
produced, so a new user sees the pipeline work and where to look next.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from medshare.config import Settings, settings

DEMO_INSURERS = ("hhb", "shenlife")


@dataclass
class DemoOptions:
    persons: int = 300
    days: int = 30
    seed: int = 7
    fresh: bool = True


@dataclass
class DemoReport:
    steps: list[dict[str, Any]] = field(default_factory=list)

    def add(self, name: str, seconds: float, result: Any) -> None:
        self.steps.append({"step": name, "seconds": round(seconds, 2), "result": result})


def reset_state(cfg: Settings) -> None:
    """Stop the broker and remove the local state (never the download cache)."""
    from medshare import broker

    broker.stop(cfg)
    if cfg.home.exists():
        shutil.rmtree(cfg.home)


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
    steps.append(("topics", lambda: topic_overview(cfg)))

    for i, (name, fn) in enumerate(steps, 1):
        say(f"[{i}/{len(steps)}] {name} ...")
        t0 = time.monotonic()
        result = fn()
        dt = time.monotonic() - t0
        report.add(name, dt, result)
        say(f"      done in {dt:.1f}s")
    return report


def _simulate(opts: DemoOptions, cfg: Settings) -> dict[str, Any]:
    from medshare.simulate import SimulationConfig, run_simulation

    summary = run_simulation(
        SimulationConfig(persons=opts.persons, days=opts.days, seed=opts.seed, insurers=DEMO_INSURERS),
        cfg=cfg,
    )
    return summary
