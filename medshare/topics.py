"""Topic names, one place for all of medshare (see docs/conventions.md).

Names are ``<owner>.<dataset>.v<major>``; the major version changes only with a breaking
contract change (``medshare contracts diff`` enforces it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: settlements in the national interface's vocabulary (2207/2204/2203, 2208 revocations on the same
#: topic): the simulator and ``medshare platform ingest`` publish them (docs/platform-interface.md)
PLATFORM_SETTLEMENTS = "platform.settlements.v2"
PLATFORM_SETTLEMENTS_V2 = PLATFORM_SETTLEMENTS
#: the retired v1 topic (medshare's own invention): nothing produces or reads it any more; a
#: deployment drains it with the previous release before starting this one (docs/platform-interface.md)
PLATFORM_SETTLEMENTS_V1 = "platform.settlements.v1"
PLATFORM_EMR_NOTES = "platform.emr-notes.v1"
PLATFORM_CONSENTS = "platform.consents.v1"
#: 投保/退保 events (who holds which insurer product); co-partitioned with the settlements (see below)
PLATFORM_ENROLMENTS = "platform.enrolments.v1"
LAB_SETTLEMENTS = "lab.settlements.v1"
#: de-identified settlements and settlement revocations from platform.settlements.v2 (docs/lab.md):
#: what the de-identifier writes since the platform speaks the national interface
LAB_SETTLEMENTS_V2 = "lab.settlements.v2"
LAB_EMR_NOTES = "lab.emr-notes.v1"
QUARANTINE = "pipeline.quarantine.v1"
AUDIT = "governance.audit.v1"
#: the disclosure log's signed tree heads (RFC 9162), a copy outside the audit store (docs/audit.md)
AUDIT_TREE_HEADS = "governance.audit-tree-heads.v1"
LINEAGE = "governance.lineage.v1"

PLATFORM_TOPICS = (PLATFORM_SETTLEMENTS, PLATFORM_EMR_NOTES, PLATFORM_CONSENTS, PLATFORM_ENROLMENTS)
GOVERNANCE_TOPICS = (AUDIT, AUDIT_TREE_HEADS, LINEAGE)

#: an insurer code: lowercase letters and digits, 2-16 long, starting with a letter
INSURER_CODE = re.compile(r"^[a-z][a-z0-9]{1,15}$")


def check_insurer_code(code: str) -> str:
    """Return ``code`` if it is a valid insurer code, else raise ``ValueError`` saying why."""
    if not INSURER_CODE.match(code):
        raise ValueError(
            f"insurer code {code!r} is invalid: use 2-16 lowercase letters/digits starting with a letter"
        )
    return code


def insurer_claims(code: str) -> str:
    return f"insurer.{check_insurer_code(code)}.claims.v1"


def insurer_marts(code: str) -> str:
    return f"insurer.{check_insurer_code(code)}.marts.v1"


def insurer_erasure(code: str) -> str:
    """Erasure requests to the insurer (PIPL Art. 47): the pipeline writes, the insurer reads."""
    return f"insurer.{check_insurer_code(code)}.erasure.v1"


def insurer_erasure_acks(code: str) -> str:
    """The insurer's acknowledgements of erasure requests: the insurer writes, the pipeline reads."""
    return f"insurer.{check_insurer_code(code)}.erasure-acks.v1"


def insurer_topics(code: str) -> tuple[str, ...]:
    return (insurer_claims(code), insurer_marts(code))


def insurer_group_prefix(code: str) -> str:
    """Consumer groups an insurer may use start with this prefix.

    The trailing dash matters: without it, insurer ``ab`` could join the groups of insurer ``abc``.
    """
    return f"insurer-{check_insurer_code(code)}-"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    retention_ms: int | None = None  # None: broker default
    compact: bool = False


def pipeline_topic_specs(partitions: int) -> list[TopicSpec]:
    """The topics every deployment has, with partition counts that let processors scale out.

    Settlements, notes and enrolments are keyed by ``person_no`` and must keep the same partition
    count: the router reads settlements and notes, the claims processor settlements and enrolments,
    as co-partitioned inputs (one person's events of both topics on the same partition number).
    """
    week = 7 * 24 * 3600 * 1000
    return [
        TopicSpec(PLATFORM_SETTLEMENTS, partitions),
        TopicSpec(PLATFORM_EMR_NOTES, partitions),
        TopicSpec(PLATFORM_CONSENTS, partitions),
        TopicSpec(PLATFORM_ENROLMENTS, partitions),
        TopicSpec(LAB_SETTLEMENTS, partitions),
        TopicSpec(LAB_SETTLEMENTS_V2, partitions),
        TopicSpec(LAB_EMR_NOTES, partitions),
        TopicSpec(QUARANTINE, max(1, partitions // 2), retention_ms=-1),
        # the disclosure log is kept forever: it is the compliance record
        TopicSpec(AUDIT, max(1, partitions // 2), retention_ms=-1),
        # its signed tree heads, in order on one partition, kept as long as the log
        TopicSpec(AUDIT_TREE_HEADS, 1, retention_ms=-1),
        TopicSpec(LINEAGE, 1, retention_ms=4 * week),
    ]


def insurer_topic_specs(code: str, partitions: int) -> list[TopicSpec]:
    """An insurer's topics; the retention of claims/marts comes from its agreement (medshare.retention)."""
    return [TopicSpec(insurer_claims(code), partitions), TopicSpec(insurer_marts(code), 1),
            # requests and acknowledgements are the compliance record of erasure: kept
            TopicSpec(insurer_erasure(code), 1, retention_ms=-1),
            TopicSpec(insurer_erasure_acks(code), 1, retention_ms=-1)]
