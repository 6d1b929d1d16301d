"""Where the DAGs' settings come from: one documented place (docs/airflow.md).

Each value is looked up in this order; the first that is set wins:

1. **Airflow** (only inside a running task): the connection ``medshare_kafka`` for the brokers
   (``host``:``port``, or ``extra.bootstrap_servers`` for several; ``extra.security_protocol``,
   ``extra.ssl_cafile`` and ``extra.sasl_mechanism`` for a secured cluster) and the Variables
   ``medshare_batch_dir``, ``medshare_lab_url`` and ``medshare_key_max_age_days``. Airflow itself
   also reads them from ``AIRFLOW_CONN_MEDSHARE_KAFKA`` / ``AIRFLOW_VAR_MEDSHARE_*``.
2. **The environment**: ``MEDSHARE_BOOTSTRAP_SERVERS``, ``MEDSHARE_BATCH_DIR``, ``MEDSHARE_LAB_URL``,
   ``MEDSHARE_KEY_MAX_AGE_DAYS`` and everything else :mod:`medshare.config` reads (``MEDSHARE_HOME``
   for local state, key folders, the consent/audit store).
3. Defaults: the local broker, the newest simulator batch under ``$MEDSHARE_HOME/sim``, the DuckDB
   lab under ``$MEDSHARE_HOME/lab``, rotation after 90 days.

Credentials never come from here: every principal's SCRAM password stays in
``$MEDSHARE_HOME/secrets/principals.json`` (0600), read by :mod:`medshare.kafka` when a client is
built. DAG files only name the connection id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic_settings import BaseSettings, SettingsConfigDict

from medshare.config import Settings, settings

log = logging.getLogger(__name__)

KAFKA_CONN_ID = "medshare_kafka"
VAR_BATCH_DIR = "medshare_batch_dir"
VAR_LAB_URL = "medshare_lab_url"
VAR_KEY_MAX_AGE_DAYS = "medshare_key_max_age_days"
DEFAULT_KEY_MAX_AGE_DAYS = 90


class OrchestrationEnv(BaseSettings):
    """The orchestration's own ``MEDSHARE_*`` variables (the rest are in :mod:`medshare.config`)."""

    model_config = SettingsConfigDict(env_prefix="MEDSHARE_", extra="ignore")

    #: root of the platform's batch snapshot (``<root>/settlements/date=YYYY-MM-DD/*.jsonl``: interface lines;
    #: ``<root>/<table>/date=YYYY-MM-DD/*.parquet``: notes, consents, enrolments)
    batch_dir: Path | None = None
    #: rotate an insurer's data key once its current version is this many days old
    key_max_age_days: int = DEFAULT_KEY_MAX_AGE_DAYS


@dataclass(frozen=True)
class OrchestrationConfig:
    """Everything a DAG task needs; checked when built."""

    settings: Settings
    batch_dir: Path | None
    key_max_age_days: int = DEFAULT_KEY_MAX_AGE_DAYS

    def __post_init__(self) -> None:
        if self.key_max_age_days < 0:
            raise ValueError(f"key max age must be >= 0 days, got {self.key_max_age_days}")

    def batch_root(self) -> Path:
        """The batch folder to extract from: the configured one, else the newest simulator batch."""
        from medshare.orchestration.exceptions import BatchNotFoundError

        if self.batch_dir is not None:
            if not self.batch_dir.is_dir():
                raise BatchNotFoundError(f"batch folder {self.batch_dir} does not exist "
                                         f"(set {VAR_BATCH_DIR} / MEDSHARE_BATCH_DIR)")
            return self.batch_dir
        runs = [p for p in self.settings.sim_dir.glob("*/batch") if p.is_dir()]
        if not runs:
            raise BatchNotFoundError(f"no simulator batch under {self.settings.sim_dir}: run "
                                     f"`medshare simulate` or set {VAR_BATCH_DIR} / MEDSHARE_BATCH_DIR")
        return max(runs, key=lambda p: p.stat().st_mtime)


def _airflow_variable(key: str) -> str | None:
    try:
        from airflow.sdk import Variable

        value = Variable.get(key, default=None)
    except Exception as exc:  # noqa: BLE001 - no Airflow context: fall back to the environment
        log.debug("Airflow variable %s not available: %s", key, exc)
        return None
    return None if value in (None, "") else str(value)


#: connection extras that select how clients reach the cluster (medshare.config.Settings fields)
KAFKA_EXTRAS = ("security_protocol", "ssl_cafile", "sasl_mechanism")


def _airflow_kafka(conn_id: str) -> dict[str, Any]:
    """Settings from the Airflow connection: ``bootstrap_servers`` and the TLS/SASL extras set there."""
    try:
        from airflow.sdk import BaseHook

        conn = BaseHook.get_connection(conn_id)
    except Exception as exc:  # noqa: BLE001 - connection not defined: use MEDSHARE_* / the local broker
        log.debug("Airflow connection %s not available: %s", conn_id, exc)
        return {}
    extra: dict[str, Any] = conn.extra_dejson or {}
    out: dict[str, Any] = {k: str(extra[k]) for k in KAFKA_EXTRAS if extra.get(k)}
    if extra.get("bootstrap_servers"):
        out["bootstrap_servers"] = str(extra["bootstrap_servers"])
    elif conn.host:
        out["bootstrap_servers"] = f"{conn.host}:{conn.port}" if conn.port else conn.host
    return out


def resolve(use_airflow: bool = False, base: Settings | None = None) -> OrchestrationConfig:
    """The configuration, from Airflow (inside a task, ``use_airflow=True``) then the environment."""
    env = OrchestrationEnv()
    base = base or settings()
    updates: dict[str, Any] = {}
    batch_dir = env.batch_dir
    max_age = env.key_max_age_days
    if use_airflow:
        updates.update(_airflow_kafka(KAFKA_CONN_ID))
        lab_url = _airflow_variable(VAR_LAB_URL)
        if lab_url:
            updates["lab_url"] = lab_url
        batch = _airflow_variable(VAR_BATCH_DIR)
        if batch:
            batch_dir = Path(batch)
        age = _airflow_variable(VAR_KEY_MAX_AGE_DAYS)
        if age:
            max_age = int(age)
    # validated like the environment (model_copy would not check a protocol or CA file given in Airflow)
    cfg = type(base)(**{**base.model_dump(), **updates}) if updates else base
    return OrchestrationConfig(settings=cfg, batch_dir=batch_dir, key_max_age_days=max_age)
