"""The router's handler without Kafka: milliseconds per settlement in each phase.

    python -m bench.router_profile [--settlements 4000] [--batch-size 500] [--seed 5] [--json]

The router's ``handle`` in this process over v2 settlements (the bench's: every person consented
to both insurers, so each settlement is disclosed once, to the detail-grant insurer), with a timer
around each phase: the contract check (decoding, the msgspec fast path and its Python checks),
the consent decision, the projection, field encryption, pseudonyms, audit ids, serialisation of
the two messages; what is left of ``_disclose`` is the audit event's assembly, of ``handle`` its
bookkeeping. The first two batches warm up and are not counted. Timers add ≈1 µs a call, so the
phases add up to a little more than the plain run (``--plain``: no timers, the total only).
Wall-clock on a shared machine moves with the load: compare runs made one after another.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.stream import _grant_everyone, _settlements


def profile(records: list[dict[str, Any]], batch_size: int = 500, timers: bool = True) -> dict[str, Any]:
    import contracts.validator as cv
    import privacy.agreements as pa
    import privacy.crypto as pc
    import privacy.pseudonym as pp
    import streams.router as sr
    from medshare import topics as t
    from medshare.config import Settings
    from medshare.envelope import Outgoing, encode_value, make_headers
    from privacy import keys
    from streams.runtime import Counters, tune_gc

    class Msg:
        __slots__ = ("topic", "value", "key", "offset", "partition", "headers", "timestamp")

        def __init__(self, r: dict[str, Any], n: int) -> None:
            self.topic, self.value, self.key, self.offset, self.partition = (
                t.PLATFORM_SETTLEMENTS, encode_value(r), r["psn_no"].encode(), n, 0)
            self.headers = make_headers(t.PLATFORM_SETTLEMENTS, "bench", event_id=r["setl_id"])
            self.timestamp = int(time.time() * 1000)

    phases: dict[str, float] = {}
    clock = time.perf_counter
    restore: list[tuple[Any, str, Any]] = []

    in_disclose = [0]

    def timed(name: str, obj: Any, attr: str, outermost: bool = False) -> None:
        fn = getattr(obj, attr)
        depth = [0]

        def wrapper(*a: Any, **k: Any) -> Any:
            if outermost and depth[0]:
                return fn(*a, **k)
            depth[0] += 1
            if name == "disclose":
                in_disclose[0] += 1
            t0 = clock()
            try:
                return fn(*a, **k)
            finally:
                dt = clock() - t0
                depth[0] -= 1
                if name == "disclose":
                    in_disclose[0] -= 1
                phases[name] = phases.get(name, 0.0) + dt
                if name.startswith("serialisation") and in_disclose[0]:
                    phases["_serialised in disclose"] = phases.get("_serialised in disclose", 0.0) + dt

        restore.append((obj, attr, obj.__dict__[attr] if isinstance(obj, type) else fn))
        setattr(obj, attr, wrapper)

    with tempfile.TemporaryDirectory() as home:
        cfg = Settings(home=Path(home))
        for code in ("hhb", "shenlife"):
            keys.create_insurer_keypair(code, cfg=cfg)
        _grant_everyone(records, cfg)
        handler = sr.RouterHandler(cfg)
        tune_gc()  # as `medshare run` does
        if timers:
            validator = handler.check._validators[t.PLATFORM_SETTLEMENTS]
            timed("contract check", handler, "check")
            timed("  decode (msgspec, duplicate-key proof)", cv, "decode_checked")
            timed("  fast path (msgspec convert + Python checks)", validator, "_fast")
            timed("consent decision", handler.router.registry, "check")
            timed("consent's notice", handler.router.registry, "notice_of")
            timed("notice coverage", handler.router.notices, "coverage")
            timed("disclose", handler.router, "_disclose")
            timed("  projection", pa, "_project", outermost=True)
            timed("  field encryption", pc.Encryptor, "encrypt")
            timed("  pseudonyms (key, audit refs)", pp.Pseudonymiser, "pseudonym")
            timed("  audit id", sr, "audit_id")
            timed("serialisation (2 messages)", Outgoing, "record")
        msgs = [Msg(r, i) for i, r in enumerate(records)]
        counters = Counters()
        warm = 2 * batch_size if len(msgs) > 4 * batch_size else 0
        total = cpu = 0.0
        out = 0
        try:
            for i in range(0, len(msgs), batch_size):
                if i == warm:
                    phases.clear()
                    total = cpu = 0.0
                c0, t0 = time.process_time(), clock()
                handler.begin_batch()
                for m in msgs[i:i + batch_size]:
                    out += len(handler.handle(m, counters))
                handler.before_commit()
                total += clock() - t0
                cpu += time.process_time() - c0
        finally:
            for obj, attr, fn in reversed(restore):
                setattr(obj, attr, fn)
            handler.close()
    n = len(msgs) - warm
    ms = _table(phases, total, n) if timers else {}
    return {"settlements": n, "ms_per_settlement": round(total / n * 1000, 4),
            "cpu_ms_per_settlement": round(cpu / n * 1000, 4), "messages_out_per_settlement": round(out / len(msgs), 2),
            "phases_ms_per_settlement": ms}


_ORDER = ["contract check", "  decode (msgspec, duplicate-key proof)", "  fast path (msgspec convert + Python checks)",
          "consent decision", "consent's notice", "notice coverage", "disclose", "  projection",
          "  field encryption", "  pseudonyms (key, audit refs)", "  audit id",
          "  the rest of disclose (treatments, audit event)", "serialisation (2 messages)", "the rest of handle"]


def _table(phases: dict[str, float], total: float, n: int) -> dict[str, float]:
    """ms per settlement of each phase; ``disclose`` less the claims message's serialisation
    (counted under serialisation), and what the timers do not name as the rest."""
    ms = {k: round(v / n * 1000, 4) for k, v in phases.items()}
    ms["disclose"] = round(ms.get("disclose", 0.0) - ms.pop("_serialised in disclose", 0.0), 4)
    inner = sum(ms.get(k, 0.0) for k in ("  projection", "  field encryption", "  pseudonyms (key, audit refs)",
                                         "  audit id"))
    ms["  the rest of disclose (treatments, audit event)"] = round(ms["disclose"] - inner, 4)
    outer = sum(v for k, v in ms.items() if not k.startswith("  "))
    ms["the rest of handle"] = round(total / n * 1000 - outer, 4)
    return {k: ms[k] for k in _ORDER if k in ms}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--settlements", type=int, default=4000)
    ap.add_argument("--batch-size", type=int, default=500)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--plain", action="store_true", help="no phase timers: the total only")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    prof = profile(_settlements(args.settlements, args.seed), args.batch_size, timers=not args.plain)
    if args.json:
        print(json.dumps(prof, indent=2))
        return 0
    print(f"router handler without Kafka: {prof['ms_per_settlement']} ms per settlement "
          f"(CPU {prof['cpu_ms_per_settlement']} ms), {prof['messages_out_per_settlement']} messages out")
    for k, v in prof["phases_ms_per_settlement"].items():
        print(f"  {k:50} {v:7.4f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
