"""The broker commands say clearly what failed: port taken, Java missing, Maven unreachable."""

from __future__ import annotations

import os
import socket
import stat

import pytest

from medshare import broker
from medshare.config import Settings
from medshare.errors import BrokerError


@pytest.fixture
def cfg(tmp_path):
    return Settings(home=tmp_path / "home", cache=tmp_path / "cache", kafka_port=24092, kafka_controller_port=24093)


def _fake_bin(tmp_path, name: str, script: str) -> str:
    d = tmp_path / "bin"
    d.mkdir(exist_ok=True)
    p = d / name
    p.write_text("#!/bin/sh\n" + script + "\n")
    p.chmod(p.stat().st_mode | stat.S_IEXEC)
    return str(d)


def test_java_missing(cfg, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(BrokerError, match="Java is missing"):
        broker.start(cfg)


def test_old_java_refused(cfg, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", _fake_bin(tmp_path, "java", 'echo \'openjdk version "11.0.2" 2019-01-15\' >&2'))
    with pytest.raises(BrokerError, match="Java 11 found"):
        broker.start(cfg)


def test_port_taken(cfg):
    with socket.socket() as s:
        s.bind((cfg.kafka_host, cfg.kafka_port))
        s.listen(1)
        with pytest.raises(BrokerError, match=f"port 127.0.0.1:{cfg.kafka_port} is taken"):
            broker.start(cfg)


def test_maven_missing(cfg, monkeypatch, tmp_path):
    java = _fake_bin(tmp_path, "java", 'echo \'openjdk version "17.0.15" 2025-04-15\' >&2')
    monkeypatch.setenv("PATH", java)
    with pytest.raises(BrokerError, match="Maven is missing"):
        broker.install(cfg, quiet=True)


def test_maven_unreachable(cfg, monkeypatch, tmp_path):
    path = _fake_bin(tmp_path, "mvn", "echo '[ERROR] Failed to execute goal: Could not transfer artifact "
                     "org.apache.kafka:kafka_2.13:pom from/to central: Connect timed out'; exit 1")
    monkeypatch.setenv("PATH", path + os.pathsep + os.environ["PATH"])
    with pytest.raises(BrokerError, match="is Maven Central reachable"):
        broker.install(cfg, quiet=True)


def test_external_cluster_is_not_started(tmp_path):
    cfg = Settings(home=tmp_path, bootstrap_servers="kafka:9092")
    with pytest.raises(BrokerError, match="external"):
        broker.start(cfg)


def test_status_when_never_started(cfg):
    st = broker.status(cfg)
    assert not st.running and st.pid is None
    assert broker.stop(cfg) is False
