"""Kafka settings without a broker: protocol and CA selection, replication defaults, the local
cluster's layout and the server properties each node gets."""

from __future__ import annotations

import json

import pytest

from medshare import broker
from medshare.config import Settings
from medshare.errors import BrokerError


def _props(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))


def test_the_local_broker_speaks_tls_only(tmp_path):
    with pytest.raises(ValueError, match="SASL_SSL only"):
        Settings(home=tmp_path, security_protocol="SASL_PLAINTEXT")
    with pytest.raises(ValueError, match="security protocol"):
        Settings(home=tmp_path, security_protocol="PLAINTEXT", bootstrap_servers="k:9092")
    cfg = Settings(home=tmp_path)
    assert cfg.security_protocol == "SASL_SSL" and cfg.cafile == tmp_path / "tls" / "ca.pem"


def test_external_cluster_ca_and_protocol(tmp_path):
    public_ca = Settings(home=tmp_path, bootstrap_servers="k1:9093,k2:9093")
    assert public_ca.cafile is None  # the system trust store
    own_ca = Settings(home=tmp_path, bootstrap_servers="k1:9093", ssl_cafile=str(tmp_path / "corp-ca.pem"))
    assert own_ca.cafile == tmp_path / "corp-ca.pem"
    no_tls = Settings(home=tmp_path, bootstrap_servers="k1:9092", security_protocol="sasl_plaintext")
    assert no_tls.security_protocol == "SASL_PLAINTEXT" and no_tls.cafile is None
    with pytest.raises(ValueError, match="SASL mechanism"):
        Settings(home=tmp_path, sasl_mechanism="PLAIN")


def test_replication_defaults(tmp_path):
    single = Settings(home=tmp_path)
    assert (single.nodes, single.topic_replication, single.topic_min_isr) == (1, 1, 1)
    three = Settings(home=tmp_path, kafka_nodes=3)
    assert (three.topic_replication, three.topic_min_isr) == (3, 2)
    external = Settings(home=tmp_path, bootstrap_servers="k:9093")
    assert (external.topic_replication, external.topic_min_isr) == (3, 2)
    chosen = Settings(home=tmp_path, bootstrap_servers="k:9093", replication_factor=5, min_insync_replicas=3)
    assert (chosen.topic_replication, chosen.topic_min_isr) == (5, 3)
    with pytest.raises(ValueError, match="exceeds the replication factor"):
        Settings(home=tmp_path, bootstrap_servers="k:9093", replication_factor=2, min_insync_replicas=3)


def test_cluster_layout_is_recorded_and_read_back(tmp_path):
    cfg = Settings(home=tmp_path, kafka_port=24700, kafka_controller_port=24701)
    assert cfg.bootstrap == "127.0.0.1:24700"
    cfg.kafka_dir.mkdir(parents=True)
    (cfg.kafka_dir / "cluster.json").write_text(json.dumps({"nodes": 3}))
    assert cfg.nodes == 3
    assert cfg.bootstrap == "127.0.0.1:24700,127.0.0.1:24702,127.0.0.1:24704"
    assert [(n.id, n.port, n.controller_port, n.dir.name) for n in broker.cluster_nodes(cfg)] == [
        (1, 24700, 24701, "node-1"), (2, 24702, 24703, "node-2"), (3, 24704, 24705, "node-3")]


def test_a_formatted_store_keeps_its_node_count(tmp_path):
    cfg = Settings(home=tmp_path, kafka_port=24710, kafka_controller_port=24711)
    (cfg.kafka_dir / "data").mkdir(parents=True)
    (cfg.kafka_dir / "data" / "meta.properties").write_text("node.id=1\n")
    with pytest.raises(BrokerError, match="formatted for 1 node"):
        broker._layout(cfg, 3)
    assert broker._layout(cfg, None) == 1


def test_cluster_node_properties(tmp_path):
    cfg = Settings(home=tmp_path, kafka_port=24720, kafka_controller_port=24721, kafka_nodes=3)
    nodes = broker.cluster_nodes(cfg)
    tls = {"ssl.keystore.type": "PEM", "ssl.keystore.key": "-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----",
           "ssl.truststore.type": "PEM", "ssl.truststore.location": "/x/ca.pem"}
    props = _props(broker._server_properties(cfg, "pw", nodes[1], nodes, tls))
    assert props["node.id"] == "2"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:24721,2@127.0.0.1:24723,3@127.0.0.1:24725"
    assert props["listeners"] == "SASL_SSL://127.0.0.1:24722,CONTROLLER://127.0.0.1:24723"
    assert set(dict(i.split(":") for i in props["listener.security.protocol.map"].split(",")).values()) == {"SASL_SSL"}
    assert (props["default.replication.factor"], props["min.insync.replicas"]) == ("3", "2")
    assert (props["offsets.topic.replication.factor"], props["transaction.state.log.min.isr"]) == ("3", "2")
    assert props["unclean.leader.election.enable"] == "false"
    # the PEM key sits on one line, its line breaks escaped for the properties format
    assert props["ssl.keystore.key"] == "-----BEGIN PRIVATE KEY-----\\nAAA\\n-----END PRIVATE KEY-----"
    single = _props(broker._server_properties(Settings(home=tmp_path / "one"), "pw"))
    assert "controller.quorum.voters" not in single and single["default.replication.factor"] == "1"


def test_topic_configs_never_ask_more_in_sync_replicas_than_replicas(tmp_path):
    from medshare import acls
    from medshare import topics as t

    cfg = Settings(home=tmp_path, bootstrap_servers="k:9093")
    audit = next(s for s in t.pipeline_topic_specs(6) if s.name == t.AUDIT)
    assert acls.topic_configs(audit, cfg) == {"min.insync.replicas": "2", "unclean.leader.election.enable": "false",
                                              "retention.ms": "-1"}
    # an existing topic with one replica keeps min ISR 1 until it is reassigned
    assert acls.topic_configs(audit, cfg, replication=1)["min.insync.replicas"] == "1"


def test_the_producers_sender_treats_a_lost_coordinator_as_not_ready():
    """kafka-python's sender drops a transactional request when await_ready raises (see
    medshare.kafka._SenderClient); ours answers False, the branch that re-queues it."""
    from kafka.errors import KafkaConnectionError

    from medshare.kafka import _SenderClient

    class Client:
        cluster = "the cluster"

        def await_ready(self, node_id, timeout_ms=30000):
            if node_id == "coordinator-3":
                raise KafkaConnectionError("Node coordinator-3 not ready after 30000 ms")
            return True

    real = Client()
    wrapped = _SenderClient(real)
    assert wrapped.await_ready("coordinator-3") is False
    assert wrapped.await_ready(1) is True
    assert wrapped.cluster == "the cluster"
    wrapped.flag = 1
    assert real.flag == 1


def test_the_log_cleaners_buffer_leaves_the_local_brokers_heap_to_requests(tmp_path):
    """Kafka's default 128 MB cleaner buffer is one live heap object: in the local broker's heap it
    kept G1's old generation above its marking threshold, so each batch's large produce request
    started a concurrent cycle (docs/claims.md, session 9)."""
    import re

    cfg = Settings(home=tmp_path)
    props = _props(broker._server_properties(cfg, "pw"))
    xmx = re.search(r"-Xmx(\d+)([mg])", cfg.kafka_heap)
    heap = int(xmx.group(1)) * (1024 if xmx.group(2) == "g" else 1) * 2**20
    assert int(props["log.cleaner.dedupe.buffer.size"]) <= heap // 20
