"""The lab's dbt marts on a large lab: build time, peak memory, incremental rebuild.

    python -m bench.lab [--settlements 10000000] [--json]

Runs in its own home (``MEDSHARE_HOME``, default ``var/bench-lab``) so it never touches the demo.

1. **seed** — a realistic de-identified lab from the simulator through the de-identifier
   (:func:`medshare.lab.simlab.build_simulated_lab`; ``--seed-persons`` over ``--seed-days`` from
   2025-01-01), built once and kept under ``<home>/lab/seed-*.duckdb``.
2. **lab** — the seed multiplied inside DuckDB to exactly ``--settlements`` rows of
   ``lab_settlements_v2`` (:func:`multiply`): copy *c* gets new settlement ids (``<setl_id>-<c>``;
   the 2208 revocations in ``lab_revocations_v2`` follow their settlement), new person keys (so
   persons are distinct across copies) and, for ``c % --institution-groups != 0``, its own
   institutions (``<fixmedins_code>/<group>``); times, diagnoses, amounts, the fund split and the
   ``diseinfo``/``feedetail`` JSON are the seed's. ``loaded_at`` is set to two hours after the event,
   as if the lab sink had loaded the lab day by day, so an incremental run sees only what is new.
   ``lab_emr_notes`` stays empty: no model below staging reads notes.
3. **full** — ``dbt build --full-refresh`` (the models, the data tests, the unit tests) through
   :func:`medshare.lab.dbt.build`, in a child process: wall time, CPU time (user + system) and peak
   RSS (``ru_maxrss``), all from ``os.wait4`` (dbt and DuckDB both run in that process), and the
   slowest nodes (dbt's ``run_results.json``).
4. **incremental** — one more day appended (the last day's settlements, and the revocations of
   them, moved one day on with new ids), then ``dbt build`` without ``--full-refresh``: the staging
   tables unnest only the settlements loaded since, ``int_settlements_netted`` and the incremental
   marts rebuild only the months that received rows; ``int_special_drug_items`` and
   ``claim_frequency_severity`` are rebuilt whole, and every test runs again.

The load average is sampled every second during each dbt build (the machine may be shared: the
CPU time depends much less on it than the wall time). DuckDB runs with threads = cores and
``memory_limit`` ``MEDSHARE_LAB_DUCKDB_MEMORY`` (default 80 % of RAM; ``transforms/profiles.yml``),
spilling to ``<lab>.duckdb.tmp``. Results go to ``bench/results/lab-<N>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SEED_START = date(2025, 1, 1)

#: lab_settlements_v2 / lab_revocations_v2 columns, in LabDB order
COLUMNS = ("setl_id", "person_key", "setl_hour", "setl_month", "gend", "age_band", "district", "insutype",
           "psn_type", "med_type", "fixmedins_code", "length_of_stay", "main_diag_code", "diseinfo", "feedetail",
           "medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt", "hifp_pay",
           "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay", "oth_fund_pay", "fund_pay_sumamt", "psn_part_amt",
           "acct_pay", "acct_mulaid_pay", "psn_cash_pay", "hosp_part_amt", "loaded_at")
REVOCATION_COLUMNS = ("revoked_setl_id", "person_key", "revoked_hour", "revoked_month", "loaded_at")
#: the keyed pseudonym of copy c: same width as the seed's (32 hex), distinct per copy
_PERSON = "substr(sha256(person_key || ':' || cast({copy} as varchar)), 1, length(person_key))"


def _env() -> None:
    os.environ.setdefault("MEDSHARE_HOME", str(ROOT / "var" / "bench-lab"))


def _settings():
    from medshare.config import reload_settings

    return reload_settings()


# --- the lab ------------------------------------------------------------------------------------
def _copy_select(source: str, copy: str, groups: int) -> str:
    """SELECT list of ``source`` settlement rows as copy ``copy`` (a SQL integer expression)."""
    repl = {
        "setl_id": f"setl_id || '-' || cast({copy} as varchar)",
        "person_key": _PERSON.format(copy=copy),
        "fixmedins_code": (f"case when {copy} % {groups} = 0 then fixmedins_code "
                           f"else fixmedins_code || '/' || cast({copy} % {groups} as varchar) end"),
        "loaded_at": "setl_hour + interval 2 hour",
    }
    return ", ".join(f"{repl[c]} as {c}" if c in repl else f"{source}.{c}" for c in COLUMNS)


def _revocation_select(source: str, copy: str) -> str:
    repl = {"revoked_setl_id": f"revoked_setl_id || '-' || cast({copy} as varchar)",
            "person_key": _PERSON.format(copy=copy), "loaded_at": "revoked_hour + interval 2 hour"}
    return ", ".join(f"{repl[c]} as {c}" if c in repl else f"{source}.{c}" for c in REVOCATION_COLUMNS)


def multiply(con, seed: str, n: int, institution_groups: int = 20, table: str = "lab_settlements_v2",
             seed_revocations: str | None = None, revocations_table: str = "lab_revocations_v2") -> dict[str, int]:
    """Fill ``table`` (created by LabDB's schema, empty) with exactly ``n`` rows made from ``seed``.

    ``seed`` is a relation with the lab_settlements_v2 columns. Full copies ``0 .. n // rows - 1`` of
    every seed row, then the first ``n % rows`` seed rows (by setl_id) as one more copy. With
    ``seed_revocations`` (lab_revocations_v2 columns), each copy gets the revocations of its own
    settlements. Returns ``{"seed_rows", "copies", "partial_rows", "rows", "revocations"}``.
    """
    rows = con.execute(f"select count(*) from {seed}").fetchone()[0]
    if rows == 0:
        raise ValueError("the seed lab is empty")
    full, rest = divmod(n, rows)
    cols, rcols = ", ".join(COLUMNS), ", ".join(REVOCATION_COLUMNS)
    if full:
        con.execute(f"insert into {table} ({cols}) select {_copy_select('s', 'r.range', institution_groups)} "
                    f"from {seed} as s cross join range({full}) as r")
        if seed_revocations:
            con.execute(f"insert into {revocations_table} ({rcols}) select {_revocation_select('v', 'r.range')} "
                        f"from {seed_revocations} as v semi join {seed} as s on s.setl_id = v.revoked_setl_id "
                        f"cross join range({full}) as r")
    if rest:
        part = f"(select * from {seed} order by setl_id limit {rest})"
        con.execute(f"insert into {table} ({cols}) select {_copy_select('s', str(full), institution_groups)} "
                    f"from {part} as s")
        if seed_revocations:
            con.execute(f"insert into {revocations_table} ({rcols}) select {_revocation_select('v', str(full))} "
                        f"from {seed_revocations} as v semi join {part} as s on s.setl_id = v.revoked_setl_id")
    got = con.execute(f"select count(*) from {table}").fetchone()[0]
    revoked = con.execute(f"select count(*) from {revocations_table}").fetchone()[0] if seed_revocations else 0
    return {"seed_rows": rows, "copies": full + (1 if rest else 0), "partial_rows": rest, "rows": got,
            "revocations": revoked}


def append_day(con, table: str = "lab_settlements_v2", revocations_table: str = "lab_revocations_v2"
               ) -> dict[str, Any]:
    """Append the lab's last (Shanghai) day again, one day later, with new ids: a daily load.

    Settlements of that day move one day on (ids ``<setl_id>n``) and so do the revocations of them
    (``revoked_setl_id`` follows); months are recomputed; ``loaded_at`` two hours after.
    """
    local = "(setl_hour at time zone 'Asia/Shanghai')"
    day = con.execute(f"select max(cast({local} as date)) from {table}").fetchone()[0]
    cols, rcols = ", ".join(COLUMNS), ", ".join(REVOCATION_COLUMNS)
    repl = {
        "setl_id": "setl_id || 'n'",
        "setl_hour": "setl_hour + interval 1 day",
        "setl_month": "strftime((setl_hour + interval 1 day) at time zone 'Asia/Shanghai', '%Y-%m')",
        "loaded_at": "setl_hour + interval 1 day + interval 2 hour",
    }
    select = ", ".join(f"{repl[c]} as {c}" if c in repl else c for c in COLUMNS)
    same_day = f"cast({local} as date) = date '{day}'"
    con.execute(f"insert into {table} ({cols}) select {select} from {table} where {same_day}")
    rrepl = {
        "revoked_setl_id": "revoked_setl_id || 'n'",
        "revoked_hour": "revoked_hour + interval 1 day",
        "revoked_month": "strftime((revoked_hour + interval 1 day) at time zone 'Asia/Shanghai', '%Y-%m')",
        "loaded_at": "revoked_hour + interval 1 day + interval 2 hour",
    }
    rselect = ", ".join(f"{rrepl[c]} as {c}" if c in rrepl else c for c in REVOCATION_COLUMNS)
    con.execute(f"insert into {revocations_table} ({rcols}) select {rselect} from {revocations_table} "
                f"where revoked_setl_id in (select setl_id from {table} where {same_day})")
    added = con.execute(f"select count(*) from {table} where setl_id like '%n'").fetchone()[0]
    months = [r[0] for r in con.execute(
        f"select distinct setl_month from {table} where setl_id like '%n' order by 1").fetchall()]
    revoked = con.execute(f"select count(*) from {revocations_table} where revoked_setl_id like '%n'").fetchone()[0]
    return {"day": str(day), "rows": added, "revocations": revoked, "months": months}


def _seed(cfg, persons: int, days: int, seed: int, say) -> tuple[Path, dict[str, Any]]:
    """The seed lab (built once per parameters; its build time is kept beside it)."""
    from medshare.lab.simlab import build_simulated_lab
    from medshare.simulate import SimConfig

    path = cfg.lab_dir / f"seed-{persons}p-{days}d-{seed}.duckdb"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        info = json.loads(meta.read_text())
        say(f"seed lab: {path.name} (cached; built in {info['seconds']} s)")
        return path, {**info, "cached": True}
    path.unlink(missing_ok=True)
    cfg.lab_dir.mkdir(parents=True, exist_ok=True)
    say(f"seed lab: simulating {persons:,} persons x {days} days through the de-identifier ...")
    started = time.perf_counter()
    counts = build_simulated_lab(str(path), SimConfig(persons=persons, days=days, seed=seed, start_date=SEED_START,
                                                      malformed_rate=0.0), cfg=cfg, notes=0)
    info = {"persons": persons, "days": days, "seed": seed, "rows": counts["lab_settlements_v2"],
            "revocations": counts["lab_revocations_v2"],
            "seconds": round(time.perf_counter() - started, 1)}
    meta.write_text(json.dumps(info))
    say(f"seed lab: {info['rows']:,} settlements in {info['seconds']} s")
    return path, {**info, "cached": False}


def make_lab(cfg, seed_path: Path, n: int, institution_groups: int) -> dict[str, Any]:
    import duckdb

    from streams.labdb import LabDB

    lab = Path(cfg.lab_database)
    for p in (lab, Path(f"{lab}.wal")):
        p.unlink(missing_ok=True)
    started = time.perf_counter()
    con = duckdb.connect(str(lab))
    try:
        LabDB(url=str(lab), cfg=cfg).ensure_schema(con)
        con.execute(f"attach '{seed_path}' as seed (read_only)")
        out = multiply(con, "seed.main.lab_settlements_v2", n, institution_groups,
                       seed_revocations="seed.main.lab_revocations_v2")
        con.execute("detach seed")
        con.execute("checkpoint")
        stats = con.execute("""
            select count(*), count(distinct person_key), count(distinct fixmedins_code),
                   (select count(*) from lab_revocations_v2), min(setl_month), max(setl_month),
                   sum(json_array_length(feedetail))
            from lab_settlements_v2""").fetchone()
    finally:
        con.close()
    seconds = time.perf_counter() - started
    return {**out, "persons": stats[1], "institutions": stats[2], "revocations": stats[3],
            "months": f"{stats[4]}..{stats[5]}", "items": int(stats[6]), "seconds": round(seconds, 1),
            "file_bytes": lab.stat().st_size, "institution_groups": institution_groups}


# --- dbt in a child process -----------------------------------------------------------------------
def _child(full_refresh: bool) -> int:
    """Run one dbt build in this process; print its result as JSON (read by :func:`_measured_build`)."""
    import resource

    from medshare.lab import dbt

    cfg = _settings()
    started = time.perf_counter()
    run = dbt.build(cfg=cfg, full_refresh=full_refresh, check=False)
    out = {**run.to_dict(), "wall_seconds": round(time.perf_counter() - started, 2),
           "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "slowest": _slowest(cfg)}
    print(json.dumps(out))
    return 0 if run.success else 1


def _slowest(cfg, n: int = 10) -> list[tuple[str, float]]:
    """The ``n`` slowest nodes of the last run (dbt's run_results.json), as (node, seconds)."""
    try:
        data = json.loads((cfg.lab_dir / "dbt" / "target" / "run_results.json").read_text())
    except (OSError, ValueError):
        return []
    nodes = [(r["unique_id"].split(".", 2)[-1], round(r.get("execution_time") or 0.0, 1))
             for r in data.get("results", [])]
    return sorted(nodes, key=lambda x: -x[1])[:n]


def _measured_build(full_refresh: bool, say) -> dict[str, Any]:
    """``dbt build`` in a child process: wall time, peak RSS (wait4), load average during the run."""
    cmd = [sys.executable, "-m", "bench.lab", "--child", "full" if full_refresh else "incremental"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, env=os.environ.copy())
    loads: list[float] = []
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        loads.append(os.getloadavg()[0])
        time.sleep(1.0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = proc.stdout.read().decode() if proc.stdout else ""
    proc.stdout.close() if proc.stdout else None
    lines = [ln for ln in text.splitlines() if ln.startswith("{")]
    result = json.loads(lines[-1]) if lines else {"success": False, "failures": [text[-2000:]]}
    out = {
        "wall_seconds": round(wall, 1),
        "dbt_seconds": result.get("seconds"),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "success": result.get("success", False) and proc.returncode == 0,
        "counts": result.get("counts"),
        "slowest": result.get("slowest", []),
        "failures": result.get("failures", [])[:5],
        "load_1m_max": round(max(loads), 2) if loads else None,
        "load_1m_mean": round(sum(loads) / len(loads), 2) if loads else None,
    }
    say(f"  dbt build{' --full-refresh' if full_refresh else ''}: {out['wall_seconds']} s wall "
        f"({out['dbt_seconds']} s in dbt, {out['cpu_seconds']} s CPU), peak RSS {out['peak_rss_mb']:,} MB, load {out['load_1m_mean']} "
        f"(max {out['load_1m_max']}), {out['counts']}")
    if not out["success"]:
        say(f"  FAILED: {out['failures']}")
    return out


def _mart_rows(cfg) -> dict[str, int]:
    import duckdb

    from medshare.lab.dbt import MARTS, MARTS_SCHEMA

    con = duckdb.connect(cfg.lab_database, read_only=True)
    try:
        return {m: con.execute(f"select count(*) from {MARTS_SCHEMA}.{m}").fetchone()[0] for m in MARTS}
    finally:
        con.close()


def _append(cfg) -> dict[str, Any]:
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect(cfg.lab_database)
    try:
        out = append_day(con)
        con.execute("checkpoint")
    finally:
        con.close()
    return {**out, "seconds": round(time.perf_counter() - started, 1)}


def _machine() -> dict[str, Any]:
    import duckdb

    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // 1024
    except OSError:
        pass
    return {"cores": os.cpu_count(), "memory_mb": mem, "duckdb": duckdb.__version__,
            "python": sys.version.split()[0]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--settlements", type=int, default=10_000_000, help="rows of lab_settlements_v2")
    ap.add_argument("--seed-persons", type=int, default=3000)
    ap.add_argument("--seed-days", type=int, default=364, help="days of the seed from 2025-01-01")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--institution-groups", type=int, default=20,
                    help="copies c with c %% G != 0 get their own institutions (G x the seed's)")
    ap.add_argument("--no-incremental", action="store_true")
    ap.add_argument("--out", type=Path, default=None, help="result file (default bench/results/lab-<N>.json)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", choices=("full", "incremental"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    _env()
    if args.child:
        return _child(args.child == "full")
    say = (lambda *_: None) if args.json else (lambda m: print(m, file=sys.stderr, flush=True))
    cfg = _settings()
    if cfg.lab_database.startswith(("postgresql://", "postgres://")):
        raise SystemExit("bench.lab builds a DuckDB lab; unset MEDSHARE_LAB_URL")

    result: dict[str, Any] = {"settlements": args.settlements, "machine": _machine(),
                              "load_before": [round(x, 2) for x in os.getloadavg()],
                              "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    seed_path, result["seed"] = _seed(cfg, args.seed_persons, args.seed_days, args.seed, say)
    say(f"lab: multiplying to {args.settlements:,} settlements ...")
    result["lab"] = make_lab(cfg, seed_path, args.settlements, args.institution_groups)
    lab = result["lab"]
    say(f"lab: {lab['rows']:,} settlements ({lab['items']:,} fee lines, {lab['revocations']:,} revocations, "
        f"{lab['persons']:,} persons, "
        f"{lab['institutions']:,} institutions, {lab['months']}) from {lab['copies']} copies in {lab['seconds']} s, "
        f"{lab['file_bytes'] / 2**20:,.0f} MiB")
    say("full build:")
    result["full"] = _measured_build(True, say)
    if result["full"]["success"]:
        result["marts"] = _mart_rows(cfg)
        say(f"  marts: {result['marts']}")
    if not args.no_incremental and result["full"]["success"]:
        result["append"] = _append(cfg)
        a = result["append"]
        say(f"append: {a['rows']:,} settlements of {a['day']} one day on (months {a['months']}) in {a['seconds']} s")
        say("incremental build:")
        result["incremental"] = _measured_build(False, say)
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    result["lab"]["file_bytes_after"] = Path(cfg.lab_database).stat().st_size
    out = args.out or RESULTS / f"lab-{args.settlements}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    say(f"results: {out}")
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    ok = result["full"]["success"] and result.get("incremental", {"success": True})["success"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
