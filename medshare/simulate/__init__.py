"""The synthetic Shanghai medical-insurance platform (医保信息平台) that feeds medshare.

Everything here is synthetic and deterministic for a seed. Modules:

``catalogue``   designated institutions, ICD-10 diagnoses, drug/device/service catalogue, roads
``persons``     enrollees (参保人) with resident IDs, phones, addresses, cards, families
``settlements`` 医保结算 records (platform.settlements.v2: 2207 + fee lines, diagnoses, the fund split; 2208 revocations)
``notes``       e-medical-record notes with gold entity spans (:func:`compose_note`)
``consents``    个人授权 grant/revoke plans per insurer and purpose
``malformed``   deliberate corruptions, one function per kind
``sinks``       Kafka, the batch snapshot (settlements as interface JSON Lines, the rest Parquet), JSONL and the malformed sidecar
``run``         :class:`SimConfig`, the lazy event stream and :func:`run` that drives the sinks

This ``__init__`` imports nothing heavy so ``medshare.simulate.notes`` stays cheap to import.
"""

from __future__ import annotations

from typing import Any

#: the public API, imported on first use (``from medshare.simulate import run_simulation``)
_LAZY = {
    "SimConfig": "medshare.simulate.run",
    "SimEvent": "medshare.simulate.run",
    "Simulation": "medshare.simulate.run",
    "iter_events": "medshare.simulate.run",
    "run": "medshare.simulate.run",
    "run_simulation": "medshare.simulate.run",
    "compose_note": "medshare.simulate.notes",
    "sample_notes": "medshare.simulate.notes",
    "Span": "medshare.simulate.notes",
}
_ALIASES = {"SimulationConfig": "SimConfig"}
__all__ = sorted([*_LAZY, *_ALIASES])


def __getattr__(name: str) -> Any:
    import importlib

    target = _ALIASES.get(name, name)
    if target not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_LAZY[target]), target)
