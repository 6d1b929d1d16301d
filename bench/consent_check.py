"""The consent registry's hot path: ``check`` against a plain dict lookup, in one run.

Run: ``.venv/bin/python -m bench.consent_check [--consents 20000] [--queries 50000]``.
The router and the claims processor ask the in-memory index once per record and insurer. The
baseline is the cheapest conceivable decision on the same queries — one dict lookup per query in a
dict of the same size — so the ratio says what the index's semantics (validity windows, revocation
tombstones, categories, as-of times) cost on this machine, whatever the machine. Target: the
check runs at ≥ 0.02 of the dict lookup (at most ~50 lookups' time, a few µs: a small part of a
~1 ms settlement). Measured 2026-12-07 on a 2-core machine shared with other jobs: 512k checks/s
against 9.6M lookups/s, ratio 0.053. Best of three rounds each, interleaved. (This replaced a unit
test that asserted > 100,000 checks/s: speed targets live here, as ratios.)
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime

TARGET = 0.02


def _grant(i: int) -> dict:
    return {"event_id": f"g-C{i}", "consent_id": f"C{i}", "action": "grant", "person_no": f"3100{i:012d}",
            "insurer_code": "hhb", "purpose": "claims", "data_categories": ["settlement"],
            "valid_from": "2026-01-01T00:00:00+08:00", "valid_to": "2027-01-01T00:00:00+08:00",
            "channel": "随申办", "event_time": "2026-01-01T09:00:00+08:00"}


def run(n: int, q: int) -> dict:
    from privacy.consent import ConsentRegistry

    events = [_grant(i) for i in range(n)]
    events += [{**_grant(i), "event_id": f"r-C{i}", "action": "revoke"} for i in range(0, n, 10)]
    at, now = datetime.fromisoformat("2026-03-01T00:00:00+08:00"), datetime.fromisoformat("2026-03-02T00:00:00+08:00")
    queries = [f"3100{(i * 7919) % (2 * n):012d}" for i in range(q)]
    plain = {f"3100{i:012d}": i % 10 != 0 for i in range(n)}
    best_check = best_dict = 0.0
    with ConsentRegistry.in_memory() as reg:
        reg.apply_many(events)
        allowed = sum(reg.check(p, "hhb", "claims", at, ("settlement",), now=now).allowed for p in queries)
        expected = sum(plain.get(p, False) for p in queries)
        assert allowed == expected, (allowed, expected)  # the two answer the same question
        for _ in range(3):
            t0 = time.perf_counter()
            for p in queries:
                reg.check(p, "hhb", "claims", at, ("settlement",), now=now)
            best_check = max(best_check, q / (time.perf_counter() - t0))
            t0 = time.perf_counter()
            for p in queries:
                plain.get(p, False)
            best_dict = max(best_dict, q / (time.perf_counter() - t0))
    ratio = best_check / best_dict
    return {"consents": n, "queries": q, "checks_per_s": round(best_check), "dict_lookups_per_s": round(best_dict),
            "ratio": round(ratio, 3), "target": TARGET, "ok": ratio >= TARGET}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--consents", type=int, default=20_000)
    ap.add_argument("--queries", type=int, default=50_000)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    r = run(a.consents, a.queries)
    if a.json:
        print(json.dumps(r))
    else:
        print(f"consent check: {r['checks_per_s']:,} checks/s; dict lookup: {r['dict_lookups_per_s']:,}/s; "
              f"ratio {r['ratio']} (target ≥ {TARGET}: {'met' if r['ok'] else 'MISSED'})")


if __name__ == "__main__":
    main()
