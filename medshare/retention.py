"""Retention enforced: how long each dataset is kept, from the agreements (PIPL Art. 19, 47).

* Insurer topics: ``retention.ms`` of ``insurer.<code>.claims.v1`` is the longest retention of the
  insurer's consent grants, of ``…marts.v1`` the longest of its aggregate grants
  (:func:`insurer_topic_configs`). :func:`insurer_topic_specs` gives the specs topic creation uses;
  :func:`apply_insurer_retention` sets the configs of topics that already exist (incremental
  AlterConfigs, so other configs are left as they are).
* An insurer without an agreement gets no retention set (broker default) and nothing flows to it.

* Quarantine: :func:`shred_quarantine` destroys the period keys of months that ended more than
  ``MEDSHARE_QUARANTINE_RETENTION_DAYS`` ago (``contracts/quarantine_keys.py``) and records the run.
* Lab: ``medshare/lab/retention.py`` deletes lab rows past the longest mart grant's retention.
"""

from __future__ import annotations

from typing import Any

from medshare import topics as t
from medshare.config import Settings, settings

DAY_MS = 24 * 3600 * 1000


def insurer_topic_configs(code: str, agreements: Any = None) -> dict[str, dict[str, str]]:
    """``{topic: {"retention.ms": "<ms>"}}`` of an insurer's data topics, from its agreement."""
    from privacy.agreements import load_agreements

    agreements = agreements if agreements is not None else load_agreements()
    if code not in agreements:
        return {}
    a = agreements.for_insurer(code)
    out: dict[str, dict[str, str]] = {}
    for basis, topic in (("consent", t.insurer_claims(code)), ("aggregate", t.insurer_marts(code))):
        days = [g.retention.approx_days for g in a.grants if g.basis == basis]
        if days:
            out[topic] = {"retention.ms": str(max(days) * DAY_MS)}
    return out


def insurer_topic_specs(code: str, cfg: Settings | None = None, agreements: Any = None) -> list[t.TopicSpec]:
    """:func:`medshare.topics.insurer_topic_specs` with the agreement's retention on the data topics."""
    from dataclasses import replace

    cfg = cfg or settings()
    configs = insurer_topic_configs(code, agreements)
    return [replace(s, retention_ms=int(configs[s.name]["retention.ms"])) if s.name in configs else s
            for s in t.insurer_topic_specs(code, cfg.partitions)]


def apply_insurer_retention(code: str, cfg: Settings | None = None, agreements: Any = None) -> dict[str, dict[str, str]]:
    """Set the agreement's ``retention.ms`` on the insurer's existing topics; returns what was set."""
    from kafka.admin import ConfigResource, ConfigResourceType

    from medshare.kafka import admin

    configs = insurer_topic_configs(code, agreements)
    if not configs:
        return {}
    client = admin(cfg=cfg)
    try:
        existing = set(client.list_topics())
        res = [ConfigResource(ConfigResourceType.TOPIC, name, configs=c) for name, c in configs.items()
               if name in existing]
        if res:
            result = client.alter_configs(res)
            errors = [f"{name}: {r}" for by_name in result.values() for name, r in by_name.items()
                      if r and getattr(r, "errno", 0)]
            if errors:
                from medshare.errors import BrokerError

                raise BrokerError(f"setting retention on {code}'s topics failed: {'; '.join(errors)}")
    finally:
        client.close()
    return configs


def topic_retention(topics: list[str], cfg: Settings | None = None) -> dict[str, int | None]:
    """The broker's ``retention.ms`` of each topic (None: topic missing)."""
    from kafka.admin import ConfigResource, ConfigResourceType

    from medshare.kafka import admin

    client = admin(cfg=cfg)
    out: dict[str, int | None] = dict.fromkeys(topics)
    try:
        existing = set(client.list_topics())
        wanted = [n for n in topics if n in existing]
        if not wanted:
            return out
        got = client.describe_configs([ConfigResource(ConfigResourceType.TOPIC, n, configs=None) for n in wanted],
                                      config_filter="all")
        for by_name in got.values():
            for name, cfgs in by_name.items():
                v = cfgs.get("retention.ms")
                if v is not None:
                    out[name] = int(v.get("value") if isinstance(v, dict) else v)
    finally:
        client.close()
    return out


def shred_quarantine(cfg: Settings | None = None, keep_days: int | None = None, now: Any = None,
                     dry_run: bool = False) -> dict[str, Any]:
    """Destroy the quarantine keys of months past the retention; a real run is recorded for the report."""
    from contracts.quarantine_keys import QuarantineKeyring
    from medshare.rights_report import record_enforcement_run

    cfg = cfg or settings()
    days = cfg.quarantine_retention_days if keep_days is None else keep_days
    result = QuarantineKeyring(cfg).shred(days, now=now, dry_run=dry_run)
    if not dry_run:
        record_enforcement_run(cfg, "quarantine-shred", {
            "keep_days": days, "cutoff": result["cutoff"], "keys_destroyed": [k["key_id"] for k in result["shredded"]],
            "keys_live": result["kept"]})
    return result
