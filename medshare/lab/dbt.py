"""Run the lab's dbt project (``transforms/``) in-process with ``dbtRunner``.

The profile reads everything from the environment (``transforms/profiles.yml``); this module sets
those variables from :func:`medshare.config.settings` for the duration of one invocation:
``MEDSHARE_LAB_DATABASE`` (the DuckDB file) or, for a ``postgresql://`` lab URL, the
``MEDSHARE_LAB_PG_*`` variables. dbt's target and log folders go under ``<home>/lab/dbt`` so a
run never writes into the source tree.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from medshare.config import PROJECT_ROOT, Settings, settings
from medshare.lab.exceptions import DbtFailed

PROJECT_DIR = PROJECT_ROOT / "transforms"
#: the dbt schema the marts are built into (``generate_schema_name`` keeps it as written)
MARTS_SCHEMA = "marts"
MARTS = ("cost_by_disease_age_band", "innovative_drug_use", "claim_frequency_severity",
         "multi_card_signals", "institution_cost_outliers")


@dataclass
class DbtRun:
    """What one dbt invocation did."""

    command: list[str]
    success: bool
    seconds: float
    #: (node unique id, status) of every node run
    results: list[tuple[str, str]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for _, status in self.results:
            counts[status] = counts.get(status, 0) + 1
        return {"command": self.command, "success": self.success, "seconds": round(self.seconds, 2),
                "counts": counts, "failures": self.failures}


def default_target(cfg: Settings) -> str:
    return "postgres" if cfg.lab_database.startswith(("postgresql://", "postgres://")) else "duckdb"


def dbt_env(cfg: Settings, target: str | None = None) -> dict[str, str]:
    """Environment variables the profile reads, from the settings (secrets stay in the environment)."""
    target = target or default_target(cfg)
    work = cfg.lab_dir / "dbt"
    env = {
        "MEDSHARE_DBT_TARGET": target,
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }
    url = cfg.lab_database
    if target == "postgres":
        u = urlparse(url) if url.startswith(("postgresql://", "postgres://")) else None
        if u is not None:
            env.update({k: v for k, v in {
                "MEDSHARE_LAB_PG_HOST": u.hostname or "",
                "MEDSHARE_LAB_PG_PORT": str(u.port or 5432),
                "MEDSHARE_LAB_PG_USER": unquote(u.username or ""),
                "MEDSHARE_LAB_PG_PASSWORD": unquote(u.password or ""),
                "MEDSHARE_LAB_PG_DATABASE": u.path.lstrip("/"),
            }.items() if v})
    else:
        env["MEDSHARE_LAB_DATABASE"] = url
    return env


@contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run(args: Sequence[str], cfg: Settings | None = None, target: str | None = None,
        project_dir: Path = PROJECT_DIR, check: bool = True, lineage: bool = True) -> DbtRun:
    """``dbt <args>`` on the lab database; raises :class:`DbtFailed` when it fails and ``check``.

    After a command that runs nodes (``build``, ``run``, ``test``, ``seed``, ``snapshot``) the run's
    OpenLineage events (one START and COMPLETE/FAIL per node, from dbt's artefacts) go to the lineage
    store and ``governance.lineage.v1`` (:func:`emit_lineage`), unless ``lineage`` is false.
    """
    from dbt.cli.main import dbtRunner

    cfg = cfg or settings()
    env = dbt_env(cfg, target)
    if env.get("MEDSHARE_LAB_DATABASE"):
        Path(env["MEDSHARE_LAB_DATABASE"]).parent.mkdir(parents=True, exist_ok=True)
    cmd = [*args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
           "--target", env["MEDSHARE_DBT_TARGET"], "--quiet"]
    started = time.perf_counter()
    with _environ(env):
        try:
            res = dbtRunner().invoke(cmd)
        finally:
            _release_duckdb()
        if lineage and args and args[0] in DBT_LINEAGE_COMMANDS:
            emit_lineage(list(args), cfg, env, project_dir)
    seconds = time.perf_counter() - started
    results: list[tuple[str, str]] = []
    failures: list[str] = []
    for r in getattr(res.result, "results", None) or []:
        status = str(getattr(r.status, "value", r.status))
        uid = getattr(r.node, "unique_id", "?")
        results.append((uid, status))
        if status in ("error", "fail", "runtime error"):
            failures.append(f"{uid}: {status}: {(r.message or '').strip()[:300]}")
    out = DbtRun(command=["dbt", *args], success=bool(res.success), seconds=seconds, results=results,
                 failures=failures)
    if check and not res.success:
        why = "; ".join(failures[:5]) or (str(res.exception) if res.exception else "see dbt logs")
        raise DbtFailed(f"dbt {' '.join(args)} failed: {why}", failures)
    return out


#: dbt commands whose artefacts describe nodes run (``medshare.lineage.DBT_COMMANDS``)
DBT_LINEAGE_COMMANDS = ("run", "build", "test", "seed", "snapshot")


def emit_lineage(args: list[str], cfg: Settings, env: dict[str, str], project_dir: Path = PROJECT_DIR
                 ) -> dict[str, int]:
    """Emit the OpenLineage events of the dbt run whose artefacts are in ``DBT_TARGET_PATH``; never raises.

    Called with the profile's environment set (the artefact processor renders ``profiles.yml``).
    Returns the counts :func:`medshare.lineage.emit_many` reports (``{"events": 0, ...}`` on failure).
    """
    import logging

    from medshare.lineage import broker_reachable, dbt_events, emit_many

    log = logging.getLogger("medshare.lab.dbt")
    try:
        events = dbt_events(project_dir, env["DBT_TARGET_PATH"], "medshare_lab", env["MEDSHARE_DBT_TARGET"],
                            args, cfg)
    except Exception as exc:  # noqa: BLE001 - lineage never fails a dbt run
        log.warning("lineage: no OpenLineage events from dbt %s: %s", " ".join(args), exc)
        return {"events": 0, "store": 0, "kafka": 0}
    return emit_many(events, cfg, kafka=broker_reachable(cfg))


def _release_duckdb() -> None:
    """Close the DuckDB file dbt-duckdb keeps open in-process after a run.

    dbt-duckdb caches one database handle per process (class attribute ``_ENV``) and its
    ``close_all_connections`` only drops the reference. While it is open, no other process (the lab
    sink) can write the file, and this process cannot reopen it read-only.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:
        return
    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
    if env is not None:
        try:
            env.close()
        except Exception:  # noqa: BLE001 - closing a handle that is already gone
            pass
    import gc

    gc.collect()


def build(cfg: Settings | None = None, target: str | None = None, select: str | None = None,
          full_refresh: bool = False, check: bool = True) -> DbtRun:
    """``dbt build``: models, data tests and unit tests, in dependency order."""
    args = ["build"]
    if select:
        args += ["--select", select]
    if full_refresh:
        args.append("--full-refresh")
    return run(args, cfg, target, check=check)


def docs_generate(cfg: Settings | None = None, target: str | None = None) -> DbtRun:
    """``dbt docs generate`` (catalog.json and index.html under ``<home>/lab/dbt/target``)."""
    return run(["docs", "generate"], cfg, target)


def source_freshness(cfg: Settings | None = None, target: str | None = None, check: bool = False) -> DbtRun:
    return run(["source", "freshness"], cfg, target, check=check)
