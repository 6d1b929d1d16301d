"""OpenLineage from the DAGs: the provider's configuration and what each task reads and writes.

apache-airflow-providers-openlineage emits a START and a COMPLETE/FAIL event for every task run
(and a COMPLETE/FAIL per DAG run) through the transport of ``[openlineage] transport``:
:func:`openlineage_env` points it at :class:`medshare.lineage.MedshareTransport` (the lineage
store and ``governance.lineage.v1``) with the job namespace :data:`AIRFLOW_JOB_NAMESPACE`; job
names are ``<dag_id>.<task_id>`` (``<dag_id>`` for the DAG run).

The provider has no extractor for ``@task`` (``_PythonDecoratedOperator``), so it falls back to
the task's ``inlets``/``outlets``, read at START and again at COMPLETE/FAIL; OpenLineage ``Dataset``
objects there are used as they are, facets included (Airflow Assets only when a provider
registered a converter for their URI scheme, which ``medshare://`` has not). A task can therefore
change them while it runs: :func:`narrow_release` (a mapped instance's own grant) and
:func:`attach_quality` (the lab tables ``lab_load`` validated, with the GX results as
data-quality facets). The functions below give each DAG task its datasets, named as the stream
processors name theirs (:mod:`medshare.lineage`): Kafka topics ``kafka://<bootstrap>`` + topic,
lab tables and marts ``duckdb://lab`` + ``lab.<schema>.<table>`` (or the Postgres lab's naming),
the state stores as :func:`medshare.lineage.state_dataset`, local folders ``file`` + path. They
run when a DAG file is parsed and read only the environment (``MEDSHARE_*``), never Airflow
connections: a deployment that points the ``medshare_kafka`` connection elsewhere sets
``MEDSHARE_BOOTSTRAP_SERVERS`` to the same brokers so the names agree.

cosmos' dbt tasks (``lab_transform``) report dbt's own datasets (their
``get_openlineage_facets_on_complete``); the transport renames the DuckDB lab's file-path
namespace to ``duckdb://lab`` (:func:`medshare.lineage.normalise_event`).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from medshare import topics as t
from medshare.config import Settings

log = logging.getLogger(__name__)

#: the job namespace of every Airflow task and DAG run event
AIRFLOW_JOB_NAMESPACE = "airflow"
#: the transport every local Airflow command is configured with
TRANSPORT = "medshare.lineage.MedshareTransport"
#: the platform tables of the batch snapshot -> the topic each is published to (settlements: the
#: interface's JSON Lines; refused lines go to the quarantine, an outlet of the extract too)
BATCH_TABLES = {"settlements": t.PLATFORM_SETTLEMENTS, "emr_notes": t.PLATFORM_EMR_NOTES,
                "consents": t.PLATFORM_CONSENTS, "enrolments": t.PLATFORM_ENROLMENTS}
#: the lab tables the lab sink fills -> the lab topic each is loaded from (lab.settlements.v2 fills
#: two: settlements and revocations; the v1 table lab_settlements is no longer loaded)
LAB_TABLES = {"lab_settlements_v2": t.LAB_SETTLEMENTS_V2, "lab_revocations_v2": t.LAB_SETTLEMENTS_V2,
              "lab_emr_notes": t.LAB_EMR_NOTES}


def openlineage_env(kafka: bool = True) -> dict[str, str]:
    """``AIRFLOW__OPENLINEAGE__*`` for the provider: medshare's transport and job namespace.

    ``kafka=False`` keeps events in the local store only (no ``governance.lineage.v1``).
    """
    return {
        "AIRFLOW__OPENLINEAGE__TRANSPORT": json.dumps({"type": TRANSPORT, "kafka": kafka}),
        "AIRFLOW__OPENLINEAGE__NAMESPACE": AIRFLOW_JOB_NAMESPACE,
    }


def _settings(cfg: Settings | None) -> Settings:
    if cfg is not None:
        return cfg
    from medshare.orchestration.config import resolve

    return resolve(use_airflow=False).settings


def _dataset(ns: str, name: str) -> Any:
    from openlineage.client.event_v2 import Dataset

    return Dataset(namespace=ns, name=name)


def topic(name: str, cfg: Settings | None = None) -> Any:
    """A Kafka topic as the stream processors name it."""
    from medshare.lineage import kafka_namespace

    return _dataset(kafka_namespace(_settings(cfg)), name)


def lab_table(table: str, schema: str = "main", cfg: Settings | None = None) -> Any:
    """A lab table or mart (``schema="marts"``) as the lab sink and dbt name it."""
    from medshare.lineage import lab_dataset

    return _dataset(*lab_dataset(_settings(cfg), table, schema))


def state_table(table: str, cfg: Settings | None = None) -> Any:
    from medshare.lineage import state_dataset

    return _dataset(*state_dataset(_settings(cfg), table))


def folder(path: Any) -> Any:
    """A local folder (OpenLineage's naming for local files: namespace ``file``, name the path)."""
    return _dataset("file", str(path))


def platform_extract(cfg: Settings | None = None) -> tuple[list[Any], list[Any]]:
    """(inlets, outlets) of ``platform_extract.publish_day``: batch tables -> platform topics and
    the quarantine (interface lines the contract refuses are sealed there, as ``platform ingest`` does)."""
    from medshare.orchestration.config import resolve

    conf = resolve(use_airflow=False, base=_settings(cfg))
    root = conf.batch_dir if conf.batch_dir is not None else conf.settings.sim_dir
    return ([folder(f"{root}/{table}") for table in BATCH_TABLES],
            [*(topic(name, conf.settings) for name in BATCH_TABLES.values()), topic(t.QUARANTINE, conf.settings)])


def lab_load(cfg: Settings | None = None) -> tuple[list[Any], list[Any]]:
    """(inlets, outlets) of ``lab_load.load_and_validate``: lab topics -> lab tables."""
    cfg = _settings(cfg)
    return ([topic(name, cfg) for name in dict.fromkeys(LAB_TABLES.values())],
            [lab_table(table, cfg=cfg) for table in LAB_TABLES])


def attach_quality(task: Any, runs: list[Any], cfg: Settings | None = None) -> None:
    """Add the lab tables ``runs`` validated, with their GX results, to a running task's inlets.

    The provider reads a ``@task``'s inlets again when the task ends, for its COMPLETE or FAIL
    event (:meth:`ExtractorManager.extract_inlets_and_outlets`; an OpenLineage ``Dataset`` is used
    as it is), so each validated table appears there as an input carrying the
    ``dataQualityAssertions`` and ``dataQualityMetrics`` facets (:func:`medshare.lineage.quality_inputs`).
    The task's START event, sent before anything was validated, keeps the parse-time inlets.
    Call it before the task raises on a failed validation, so the FAIL event carries the failures.
    Like all lineage it never fails the task: a problem is logged as a warning.
    """
    try:
        from medshare.lineage import quality_inputs

        validated = quality_inputs(runs, _settings(cfg))
        names = {(d.namespace, d.name) for d in validated}
        task.inlets = [*(d for d in task.inlets if (getattr(d, "namespace", None), getattr(d, "name", None))
                         not in names), *validated]
    except Exception as exc:  # noqa: BLE001 - lineage must not fail the load
        log.warning("lineage: the GX results of %s were not attached: %s",
                    ", ".join(getattr(r, "table", "?") for r in runs), exc)


def release(pair: dict[str, str] | None = None, cfg: Settings | None = None) -> tuple[list[Any], list[Any]]:
    """(inlets, outlets) of ``release_marts.release``: granted marts -> insurer marts topics and the audit topic.

    Without ``pair`` (parse time) every grant of the agreements; with one (a mapped task instance
    at run time, :func:`narrow_release`) only that mart and that insurer's topic.
    """
    cfg = _settings(cfg)
    if pair is None:
        from medshare.orchestration.release import mart_grants

        pairs = mart_grants()
    else:
        pairs = [pair]
    marts = sorted({p["mart"] for p in pairs})
    insurers = sorted({p["insurer"] for p in pairs})
    return ([lab_table(m, "marts", cfg) for m in marts],
            [*(topic(t.insurer_marts(code), cfg) for code in insurers), topic(t.AUDIT, cfg)])


def narrow_release(task: Any, pair: dict[str, str], cfg: Settings | None = None) -> None:
    """Set a mapped ``release`` task instance's inlets/outlets to its own grant (read at COMPLETE).

    The mapped operator is parsed with every grant; the instance that releases one mart to one
    insurer reports just those (the START event, sent before the task runs, still lists all).
    """
    inlets, outlets = release(pair, cfg)
    task.inlets = inlets
    task.outlets = outlets


def rotate_keys(cfg: Settings | None = None) -> tuple[list[Any], list[Any]]:
    """(inlets, outlets) of ``rotate_keys.rotate``: the pipeline keyring is read and rewritten."""
    cfg = _settings(cfg)
    return [folder(cfg.keyring_dir)], [folder(cfg.keyring_dir)]


def compliance_report(cfg: Settings | None = None) -> tuple[list[Any], list[Any]]:
    """(inlets, outlets) of ``compliance_report.write_report``: stores and lab -> the report folder."""
    cfg = _settings(cfg)
    inlets = [folder(cfg.state_dir / "lineage"), state_table("audit_log", cfg), state_table("consent_events", cfg),
              topic(t.QUARANTINE, cfg), *(lab_table(table, cfg=cfg) for table in LAB_TABLES)]
    return inlets, [folder(cfg.home / "reports" / "compliance")]


def rights_erasure(cfg: Settings | None = None) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
    """(issue inlets, issue outlets, collect inlets, collect outlets) of the ``rights_erasure`` DAG.

    ``issue``: the disclosure log and the consents -> each insurer's erasure topic and the ledger;
    ``collect``: each insurer's acknowledgement topic and the ledger -> the disclosure log's topic.
    """
    from privacy.agreements import load_agreements

    cfg = _settings(cfg)
    codes = load_agreements().insurers
    ledger = state_table("erasure_requests", cfg)
    issue_in = [state_table("audit_log", cfg), state_table("consent_events", cfg), ledger]
    issue_out = [*(topic(t.insurer_erasure(c), cfg) for c in codes), ledger]
    collect_in = [*(topic(t.insurer_erasure_acks(c), cfg) for c in codes), ledger]
    return issue_in, issue_out, collect_in, [topic(t.AUDIT, cfg), ledger]
