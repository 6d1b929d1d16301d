"""Records per second of the contract validator, beside plain ``jsonschema`` on the same records.

    python -m bench.validator_bench [--records 20000] [--contract platform.consents.v1 ...] [--json]

For each contract, generates varied valid records, then times (CPU time of this process, so other
load on the machine matters less):

* ``medshare``: :meth:`RecordValidator.validate` on parsed records, and ``validate_bytes`` on the
  encoded messages (JSON parsing included, as on the stream hot path);
* ``jsonschema``: a Draft 2020-12 validator compiled once from :meth:`Contract.json_schema` (the
  same contract, minus what JSON Schema cannot say: check digits, cross-field rules, size), its
  ``is_valid`` on the parsed records, and ``json.loads`` + ``is_valid`` on the messages.

``platform.consents.v1`` is the "simple record" (12 flat fields); ``platform.settlements.v2`` has
fee lines, diagnoses, the fund split and the interface's consistency rules (to the fen).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

from contracts import registry
from contracts.formats import resident_id_check_char
from medshare.envelope import encode_value

DEFAULT_CONTRACTS = ("platform.consents.v1", "platform.settlements.v2")


def _rid(rng: random.Random) -> tuple[str, str, str]:
    region = rng.choice(["310101", "310104", "310115", "310112"])
    y, m, d = rng.randint(1940, 2010), rng.randint(1, 12), rng.randint(1, 28)
    first17 = f"{region}{y}{m:02d}{d:02d}{rng.randint(0, 999):03d}"
    rid = first17 + resident_id_check_char(first17)
    return rid, f"{y}-{m:02d}-{d:02d}", "M" if int(rid[16]) % 2 else "F"


def consent(rng: random.Random, i: int) -> dict[str, Any]:
    rid, _, _ = _rid(rng)
    return {
        "event_id": f"ce-{i:08d}", "consent_id": f"c-{i // 2:08d}", "action": rng.choice(["grant", "revoke"]),
        "person_no": f"3100{rng.randrange(10**12):012d}", "resident_id": rid,
        "insurer_code": rng.choice(["hhb", "shenlife"]), "purpose": rng.choice(["claims", "actuarial"]),
        "data_categories": rng.choice([["settlement"], ["settlement", "emr"]]),
        "valid_from": "2026-01-01T00:00:00+08:00",
        "valid_to": rng.choice([None, "2027-01-01T00:00:00+08:00"]),
        "channel": rng.choice(["随申办", "insurer_app", "counter"]),
        "event_time": f"2026-01-{rng.randint(1, 28):02d}T08:{rng.randint(0, 59):02d}:00+08:00",
    }


_POOL: list[dict[str, Any]] = []


def settlement(rng: random.Random, i: int) -> dict[str, Any]:
    """A platform.settlements.v2 settlement: one of the simulator's (2207 fields, fee lines, diagnoses,
    the fund split), renumbered."""
    if not _POOL:
        from medshare.simulate import SimConfig, Simulation

        sim = Simulation(SimConfig(persons=2000, days=10, seed=3, malformed_rate=0.0))
        _POOL.extend(e.record for e in sim.events()
                     if e.topic == "platform.settlements.v2" and "revoke" not in e.record)
    return {**rng.choice(_POOL), "setl_id": f"ST20260305{i:08d}"}


GENERATORS: dict[str, Callable[[random.Random, int], dict[str, Any]]] = {
    "platform.consents.v1": consent,
    "platform.settlements.v2": settlement,
}


def _rate(fn: Callable[[Any], Any], items: Iterable[Any], n: int, repeat: int = 3) -> float:
    """Best of ``repeat`` runs, records per CPU second."""
    best = float("inf")
    items = list(items)
    for _ in range(repeat):
        t0 = time.process_time()
        for x in items:
            fn(x)
        best = min(best, time.process_time() - t0)
    return n / best if best > 0 else float("inf")


def bench(contract_id: str, n: int, seed: int = 4) -> dict[str, Any]:
    import jsonschema

    contract = registry.load(contract_id)
    rng = random.Random(seed)
    records = [GENERATORS[contract_id](rng, i) for i in range(n)]
    raws = [encode_value(r) for r in records]
    validator = contract.validator()
    bad = [i for i, r in enumerate(records) if validator.validate(r)]
    if bad:
        raise SystemExit(f"generator made {len(bad)} invalid {contract_id} records, e.g. "
                         f"{[str(v) for v in validator.validate(records[bad[0]])]}")
    schema = contract.json_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    js = cls(schema)
    if not all(js.is_valid(r) for r in records[:100]):
        raise SystemExit(f"derived JSON Schema rejects valid {contract_id} records")
    ours = _rate(validator.validate, records, n)
    ours_raw = _rate(validator.validate_bytes, raws, n)
    theirs = _rate(js.is_valid, records, n)
    theirs_raw = _rate(lambda raw: js.is_valid(json.loads(raw)), raws, n)
    return {
        "contract": contract_id, "records": n,
        "avg_bytes": round(sum(map(len, raws)) / n),
        "medshare_records_per_s": round(ours), "medshare_bytes_records_per_s": round(ours_raw),
        "jsonschema_records_per_s": round(theirs), "jsonschema_bytes_records_per_s": round(theirs_raw),
        "ratio": round(ours / theirs, 1), "ratio_bytes": round(ours_raw / theirs_raw, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000, help="records per contract (default 20000)")
    parser.add_argument("--contract", action="append", choices=sorted(GENERATORS),
                        help="contract to benchmark (repeatable; default: consents and settlements)")
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    args = parser.parse_args(argv)
    results = [bench(cid, args.records) for cid in (args.contract or DEFAULT_CONTRACTS)]
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'contract':<26}{'bytes':>6}  {'medshare rec/s':>15}  {'jsonschema rec/s':>17}  {'ratio':>6}"
          "   (parsed dicts | with JSON parsing)")
    for r in results:
        print(f"{r['contract']:<26}{r['avg_bytes']:>6}  {r['medshare_records_per_s']:>15,}  "
              f"{r['jsonschema_records_per_s']:>17,}  {r['ratio']:>5}x")
        print(f"{'  + json.loads':<26}{'':>6}  {r['medshare_bytes_records_per_s']:>15,}  "
              f"{r['jsonschema_bytes_records_per_s']:>17,}  {r['ratio_bytes']:>5}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
