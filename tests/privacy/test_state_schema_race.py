"""Processors started together on a fresh state database all create its tables without failing.

The random-kill test starts the router, claims processor, de-identifier and lab sink at once on a
state database it has just deleted; each created the tables it uses with check-then-create, and
the slower one's CREATE failed with "table consent_events already exists" (CI, session 7).
"""
from __future__ import annotations

import multiprocessing as mp
from pathlib import Path
from typing import Any

import pytest

STORES = 6


def _open_stores(url: str, barrier: Any, out: Any) -> None:
    try:
        barrier.wait(timeout=60)
        from medshare.claims.enrolment import EnrolmentRegistry
        from medshare.claims.state import ClaimStore
        from privacy.audit import AuditStore
        from privacy.consent import ConsentStore

        for opened in (ConsentStore(url), AuditStore(url), ClaimStore(url), EnrolmentRegistry(url)):
            opened.engine.dispose()
        out.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
        out.put(f"{type(exc).__name__}: {exc}"[:500])


@pytest.mark.parametrize("round_", range(3))
def test_stores_opened_at_once_on_a_new_database(tmp_path: Path, round_: int) -> None:
    url = f"sqlite:///{tmp_path / 'state' / f'race{round_}.db'}"
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(STORES)
    out = ctx.Queue()
    procs = [ctx.Process(target=_open_stores, args=(url, barrier, out)) for _ in range(STORES)]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert results == ["ok"] * STORES
