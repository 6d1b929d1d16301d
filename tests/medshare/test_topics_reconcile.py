"""`topics ensure` on topics that already exist: configs are set in place, what cannot change in place
(partition count, replication factor) is reported with its fix, and a second run changes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from medshare import acls
from medshare import kafka as mk
from medshare import topics as t

pytestmark = pytest.mark.integration

MEDSHARE = str(Path(sys.executable).with_name("medshare"))


def _configs(cfg, topic: str, keys: list[str]) -> dict[str, str]:
    from kafka.admin import ConfigResource

    client = mk.admin(cfg=cfg)
    try:
        got = client.describe_configs([ConfigResource("topic", topic, keys)], config_filter="all")["topic"][topic]
    finally:
        client.close()
    return {k: v["value"] for k, v in got.items()}


@pytest.fixture
def drifted(kafka_broker, unique):
    """A topic made by hand the way an older medshare (or an operator) left it."""
    name = f"pipeline.drift-{unique}.v1"
    client = mk.admin(cfg=kafka_broker)
    try:
        client.create_topics({name: {"num_partitions": 1, "replication_factor": 1, "configs": {
            "retention.ms": "3600000", "unclean.leader.election.enable": "true"}}}, wait_for_metadata=True)
    finally:
        client.close()
    yield name
    client = mk.admin(cfg=kafka_broker)
    try:
        client.delete_topics([name])
    finally:
        client.close()


def test_existing_topic_configs_are_reconciled(kafka_broker, drifted):
    cfg = kafka_broker
    spec = t.TopicSpec(drifted, 2, retention_ms=-1)
    report = acls.ensure_topics([spec], cfg)
    assert report.created == []
    assert report.altered[drifted] == {"retention.ms": ["3600000", "-1"],
                                       "unclean.leader.election.enable": ["true", "false"]}
    assert _configs(cfg, drifted, ["retention.ms", "unclean.leader.election.enable", "min.insync.replicas"]) == {
        "retention.ms": "-1", "unclean.leader.election.enable": "false", "min.insync.replicas": "1"}
    # the partition count is reported with its fix, not changed
    [drift] = report.drift
    assert (drift["setting"], drift["have"], drift["want"]) == ("partitions", 1, 2)
    assert f"--alter --topic {drifted} --partitions 2" in drift["fix"]
    again = acls.ensure_topics([spec], cfg)
    assert again.altered == {} and len(again.drift) == 1


def test_replication_factor_drift_is_reported_with_its_fix(kafka_broker, drifted):
    """Asked for replication factor 3 on a one-broker cluster: said plainly, min ISR kept at the
    topic's real replica count so writes still go through."""
    cfg = kafka_broker.model_copy(update={"replication_factor": 3, "min_insync_replicas": 2})
    report = acls.ensure_topics([t.TopicSpec(drifted, 1)], cfg)
    [drift] = report.drift
    assert (drift["setting"], drift["have"], drift["want"]) == ("replication_factor", 1, 3)
    assert "needs 3 brokers; the cluster has 1" in drift["fix"]
    assert _configs(cfg, drifted, ["min.insync.replicas"]) == {"min.insync.replicas": "1"}


def test_topics_ensure_cli_reports_and_strict_fails_on_drift(kafka_broker, drifted):
    env = {**os.environ, "MEDSHARE_PARTITIONS": str(kafka_broker.partitions)}
    ok = subprocess.run([MEDSHARE, "topics", "ensure", "--json"], capture_output=True, text=True, timeout=120, env=env)
    assert ok.returncode == 0, ok.stderr
    out = json.loads(ok.stdout)
    assert out["replication_factor"] == 1 and out["min_insync_replicas"] == 1 and out["drift"] == []
    # a wanted partition count the existing topics do not have: reported, and --strict exits 1
    env["MEDSHARE_PARTITIONS"] = str(kafka_broker.partitions + 1)
    strict = subprocess.run([MEDSHARE, "topics", "ensure", "--strict"], capture_output=True, text=True,
                            timeout=120, env=env)
    assert strict.returncode == 1
    assert f"{t.PLATFORM_SETTLEMENTS} partitions is {kafka_broker.partitions}" in strict.stderr
    assert "co-partitioned" in strict.stderr
