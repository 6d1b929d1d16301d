"""``release_marts``: one release per (insurer, mart, purpose) the sharing agreements grant.

The grants come from the agreements (``privacy.agreements.load_agreements``): every grant with
purpose ``actuarial`` or ``supervision`` whose source is ``mart:<name>``. Each is released by
:func:`medshare.lab.release.release` — disclosure check (k-anonymity / small cells), projection to
the agreement's fields, one Kafka transaction with the audit event — which is idempotent: the
same content is not sent twice (status ``unchanged``).
"""

from __future__ import annotations

from typing import Any

from medshare.orchestration.config import OrchestrationConfig

PURPOSES = ("actuarial", "supervision")


def mart_grants(agreements: Any = None) -> list[dict[str, str]]:
    """``{"insurer", "mart", "purpose"}`` for every mart an agreement grants, in a stable order."""
    from privacy.agreements import load_agreements

    agreements = agreements if agreements is not None else load_agreements()
    pairs = []
    for purpose in PURPOSES:
        for ref in agreements.grants(purpose):
            if ref.grant.source_kind == "mart":
                pairs.append({"insurer": ref.insurer, "mart": ref.grant.source_name, "purpose": purpose})
    return sorted(pairs, key=lambda p: (p["insurer"], p["mart"], p["purpose"]))


def release_one(pair: dict[str, str], config: OrchestrationConfig, period: str | None = None) -> dict[str, Any]:
    """Release one granted mart (raises ``medshare.lab.exceptions.ReleaseRefused`` when refused)."""
    from medshare.lab.release import release

    result = release(pair["mart"], pair["insurer"], pair["purpose"], period, cfg=config.settings)
    return result.to_dict()
