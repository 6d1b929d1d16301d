"""The Airflow-facing layer: what each DAG task calls, with the data interval it runs for.

These functions read the configuration inside the task (Airflow connection/Variables, then the
environment; :mod:`medshare.orchestration.config`), turn the data interval into the unit of work
(a Shanghai calendar day for the daily DAGs) and map failures that a retry cannot fix (a failed
data validation) to ``AirflowFailException`` so the task fails at once, without retries.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

#: the platform's calendar: batch partitions and daily intervals are Shanghai days
TIMEZONE = "Asia/Shanghai"

log = logging.getLogger(__name__)


def interval_day(start: datetime) -> date:
    """The Shanghai calendar day a daily data interval starting at ``start`` covers."""
    import pendulum

    return pendulum.instance(start).in_timezone(TIMEZONE).date()


def _config() -> Any:
    from medshare.orchestration.config import resolve

    return resolve(use_airflow=True)


def platform_extract(data_interval_start: datetime, *, force: bool = False, run_id: str | None = None) -> dict:
    """Publish the interval's day of the platform batch (once; ``force`` republishes)."""
    from medshare.orchestration.extract import extract_day

    return extract_day(interval_day(data_interval_start), _config(), force=force, run_id=run_id)


def _quiet_gx() -> None:
    from contracts.gx import _quiet_gx as quiet

    quiet()


def lab_load(data_interval_start: datetime, data_interval_end: datetime, run_id: str | None = None,
             on_results: Callable[[list[Any]], None] | None = None) -> dict:
    """Drain the lab topics into the lab and validate; a validation failure fails without retry.

    ``on_results`` gets the validation runs before a failure is raised (the task's lineage).
    """
    from airflow.sdk.exceptions import AirflowFailException

    from medshare.orchestration.exceptions import LabValidationError
    from medshare.orchestration.load import load_and_validate

    _quiet_gx()
    config = _config()
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", run_id or interval_day(data_interval_start).isoformat())
    report_dir = config.settings.home / "reports" / "gx" / name
    try:
        return load_and_validate(config, data_interval_start, data_interval_end, report_dir=report_dir,
                                 on_results=on_results)
    except LabValidationError as exc:
        log.error("%s (reports in %s)", exc, report_dir)
        raise AirflowFailException(str(exc)) from exc


def rotate_keys(data_interval_start: datetime, *, max_age_days: int | None = None,
                run_id: str | None = None) -> list[dict[str, Any]]:
    """Rotate the insurers whose current key is too old (once per interval)."""
    from medshare.orchestration.keys import rotate_due

    return rotate_due(_config(), data_interval_start.isoformat(), max_age_days=max_age_days, run_id=run_id)


def lab_retention(data_interval_end: datetime, *, dry_run: bool = False) -> dict[str, Any]:
    """Delete lab rows past the longest mart grant's retention, as of the interval's end (recorded)."""
    from medshare.lab.retention import enforce_lab_retention

    result = enforce_lab_retention(_config().settings, now=data_interval_end, dry_run=dry_run)
    log.info("lab retention: rule %s, cutoff month %s, deleted %s, kept %s", (result.get("rule") or {}).get(
        "retention"), result.get("cutoff_month"), result.get("deleted"), result.get("kept"))
    return result


def erasure_issue(data_interval_end: datetime) -> dict[str, Any]:
    """Erasure requests for disclosures under revoked consents or past their retention (PIPL Art. 47)."""
    from privacy.erasure import issue

    result = issue(_config().settings, now=data_interval_end).as_dict()
    log.info("erasure requests issued: %s (%s record(s)) by insurer %s", result["requests"], result["records"],
             result["by_insurer"])
    return result


def erasure_collect() -> dict[str, Any]:
    """Insurers' acknowledgements read; each complete one logged in the disclosure log."""
    from privacy.erasure import collect_acks

    result = collect_acks(_config().settings).as_dict()
    for r in result["refused"]:
        log.warning("erasure acknowledgement %s refused: %s", r["ack"], r["reason"])
    log.info("erasure acknowledgements logged: %s, duplicates %s, refused %s", len(result["acked"]),
             result["duplicates"], len(result["refused"]))
    return result


def erasure_overdue(data_interval_end: datetime, issued: dict[str, Any], collected: dict[str, Any]) -> dict[str, Any]:
    """Requests past their deadline per insurer, as of the interval's end; the run is recorded for the report."""
    from medshare.rights_report import record_enforcement_run
    from privacy.audit import AuditStore
    from privacy.erasure import overdue

    cfg = _config().settings
    store = AuditStore.open(cfg)
    try:
        late = {code: [r["request_id"] for r in reqs] for code, reqs in overdue(store.engine, data_interval_end).items()}
    finally:
        store.close()
    summary = {"issued": issued["requests"], "records": issued["records"], "acked": len(collected["acked"]),
               "refused": len(collected["refused"]), "overdue": {k: len(v) for k, v in late.items()}}
    record_enforcement_run(cfg, "erasure", summary)
    for code, ids in late.items():
        log.warning("insurer %s has %d overdue erasure request(s): %s", code, len(ids), ids[:5])
    return {**summary, "overdue_ids": late}


def live_keys() -> dict[str, list[dict[str, Any]]]:
    """Each insurer's live key versions."""
    from medshare.orchestration.keys import live_report

    return live_report(_config())


def mart_grants() -> list[dict[str, str]]:
    """The (insurer, mart, purpose) triples the agreements grant: one mapped release each."""
    from medshare.orchestration.release import mart_grants as grants

    return grants()


def release_mart(pair: dict[str, str]) -> dict[str, Any]:
    """Release one mart; a refusal (agreement or disclosure check) skips the task, with the reason."""
    from airflow.sdk.exceptions import AirflowSkipException

    from medshare.lab.exceptions import ReleaseRefused
    from medshare.orchestration.release import release_one

    try:
        return release_one(pair, _config())
    except ReleaseRefused as exc:
        log.warning("release of %s to %s (%s) refused: %s", pair["mart"], pair["insurer"], pair["purpose"],
                    exc.reason)
        raise AirflowSkipException(f"refused: {exc.reason}") from exc


def compliance_report(data_interval_start: datetime, data_interval_end: datetime) -> dict[str, Any]:
    """Write the compliance report of the interval to ``$MEDSHARE_HOME/reports/compliance/<day>/``.

    Rerunning the interval rewrites the same folder (the report of a window is a pure read).
    """
    from medshare.report import write_report

    _quiet_gx()
    config = _config()
    day = interval_day(data_interval_start).isoformat()
    out = config.settings.home / "reports" / "compliance" / day
    data = write_report(out, config.settings, since=data_interval_start, until=data_interval_end)
    log.info("compliance report of %s written to %s", day, out)
    return {"day": day, "index": str(out / "index.html"), "json": str(out / "report.json"),
            "window": data.get("window"), "summary": data.get("summary")}
