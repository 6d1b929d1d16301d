"""Topics, SCRAM users and ACLs: what each principal may do, enforced by the broker.

The broker denies everything no ACL allows (``allow.everyone.if.no.acl.found=false``); this module
is the one place that grants. All operations are idempotent, so ``broker start`` and
``insurer onboard`` can run again safely.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

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


@dataclass
class TopicReport:
    """What ``ensure_topics`` did and what it could not do.

    ``altered``: ``{topic: {config: [old, new]}}`` changed in place. ``drift``: what differs from the
    specification and cannot be changed in place — ``{"topic", "setting", "have", "want", "fix"}``,
    ``fix`` naming the command that would.
    """

    created: list[str] = field(default_factory=list)
    altered: dict[str, dict[str, list[str | None]]] = field(default_factory=dict)
    drift: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "altered": self.altered, "drift": self.drift}


def topic_configs(spec: t.TopicSpec, cfg: Settings, replication: int | None = None) -> dict[str, str]:
    """The topic-level configs medshare sets on ``spec``'s topic.

    ``min.insync.replicas`` never exceeds the topic's replication factor (``replication``, default
    the configured one): a topic whose replicas are fewer than its min ISR refuses every write.
    """
    rf = replication if replication is not None else cfg.topic_replication
    configs = {
        "min.insync.replicas": str(min(cfg.topic_min_isr, rf)),
        # a replica that was not in sync must never become leader: it would drop acknowledged writes
        "unclean.leader.election.enable": "false",
    }
    if spec.retention_ms is not None:
        configs["retention.ms"] = str(spec.retention_ms)
    if spec.compact:
        configs["cleanup.policy"] = "compact"
    return configs


def _admin_command(tool: str, cfg: Settings) -> str:
    return (f"kafka-{tool}.sh --bootstrap-server {cfg.bootstrap.split(',')[0]} "
            "--command-config admin.properties")


def _drift(spec: t.TopicSpec, described: dict[str, Any], brokers: list[int], cfg: Settings) -> list[dict[str, Any]]:
    """Partition count and replication factor of an existing topic against ``spec``: what differs,
    with the command that fixes it (neither is changed here: see each ``fix``)."""
    out: list[dict[str, Any]] = []
    parts = described["partitions"]
    have_parts = len(parts)
    if have_parts != spec.partitions:
        if have_parts < spec.partitions:
            fix = (f"{_admin_command('topics', cfg)} --alter --topic {spec.name} --partitions {spec.partitions}"
                   "  # moves keys to other partitions: stop the processors, drain, and grow every "
                   "co-partitioned topic (platform.*, lab.*, insurer.*.claims) to the same count together")
        else:
            fix = (f"partitions cannot be removed: set MEDSHARE_PARTITIONS={have_parts}, or delete and "
                   f"recreate {spec.name} (its data is lost)")
        out.append({"topic": spec.name, "setting": "partitions", "have": have_parts, "want": spec.partitions,
                    "fix": fix})
    want_rf = cfg.topic_replication
    rfs = sorted({len(p["replica_nodes"]) for p in parts})
    if rfs and rfs != [want_rf]:
        if want_rf > len(brokers):
            fix = f"replication factor {want_rf} needs {want_rf} brokers; the cluster has {len(brokers)}"
        else:
            plan = {"version": 1, "partitions": [
                {"topic": spec.name, "partition": p["partition_index"],
                 "replicas": [brokers[(p["partition_index"] + k) % len(brokers)] for k in range(want_rf)]}
                for p in sorted(parts, key=lambda x: x["partition_index"])]}
            fix = (f"echo '{json.dumps(plan, separators=(',', ':'))}' > reassign.json && "
                   f"{_admin_command('reassign-partitions', cfg)} --reassignment-json-file reassign.json --execute"
                   "  # then --verify; afterwards `medshare topics ensure` raises min.insync.replicas")
        out.append({"topic": spec.name, "setting": "replication_factor",
                    "have": rfs[0] if len(rfs) == 1 else rfs, "want": want_rf, "fix": fix})
    return out


def ensure_topics(specs: Iterable[t.TopicSpec], cfg: Settings | None = None) -> TopicReport:
    """Create the topics that do not exist yet and reconcile the configs of those that do.

    New topics get ``cfg.topic_replication`` replicas and :func:`topic_configs`. Existing topics get
    the same configs set in place (IncrementalAlterConfigs, only the keys that differ); a partition
    count or replication factor that differs is reported in ``drift`` with its fix, never changed.
    """
    from kafka.admin import AlterConfigOp, ConfigResource

    from medshare.kafka import admin

    cfg = cfg or settings()
    specs = list(specs)
    report = TopicReport()
    client = admin(cfg=cfg)
    try:
        existing = set(client.list_topics())
        new = {}
        for spec in specs:
            if spec.name in existing:
                continue
            new[spec.name] = {"num_partitions": spec.partitions, "replication_factor": cfg.topic_replication,
                              "configs": topic_configs(spec, cfg)}
        if new:
            client.create_topics(new, wait_for_metadata=True)
            report.created = sorted(new)
        old = [s for s in specs if s.name in existing]
        if not old:
            return report
        described = {d["name"]: d for d in client.describe_topics([s.name for s in old])}
        brokers = sorted(b["broker_id"] for b in client.describe_cluster()["brokers"] if not b.get("is_fenced"))
        wanted: dict[str, dict[str, str]] = {}
        for spec in old:
            d = described[spec.name]
            report.drift += _drift(spec, d, brokers, cfg)
            actual_rf = min((len(p["replica_nodes"]) for p in d["partitions"]), default=cfg.topic_replication)
            wanted[spec.name] = topic_configs(spec, cfg, replication=actual_rf)
        current = client.describe_configs(
            [ConfigResource("topic", name, list(conf)) for name, conf in wanted.items()],
            config_filter="all")["topic"]
        changes = []
        for name, conf in wanted.items():
            have = {k: (v or {}).get("value") for k, v in current.get(name, {}).items()}
            diff = {k: v for k, v in conf.items() if have.get(k) != v}
            if diff:
                report.altered[name] = {k: [have.get(k), v] for k, v in diff.items()}
                changes.append(ConfigResource("topic", name, {k: (AlterConfigOp.SET, v) for k, v in diff.items()}))
        if changes:
            result = client.alter_configs(changes, incremental=True)
            failed = {n: r for n, r in (result.get("topic") or {}).items() if r != "OK"}
            if failed:
                raise BrokerError(f"changing topic configs failed: {failed}")
        return report
    finally:
        client.close()


def ensure_core(cfg: Settings | None = None) -> list[str]:
    """Pipeline topics and the core principals' ACLs; returns the topics created."""
    cfg = cfg or settings()
    report = ensure_topics(t.pipeline_topic_specs(cfg.partitions), cfg)
    apply_grants(core_grants(), cfg)
    return report.created


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
