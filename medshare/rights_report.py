"""The compliance report's PIPL section: notices, PIAs, retention per dataset, erasure requests.

Collected by :func:`collect` (JSON-ready, names no person) and rendered by :func:`render_html`
(Jinja2, autoescape) into ``medshare report`` (medshare/report.py calls both).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from medshare import topics as t

RUNS_FILE = "retention-runs.json"


def record_enforcement_run(cfg: Any, what: str, summary: dict[str, Any]) -> None:
    """Remember the last run of a retention enforcement job (quarantine shredding, lab expiry)."""
    from medshare.config import private_dir

    path = private_dir(cfg.state_dir) / RUNS_FILE
    runs = json.loads(path.read_text()) if path.exists() else {}
    runs[what] = {"at": datetime.now(UTC).astimezone().isoformat(timespec="seconds"), **summary}
    path.write_text(json.dumps(runs, ensure_ascii=False, indent=2, sort_keys=True))
    path.chmod(0o600)


def collect(cfg: Any, agreements: Any = None, broker: bool = True) -> dict[str, Any]:
    from medshare.retention import insurer_topic_configs
    from privacy.agreements import load_agreements
    from privacy.notice import NoticeBook

    agreements = agreements if agreements is not None else load_agreements()
    notices = [{k: v for k, v in n.as_dict().items() if k != "text"} for n in NoticeBook.load(agreements)]
    grants, missing_pia = [], []
    for a in agreements:
        for g in a.grants:
            row = {"insurer": a.insurer, "purpose": g.purpose, "source": g.source, "basis": g.basis,
                   "retention": str(g.retention), "pia_id": g.pia_id}
            grants.append(row)
            if not g.pia_id:
                missing_pia.append(row)
    retention = []
    wanted = {}
    for code in agreements.insurers:
        for topic, c in insurer_topic_configs(code, agreements).items():
            wanted[topic] = int(c["retention.ms"])
    actual: dict[str, int | None] = {}
    if broker and wanted:
        try:
            from medshare.retention import topic_retention

            actual = topic_retention(sorted(wanted), cfg)
        except Exception:  # noqa: BLE001 - broker down: show the agreements' side only
            actual = {}
    for topic, ms in sorted(wanted.items()):
        got = actual.get(topic)
        retention.append({"dataset": topic, "agreement_days": ms // 86_400_000,
                          "broker_days": None if got is None else got / 86_400_000,
                          "enforced": got == ms})
    retention.append({"dataset": t.AUDIT, "agreement_days": None, "broker_days": None, "enforced": True,
                      "note": "kept forever: the compliance record"})
    runs_path = cfg.state_dir / RUNS_FILE
    runs = json.loads(runs_path.read_text()) if runs_path.exists() else {}
    return {"notices": notices, "grants": grants, "grants_without_pia": missing_pia, "retention": retention,
            "enforcement_runs": runs, "erasure": _erasure(cfg)}


def _erasure(cfg: Any) -> dict[str, Any]:
    from pathlib import Path

    from privacy.audit import AuditStore, default_url
    from privacy.erasure import ErasureLedger, deadline_days, overdue

    url = default_url(cfg)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return {"deadline_days": deadline_days(), "requests": 0, "acknowledged": 0, "overdue": {}}
    with AuditStore.open(cfg) as store:
        reqs = ErasureLedger(store.engine).requests()
        late = overdue(store.engine)
    return {"deadline_days": deadline_days(), "requests": len(reqs),
            "acknowledged": sum(1 for r in reqs if r["acked_at"]),
            "by_insurer": {i: {"requests": sum(1 for r in reqs if r["insurer"] == i),
                               "acknowledged": sum(1 for r in reqs if r["insurer"] == i and r["acked_at"])}
                           for i in sorted({r["insurer"] for r in reqs})},
            "overdue": {i: [{"request_id": r["request_id"], "reason": r["reason"], "records": len(r["records"]),
                             "requested_at": r["requested_at"], "due_at": r["due_at"]} for r in rs]
                        for i, rs in late.items()}}


_TEMPLATE = """\
<section id="rights"><h2>Personal-information rights (PIPL)</h2>
{% if r.status == "unavailable" %}<p class="muted">unavailable: {{ r.error }}</p>{% else %}
<h3>Consent notices</h3><p class="muted">A consent counts only on the notice of the agreement in force (Art. 17, 23, 29).</p>
<table><tr><th>insurer</th><th>purpose</th><th>agreement</th><th>notice id</th></tr>
{% for n in r.notices %}<tr><td>{{ n.insurer }}</td><td>{{ n.purpose }}</td><td>{{ n.agreement_id }} v{{ n.agreement_version }}</td><td><code>{{ n.notice_id }}</code></td></tr>{% endfor %}</table>
<h3>Impact assessments (Art. 55-56)</h3>
{% if r.grants_without_pia %}<p><b>{{ r.grants_without_pia | length }} grant(s) without a PIA:</b></p>
<table><tr><th>insurer</th><th>purpose</th><th>source</th></tr>{% for g in r.grants_without_pia %}<tr><td>{{ g.insurer }}</td><td>{{ g.purpose }}</td><td>{{ g.source }}</td></tr>{% endfor %}</table>
{% else %}<p>Every grant names its PIA.</p>{% endif %}
<h3>Retention per dataset</h3>
<table><tr><th>dataset</th><th>agreement (days)</th><th>broker (days)</th><th>enforced</th></tr>
{% for x in r.retention %}<tr><td>{{ x.dataset }}</td><td>{{ x.agreement_days if x.agreement_days is not none else "forever" }}</td><td>{{ x.broker_days if x.broker_days is not none else "—" }}</td><td>{{ "yes" if x.enforced else "NO" }}{% if x.note %} ({{ x.note }}){% endif %}</td></tr>{% endfor %}</table>
<p class="muted">Last enforcement runs: {% for k, v in r.enforcement_runs.items() %}{{ k }} at {{ v.at }}; {% else %}none recorded.{% endfor %}</p>
<h3>Erasure requests (Art. 47)</h3>
<p>{{ r.erasure.requests }} request(s), {{ r.erasure.acknowledged }} acknowledged; deadline {{ r.erasure.deadline_days }} days.</p>
{% if r.erasure.overdue %}<table><tr><th>insurer</th><th>overdue request</th><th>reason</th><th>records</th><th>due</th></tr>
{% for i, rs in r.erasure.overdue.items() %}{% for q in rs %}<tr><td>{{ i }}</td><td>{{ q.request_id }}</td><td>{{ q.reason }}</td><td>{{ q.records }}</td><td>{{ q.due_at }}</td></tr>{% endfor %}{% endfor %}</table>
{% else %}<p>No overdue erasure request.</p>{% endif %}
{% endif %}</section>
"""


def render_html(r: dict[str, Any] | None) -> str:
    import jinja2

    env = jinja2.Environment(autoescape=True)
    return env.from_string(_TEMPLATE).render(r=r or {"status": "unavailable", "error": "not collected"})
