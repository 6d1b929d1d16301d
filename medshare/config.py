"""One place for medshare's settings: environment variables prefixed ``MEDSHARE_``.

Every command, stream processor, DAG and test reads its configuration from :func:`settings`.
Local state (broker data and logs, credentials, keys, lab database, simulator output) lives
under ``MEDSHARE_HOME`` (default ``<project>/var``), which git ignores; downloaded jars live under
``MEDSHARE_CACHE`` (default ``<project>/.cache``) so several homes share one download.

Layout of a home::

    var/
      kafka/{data,logs,server.properties,broker.pid}
      secrets/principals.json        SCRAM credentials of every principal (0600)
      keyring/<insurer>/             public keys the pipeline encrypts to (never private keys)
      insurers/<insurer>/            the demo insurer's own side: its private key, its bundle
      pipeline/                      the pipeline's own secrets: pseudonym key, quarantine key
      state/                         consent registry, processor offsets/state, audit store
      lab/lab.duckdb                 the data lab
      sim/                           simulator batch output and malformed-event sidecars
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
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
    #: bootstrap servers of an external cluster; when set, the local broker is not managed
    bootstrap_servers: str | None = None
    sasl_mechanism: str = "SCRAM-SHA-512"
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

    @field_validator("home", "cache")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        """Made absolute at load time: tools started in another folder (dbt writes its target
        folder from the lab folder) must find the same files as the process that configured them."""
        return Path(value).expanduser().absolute()

    @property
    def bootstrap(self) -> str:
        return self.bootstrap_servers or f"{self.kafka_host}:{self.kafka_port}"

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
    """Create ``path`` (and parents) readable by the owner only."""
    path.mkdir(parents=True, exist_ok=True)
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
