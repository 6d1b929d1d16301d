"""The disclosure log's Merkle tree: append, proof, signing and verify times at 10k and 100k entries.

Run: ``.venv/bin/python -m bench.audit_tree [--sizes 10000 100000] [--out bench/results/audit_tree.json]``.
A SQLite file store in a temporary folder, events shaped as the router's, appended in batches of
500 (how the sink writes). Proof times are medians over leaves spread across the log; the ratio
``proof_ms(100k) / proof_ms(10k)`` shows how proofs scale (O(log n) stored nodes: ~1 expected).
Figures depend on the machine and on what else runs: compare within one run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "audit"))


def _events(start: int, stop: int) -> list:
    """Router-shaped events, validated; any the leak guard refuses are left out (and counted)."""
    from audit_helpers import record_event

    from privacy.audit import AuditRejected, parse_event

    out = []
    for i in range(start, stop):
        try:
            out.append(parse_event(record_event(i)))
        except AuditRejected:
            REFUSED.add(i)
    return out


REFUSED: set[int] = set()


def _timed(fn, repeat: int) -> float:
    """Median milliseconds of ``repeat`` calls."""
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return statistics.median(out)


def append_baseline(size: int, folder: Path) -> float:
    """Entries/s appending without the tree (its writes patched out): the chain-only store's cost."""
    from unittest import mock

    from privacy import audit_tree
    from privacy.audit import AuditStore

    store = AuditStore(f"sqlite:///{folder / f'baseline-{size}.sqlite'}")
    with mock.patch.object(audit_tree, "extend"), mock.patch.object(AuditStore, "_sync_tree"):
        t0 = time.perf_counter()
        for start in range(0, size, 500):
            store.append(_events(start, min(size, start + 500)))
        took = time.perf_counter() - t0
    store.close()
    return size / took


def measure(size: int, folder: Path) -> dict:
    from audit_helpers import record_event
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from privacy.audit import AuditStore

    store = AuditStore(f"sqlite:///{folder / f'audit-{size}.sqlite'}")
    t0 = time.perf_counter()
    for start in range(0, size, 500):
        store.append(_events(start, min(size, start + 500)))
    append_s = time.perf_counter() - t0
    ids = [record_event(i)["audit_id"] for i in range(0, size, max(1, size // 50)) if i not in REFUSED]
    key = Ed25519PrivateKey.generate()
    baseline = append_baseline(min(size, 20_000), folder)
    res = {
        "entries": size,
        "append_entries_per_s": round(size / append_s),
        "append_chain_only_entries_per_s": round(baseline),
        "append_ratio_with_tree": round((size / append_s) / baseline, 2),
        "prove_ms": round(statistics.median(_timed(lambda a=a: store.proof_for(a), 3) for a in ids), 2),
        "prove_old_size_ms": round(_timed(lambda: store.proof_for(ids[-1], tree_size=store.tree_size() - 1), 5), 2),
        "consistency_ms": round(_timed(lambda: store.consistency(size // 3, store.tree_size()), 5), 2),
        "sign_tree_head_ms": round(_timed(lambda: store.sign_tree_head(key), 5), 2),
    }
    t0 = time.perf_counter()
    assert store.verify(checkpoint=None).ok
    res["verify_s"] = round(time.perf_counter() - t0, 2)
    res["tree_rows"] = store.engine.connect().exec_driver_sql("select count(*) from audit_tree").scalar()
    store.close()
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        runs = [measure(n, Path(tmp)) for n in args.sizes]
    result = {"runs": runs, "events_refused_by_the_leak_guard": sorted(REFUSED)}
    if len(runs) > 1 and runs[0]["prove_ms"]:
        result["prove_ratio_largest_to_smallest"] = round(runs[-1]["prove_ms"] / runs[0]["prove_ms"], 2)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
