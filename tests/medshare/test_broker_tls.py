"""TLS on every connection to the local broker: the certificates it is given, clients that must verify
them, and a non-Python client (librdkafka) that connects with nothing but a bundle's fields."""

from __future__ import annotations

import json
import logging
import os
import socket
import ssl
import stat
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kafka import errors as kerr

from medshare import kafka as mk
from medshare import topics as t

pytestmark = pytest.mark.integration

MEDSHARE = str(Path(sys.executable).with_name("medshare"))
BUNDLE_FIELDS = {"bootstrap_servers", "security_protocol", "ssl_cafile", "sasl_mechanism", "username", "password"}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _host_port(cfg) -> tuple[str, int]:
    host, port = cfg.bootstrap.split(",")[0].rsplit(":", 1)
    return host, int(port)


# --- the certificates -----------------------------------------------------------------------------
def test_local_ca_and_broker_certificate(kafka_broker):
    from cryptography import x509

    from medshare import tls

    cfg = kafka_broker
    d = cfg.tls_dir
    assert _mode(d / "ca.pem") == 0o644, "the CA certificate is for every client to read"
    for secret in ("ca.key", "broker.key"):
        assert _mode(d / secret) == 0o600, secret
    ca = x509.load_pem_x509_certificate((d / "ca.pem").read_bytes())
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    broker_cert = x509.load_pem_x509_certificates((d / "broker.pem").read_bytes())[0]
    broker_cert.verify_directly_issued_by(ca)
    san = broker_cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    names = {str(n) for n in san.get_values_for_type(x509.IPAddress)} | set(san.get_values_for_type(x509.DNSName))
    assert names == {"127.0.0.1", "localhost"}  # kafka_host is 127.0.0.1 here
    # made once: asking again changes nothing
    before = {p.name: p.read_bytes() for p in d.iterdir()}
    tls.ensure_broker_certificate(cfg)
    assert {p.name: p.read_bytes() for p in d.iterdir()} == before


def test_broker_certificate_is_reissued_for_a_new_host_name(tmp_path):
    """A name the certificate does not cover gets a new certificate from the same CA."""
    from cryptography import x509

    from medshare import tls
    from medshare.config import Settings

    cfg = Settings(home=tmp_path, kafka_port=24592, kafka_controller_port=24593)
    first = tls.ensure_broker_certificate(cfg)
    ca_before = first.ca_pem.read_bytes()
    other = Settings(home=tmp_path, kafka_host="broker.medshare.internal", kafka_port=24592,
                     kafka_controller_port=24593)
    second = tls.ensure_broker_certificate(other)
    assert second.ca_pem.read_bytes() == ca_before
    cert = x509.load_pem_x509_certificates(second.cert_pem.read_bytes())[0]
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "broker.medshare.internal" in san.get_values_for_type(x509.DNSName)


def test_server_properties_have_no_plaintext_listener(kafka_broker):
    from medshare.broker import cluster_nodes

    node = cluster_nodes(kafka_broker)[0]
    props = dict(line.split("=", 1) for line in node.properties.read_text().splitlines()
                 if "=" in line and not line.startswith("#"))
    protocols = dict(item.split(":") for item in props["listener.security.protocol.map"].split(","))
    assert set(protocols.values()) == {"SASL_SSL"}
    for listener in props["listeners"].split(","):
        assert protocols[listener.split("://")[0]] == "SASL_SSL"
    assert props["ssl.enabled.protocols"] == "TLSv1.3,TLSv1.2"
    assert _mode(node.properties) == 0o600


# --- clients that do not verify are refused ---------------------------------------------------------
def test_bundle_carries_what_any_client_needs(kafka_broker):
    proc = subprocess.run([MEDSHARE, "broker", "credentials", "pipeline", "--json"], capture_output=True,
                          text=True, timeout=60, env=os.environ.copy())
    assert proc.returncode == 0, proc.stderr
    b = json.loads(proc.stdout)
    assert BUNDLE_FIELDS <= set(b)
    assert b["security_protocol"] == "SASL_SSL" and b["sasl_mechanism"] == "SCRAM-SHA-512"
    assert Path(b["ssl_cafile"]) == kafka_broker.tls_dir / "ca.pem" and Path(b["ssl_cafile"]).is_file()


def test_plaintext_client_is_refused(kafka_broker):
    from kafka import KafkaConsumer

    b = mk.bundle("pipeline", kafka_broker)
    b["security_protocol"] = "SASL_PLAINTEXT"
    with pytest.raises(kerr.KafkaError):
        c = KafkaConsumer(**mk.client_config(b), bootstrap_timeout_ms=6000, request_timeout_ms=6000)
        try:
            c.topics()
        finally:
            c.close()


def test_plaintext_request_gets_no_kafka_answer(kafka_broker):
    """An ApiVersions request in clear: the TLS listener closes the connection, it never answers."""
    host, port = _host_port(kafka_broker)
    client_id = b"plain"
    body = struct.pack(">hhih", 18, 0, 1, len(client_id)) + client_id  # ApiVersions v0, correlation 1
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(struct.pack(">i", len(body)) + body)
        s.settimeout(10)
        try:
            data = s.recv(4096)
        except (ConnectionResetError, TimeoutError):
            data = b""
    # a TLS alert, or nothing: never a Kafka response (length prefix + correlation id 1)
    assert not (len(data) >= 8 and struct.unpack(">i", data[4:8])[0] == 1), data[:32]


def test_tls_client_without_the_ca_is_refused(kafka_broker):
    from kafka import KafkaConsumer

    b = mk.bundle("pipeline", kafka_broker)
    b["ssl_cafile"] = None  # the system trust store does not know the local CA
    with pytest.raises(kerr.KafkaError):
        c = KafkaConsumer(**mk.client_config(b), bootstrap_timeout_ms=6000, request_timeout_ms=6000)
        try:
            c.topics()
        finally:
            c.close()


def test_broker_host_name_is_verified(kafka_broker):
    """The certificate names the broker's host only: a TLS client expecting another name refuses it,
    one expecting 127.0.0.1 or localhost accepts it (over TLS 1.2 and 1.3)."""
    host, port = _host_port(kafka_broker)
    ctx = ssl.create_default_context(cafile=str(kafka_broker.cafile))
    with socket.create_connection((host, port), timeout=10) as raw:
        with pytest.raises(ssl.SSLCertVerificationError, match="match|mismatch"):
            with ctx.wrap_socket(raw, server_hostname="kafka.example.invalid"):
                pass
    for name, version in (("127.0.0.1", ssl.TLSVersion.TLSv1_3), ("localhost", ssl.TLSVersion.TLSv1_2)):
        ctx = ssl.create_default_context(cafile=str(kafka_broker.cafile))
        ctx.maximum_version = version
        with socket.create_connection((host, port), timeout=10) as raw:
            with ctx.wrap_socket(raw, server_hostname=name) as s:
                assert s.version() == {ssl.TLSVersion.TLSv1_3: "TLSv1.3", ssl.TLSVersion.TLSv1_2: "TLSv1.2"}[version]


def test_every_medshare_client_verifies(kafka_broker):
    cfg = kafka_broker
    conf = mk.client_config(mk.bundle("pipeline", cfg))
    assert conf["security_protocol"] == "SASL_SSL"
    assert conf["ssl_check_hostname"] is True and conf["ssl_cafile"] == str(cfg.tls_dir / "ca.pem")


# --- librdkafka with only a bundle ------------------------------------------------------------------
def _rdkafka_conf(b: dict) -> dict:
    """librdkafka's settings from the bundle's fields and nothing else."""
    return {
        "bootstrap.servers": b["bootstrap_servers"],
        "security.protocol": b["security_protocol"],
        "ssl.ca.location": b["ssl_cafile"],
        "sasl.mechanism": b["sasl_mechanism"],
        "sasl.username": b["username"],
        "sasl.password": b["password"],
        "logger": logging.getLogger("librdkafka"),
    }


def _rd_read(conf: dict, topic: str, group: str, timeout_s: float = 30.0):
    """Subscribe with librdkafka and return (messages, errors) until one message or an error arrives."""
    from confluent_kafka import Consumer

    c = Consumer({**conf, "group.id": group, "auto.offset.reset": "earliest", "enable.auto.commit": False,
                  "isolation.level": "read_committed"})
    got, errs = [], []
    try:
        c.subscribe([topic])
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and not got and not errs:
            m = c.poll(0.5)
            if m is None:
                continue
            (errs if m.error() else got).append(m.error() or m)
        if got:
            c.commit(asynchronous=False)
    finally:
        c.close()
    return got, errs


@pytest.fixture(scope="module")
def rd_insurers(kafka_broker):
    """Two insurers onboarded through the CLI, and one record on each one's claims topic."""
    bundles = {}
    for code in ("rdk1", "rdk2"):
        proc = subprocess.run([MEDSHARE, "insurer", "onboard", code, "--json"], capture_output=True, text=True,
                              timeout=120, env=os.environ.copy())
        assert proc.returncode == 0, proc.stderr[-2000:]
        bundles[code] = json.loads(proc.stdout)
    prod = mk.producer("pipeline", cfg=kafka_broker)
    try:
        for code in bundles:
            prod.send(t.insurer_claims(code), key=b"k", value=json.dumps({"for": code}).encode()).get(timeout=30)
    finally:
        prod.close()
    return bundles


def test_librdkafka_reads_its_own_topic_with_only_the_bundle(rd_insurers, unique):
    b = rd_insurers["rdk1"]
    assert BUNDLE_FIELDS <= set(b) and b["security_protocol"] == "SASL_SSL"
    got, errs = _rd_read(_rdkafka_conf(b), b["topics"]["claims"], f"{b['group_prefix']}{unique}")
    assert not errs, errs
    assert json.loads(got[0].value()) == {"for": "rdk1"}


def test_librdkafka_is_refused_what_the_principal_may_not_read(rd_insurers, unique):
    from confluent_kafka import KafkaError

    b = rd_insurers["rdk1"]
    conf = _rdkafka_conf(b)
    for topic in (t.insurer_claims("rdk2"), t.PLATFORM_SETTLEMENTS):
        got, errs = _rd_read(conf, topic, f"{b['group_prefix']}{unique}")
        assert not got
        assert errs and errs[0].code() == KafkaError.TOPIC_AUTHORIZATION_FAILED, errs
    # another insurer's consumer group, on its own topic
    got, errs = _rd_read(conf, b["topics"]["claims"], f"{rd_insurers['rdk2']['group_prefix']}{unique}")
    assert not got and errs and errs[0].code() == KafkaError.GROUP_AUTHORIZATION_FAILED, errs


def test_librdkafka_without_the_ca_cannot_connect(rd_insurers):
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient

    conf = _rdkafka_conf(rd_insurers["rdk1"])
    del conf["ssl.ca.location"]
    with pytest.raises(KafkaException):
        AdminClient(conf).list_topics(timeout=8)
