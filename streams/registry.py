"""The processors ``medshare run NAME`` knows, registered lazily by module path.

Each entry names a ``build(cfg) -> Handler`` factory; importing a processor (Presidio for the
de-identifier, for instance) happens only when it is run.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

PROCESSORS: dict[str, str] = {
    "consent-sync": "streams.consent_sync:build",
    "router": "streams.router:build",
    "deidentify": "streams.deidentify:build",
    "lab-sink": "streams.lab_sink:build",
    "audit-sink": "streams.audit_sink:build",
    "claims": "streams.claims:build",
}


def factory(name: str) -> Callable[..., Any]:
    if name not in PROCESSORS:
        raise KeyError(f"unknown processor {name!r}; known: {', '.join(PROCESSORS)}")
    module, attr = PROCESSORS[name].split(":")
    return getattr(importlib.import_module(module), attr)
