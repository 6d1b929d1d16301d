"""Onboarding an insurer, and the connection bundles principals are handed.

``onboard_insurer`` is one idempotent step: SCRAM credentials, the insurer's topics, ACLs that let
it read only those topics with its own consumer groups, and its encryption key pair (generated
into the insurer's own folder for the local demo, or only its public key registered when the
insurer brings one — then the private key never exists on the pipeline side).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from medshare import acls
from medshare import topics as t
from medshare.config import Settings, private_dir, settings
from medshare.errors import UserError
from medshare.kafka import bundle, ensure_credentials, load_credentials


def onboard_insurer(
    code: str,
    public_key: Path | None = None,
    passphrase: bytes | None = None,
    cfg: Settings | None = None,
) -> dict[str, Any]:
    """Onboard insurer ``code`` (idempotent) and return its connection bundle."""
    from privacy import keys

    cfg = cfg or settings()
    try:
        t.check_insurer_code(code)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    principal = acls.insurer_principal(code)
    password = ensure_credentials([principal], cfg)[principal]
    acls.upsert_scram_user(principal, password, cfg)
    from medshare import retention

    acls.ensure_topics(retention.insurer_topic_specs(code, cfg), cfg)
    retention.apply_insurer_retention(code, cfg)  # topics that already existed follow the agreement too
    acls.apply_grants(acls.insurer_grants(code), cfg)
    if public_key is not None:
        if not public_key.exists():
            raise UserError(f"public key file {public_key} does not exist")
        # the SDK names a key pair v<N>.key / v<N>.pub and decrypts by that N: a file so named is
        # registered as version N (refused, with the version to use, if the keyring is past it),
        # so the insurer's private key and the pipeline's version can never disagree silently
        named = re.fullmatch(r"v([1-9][0-9]{0,8})\.pub", public_key.name)
        key = keys.register_public_key(code, public_key.read_bytes(), cfg=cfg,
                                       version=int(named.group(1)) if named else None)
    else:
        key = keys.create_insurer_keypair(code, passphrase=passphrase, cfg=cfg)
    b = insurer_bundle(code, cfg)
    b["key_id"], b["key_version"] = key.key_id, key.version
    _write_private_json(private_dir(cfg.insurers_dir / code) / "bundle.json", b)
    return b


def onboarded_insurers(cfg: Settings | None = None) -> list[str]:
    """Insurer codes that have Kafka credentials here."""
    return sorted(n.removeprefix("insurer-") for n in load_credentials(cfg) if n.startswith("insurer-"))


def insurer_bundle(code: str, cfg: Settings | None = None) -> dict[str, Any]:
    cfg = cfg or settings()
    b = bundle(acls.insurer_principal(code), cfg)
    keys_dir = cfg.insurers_dir / code / "keys"
    b.update({
        "insurer": code,
        "topics": {"claims": t.insurer_claims(code), "marts": t.insurer_marts(code),
                   "erasure": t.insurer_erasure(code), "erasure-acks": t.insurer_erasure_acks(code)},
        "group_prefix": t.insurer_group_prefix(code),
        "private_key_dir": str(keys_dir) if keys_dir.exists() else None,
    })
    return b


def principal_bundle(principal: str, cfg: Settings | None = None) -> dict[str, Any]:
    """The bundle of a core principal or of ``insurer-<code>``."""
    if principal.startswith("insurer-"):
        return insurer_bundle(principal.removeprefix("insurer-"), cfg)
    return bundle(principal, cfg)


def _write_private_json(path: Path, obj: Any) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(obj, fh, indent=2, ensure_ascii=False, sort_keys=True)


def topic_overview(cfg: Settings | None = None) -> list[dict[str, Any]]:
    """Every topic with its partition count and the offsets it holds.

    ``offsets`` is end minus start offset summed over partitions: the number of messages, plus one
    commit marker per transaction on topics written transactionally (the processors' outputs).
    """
    from kafka import TopicPartition

    from medshare.kafka import admin, consumer

    client = admin(cfg=cfg)
    try:
        names = sorted(n for n in client.list_topics() if not n.startswith("__"))
        described = client.describe_topics(names)
    finally:
        client.close()
    parts = {d["name"]: [p["partition_index"] for p in d["partitions"]] for d in described}
    c = consumer("admin", None, cfg=cfg)
    try:
        tps = [TopicPartition(n, p) for n in names for p in parts.get(n, [])]
        ends = c.end_offsets(tps) if tps else {}
        begins = c.beginning_offsets(tps) if tps else {}
    finally:
        c.close()
    return [
        {
            "topic": n,
            "partitions": len(parts.get(n, [])),
            "offsets": sum(ends[tp] - begins[tp] for tp in tps if tp.topic == n),
        }
        for n in names
    ]
