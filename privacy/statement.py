"""The person's statement (PIPL Art. 45): every disclosure of their data, each with its inclusion proof.

``medshare audit statement RESIDENT_ID --out DIR`` writes ``statement.html`` (Chinese, Jinja2 with
autoescape, for showing in 随申办) and ``statement.json``. Per disclosure: the insurer, the fields
and how each was treated, the purpose, the consent and the notice it was given on, the times, the
erasure status (privacy.erasure) and the RFC 9162 inclusion proof (leaf index, tree size, audit
path, root) with the signed tree head it verifies against. If the newest signed head does not cover
every listed entry, a new head is signed first, so every proof checks against a signed root.

The person is named only as 您 and by a masked ID (first 3 and last character); the resident ID is
used only to compute the audit pseudonym the log is searched by, and never written out.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from privacy.notice import PURPOSE_LABELS, SOURCE_LABELS, TEMPLATES_DIR, treatment_label

REASON_LABELS = {"revoked": "您已撤回授权", "retention-ended": "保存期限届满"}
DISCLOSURE_KINDS = ("record", "claim-result")


def mask_id(resident_id: str) -> str:
    s = resident_id.strip()
    return s[:3] + "*" * max(0, len(s) - 4) + s[-1:] if len(s) > 4 else "*" * len(s)


def build(resident_id: str, cfg: Any = None, store: Any = None) -> dict[str, Any]:
    """The statement's data (what statement.json holds)."""
    from medshare.config import settings
    from privacy import audit_tree
    from privacy.agreements import load_agreements
    from privacy.audit import AuditStore, person_refs
    from privacy.erasure import ErasureLedger

    cfg = cfg or settings()
    own = store is None
    store = store or AuditStore.open(cfg)
    try:
        try:
            resident_ref, _ = person_refs(resident_id=resident_id, cfg=cfg)
        except FileNotFoundError:
            resident_ref = None
        entries = [e for e in (store.by_person(resident_ref=resident_ref) if resident_ref else [])
                   if e.kind in DISCLOSURE_KINDS]
        if entries:
            latest = store.latest_tree_head()
            if latest is None or latest.tree_size < max(e.seq for e in entries):
                store.sign_tree_head(audit_tree.signing_key(cfg))
        erasure = ErasureLedger(store.engine).status_by_audit_id()
        try:
            agreements = load_agreements()
        except Exception:  # noqa: BLE001 - names are a courtesy; the log says the rest
            agreements = None
        out = []
        for e in entries:
            p = store.proof_for(e.audit_id)
            sth = p.signed.as_json() if p.signed is not None else None
            ev = e.event
            name = e.insurer
            if agreements is not None and e.insurer in agreements:
                a = agreements.for_insurer(e.insurer)
                name = a.recipient.legal_name if a.recipient else a.insurer_name
            fields = e.fields if isinstance(e.fields, dict) else dict.fromkeys(e.fields or [], "computed")
            er = erasure.get(e.audit_id)
            if er:
                er = {**er, "reason_label": REASON_LABELS.get(er["reason"], er["reason"])}
            out.append({
                "audit_id": e.audit_id, "kind": e.kind, "insurer": e.insurer, "insurer_name": name,
                "purpose": e.purpose, "purpose_label": PURPOSE_LABELS.get(e.purpose, e.purpose),
                "source": ev.get("source"), "source_label": SOURCE_LABELS.get(ev.get("source"), ev.get("source") or "—"),
                "dataset": e.dataset, "record_id": e.record_id,
                "fields": [{"field": f, "treatment": t, "treatment_label": treatment_label(t) if t != "computed" else "计算结果"}
                           for f, t in fields.items()],
                "consent_id": e.consent_id, "notice_id": ev.get("notice_id"), "agreement_id": e.agreement_id,
                "agreement_version": e.agreement_version, "disclosed_at": e.disclosed_at,
                "event_time": ev.get("event_time"), "erasure": er,
                "proof": {"leaf_index": p.leaf_index, "tree_size": p.tree_size,
                          "leaf_input": base64.b64encode(p.leaf_input).decode("ascii"),
                          "audit_path": [h.hex() for h in p.audit_path], "root_hash": p.root_hash.hex(),
                          "signed_tree_head": sth},
            })
        return {"statement_version": 1, "person": "您", "masked_id": mask_id(resident_id),
                "generated_at": datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
                "disclosures": out}
    finally:
        if own:
            store.close()


def render_html(data: dict[str, Any]) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    return env.get_template("statement-v1.zh.html.j2").render(**data)


def write(resident_id: str, out_dir: str | Path, cfg: Any = None) -> dict[str, Any]:
    from medshare.config import private_dir

    data = build(resident_id, cfg)
    d = private_dir(Path(out_dir))
    (d / "statement.json").write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True), "utf-8")
    (d / "statement.html").write_text(render_html(data), "utf-8")
    return data
