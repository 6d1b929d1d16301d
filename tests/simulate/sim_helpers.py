"""Helpers of the simulator tests: run a small simulation in memory (no broker, no files)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medshare.simulate.run import SimConfig, SimEvent, Simulation

SMALL = SimConfig(persons=1500, days=21, seed=11, malformed_rate=0.05)


@dataclass
class Run:
    cfg: SimConfig
    events: list[SimEvent]
    summary: dict[str, Any]

    def of(self, topic: str, valid: bool | None = None) -> list[SimEvent]:
        """Events of ``topic``; only the well-formed (``valid=True``) or malformed (``False``) ones."""
        return [e for e in self.events
                if e.topic == topic and (valid is None or (e.malformed is None) == valid)]


def simulate(cfg: SimConfig) -> Run:
    sim = Simulation(cfg)
    events = list(sim.events())
    return Run(cfg, events, sim.summary())
