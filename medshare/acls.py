"""Topics, SCRAM users and ACLs: what each principal may do, enforced by the broker.

The broker denies everything no ACL allows (``allow.everyone.if.no.acl.found=false``); this module
is the one place that grants. All operations are idempotent, so ``broker start`` and
``insurer onboard`` can run again safely.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from medshare import topics as t
from medshare.config import Settings, settings
from medshare.errors import BrokerError


@dataclass(frozen=True)
class Grant:
    """Allow ``principal`` the ``operations`` on topics (or groups) named ``name`` (or with that prefix)."""

    principal: str
    resource: str  # "topic" | "group" | "cluster" | "transactional_id"
    name: str
    operations: tuple[str, ...]
    prefixed: bool = True


def core_grants() -> list[Grant]:
    """The ACLs of the pipeline, platform and compliance principals (see docs/conventions.md)."""
    read, write = ("READ", "DESCRIBE"), ("WRITE", "DESCRIBE")
    return [
        # the pipeline reads the raw platform topics and its own outputs, writes everything downstream
        *(Grant("pipeline", "topic", p, read) for p in ("platform.", "lab.", "pipeline.", "governance.")),
        *(Grant("pipeline", "topic", p, write) for p in ("lab.", "insurer.", "governance.", "pipeline.")),
        Grant("pipeline", "group", "medshare-", ("READ", "DESCRIBE")),
        # processors commit outputs and offsets in one Kafka transaction per batch
        Grant("pipeline", "transactional_id", "medshare-", ("WRITE", "DESCRIBE")),
        # idempotent producers (kafka-python's default) need this cluster-level right
        *(Grant(p, "cluster", "kafka-cluster", ("IDEMPOTENT_WRITE",), prefixed=False)
          for p in ("pipeline", "platform")),
        # the platform may only publish its own events
        Grant("platform", "topic", "platform.", write),
        # compliance reads the disclosure log and lineage
        Grant("compliance", "topic", "governance.", read),
        Grant("compliance", "group", "compliance-", ("READ", "DESCRIBE")),
    ]


def insurer_grants(code: str) -> list[Grant]:
    """An insurer reads its own topics only, with its own consumer groups."""
    principal = insurer_principal(code)
    return [
        Grant(principal, "topic", f"insurer.{t.check_insurer_code(code)}.", ("READ", "DESCRIBE")),
        Grant(principal, "group", t.insurer_group_prefix(code), ("READ", "DESCRIBE")),
        # erasure (PIPL Art. 47): the insurer acknowledges requests on its one writable topic,
        # which the pipeline reads (docs/audit.md "Erasure")
        Grant(principal, "topic", t.insurer_erasure_acks(code), ("WRITE", "DESCRIBE"), prefixed=False),
        Grant(principal, "cluster", "kafka-cluster", ("IDEMPOTENT_WRITE",), prefixed=False),
        Grant("pipeline", "topic", t.insurer_erasure_acks(code), ("READ", "DESCRIBE"), prefixed=False),
    ]


def insurer_principal(code: str) -> str:
    return f"insurer-{t.check_insurer_code(code)}"


def _to_kafka_acls(grants: Iterable[Grant]) -> list:
    from kafka.admin import (
        ACL,
        ACLOperation,
        ACLPermissionType,
        ACLResourcePatternType,
        ResourcePattern,
        ResourceType,
    )

    out = []
    for g in grants:
        rtype = {"topic": ResourceType.TOPIC, "group": ResourceType.GROUP,
                 "cluster": ResourceType.CLUSTER, "transactional_id": ResourceType.TRANSACTIONAL_ID}[g.resource]
        pattern = ACLResourcePatternType.PREFIXED if g.prefixed else ACLResourcePatternType.LITERAL
        for op in g.operations:
            out.append(ACL(
                principal=f"User:{g.principal}", host="*", operation=ACLOperation[op],
                permission_type=ACLPermissionType.ALLOW,
                resource_pattern=ResourcePattern(rtype, g.name, pattern),
            ))
    return out


def _acl_key(acl) -> tuple:
    rp = acl.resource_pattern
    return (acl.principal, int(acl.operation), int(rp.resource_type), rp.resource_name, int(rp.pattern_type))


def apply_grants(grants: Iterable[Grant], cfg: Settings | None = None, wait_s: float = 15.0) -> int:
    """Create the ACLs and wait until the broker's authorizer answers with them.

    ACLs reach the authorizer asynchronously through the metadata log; a client that connects
    right after ``create_acls`` returns can still be refused, so wait until DescribeAcls (served
    from the same authorizer data) lists every one.
    """
    from kafka.admin import (
        ACLFilter,
        ACLOperation,
        ACLPermissionType,
        ACLResourcePatternType,
        ResourcePatternFilter,
        ResourceType,
    )

    from medshare.kafka import admin

    acls = _to_kafka_acls(grants)
    wanted = {_acl_key(a) for a in acls}
    everything = ACLFilter(
        principal=None, host=None, operation=ACLOperation.ANY, permission_type=ACLPermissionType.ALLOW,
        resource_pattern=ResourcePatternFilter(ResourceType.ANY, None, ACLResourcePatternType.ANY),
    )
    client = admin(cfg=cfg)
    try:
        result = client.create_acls(acls)
        if result["failed"]:
            raise BrokerError(f"creating ACLs failed: {result['failed'][:3]}")
        deadline = time.monotonic() + wait_s
        while True:
            present = {_acl_key(a) for a in client.describe_acls(everything)[0]}
            if wanted <= present:
                break
            if time.monotonic() > deadline:
                raise BrokerError(f"{len(wanted - present)} ACL(s) not visible after {wait_s:.0f}s")
            time.sleep(0.2)
    finally:
        client.close()
    return len(acls)


def ensure_topics(specs: Iterable[t.TopicSpec], cfg: Settings | None = None) -> list[str]:
    """Create the topics that do not exist yet; return the names created."""
    from medshare.kafka import admin

    specs = list(specs)
    client = admin(cfg=cfg)
    try:
        existing = set(client.list_topics())
        new = {}
        for spec in specs:
            if spec.name in existing:
                continue
            configs = {}
            if spec.retention_ms is not None:
                configs["retention.ms"] = str(spec.retention_ms)
            if spec.compact:
                configs["cleanup.policy"] = "compact"
            new[spec.name] = {"num_partitions": spec.partitions, "replication_factor": 1, "configs": configs}
        if new:
            client.create_topics(new, wait_for_metadata=True)
        return sorted(new)
    finally:
        client.close()


def ensure_core(cfg: Settings | None = None) -> list[str]:
    """Pipeline topics and the core principals' ACLs; returns the topics created."""
    cfg = cfg or settings()
    created = ensure_topics(t.pipeline_topic_specs(cfg.partitions), cfg)
    apply_grants(core_grants(), cfg)
    return created


def upsert_scram_user(name: str, password: str, cfg: Settings | None = None) -> None:
    from kafka.admin import ScramMechanism, UserScramCredentialUpsertion

    from medshare.kafka import admin

    mech = ScramMechanism[(cfg or settings()).sasl_mechanism.replace("-", "_")]
    client = admin(cfg=cfg)
    try:
        errors = client.alter_user_scram_credentials([UserScramCredentialUpsertion(name, mech, password)])
    finally:
        client.close()
    if errors.get(name):
        raise BrokerError(f"creating SCRAM user {name!r} failed: {errors[name]}")
