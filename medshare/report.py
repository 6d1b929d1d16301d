"""The compliance report: one self-contained HTML page (and its JSON) a compliance officer reads offline.

:func:`collect` gathers, for a time window, everything the officer reviews — the lineage graph
(from the lineage store, completed by what the agreements declare), the agreements in force,
disclosures per insurer and purpose over time (audit store), consents granted and revoked over
time (consent store), quarantine counts by rule (the quarantine topic; the processors' status
files when the broker is unreachable), data-quality results (each lab table's latest Great
Expectations validation, read from the lineage events' data-quality facets) and the audit chain's
verification. :func:`render_html` turns it into a page with inline
CSS and SVG only: no script, no network. :func:`write_report` writes ``index.html`` and
``report.json`` after :func:`privacy.leakguard.find_identifiers` found no identifier in the data.

The report holds counts, field names and treatments — never a person's identifier or reference.
"""

from __future__ import annotations

import html
import json
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from medshare import topics as t
from medshare.config import Settings, settings

log = logging.getLogger("medshare.report")

#: the sections of the page, in order: (id, title)
SECTIONS = (
    ("summary", "Summary"),
    ("lineage", "Lineage graph"),
    ("agreements", "Sharing agreements in force"),
    ("disclosures", "Disclosures per insurer and purpose"),
    ("consents", "Consents granted and revoked"),
    ("quarantine", "Quarantine by rule"),
    ("quality", "Data quality (lab tables)"),
    ("audit-chain", "Audit chain verification"),
    ("runs", "Processor runs"),
    ("rights", "Personal-information rights (PIPL)"),
)
#: the lab tables the lab sink fills since the national interface (docs/lab.md); the v1 table
#: lab_settlements is kept for its old rows but no longer loaded, validated or read by the marts
LAB_TABLES = ("lab_settlements_v2", "lab_revocations_v2", "lab_emr_notes")


class ReportLeak(RuntimeError):
    """The report data holds something that looks like a direct identifier; nothing was written."""


# --- collecting ---------------------------------------------------------------------------------


def _aware(d: datetime | None) -> datetime | None:
    return None if d is None else (d if d.tzinfo else d.astimezone())


def _in(at: datetime | None, since: datetime | None, until: datetime | None) -> bool:
    if at is None:
        return since is None and until is None
    at = _aware(at)
    return (since is None or at >= since) and (until is None or at < until)


def _time(s: Any) -> datetime | None:
    if isinstance(s, datetime):
        return _aware(s)
    try:
        return _aware(datetime.fromisoformat(str(s).replace("Z", "+00:00")))
    except (TypeError, ValueError):
        return None


def collect(cfg: Settings | None = None, since: datetime | None = None, until: datetime | None = None, *,
            quality: bool = True, quarantine_timeout_s: float = 15.0) -> dict[str, Any]:
    """Everything the report shows, as JSON-ready data (no identifier in it).

    ``quality``: validate the lab with GX now (its results join the store's); without it the
    data-quality section shows only the validations the lineage store holds for the window.
    """
    from privacy.agreements import load_agreements

    cfg = cfg or settings()
    since, until = _aware(since), _aware(until)
    agreements = load_agreements()
    data: dict[str, Any] = {
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "window": {"since": since.isoformat() if since else None, "until": until.isoformat() if until else None},
        "agreements": _agreements(agreements, since, until),
    }
    events = _lineage_events(cfg, since, until)
    data["runs"] = _runs(events)
    data["lineage"] = lineage_graph(events, agreements, cfg)
    data["disclosures"] = _guard("disclosures", lambda: _disclosures(cfg, since, until))
    data["consents"] = _guard("consents", lambda: _consents(cfg, since, until))
    data["quarantine"] = _quarantine(cfg, since, until, quarantine_timeout_s)
    data["quality"] = _guard("quality", lambda: _quality(cfg, events, validate=quality))
    data["audit_chain"] = _guard("audit_chain", lambda: _audit_chain(cfg))
    from medshare import rights_report

    data["rights"] = _guard("rights", lambda: rights_report.collect(cfg, agreements))
    return data


def _guard(what: str, fn) -> dict[str, Any]:
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - one missing source must not hide the rest of the report
        log.warning("report: %s unavailable: %s", what, exc)
        return {"status": "unavailable", "error": f"{type(exc).__name__}: {str(exc)[:300]}"}


def _agreements(agreements, since: datetime | None, until: datetime | None) -> list[dict[str, Any]]:
    out = []
    lo = (since or datetime.now().astimezone()).date()
    hi = (until.date() if until else lo + timedelta(days=1))
    for a in agreements:
        in_force = a.effective_from < hi and (a.effective_to is None or a.effective_to > lo)
        out.append({
            "insurer": a.insurer, "insurer_name": a.insurer_name, "agreement_id": a.agreement_id,
            "version": a.version, "label": a.label, "fingerprint": a.fingerprint,
            "effective_from": a.effective_from.isoformat(),
            "effective_to": a.effective_to.isoformat() if a.effective_to else None, "in_force": in_force,
            "grants": [{
                "purpose": g.purpose, "basis": g.basis, "mode": g.mode, "source": g.source, "output": g.output,
                "reference": g.reference, "retention": str(g.retention), "min_group_size": g.min_group_size,
                "consent_categories": list(g.consent_categories),
                "fields": {p: str(tr) for p, tr in g.fields.items()},
            } for g in a.grants],
        })
    return out


def _lineage_events(cfg: Settings, since, until) -> list[dict[str, Any]]:
    from medshare.lineage import LineageStore

    return LineageStore.open(cfg).events(since=since, until=until)


def _runs(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    runs: dict[str, dict[str, Any]] = {}
    for e in events:
        rid = (e.get("run") or {}).get("runId", "")
        job = e.get("job") or {}
        r = runs.setdefault(rid, {"run_id": rid, "job": f"{job.get('namespace')}/{job.get('name')}",
                                  "producer": e.get("producer"), "started": None, "ended": None, "state": None})
        if e.get("eventType") == "START":
            r["started"] = e.get("eventTime")
        else:
            r["ended"] = e.get("eventTime")
            r["state"] = e.get("eventType")
            facet = ((e.get("run") or {}).get("facets") or {}).get("medshare_processor")
            if facet:
                r["counters"] = {k: facet.get(k) for k in ("consumed", "published", "quarantined", "disclosed",
                                                           "batches")}
            err = ((e.get("run") or {}).get("facets") or {}).get("errorMessage")
            if err:
                r["error"] = err.get("message")
        if r["state"] is None:
            r["state"] = e.get("eventType")
    return sorted(runs.values(), key=lambda r: r.get("started") or r.get("ended") or "")


def _disclosures(cfg: Settings, since, until) -> dict[str, Any]:
    from privacy.audit import AuditStore, default_url

    url = default_url(cfg)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return {"status": "empty", "total": 0, "by_insurer": {}}
    store = AuditStore.open(cfg)
    try:
        entries = store.entries()
    finally:
        store.close()
    per: dict[str, dict[str, Any]] = {}
    first = last = None
    for e in entries:
        at = _time(e.disclosed_at)
        if not _in(at, since, until):
            continue
        first = at if first is None or at < first else first
        last = at if last is None or at > last else last
        ins = per.setdefault(e.insurer, {"total": 0, "purposes": {}})
        p = ins["purposes"].setdefault(e.purpose, {"total": 0, "by_record_day": Counter(), "by_disclosure_day": Counter(),
                                                   "datasets": Counter(), "consents": set(), "kinds": Counter(),
                                                   "agreements": set(), "fields": {}, "modes": Counter()})
        ins["total"] += 1
        p["total"] += 1
        rec_day = (_time(e.event.get("event_time")) or at).date().isoformat()
        p["by_record_day"][rec_day] += 1
        p["by_disclosure_day"][at.date().isoformat()] += 1
        p["datasets"][e.dataset] += 1
        p["kinds"][e.kind] += 1
        if e.event.get("mode"):
            p["modes"][e.event["mode"]] += 1
        if e.consent_id:
            p["consents"].add(e.consent_id)
        if e.agreement_id:
            p["agreements"].add(f"{e.agreement_id} {str(e.agreement_version or '')[:19]}")
        if isinstance(e.fields, Mapping):
            for f, tr in e.fields.items():
                p["fields"][f] = tr
    out: dict[str, Any] = {}
    for code, ins in sorted(per.items()):
        out[code] = {"total": ins["total"], "purposes": {
            purpose: {"total": p["total"], "by_record_day": dict(sorted(p["by_record_day"].items())),
                      "by_disclosure_day": dict(sorted(p["by_disclosure_day"].items())),
                      "datasets": dict(p["datasets"]), "kinds": dict(p["kinds"]), "modes": dict(p["modes"]),
                      "distinct_consents": len(p["consents"]), "agreements": sorted(p["agreements"]),
                      "fields": dict(sorted(p["fields"].items()))}
            for purpose, p in sorted(ins["purposes"].items())}}
    return {"status": "ok", "total": sum(v["total"] for v in out.values()), "by_insurer": out,
            "first_disclosed_at": first.isoformat() if first else None,
            "last_disclosed_at": last.isoformat() if last else None}


def _consents(cfg: Settings, since, until) -> dict[str, Any]:
    from privacy.consent import ConsentStore

    url = cfg.state_database
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return {"status": "empty", "granted": 0, "revoked": 0, "by_day": {}, "by_insurer": {}}
    store = ConsentStore(url)
    try:
        by_day: dict[str, Counter] = defaultdict(Counter)
        by_ins: dict[str, Counter] = defaultdict(Counter)
        total: Counter = Counter()
        for ev in store.events_since(0):
            if not _in(ev.event_time, since, until):
                continue
            by_day[_aware(ev.event_time).date().isoformat()][ev.action] += 1
            by_ins[f"{ev.insurer_code} · {ev.purpose}"][ev.action] += 1
            total[ev.action] += 1
    finally:
        store.close()
    return {"status": "ok", "granted": total["grant"], "revoked": total["revoke"],
            "by_day": {d: dict(c) for d, c in sorted(by_day.items())},
            "by_insurer": {k: dict(c) for k, c in sorted(by_ins.items())}}


def _quarantine(cfg: Settings, since, until, timeout_s: float) -> dict[str, Any]:
    """Counts by rule from the topic; when the broker cannot be read, by processor from the status files."""
    try:
        from contracts.quarantine import read_quarantine

        _reachable(cfg)  # fail fast: a client would wait 30 s to bootstrap
        entries = read_quarantine(cfg, timeout_s=timeout_s)
    except Exception as exc:  # noqa: BLE001 - broker down: fall back to the processors' counters
        from streams.runtime import read_statuses

        by_proc: Counter = Counter()
        for st in read_statuses(cfg):
            by_proc[st.get("processor", "?")] += int(st.get("quarantined", 0) or 0)
        return {"source": "processor-status", "note": f"quarantine topic unreadable ({type(exc).__name__}); "
                "counts per processor from their status files, no rule breakdown",
                "total": sum(by_proc.values()), "by_rule": {}, "by_processor": dict(by_proc), "by_topic": {}}
    by_rule: Counter = Counter()
    by_proc = Counter()
    by_topic: Counter = Counter()
    n = 0
    for e in entries:
        r = e.record
        if not _in(_time(r.get("quarantined_at")), since, until):
            continue
        n += 1
        for rule in r.get("rules") or ["unknown"]:
            by_rule[str(rule)] += 1
        by_proc[str(r.get("quarantined_by"))] += 1
        by_topic[str(r.get("source_topic"))] += 1
    return {"source": "topic", "note": f"read from {t.QUARANTINE} (a record may break several rules)",
            "total": n, "by_rule": dict(by_rule.most_common()), "by_processor": dict(by_proc.most_common()),
            "by_topic": dict(by_topic.most_common())}


def _reachable(cfg: Settings, timeout_s: float = 2.0) -> None:
    """Raise ``ConnectionError`` unless one bootstrap server accepts a TCP connection."""
    import socket

    for server in cfg.bootstrap.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout_s).close()
            return
        except (OSError, ValueError):
            continue
    raise ConnectionError(f"no broker at {cfg.bootstrap}")


def _lab_exists(cfg: Settings) -> bool:
    url = cfg.lab_database
    return url.startswith(("postgres", "postgresql")) or Path(url).exists()


#: GX severities that do not fail a validation (``contracts.gx.TableRun.success``)
_SOFT_SEVERITIES = ("warning", "info")


def _validate_now(cfg: Settings) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Run GX over the lab tables and emit the results (:func:`medshare.lineage.quality_event`).

    Returns the emitted event (as a dict, to read like the stored ones) and the tables that could
    not be validated, with the error.
    """
    from contracts.gx import validate_table
    from medshare.lineage import emit, quality_event, to_dict

    runs, errors = [], {}
    for table in LAB_TABLES:
        try:
            runs.append(validate_table(table, cfg.lab_database))
        except Exception as exc:  # noqa: BLE001 - a missing table is a result
            errors[table] = f"{type(exc).__name__}: {str(exc)[:200]}"
    if not runs:
        return [], errors
    try:
        _reachable(cfg)
        up = True
    except ConnectionError:
        up = False
    event = to_dict(quality_event(runs, cfg))
    emit(event, cfg, kafka=up)
    return [event], errors


def quality_results(events: Iterable[Mapping[str, Any]], cfg: Settings) -> dict[str, dict[str, Any]]:
    """Lab table -> its latest validation, read from the ``dataQualityAssertions`` and
    ``dataQualityMetrics`` input facets of ``events`` (oldest first).

    Whoever validated the table — the ``lab_load`` DAG's task (its COMPLETE or FAIL event) or a
    ``contracts.gx.validate`` event of ``medshare report`` — the facets are the same, built by
    :func:`medshare.lineage.quality_facets` (their ``_producer`` says so). dbt's source tests put
    ``dataQualityAssertions`` on the lab tables too; they are not the contract's suite and are left
    out. ``validations`` and ``failed_validations`` count every validation of the table among ``events``.
    """
    from medshare.lineage import PRODUCER, lab_dataset

    tables = {lab_dataset(cfg, table): table for table in LAB_TABLES}
    out: dict[str, dict[str, Any]] = {}
    for e in events:
        job = e.get("job") or {}
        for ds in e.get("inputs") or []:
            table = tables.get((ds.get("namespace"), ds.get("name")))
            facets = ds.get("inputFacets") or {}
            facet = facets.get("dataQualityAssertions") or {}
            assertions = facet.get("assertions")
            if table is None or assertions is None or facet.get("_producer") != PRODUCER:
                continue
            failed = [a for a in assertions if not a.get("success")]
            passed = not any(a.get("severity") not in _SOFT_SEVERITIES for a in failed)
            seen = out.get(table, {})
            out[table] = {
                "table": table, "status": "passed" if passed else "failed",
                "rows": (facets.get("dataQualityMetrics") or {}).get("rowCount"),
                "expectations": len(assertions), "failed": len(failed),
                "failures": [{"expectation": a.get("assertion"), "rule": a.get("name"), "column": a.get("column"),
                              "severity": a.get("severity"), "actual": a.get("actual")} for a in failed],
                "job": f"{job.get('namespace')}/{job.get('name')}", "event": e.get("eventType"),
                "at": e.get("eventTime"), "run_id": (e.get("run") or {}).get("runId"),
                "validations": seen.get("validations", 0) + 1,
                "failed_validations": seen.get("failed_validations", 0) + (not passed),
            }
    return out


def _quality(cfg: Settings, events: list[dict[str, Any]], validate: bool) -> dict[str, Any]:
    """Each lab table's latest validation in the window, from the lineage facets.

    With ``validate``, GX runs over the lab first and its event (emitted to the store too) is the
    newest; without, the section shows what the store holds (e.g. the ``lab_load`` DAG's runs).
    """
    own: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    if validate and _lab_exists(cfg):
        own, errors = _validate_now(cfg)
    results = quality_results([*events, *own], cfg)
    tables = []
    for table in LAB_TABLES:
        if table in errors:
            tables.append({"table": table, "status": "error", "error": errors[table]})
        elif table in results:
            tables.append(results[table])
    if tables:
        return {"status": "ok", "source": "lineage", "tables": tables}
    if validate and not _lab_exists(cfg):
        return {"status": "no-lab", "note": f"no lab database at {cfg.lab_database}", "tables": []}
    return {"status": "none", "note": "no validation of a lab table in the window's lineage events", "tables": []}


def _audit_chain(cfg: Settings) -> dict[str, Any]:
    from privacy.audit import AuditStore, default_url

    url = default_url(cfg)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return {"status": "empty", "ok": True, "entries": 0, "problems": []}
    store = AuditStore.open(cfg)
    try:
        res = store.verify().as_dict()
    finally:
        store.close()
    res["status"] = "ok" if res.get("ok") else "failed"
    return res


# --- the lineage graph ----------------------------------------------------------------------------


def _node_id(ns: str, name: str) -> str:
    return f"{ns}/{name}"


def _dataset_group(ns: str, name: str) -> tuple[str, str | None]:
    """(group, insurer code or None) of a dataset node."""
    if ns.startswith("kafka://"):
        if name.startswith("insurer."):
            return "insurer", name.split(".")[1]
        return name.split(".")[0], None
    if ".marts." in name or name.startswith("mart:"):
        return "mart", None
    if ns.startswith(("duckdb://", "postgres://")) and ("lab_" in name or ".staging." in name
                                                       or ".intermediate." in name):
        return "lab-table", None
    return "store", None


def _summary(fields: Mapping[str, Any]) -> tuple[str, str]:
    """A short edge label and the full field list from a columnLineage facet's fields."""
    kinds: Counter = Counter()
    lines = []
    for f, spec in fields.items():
        tr = str(spec.get("transformationDescription") or "plain")
        kinds[tr.split(":")[0] if tr.startswith("generalise") else tr] += 1
        srcs = ", ".join(sorted({i.get("field", "") for i in spec.get("inputFields") or []}))
        lines.append(f"{f} ← {srcs}: {tr}")
    order = ("encrypt", "pseudonymise", "generalise", "redact")
    parts = [f"{kinds[k]} {k}" for k in order if kinds.get(k)]
    parts += [f"{v} {k}" for k, v in sorted(kinds.items()) if k not in order and k != "plain"]
    if kinds.get("plain"):
        parts.append(f"{kinds['plain']} plain")
    return " · ".join(parts), "\n".join(lines)


class _Graph:
    """Nodes and edges being assembled; an observed edge wins over a declared one."""

    def __init__(self, agreements) -> None:
        self.agreements = agreements
        self.nodes: dict[str, dict[str, Any]] = {}
        self.edges: dict[tuple[str, str], dict[str, Any]] = {}

    def dataset(self, ns: str, name: str) -> str:
        nid = _node_id(ns, name)
        if nid not in self.nodes:
            group, insurer = _dataset_group(ns, name)
            self.nodes[nid] = {"id": nid, "kind": "dataset", "namespace": ns, "name": name, "label": name,
                               "group": group, "insurer": insurer}
        return nid

    def job(self, ns: str, name: str, observed: bool) -> str:
        nid = f"job:{ns}/{name}"
        node = self.nodes.setdefault(nid, {"id": nid, "kind": "job", "namespace": ns, "name": name,
                                           "label": name, "group": "job", "insurer": None, "observed": False})
        node["observed"] = node["observed"] or observed
        return nid

    def edge(self, src: str, dst: str, observed: bool, label: str = "", detail: str = "") -> None:
        cur = self.edges.get((src, dst))
        if cur and (cur["observed"] or not observed):
            if label and not cur["label"]:
                cur.update(label=label, detail=detail)
            return
        self.edges[(src, dst)] = {"source": src, "target": dst, "observed": observed, "label": label,
                                  "detail": detail}

    def _dropped(self, insurer: str, output: str) -> list[str]:
        if insurer not in self.agreements:
            return []
        return sorted({p for g in self.agreements.for_insurer(insurer).grants if g.output == output
                       for p, tr in g.fields.items() if not tr.passes})

    def add_event(self, e: Mapping[str, Any], observed: bool) -> None:
        """Edges of one run; an input that is also an output (``lab_load`` validating the tables it
        loaded) is drawn as the output only, so the graph keeps flowing one way."""
        j = e.get("job") or {}
        jid = self.job(j.get("namespace", ""), j.get("name", ""), observed)
        written = {(o["namespace"], o["name"]) for o in e.get("outputs") or []}
        for i in e.get("inputs") or []:
            if (i["namespace"], i["name"]) not in written:
                self.edge(self.dataset(i["namespace"], i["name"]), jid, observed)
        for o in e.get("outputs") or []:
            did = self.dataset(o["namespace"], o["name"])
            cl = ((o.get("facets") or {}).get("columnLineage") or {}).get("fields") or {}
            label, detail = _summary(cl) if cl else ("", "")
            dropped = self._dropped(self.nodes[did]["insurer"], o["name"]) if cl and self.nodes[did]["insurer"] else []
            if dropped:
                label += f" · {len(dropped)} dropped"
                detail += "\ndropped (absent): " + ", ".join(dropped)
            self.edge(jid, did, observed, label, detail)

    def _observed_into(self, nid: str) -> bool:
        return any(e["observed"] and e["target"] == nid for e in self.edges.values())

    def _observed_from(self, nid: str) -> bool:
        return any(e["observed"] and e["source"] == nid for e in self.edges.values())

    def add_marts(self, cfg: Settings) -> None:
        """Lab tables -> dbt -> marts -> release -> insurer marts topics, as the agreements declare.

        A mart some run was seen building (dbt's events) gets no declared dbt edge, and one some run
        was seen reading (the release DAG's) no declared release edge: the observed path replaces them.
        """
        from medshare.lineage import JOB_NAMESPACE, kafka_namespace, lab_dataset

        marts = [(g, self.dataset(*lab_dataset(cfg, g.source_name, schema="marts")))
                 for a in self.agreements for g in a.grants if g.source_kind == "mart"]
        built = {mid: self._observed_into(mid) for _, mid in marts}
        read = {mid: self._observed_from(mid) for _, mid in marts}
        dbt = release = None
        if not all(built.values()):
            dbt = self.job(JOB_NAMESPACE, "transforms.dbt", False)
            for tbl in LAB_TABLES:
                self.edge(self.dataset(*lab_dataset(cfg, tbl)), dbt, False)
        for g, mid in marts:
            self.nodes[mid]["group"] = "mart"
            if dbt is not None and not built[mid]:
                self.edge(dbt, mid, False)
            if read[mid]:
                continue
            if release is None:
                release = self.job(JOB_NAMESPACE, "lab.release", False)
            self.edge(mid, release, False)
            out = self.dataset(kafka_namespace(cfg), g.output)
            kinds = Counter(str(tr) for tr in g.fields.values() if tr.passes)
            label = f"aggregate k≥{g.min_group_size} · " + " · ".join(f"{v} {k}" for k, v in kinds.items())
            detail = f"{g.purpose} ({g.basis}) from {g.source}\n" + "\n".join(
                f"{p}: {tr}" for p, tr in g.fields.items())
            prev = self.edges.get((release, out))
            if prev and prev["label"]:
                prev["detail"] += "\n\n" + detail
            else:
                self.edge(release, out, False, label, detail)


def _parent_run(e: Mapping[str, Any]) -> str | None:
    """The run id of the event's parent run (an Airflow task's DAG run), if it names one."""
    parent = ((e.get("run") or {}).get("facets") or {}).get("parent") or {}
    return (parent.get("run") or {}).get("runId") or None


def _drawn(e: Mapping[str, Any]) -> bool:
    """Whether a run's job belongs in the graph: it names datasets, and it is not a dbt test.

    A DAG run (``airflow/<dag_id>``) or a task without datasets adds a node with no edge; a dbt test
    (dbt's ``….test`` jobs, cosmos' ``<model>.test`` tasks) only reads the model it checks.
    """
    if not (e.get("inputs") or e.get("outputs")):
        return False
    job = e.get("job") or {}
    job_type = ((job.get("facets") or {}).get("jobType") or {}).get("jobType")
    return bool(e.get("outputs")) or not (str(job.get("name", "")).endswith(".test") or job_type == "TEST")


def lineage_graph(events: list[dict[str, Any]], agreements, cfg: Settings) -> dict[str, Any]:
    """Nodes and edges: observed from run events, completed by what the processors and agreements declare.

    Each job is drawn from its latest run; for an Airflow task mapped over several inputs, from
    every instance in the latest DAG run (they share the job name and the parent run).

    An edge is ``observed`` when a run event in the store shows it; otherwise it is declared (the
    processors' registered inputs/outputs, the agreements' mart grants) and drawn dashed.
    """
    from medshare.lineage import ProcessorLineage, RunState, to_dict
    from streams.runtime import Counters

    g = _Graph(agreements)
    latest: dict[str, Mapping[str, Any]] = {}  # the latest final event of each job, else its START
    # final events by (job, parent run): the instances of a mapped Airflow task share both
    siblings: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for e in events:
        j = e.get("job") or {}
        key = f"{j.get('namespace')}/{j.get('name')}"
        if e.get("eventType") != "START" or key not in latest:
            latest[key] = e
        if e.get("eventType") != "START" and _parent_run(e):
            siblings[(key, _parent_run(e))].append(e)
    for key, e in latest.items():
        parent = _parent_run(e)
        for one in (siblings.get((key, parent)) if parent and e.get("eventType") != "START" else None) or [e]:
            if _drawn(one):
                g.add_event(one, observed=True)
    sources = tuple(sorted({r.grant.source for r in agreements.grants("claims")
                            if r.grant.source_kind == "topic" and r.grant.sends_records}))
    declared = {"consent-sync": (t.PLATFORM_CONSENTS,), "router": (*sources, t.PLATFORM_CONSENTS),
                "claims": (t.PLATFORM_SETTLEMENTS, t.PLATFORM_ENROLMENTS, t.PLATFORM_CONSENTS),
                "deidentify": (t.PLATFORM_SETTLEMENTS, t.PLATFORM_EMR_NOTES),
                "lab-sink": (t.LAB_SETTLEMENTS_V2, t.LAB_EMR_NOTES), "audit-sink": (t.AUDIT,)}
    for name, inputs in declared.items():
        pl = ProcessorLineage(SimpleNamespace(name=name, inputs=inputs), cfg, agreements=agreements)
        g.add_event(to_dict(pl.event(RunState.COMPLETE, Counters())), observed=False)
    g.add_marts(cfg)
    return {"nodes": list(g.nodes.values()), "edges": list(g.edges.values())}


def layout(graph: Mapping[str, Any], col_w: int = 250, row_h: int = 64, node_w: int = 200, node_h: int = 36
           ) -> dict[str, tuple[float, float]]:
    """A small layered (Sugiyama-style) layout: longest-path layers, then barycentre ordering.

    Returns ``{node id: (x, y)}`` of each node's top-left corner.
    """
    ids = [n["id"] for n in graph["nodes"]]
    succ: dict[str, list[str]] = defaultdict(list)
    pred: dict[str, list[str]] = defaultdict(list)
    for e in graph["edges"]:
        succ[e["source"]].append(e["target"])
        pred[e["target"]].append(e["source"])
    # longest path from the sources, cycles cut by a visiting mark
    layer: dict[str, int] = {}
    visiting: set[str] = set()

    def depth(n: str) -> int:
        if n in layer:
            return layer[n]
        if n in visiting:
            return 0
        visiting.add(n)
        d = max((depth(p) + 1 for p in pred[n]), default=0)
        visiting.discard(n)
        layer[n] = d
        return d

    for n in ids:
        depth(n)
    layers: dict[int, list[str]] = defaultdict(list)
    for n in ids:
        layers[layer[n]].append(n)
    for nodes in layers.values():
        nodes.sort()
    pos = {n: float(i) for nodes in layers.values() for i, n in enumerate(nodes)}
    for _ in range(4):  # sweep down then up, ordering by the mean position of neighbours
        for li in sorted(layers)[1:]:
            layers[li].sort(key=lambda n: sum(pos[p] for p in pred[n]) / len(pred[n]) if pred[n] else pos[n])
            pos.update({n: float(i) for i, n in enumerate(layers[li])})
        for li in sorted(layers, reverse=True)[1:]:
            layers[li].sort(key=lambda n: sum(pos[s] for s in succ[n]) / len(succ[n]) if succ[n] else pos[n])
            pos.update({n: float(i) for i, n in enumerate(layers[li])})
    tallest = max((len(v) for v in layers.values()), default=1)
    out = {}
    for li, nodes in layers.items():
        offset = (tallest - len(nodes)) * row_h / 2
        for i, n in enumerate(nodes):
            out[n] = (20 + li * col_w, 20 + offset + i * row_h)
    return out


# --- rendering ----------------------------------------------------------------------------------

_E = html.escape
_COLOURS = {"platform": "#fde2e2", "lab": "#e3f1e3", "insurer": "#dfe9fb", "governance": "#f3e8fb",
            "pipeline": "#f5f0dc", "store": "#eeeeee", "lab-table": "#d7efd7", "mart": "#cdebd9", "job": "#fff6cf"}
_SERIES = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")

_CSS = """
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;
margin:0;color:#1d2330;background:#fafbfc;line-height:1.45}
header{background:#1d2b4f;color:#fff;padding:1rem 2rem}header h1{margin:0;font-size:1.4rem}
header p{margin:.2rem 0 0;opacity:.85;font-size:.9rem}nav{padding:.5rem 2rem;background:#eef1f6;font-size:.9rem}
nav a{margin-right:1rem;color:#1d2b4f}main{padding:0 2rem 3rem}section{margin:1.5rem 0;padding:1rem 1.2rem;
background:#fff;border:1px solid #dde2ea;border-radius:6px}h2{margin-top:0;font-size:1.15rem}
h3{font-size:1rem;margin:1rem 0 .4rem}table{border-collapse:collapse;margin:.4rem 0;font-size:.85rem}
td,th{border:1px solid #d5dae2;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f1f3f7}
.ok{color:#176b2c;font-weight:600}.fail{color:#b00020;font-weight:600}.muted{color:#667085;font-size:.85rem}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{border:1px solid #dde2ea;border-radius:6px;padding:.6rem .9rem;
min-width:10rem;background:#fcfcfd}.card b{display:block;font-size:1.4rem}.graph{overflow-x:auto;border:1px solid #eee}
svg text{font-family:inherit}.node rect{stroke:#5b6577;stroke-width:1}.node.job rect{stroke:#a08a1c}
.node a:hover rect,.node:target rect{stroke:#d62728;stroke-width:2.5}.edge{fill:none;stroke:#8792a6;stroke-width:1.3}
.edge.declared{stroke-dasharray:5 4;stroke:#b3bac7}.elabel{font-size:10px;fill:#3a4250}
.legend span{display:inline-block;margin-right:1rem;font-size:.8rem}.sw{display:inline-block;width:.9rem;height:.9rem;
border:1px solid #888;vertical-align:middle;margin-right:.3rem}code{font-size:.82rem}
.tr-encrypt{color:#0b5394;font-weight:600}.tr-drop{color:#999;text-decoration:line-through}
.tr-pseudonymise,.tr-generalise,.tr-redact{color:#7a4d00}details summary{cursor:pointer}
"""


def _svg_graph(graph: Mapping[str, Any]) -> str:
    node_w, node_h = 200, 36
    pos = layout(graph, node_w=node_w, node_h=node_h)
    width = max((x for x, _ in pos.values()), default=0) + node_w + 40
    height = max((y for _, y in pos.values()), default=0) + node_h + 40
    parts = [f'<svg id="lineage-graph" xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
             f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
             'aria-label="lineage graph">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#8792a6"/></marker></defs>']
    for e in graph["edges"]:
        if e["source"] not in pos or e["target"] not in pos:
            continue
        (x1, y1), (x2, y2) = pos[e["source"]], pos[e["target"]]
        sx, sy, tx, ty = x1 + node_w, y1 + node_h / 2, x2, y2 + node_h / 2
        mx = (sx + tx) / 2
        cls = "edge" if e["observed"] else "edge declared"
        title = _E(e.get("detail") or ("observed in a run" if e["observed"] else "declared, not yet observed"))
        parts.append(f'<g class="edge-g" data-source="{_E(e["source"])}" data-target="{_E(e["target"])}">'
                     f'<title>{title}</title><path class="{cls}" marker-end="url(#arrow)" '
                     f'd="M{sx:.1f},{sy:.1f} C{mx:.1f},{sy:.1f} {mx:.1f},{ty:.1f} {tx:.1f},{ty:.1f}"/>')
        if e.get("label"):
            parts.append(f'<text class="elabel" x="{tx - 6:.1f}" y="{ty - 6:.1f}" text-anchor="end">'
                         f'{_E(e["label"])}</text>')
        parts.append("</g>")
    for n in graph["nodes"]:
        x, y = pos[n["id"]]
        fill = _COLOURS.get(n["group"], "#eeeeee")
        rx = 14 if n["kind"] == "job" else 3
        label = n["label"] if len(n["label"]) <= 30 else n["label"][:29] + "…"
        title = _E(f'{n["namespace"]} / {n["name"]}')
        inner = (f'<rect x="{x:.1f}" y="{y:.1f}" width="{node_w}" height="{node_h}" rx="{rx}" fill="{fill}"/>'
                 f'<text x="{x + node_w / 2:.1f}" y="{y + node_h / 2 + 4:.1f}" text-anchor="middle" '
                 f'font-size="12">{_E(label)}</text>')
        if n.get("insurer"):
            inner = f'<a href="#insurer-{_E(n["insurer"])}">{inner}</a>'
        parts.append(f'<g class="node {_E(n["kind"])} group-{_E(n["group"])}" id="node-{_slug(n["id"])}" '
                     f'data-node="{_E(n["id"])}"><title>{title}</title>{inner}</g>')
    parts.append("</svg>")
    return "".join(parts)


def _slug(s: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in s).strip("-")


def _days(keys: Iterable[str]) -> list[str]:
    ds = sorted(date.fromisoformat(k) for k in keys)
    if not ds:
        return []
    out, d = [], ds[0]
    while d <= ds[-1]:
        out.append(d.isoformat())
        d += timedelta(days=1)
    return out


def _svg_lines(series: Mapping[str, Mapping[str, int]], chart_id: str, width: int = 900, height: int = 240,
               bars: bool = False) -> str:
    """A line (or grouped bar) chart of ``{series name: {YYYY-MM-DD: count}}``, with axes and a legend."""
    days = _days({d for s in series.values() for d in s})
    if not days:
        return f'<p class="muted" id="{_E(chart_id)}">No data in this window.</p>'
    left, right, top, bottom = 48, 16, 12, 56
    w, h = width - left - right, height - top - bottom
    ymax = max((v for s in series.values() for v in s.values()), default=1) or 1
    n = len(days)
    step = w / max(n - 1, 1) if not bars else w / n

    def x(i: int) -> float:
        return left + (i * step if not bars else i * step + step / 2)

    def y(v: float) -> float:
        return top + h - v / ymax * h

    out = [f'<svg class="chart" id="{_E(chart_id)}" xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="img">',
           f'<line x1="{left}" y1="{top + h}" x2="{left + w}" y2="{top + h}" stroke="#888"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + h}" stroke="#888"/>']
    for k in range(5):
        v = ymax * k / 4
        out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="10" text-anchor="end">{v:.0f}</text>'
                   f'<line x1="{left}" y1="{y(v):.1f}" x2="{left + w}" y2="{y(v):.1f}" stroke="#eee"/>')
    every = max(1, n // 10)
    for i, d in enumerate(days):
        if i % every == 0:
            out.append(f'<text x="{x(i):.1f}" y="{top + h + 14}" font-size="10" text-anchor="middle">'
                       f'{d[5:]}</text>')
    names = list(series)
    bw = step / (len(names) + 1)
    for si, name in enumerate(names):
        colour = _SERIES[si % len(_SERIES)]
        s = series[name]
        if bars:
            for i, d in enumerate(days):
                v = s.get(d, 0)
                if v:
                    bx = left + i * step + (si + 0.5) * bw
                    out.append(f'<rect x="{bx:.1f}" y="{y(v):.1f}" width="{bw:.1f}" height="{top + h - y(v):.1f}" '
                               f'fill="{colour}"><title>{_E(name)} {d}: {v}</title></rect>')
        else:
            pts = " ".join(f"{x(i):.1f},{y(s.get(d, 0)):.1f}" for i, d in enumerate(days))
            out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{pts}">'
                       f'<title>{_E(name)}</title></polyline>')
        lx = left + (si % 4) * 210
        ly = top + h + 30 + (si // 4) * 14
        out.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>'
                   f'<text x="{lx + 14}" y="{ly}" font-size="11">{_E(name)} ({sum(s.values())})</text>')
    out.append("</svg>")
    return "".join(out)


def _tr(tr: str) -> str:
    return f'<span class="tr-{_E(tr.split(":")[0])}">{_E(tr)}</span>'


def _table(headers: Iterable[str], rows: Iterable[Iterable[Any]], raw: bool = False) -> str:
    head = "".join(f"<th>{_E(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c if raw else _E(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _quality_html(qual: Mapping[str, Any]) -> str:
    s: list[str] = []
    s.append('<section id="quality"><h2>Data quality (lab tables)</h2>')
    if qual.get("tables"):
        rows = []
        for tb in qual["tables"]:
            st = tb.get("status")
            cls = "ok" if st == "passed" else "fail"
            fails = "; ".join(f'{f.get("rule") or f.get("expectation")} on {f.get("column") or "table"} '
                              f'({f.get("severity") or "—"}'
                              f'{", observed " + str(f["actual"]) if f.get("actual") is not None else ""})'
                              for f in tb.get("failures", [])) or tb.get("error", "")
            runs = tb.get("validations")
            history = (f'<br><span class="muted">{runs} validation(s) in the window, '
                       f'{tb.get("failed_validations", 0)} failed</span>') if runs else ""
            by = (f'<code>{_E(str(tb.get("job", "")))}</code> {_E(str(tb.get("event", "")))}<br>'
                  f'<span class="muted">{_E(str(tb.get("at", "")))}</span>{history}') if tb.get("job") else "—"
            rows.append((_E(tb["table"]), f'<span class="{cls}">{_E(str(st))}</span>',
                         tb.get("rows") if tb.get("rows") is not None else "—", tb.get("expectations", "—"),
                         tb.get("failed", "—"), _E(fails), by))
        s.append(_table(("table", "result", "rows", "expectations", "failed", "failures", "validated by"), rows,
                        raw=True))
        s.append('<p class="muted">Great Expectations suites generated from the lab contracts. Each table\'s latest '
                 "validation, read from the lineage events' <code>dataQualityAssertions</code> and "
                 "<code>dataQualityMetrics</code> facets: the <code>lab_load</code> DAG's task, or this report's own "
                 "run (<code>contracts.gx.validate</code>).</p>")
    else:
        s.append(f'<p class="muted">{_E(qual.get("note") or qual.get("status") or "")} {_E(qual.get("error", ""))}</p>')
    s.append("</section>")

    return "".join(s)


def _chain_html(chain: Mapping[str, Any]) -> str:
    s: list[str] = []
    s.append('<section id="audit-chain"><h2>Audit chain verification</h2>')
    if chain.get("status") in ("ok", "failed"):
        cls = "ok" if chain.get("ok") else "fail"
        s.append(f'<p class="{cls}" id="audit-verdict">{"INTACT" if chain.get("ok") else "FAILED"}</p>')
        s.append(_table(("entries", "head", "checkpoint"), [(chain.get("entries", "—"),
                                                             str(chain.get("head_hash") or chain.get("head") or "")[:16],
                                                             str(chain.get("checkpoint") or "—")[:60])]))
        probs = chain.get("problems") or []
        if probs:
            s.append(_table(("kind", "seq", "message"), [(p.get("kind"), p.get("seq"), p.get("message"))
                                                         for p in probs[:50]]))
    else:
        s.append(f'<p class="muted" id="audit-verdict">{_E(chain.get("status", ""))} {_E(chain.get("error", ""))}</p>')
    s.append("</section>")

    return "".join(s)


def render_html(data: Mapping[str, Any]) -> str:
    """The page: every value escaped, inline CSS and SVG, no script."""
    d = data
    disc = d.get("disclosures") or {}
    cons = d.get("consents") or {}
    quar = d.get("quarantine") or {}
    qual = d.get("quality") or {}
    chain = d.get("audit_chain") or {}
    graph = d["lineage"]
    window = d["window"]
    when = f'{window.get("since") or "the beginning"} to {window.get("until") or "now"}'
    s: list[str] = []
    s.append('<section id="summary"><h2>Summary</h2><div class="cards">')
    cards = [("disclosures", disc.get("total", 0)), ("insurers", len(disc.get("by_insurer") or {})),
             ("consents granted", cons.get("granted", 0)), ("consents revoked", cons.get("revoked", 0)),
             ("quarantined", quar.get("total", 0)), ("processor runs", len(d.get("runs") or [])),
             ("audit chain", {"ok": "intact", "failed": "FAILED"}.get(chain.get("status"), chain.get("status", "?")))]
    s.extend(f'<div class="card"><span class="muted">{_E(k)}</span><b>{_E(str(v))}</b></div>' for k, v in cards)
    s.append(f'</div><p class="muted">Window: {_E(when)}. Generated {_E(d["generated_at"])}. Counts only: '
             "this report names no person.</p></section>")

    legend = "".join(f'<span><i class="sw" style="background:{c}"></i>{_E(g)}</span>' for g, c in _COLOURS.items())
    s.append('<section id="lineage"><h2>Lineage graph</h2><p class="muted">From the platform topics through the '
             "stream processors, the lab and its marts to each insurer's topics. Edge labels are the field "
             "treatments from the column-level lineage (hover an edge for every field). Solid edges were observed "
             "in OpenLineage run events; dashed ones are declared by the processors and agreements but not yet "
             "seen in a run. Click an insurer's topic to jump to its disclosures.</p>"
             f'<div class="legend">{legend}</div><div class="graph">{_svg_graph(graph)}</div>')
    treat_rows = []
    for e in graph["edges"]:
        if e.get("label"):
            src = next((n["label"] for n in graph["nodes"] if n["id"] == e["source"]), e["source"])
            dst = next((n for n in graph["nodes"] if n["id"] == e["target"]), None)
            name = dst["label"] if dst else e["target"]
            link = f'<a href="#insurer-{_E(dst["insurer"])}">{_E(name)}</a>' if dst and dst.get("insurer") else _E(name)
            treat_rows.append((_E(src), link, _E(e["label"]), "observed" if e["observed"] else "declared",
                               f"<details><summary>fields</summary><pre>{_E(e.get('detail') or '')}</pre></details>"))
    s.append("<h3>Field treatments per edge</h3>" + _table(("from", "to", "treatments", "", "fields"), treat_rows,
                                                           raw=True) + "</section>")

    s.append('<section id="agreements"><h2>Sharing agreements in force</h2>')
    for a in d["agreements"]:
        status = '<span class="ok">in force</span>' if a["in_force"] else '<span class="fail">not in force</span>'
        s.append(f'<h3 id="agreement-{_E(a["insurer"])}">{_E(a["insurer_name"])} ({_E(a["insurer"])}) — '
                 f'{_E(a["label"])} {status}</h3><p class="muted">effective {_E(a["effective_from"])} to '
                 f'{_E(a["effective_to"] or "open")}; fingerprint <code>{_E(a["fingerprint"][:23])}…</code> · '
                 f'<a href="#insurer-{_E(a["insurer"])}">disclosures</a></p>')
        rows = []
        for g in a["grants"]:
            fields = ", ".join(f"<code>{_E(p)}</code>: {_tr(tr)}" for p, tr in g["fields"].items())
            mode = {"result": "result (主动赔: only the claim result leaves)",
                    "detail": "detail (快赔/直赔: the fields go to the insurer)"}.get(g.get("mode") or "", "")
            rows.append((_E(g["purpose"]), _E(g["basis"]), _E(mode), _E(g["source"]), _E(g["output"]),
                         _E(g["retention"]) + (f" · k≥{g['min_group_size']}" if g["min_group_size"] else ""),
                         _E(g.get("reference") or ""), fields))
        s.append(_table(("purpose", "basis", "mode", "source", "output", "retention", "reference", "fields"), rows,
                        raw=True))
    s.append("</section>")

    s.append('<section id="disclosures"><h2>Disclosures per insurer and purpose</h2>')
    by_ins = disc.get("by_insurer") or {}
    if disc.get("status") not in ("ok", None):
        s.append(f'<p class="muted">Audit store: {_E(disc.get("status", ""))} {_E(disc.get("error", ""))}</p>')
    series = {f"{code} · {p}": v["by_record_day"] for code, ins in by_ins.items()
              for p, v in ins["purposes"].items()}
    s.append('<p class="muted">Per day of the disclosed record\'s own time (disclosures were made '
             f'{_E(str(disc.get("first_disclosed_at") or "—"))} to {_E(str(disc.get("last_disclosed_at") or "—"))}).'
             "</p>" + _svg_lines(series, "chart-disclosures"))
    insurers = sorted(set(by_ins) | {a["insurer"] for a in d["agreements"]})
    for code in insurers:
        ins = by_ins.get(code, {"total": 0, "purposes": {}})
        s.append(f'<div class="insurer" id="insurer-{_E(code)}"><h3>{_E(code)}: {ins["total"]} disclosures</h3>'
                 f'<p class="muted"><a href="#lineage">back to the graph</a> · '
                 f'<a href="#agreement-{_E(code)}">agreement</a></p>')
        rows = []
        for p, v in ins["purposes"].items():
            fields = ", ".join(f"<code>{_E(f)}</code>: {_tr(str(tr))}" for f, tr in v["fields"].items())
            modes = ", ".join(f"mode {k}: {n}" for k, n in sorted((v.get("modes") or {}).items()))
            rows.append((_E(p + (f" ({modes})" if modes else "")), v["total"], v["distinct_consents"],
                         _E(", ".join(f"{k} ({n})" for k, n in v["datasets"].items())),
                         _E(", ".join(v["agreements"])), fields))
        if rows:
            s.append(_table(("purpose", "disclosures", "distinct consents", "dataset", "agreement", "fields disclosed"),
                            rows, raw=True))
            s.append(_svg_lines({f"{code} · {p}": v["by_record_day"] for p, v in ins["purposes"].items()},
                                f"chart-insurer-{_slug(code)}", height=200))
        else:
            s.append('<p class="muted">No disclosure to this insurer in the window.</p>')
        s.append("</div>")
    s.append("</section>")

    s.append('<section id="consents"><h2>Consents granted and revoked</h2>')
    if cons.get("status") == "ok":
        by_day = cons.get("by_day") or {}
        s.append(_svg_lines({"granted": {k: v.get("grant", 0) for k, v in by_day.items()},
                             "revoked": {k: v.get("revoke", 0) for k, v in by_day.items()}},
                            "chart-consents", bars=True))
        s.append(_table(("insurer · purpose", "granted", "revoked"),
                        [(k, v.get("grant", 0), v.get("revoke", 0)) for k, v in (cons.get("by_insurer") or {}).items()]))
    else:
        s.append(f'<p class="muted">Consent store: {_E(cons.get("status", ""))} {_E(cons.get("error", ""))}</p>')
    s.append("</section>")

    s.append(f'<section id="quarantine"><h2>Quarantine by rule</h2><p class="muted">{_E(quar.get("note", ""))}</p>')
    s.append(_table(("rule", "records"), (quar.get("by_rule") or {}).items()) if quar.get("by_rule") else "")
    s.append(_table(("processor", "records"), (quar.get("by_processor") or {}).items()))
    if quar.get("by_topic"):
        s.append(_table(("source topic", "records"), quar["by_topic"].items()))
    s.append("</section>")

    s.append(_quality_html(qual))
    s.append(_chain_html(chain))

    s.append('<section id="runs"><h2>Processor runs</h2><p class="muted">OpenLineage run events in the lineage '
             "store (medshare stream processors, and any other producer that writes to it).</p>")
    s.append(_table(("job", "state", "started", "ended", "consumed", "published", "quarantined", "disclosed"),
                    [(r["job"], r.get("state"), r.get("started") or "", r.get("ended") or "",
                      *((r.get("counters") or {}).get(k, "") for k in ("consumed", "published", "quarantined",
                                                                       "disclosed")))
                     for r in d.get("runs") or []]))
    s.append("</section>")

    from medshare import rights_report

    s.append(rights_report.render_html(d.get("rights")))
    nav = "".join(f'<a href="#{i}">{_E(title)}</a>' for i, title in SECTIONS)
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "img-src data:\">"
            f"<title>medshare compliance report</title><style>{_CSS}</style></head><body>"
            "<header><h1>medshare — compliance report</h1>"
            f"<p>Who received which fields, for what purpose, on what basis · {_E(when)}</p></header>"
            f"<nav>{nav}</nav><main>{''.join(s)}</main></body></html>")


def write_report(out_dir: str | Path, cfg: Settings | None = None, since: datetime | None = None,
                 until: datetime | None = None, *, data: dict[str, Any] | None = None,
                 quality: bool = True) -> dict[str, Any]:
    """Collect, check for identifiers, write ``index.html`` and ``report.json``; returns the data."""
    from privacy.leakguard import find_identifiers

    data = data if data is not None else collect(cfg, since, until, quality=quality)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    leaks = find_identifiers(json.loads(text))
    if leaks:
        raise ReportLeak(f"refusing to write the report: identifier-like values at {', '.join(leaks[:5])}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(text + "\n", encoding="utf-8")
    (out / "index.html").write_text(render_html(data), encoding="utf-8")
    return data
