"""docker-compose.yml: the multi-service deployment keeps the local broker's security, holds no secret,
and is a valid Compose file (scripts/compose-check.sh, with the real Docker Compose)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
CHECK = ROOT / "scripts" / "compose-check.sh"

PROCESSORS = ("consent-sync", "router", "deidentify", "lab-sink", "audit-sink", "claims")
KAFKA = ("kafka-1", "kafka-2", "kafka-3")
BOOTSTRAP = "kafka-1:9092,kafka-2:9092,kafka-3:9092"
AIRFLOW = ("airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer")
#: broker settings that make up the security model; compose must match medshare/broker.py on each
SECURITY_KEYS = (
    "process.roles",
    "controller.listener.names",
    "inter.broker.listener.name",
    "sasl.enabled.mechanisms",
    "sasl.mechanism.inter.broker.protocol",
    "sasl.mechanism.controller.protocol",
    "listener.name.controller.sasl.enabled.mechanisms",
    "authorizer.class.name",
    "allow.everyone.if.no.acl.found",
    "super.users",
    "auto.create.topics.enable",
    "ssl.protocol",
    "ssl.enabled.protocols",
    "ssl.client.auth",
    "ssl.endpoint.identification.algorithm",
    "ssl.keystore.type",
    "ssl.truststore.type",
    "unclean.leader.election.enable",
)
#: replication: a three-node cluster's settings, as medshare/broker.py writes them for --nodes 3
REPLICATION_KEYS = (
    "default.replication.factor",
    "min.insync.replicas",
    "offsets.topic.replication.factor",
    "transaction.state.log.replication.factor",
    "transaction.state.log.min.isr",
    "share.coordinator.state.topic.replication.factor",
    "share.coordinator.state.topic.min.isr",
)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def _script(compose: dict, name: str) -> str:
    """A config's script as the container sees it (Compose turns $$ into $)."""
    return compose["configs"][name]["content"].replace("$$", "$")


def _properties(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            out[key] = value
    return out


def _broker_properties(compose: dict) -> dict[str, str]:
    """The server.properties the kafka-start script writes (the heredoc)."""
    script = _script(compose, "kafka-start")
    body = re.search(r'cat > "\$conf/server\.properties" <<EOF\n(.*?)\nEOF\n', script, re.S)
    assert body, "kafka-start no longer writes server.properties from a heredoc"
    return _properties(body.group(1))


def _strings(node, path=""):
    """Every (path, string) in the document, mapping keys included."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield f"{path}/{k}", str(k)
            yield from _strings(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def _variables(compose: dict) -> set[str]:
    text = "\n".join(s for _, s in _strings(compose)).replace("$$", "")
    used = set(re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", text))
    return used | {s["environment"] for s in compose["secrets"].values() if "environment" in s}


def _env_example() -> dict[str, str]:
    return dict(re.findall(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", ENV_EXAMPLE.read_text(), re.M))


# --- Kafka: three nodes, the same security as the local broker ---------------------------------
def _local_cluster_properties() -> dict[str, str]:
    from medshare.broker import _server_properties, cluster_nodes
    from medshare.config import Settings

    cfg = Settings(kafka_nodes=3)
    nodes = cluster_nodes(cfg)
    tls = {"ssl.keystore.type": "PEM", "ssl.truststore.type": "PEM"}
    return _properties(_server_properties(cfg, "not-a-password", nodes[0], nodes, tls))


def test_kafka_is_three_official_images_in_kraft_combined_mode(services):
    voters = set()
    for i, name in enumerate(KAFKA, start=1):
        kafka = services[name]
        assert kafka["image"] == "apache/kafka:4.3.1"
        assert kafka["hostname"] == name
        assert f"{name}-data:/var/lib/kafka/data" in kafka["volumes"]
        assert kafka["healthcheck"]["test"]
        assert kafka["environment"]["MS_NODE_ID"] == str(i)
        voters.add(kafka["environment"]["MS_VOTERS"])
    assert voters == {"1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093"}


def test_kafka_security_matches_the_local_broker(compose):
    local = _local_cluster_properties()
    deployed = _broker_properties(compose)
    assert {k: deployed.get(k) for k in SECURITY_KEYS} == {k: local[k] for k in SECURITY_KEYS}
    assert deployed["allow.everyone.if.no.acl.found"] == "false"
    assert deployed["sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
    assert deployed["authorizer.class.name"] == "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
    assert deployed["super.users"] == "User:admin"
    assert deployed["ssl.enabled.protocols"] == "TLSv1.3,TLSv1.2"


def test_kafka_replication_matches_a_local_three_node_cluster(compose):
    local = _local_cluster_properties()
    deployed = _broker_properties(compose)
    assert {k: deployed.get(k) for k in REPLICATION_KEYS} == {k: local[k] for k in REPLICATION_KEYS}
    assert (deployed["default.replication.factor"], deployed["min.insync.replicas"]) == ("3", "2")
    assert deployed["unclean.leader.election.enable"] == "false"


def test_every_kafka_listener_requires_tls_and_sasl(compose):
    props = _broker_properties(compose)
    protocols = dict(item.split(":") for item in props["listener.security.protocol.map"].split(","))
    listeners = [entry.split("://")[0] for entry in props["listeners"].split(",")]
    assert listeners and all(protocols[name] == "SASL_SSL" for name in listeners)
    for name in listeners:
        if name != "CONTROLLER":
            assert f"listener.name.{name.lower()}.scram-sha-512.sasl.jaas.config" in props
    # the certificate and key come from Compose secrets, the CA is the truststore
    assert props["ssl.truststore.location"] == "/run/secrets/kafka_ca"
    script = _script(compose, "kafka-start")
    assert "pem kafka_broker_cert" in script and "pem kafka_broker_key" in script


def test_kafka_storage_is_formatted_with_the_core_scram_users(compose):
    from medshare.kafka import CORE_PRINCIPALS

    script = _script(compose, "kafka-start")
    assert "--standalone" not in script  # a static three-voter quorum
    for name in CORE_PRINCIPALS:
        assert f'--add-scram "SCRAM-SHA-512=[name={name},password=${name}]"' in script
        for kafka in KAFKA:
            assert f"scram_{name}_password" in compose["services"][kafka]["secrets"]
    for kafka in KAFKA:
        assert {"kafka_ca", "kafka_broker_cert", "kafka_broker_key"} <= set(compose["services"][kafka]["secrets"])


def test_clients_verify_the_brokers_with_the_deployments_ca(services):
    for name, svc in services.items():
        env = svc.get("environment") or {}
        if "MEDSHARE_BOOTSTRAP_SERVERS" not in env:
            continue
        assert env["MEDSHARE_BOOTSTRAP_SERVERS"] == BOOTSTRAP, name
        assert env["MEDSHARE_SECURITY_PROTOCOL"] == "SASL_SSL", name
        assert env["MEDSHARE_SSL_CAFILE"] == "/run/secrets/kafka_ca", name
        assert (env["MEDSHARE_REPLICATION_FACTOR"], env["MEDSHARE_MIN_INSYNC_REPLICAS"]) == ("3", "2"), name
        if name != "airflow-init":  # migrates Airflow's database only; never talks to Kafka
            assert "kafka_ca" in [s if isinstance(s, str) else s["source"] for s in svc["secrets"]], name


def test_kafka_init_ensures_topics_and_onboards_insurers_with_their_public_keys(services, compose):
    init = services["kafka-init"]
    assert init["environment"]["MEDSHARE_BOOTSTRAP_SERVERS"] == BOOTSTRAP
    assert "hhb" in init["environment"]["MEDSHARE_ONBOARD_INSURERS"].split()
    assert {"source": "hhb_public_key", "target": "hhb.pub"} in init["secrets"]
    assert {init["depends_on"][k]["condition"] for k in KAFKA} == {"service_healthy"}
    assert init["restart"] == "no"
    script = _script(compose, "kafka-init")
    assert "medshare topics ensure" in script
    assert 'medshare insurer onboard "$code" --public-key "/run/secrets/$code.pub"' in script


# --- no secret in the file -----------------------------------------------------------------------
SECRET_NAME = re.compile(r"PASSWORD|SECRET|FERNET|TOKEN|_KEY$", re.I)
URL_PASSWORD = re.compile(r"://[^:/@\s]+:([^@\s]*)@")


def test_no_plaintext_secrets_only_variable_references(compose):
    leaks = []
    for svc_name, svc in compose["services"].items():
        env = svc.get("environment") or {}
        assert isinstance(env, dict), f"{svc_name}: environment must be a mapping"
        for key, value in env.items():
            value = str(value)
            if SECRET_NAME.search(key) and not key.endswith("_FILE") and not value.startswith("${"):
                leaks.append(f"{svc_name}: {key}")
    for path, text in _strings(compose):
        for password in URL_PASSWORD.findall(text):
            if not password.startswith("${"):
                leaks.append(f"{path}: password in a URL")
    for name in compose["configs"]:
        content = compose["configs"][name]["content"]
        for m in re.finditer(r'password=\\?"?(.{0,3})', content):
            if not m.group(1).startswith("$$"):
                leaks.append(f"configs/{name}: literal password")
    assert not leaks, leaks
    for name, secret in compose["secrets"].items():
        assert set(secret) <= {"environment", "file"}, f"secret {name} must come from the environment or a file"


def test_env_example_documents_every_variable_and_holds_no_secret(compose):
    documented = _env_example()
    assert _variables(compose) - set(documented) == set()
    for name, value in documented.items():
        if SECRET_NAME.search(name):
            assert value.startswith("CHANGE_ME"), f".env.example: {name} must be a CHANGE_ME placeholder"


def test_startup_scripts_escape_dollars_and_parse(compose, tmp_path):
    for name, config in compose["configs"].items():
        raw = config["content"]
        # an unescaped $ would be interpolated by Compose, blanking the script's own variables
        assert "$" not in raw.replace("$$", ""), f"configs/{name}: write $$ for a literal $"
        script = raw.replace("$$", "$")
        shell = "bash" if script.startswith("#!/usr/bin/env bash") or script.startswith("#!/bin/bash") else "sh"
        path = tmp_path / f"{name}.sh"
        path.write_text(script)
        proc = subprocess.run([shutil.which(shell) or shell, "-n", str(path)], capture_output=True, text=True)
        assert proc.returncode == 0, f"configs/{name}: {proc.stderr}"


# --- services ------------------------------------------------------------------------------------
def test_every_processor_runs_from_the_project_image_after_kafka_init(services):
    from streams.registry import PROCESSORS as REGISTERED

    assert set(PROCESSORS) == set(REGISTERED)
    image = services["kafka-init"]["image"]
    for name in PROCESSORS:
        svc = services[name]
        assert svc["command"][:2] == ["run", name]
        assert svc["image"] == image and svc["build"]["context"] == "."
        assert svc["depends_on"]["kafka-init"]["condition"] == "service_completed_successfully"
        assert svc["environment"]["MEDSHARE_BOOTSTRAP_SERVERS"] == BOOTSTRAP
        assert svc["environment"]["MEDSHARE_HOME"] == "/var/lib/medshare"
        assert "medshare-home:/var/lib/medshare" in svc["volumes"]
        assert svc["restart"] == "unless-stopped" and svc["healthcheck"]["test"]


def test_router_is_scaled_out_within_the_partitions(services):
    replicas = services["router"]["deploy"]["replicas"]
    default_partitions = int(re.search(r":-(\d+)", services["router"]["environment"]["MEDSHARE_PARTITIONS"]).group(1))
    assert 1 < replicas <= default_partitions


def test_airflow_runs_on_postgres_with_the_local_executor(services):
    from medshare.orchestration.lineage import openlineage_env

    for name in AIRFLOW:
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://airflow:${")
        assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "False"
        assert env["AIRFLOW__COSMOS__ENABLE_TELEMETRY"] == "False"
        assert {k: env[k] for k in openlineage_env()} == openlineage_env(), name  # as `medshare airflow` sets it
        assert env["DO_NOT_TRACK"] == "1"
        assert env["MEDSHARE_BOOTSTRAP_SERVERS"] == BOOTSTRAP
        assert env["MEDSHARE_LAB_URL"].startswith("postgresql://")
        assert env["MEDSHARE_STATE_URL"].startswith("postgresql://")
        assert env["MEDSHARE_HOME"] == "/var/lib/medshare"
    for name in AIRFLOW[1:]:
        assert "./dags:/opt/airflow/dags:ro" in services[name]["volumes"]
        assert services[name]["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully"
    assert services["postgres"]["image"] == "postgres:16"
    assert services["postgres"]["healthcheck"]["test"]


def test_only_the_airflow_ui_and_kafka_are_published_on_loopback(services):
    published = {name: svc["ports"] for name, svc in services.items() if svc.get("ports")}
    assert set(published) == {"airflow-apiserver", *KAFKA}
    for ports in published.values():
        assert all(str(p).startswith("127.0.0.1:") for p in ports)


def test_dockerfile_and_dockerignore():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.M)
    assert "pip install -r requirements.lock" in dockerfile
    assert "pip install --no-deps ." in dockerfile
    user = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert user and user[-1] not in ("root", "0")
    assert 'ENTRYPOINT ["medshare"]' in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {"var/", ".cache/", ".venv/", "artifacts/", ".env"} <= set(ignored)


# --- the real check --------------------------------------------------------------------------------
def _run_check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(CHECK), *args], capture_output=True, text=True, timeout=1500)


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_compose_check_accepts_the_deployment():
    """First run builds Docker Compose from the Go module proxy into .cache/ (minutes); then ~1 s."""
    proc = _run_check()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "method: " in proc.stderr and "OK:" in proc.stderr


@pytest.mark.integration
@pytest.mark.timeout(1800)
def test_compose_check_rejects_a_broken_file(tmp_path):
    broken = tmp_path / "docker-compose.yml"
    text = COMPOSE.read_text()
    broken.write_text(text.replace("    kafka-init:\n      condition: service_completed_successfully",
                                   "    kafka-setup:\n      condition: service_completed_successfully", 1))
    proc = _run_check(str(broken))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "kafka-setup" in proc.stderr and "INVALID" in proc.stderr
