"""One place for medshare's settings: environment variables prefixed ``MEDSHARE_``.

Every command, stream processor, DAG and test reads its configuration from :func:`settings`.
Local state (broker data and logs, credentials, keys, lab database, simulator output) lives
under ``MEDSHARE_HOME`` (default ``<project>/var``), which git ignores; downloaded jars live under
``MEDSHARE_CACHE`` (default ``<project>/.cache``) so several homes share one download.

Layout of a home::

    var/
      kafka/{data,logs,server.properties,broker.pid}   one local node (``broker start``)
      kafka/node-<id>/{data,logs,...} and kafka/cluster.json   ``broker start --nodes 3``
      tls/ca.pem                     the local CA certificate clients verify the broker with (0644)
      tls/{ca.key,broker.key}        the CA's and the broker's private keys (0600); broker.pem
      secrets/principals.json        SCRAM credentials of every principal (0600)
      keyring/<insurer>/             public keys the pipeline encrypts to (never private keys)
      insurers/<insurer>/            the demo insurer's own side: its private key, its bundle
      pipeline/                      the pipeline's own secrets: pseudonym key, quarantine key
      state/                         consent registry, processor offsets/state, audit store
      lab/lab.duckdb                 the data lab
      sim/                           simulator batch output and malformed-event sidecars
"""

from __future__ import annotations

import json
import os
import stat
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """medshare settings; each field is ``MEDSHARE_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="MEDSHARE_", extra="ignore")

    home: Path = Field(default=PROJECT_ROOT / "var", description="local state folder (git-ignored)")
    cache: Path = Field(default=PROJECT_ROOT / ".cache", description="download cache (Kafka jars)")

    kafka_version: str = "4.3.1"
    kafka_host: str = "127.0.0.1"
    kafka_port: int = 19092
    kafka_controller_port: int = 19093
    kafka_heap: str = "-Xms256m -Xmx768m"
    #: local nodes (``broker start --nodes N`` records it in ``kafka/cluster.json``; set to override)
    kafka_nodes: int | None = Field(default=None, ge=1, le=9)
    #: bootstrap servers of an external cluster; when set, the local broker is not managed
    bootstrap_servers: str | None = None
    #: SASL_SSL (TLS 1.2+, the broker's certificate and host name verified) everywhere; SASL_PLAINTEXT
    #: is accepted only for an external cluster that offers nothing else
    security_protocol: str = "SASL_SSL"
    #: CA certificate (PEM) that signed an external cluster's certificates; empty: the system's
    #: trust store. The local broker's clients use the local CA (``tls/ca.pem``)
    ssl_cafile: Path | None = None
    sasl_mechanism: str = "SCRAM-SHA-512"
    #: replication factor / min.insync.replicas of medshare's topics; default: 3 / 2 on a cluster
    #: (external, or 3+ local nodes), 1 / 1 on a single local broker
    replication_factor: int | None = Field(default=None, ge=1)
    min_insync_replicas: int | None = Field(default=None, ge=1)
    #: partitions for the high-volume topics (platform, lab, insurer); processors scale to this
    partitions: int = 6

    #: lab database: a DuckDB file by default, or a postgresql:// URL
    lab_url: str | None = None
    #: consent registry / audit store: SQLite file by default, or a postgresql:// URL
    state_url: str | None = None

    #: days the quarantine keeps readable payloads after the end of their month; then the month's
    #: key is destroyed (``medshare quarantine shred``)
    quarantine_retention_days: int = Field(default=90, ge=0)

    #: passphrase protecting demo private keys (optional)
    key_passphrase: SecretStr | None = None

    @field_validator("kafka_port", "kafka_controller_port")
    @classmethod
    def _port_range(cls, value: int) -> int:
        if not 1024 <= value <= 65535:
            raise ValueError(f"port {value} is outside 1024..65535")
        return value

    @field_validator("security_protocol")
    @classmethod
    def _protocol(cls, value: str) -> str:
        value = value.upper()
        if value not in ("SASL_SSL", "SASL_PLAINTEXT"):
            raise ValueError(f"security protocol {value!r}: use SASL_SSL (or SASL_PLAINTEXT for an external "
                             "cluster without TLS)")
        return value

    @field_validator("sasl_mechanism")
    @classmethod
    def _mechanism(cls, value: str) -> str:
        value = value.upper()
        if value not in ("SCRAM-SHA-512", "SCRAM-SHA-256"):
            raise ValueError(f"SASL mechanism {value!r}: use SCRAM-SHA-512 or SCRAM-SHA-256")
        return value

    @model_validator(mode="after")
    def _tls_on_the_local_broker(self) -> Settings:
        if self.bootstrap_servers is None and self.security_protocol != "SASL_SSL":
            raise ValueError("the local broker speaks SASL_SSL only: MEDSHARE_SECURITY_PROTOCOL="
                             f"{self.security_protocol} needs MEDSHARE_BOOTSTRAP_SERVERS (an external cluster)")
        if (self.replication_factor and self.min_insync_replicas
                and self.min_insync_replicas > self.replication_factor):
            raise ValueError(f"min.insync.replicas {self.min_insync_replicas} exceeds the replication factor "
                             f"{self.replication_factor}: every write would be refused")
        return self

    @field_validator("home", "cache")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        """Made absolute at load time: tools started in another folder (dbt writes its target
        folder from the lab folder) must find the same files as the process that configured them."""
        return Path(value).expanduser().absolute()

    @field_validator("ssl_cafile", mode="before")
    @classmethod
    def _cafile(cls, value: str | Path | None) -> Path | None:
        if value is None or str(value).strip() == "":
            return None
        return Path(value).expanduser().absolute()

    @property
    def bootstrap(self) -> str:
        if self.bootstrap_servers:
            return self.bootstrap_servers
        return ",".join(f"{self.kafka_host}:{port}" for port, _ in self.node_ports())

    @property
    def nodes(self) -> int:
        """Local broker nodes: ``MEDSHARE_KAFKA_NODES``, else what ``broker start`` recorded, else 1."""
        if self.kafka_nodes is not None:
            return self.kafka_nodes
        try:
            return int(json.loads((self.kafka_dir / "cluster.json").read_text())["nodes"])
        except (OSError, ValueError, KeyError, TypeError):
            return 1

    def node_ports(self, nodes: int | None = None) -> list[tuple[int, int]]:
        """(client port, controller port) of each local node: node ``i`` (from 0) adds ``2*i`` to
        ``kafka_port`` and ``kafka_controller_port`` (19092/19093, 19094/19095, 19096/19097)."""
        n = self.nodes if nodes is None else nodes
        return [(self.kafka_port + 2 * i, self.kafka_controller_port + 2 * i) for i in range(n)]

    @property
    def is_cluster(self) -> bool:
        """An external cluster, or three or more local nodes."""
        return not self.manages_broker or self.nodes >= 3

    @property
    def topic_replication(self) -> int:
        if self.replication_factor is not None:
            return self.replication_factor
        return 3 if not self.manages_broker else min(self.nodes, 3)

    @property
    def topic_min_isr(self) -> int:
        if self.min_insync_replicas is not None:
            return self.min_insync_replicas
        return 2 if self.topic_replication >= 3 else 1

    @property
    def tls_dir(self) -> Path:
        """The local CA and broker certificate (``medshare.tls``)."""
        return self.home / "tls"

    @property
    def cafile(self) -> Path | None:
        """The CA file clients verify the brokers with; None: the system trust store (external only)."""
        if self.security_protocol != "SASL_SSL":
            return None
        if self.ssl_cafile is not None:
            return self.ssl_cafile
        return self.tls_dir / "ca.pem" if self.manages_broker else None

    @property
    def manages_broker(self) -> bool:
        """True when medshare runs the broker itself (no external cluster configured)."""
        return self.bootstrap_servers is None

    # --- folders -------------------------------------------------------------------------
    @property
    def kafka_dir(self) -> Path:
        return self.home / "kafka"

    @property
    def kafka_libs(self) -> Path:
        return self.cache / f"kafka-{self.kafka_version}" / "libs"

    @property
    def secrets_dir(self) -> Path:
        return self.home / "secrets"

    @property
    def keyring_dir(self) -> Path:
        return self.home / "keyring"

    @property
    def insurers_dir(self) -> Path:
        return self.home / "insurers"

    @property
    def pipeline_dir(self) -> Path:
        return self.home / "pipeline"

    @property
    def state_dir(self) -> Path:
        return self.home / "state"

    @property
    def lab_dir(self) -> Path:
        return self.home / "lab"

    @property
    def sim_dir(self) -> Path:
        return self.home / "sim"

    @property
    def lab_database(self) -> str:
        return self.lab_url or str(self.lab_dir / "lab.duckdb")

    @property
    def state_database(self) -> str:
        return self.state_url or f"sqlite:///{self.state_dir / 'state.sqlite'}"


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings (read once from the environment)."""
    return Settings()


def reload_settings() -> Settings:
    """Drop the cached settings (tests change the environment between cases)."""
    settings.cache_clear()
    return settings()


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the owner only.

    An existing directory is tightened to 0700 only if it is this user's and not a shared one
    (world-writable or sticky, like ``/tmp``): ``--out /tmp/x`` once made the simulator close
    ``/tmp`` itself to every other user of the machine (PostgreSQL's server among them).
    """
    path = Path(path)
    missing = [p for p in (path, *path.parents) if not p.is_dir()]
    for p in reversed(missing):
        p.mkdir(mode=0o700, exist_ok=True)
        p.chmod(0o700)  # mkdir's mode is masked by the umask
    st = path.stat()
    shared = st.st_mode & (stat.S_ISVTX | stat.S_IWOTH)
    if st.st_uid == os.getuid() and not shared:
        path.chmod(0o700)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty (or empty it) with mode 0600, before anything is written to it.

    For files that hold plaintext identifiers (the simulator's batch files, JSON Lines): a writer
    that opens the path afterwards truncates it and keeps the mode, so the data is never readable
    by others, not even for a moment.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    path.chmod(0o600)
    return path
