"""``rotate_keys``: rotate insurers' data keys on a schedule, and report which versions are live.

Policy: an onboarded insurer whose current key version is at least ``max_age_days`` old gets a
new version (:func:`privacy.keys.rotate`); older versions stay *previous*, so everything already
encrypted still decrypts on the insurer's side. At most one rotation per insurer per interval:
the ledger records it, so rerunning or clearing the task never rotates twice. Insurers that keep
their private keys themselves rotate by sending a new public key; they are reported, not rotated.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from medshare.orchestration.config import OrchestrationConfig
from medshare.orchestration.ledger import Ledger

log = logging.getLogger(__name__)

STEP = "rotate_keys"


def insurers(config: OrchestrationConfig) -> list[str]:
    """Onboarded insurers that have a key in the pipeline keyring."""
    from medshare.onboard import onboarded_insurers
    from privacy import keys

    with_keys = {k.code for k in keys.list_keys(cfg=config.settings)}
    return [c for c in onboarded_insurers(config.settings) if c in with_keys]


def rotate_due(config: OrchestrationConfig, interval: str, *, max_age_days: int | None = None,
               now: datetime | None = None, run_id: str | None = None) -> list[dict[str, Any]]:
    """Rotate every insurer whose current key is old enough; one entry per insurer saying what happened."""
    from privacy import keys

    max_age = config.key_max_age_days if max_age_days is None else max_age_days
    now = now or datetime.now(UTC)
    ledger = Ledger.for_settings(config.settings)
    out = []
    for code in insurers(config):
        current = keys.current_key(code, config.settings)
        age_days = (now - current.created_at).total_seconds() / 86400
        entry: dict[str, Any] = {"insurer": code, "version": current.version, "age_days": round(age_days, 2)}
        done = ledger.get(STEP, code, interval)
        if done is not None:
            entry.update(action="already-rotated", rotated_to=done["rotated_to"])
        elif age_days < max_age:
            entry.update(action="kept", reason=f"younger than {max_age} days")
        elif current.private_key_path is None:
            entry.update(action="external", reason="the insurer holds its private keys: it must send a new public key")
        else:
            new = keys.rotate(code, config.settings)
            ledger.record(STEP, code, interval, {"rotated_from": current.version, "rotated_to": new.version},
                          run_id=run_id)
            entry.update(action="rotated", rotated_to=new.version)
        log.info("insurer %s: key v%s (%.1f days old): %s", code, current.version, age_days, entry["action"])
        out.append(entry)
    return out


def live_report(config: OrchestrationConfig) -> dict[str, list[dict[str, Any]]]:
    """For each insurer, its live key versions (current and previous), oldest first."""
    from privacy import keys

    report = {}
    for code in insurers(config):
        report[code] = [{"version": k.version, "status": k.status, "created_at": k.created_at.isoformat(),
                         "fingerprint": k.fingerprint} for k in keys.live_versions(code, config.settings)]
        log.info("insurer %s: live key versions %s", code,
                 ", ".join(f"v{v['version']} ({v['status']})" for v in report[code]))
    return report
