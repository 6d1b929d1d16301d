"""OpenLineage run events from the stream processors, and the local lineage store the report reads.

Every processor run (``streams.service.run_processor``) emits a ``START`` event when it starts and a
``COMPLETE`` (``FAIL`` on an exception) when it stops, built with openlineage-python's v2 client
classes:

* job namespace ``medshare``, job name ``streams.<processor>``;
* datasets: Kafka topics in namespace ``kafka://<bootstrap>``, lab tables in ``duckdb://lab`` (or
  ``postgres://host:port``) named ``<database>.<schema>.<table>``, the consent registry and the
  audit store in the state database's namespace;
* on ``COMPLETE``, every output dataset carries a ``columnLineage`` facet: for each output field its
  input field(s) and the treatment applied (``plain``, ``encrypt``, ``pseudonymise``,
  ``generalise:<rule>``, ``redact``; for the lab also ``derive:<what>``). Insurer claims topics take
  it from the sharing agreements (a dropped field is absent), lab topics from the de-identifier's
  mapping (:data:`DEID_SETTLEMENT`, :data:`DEID_NOTE`);
* insurer outputs carry the custom facet ``medshare_disclosure`` (insurer, purpose, legal basis,
  agreement, disclosures and the count of distinct consents relied on in the run);
* the run carries ``medshare_processor`` (the counters) and ``processing_engine``; a failed run
  ``errorMessage``.

Great Expectations results travel as the standard input facets ``dataQualityAssertions`` and
``dataQualityMetrics`` on the validated lab table (:func:`quality_facets`): in the ``lab_load`` DAG
task's own events, or in a ``contracts.gx.validate`` run of their own (:func:`quality_event`).

:func:`emit` appends an event to the :class:`LineageStore` (JSON lines under
``$MEDSHARE_HOME/state/lineage/``) and publishes it to ``governance.lineage.v1`` as the pipeline
principal. It never raises: lineage must never stop a processor. The store accepts any OpenLineage
``RunEvent``: :class:`MedshareTransport` is the openlineage-python transport the Airflow provider
is configured with (:mod:`medshare.orchestration.lineage`), :func:`dbt_events` turns a dbt run's
artefacts into events (:mod:`medshare.lab.dbt` emits them after each build), and
:func:`normalise_event` maps their DuckDB naming to the lab's. :func:`pull` copies
``governance.lineage.v1`` back into the store (``medshare lineage pull``); events are validated by
:mod:`medshare.lineage_schema` (docs/lineage.md).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlparse

import attr
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import (
    OutputDatasetFacet,
    RunFacet,
    column_lineage_dataset,
    data_quality_assertions_dataset,
    data_quality_metrics_input_dataset,
    error_message_run,
    processing_engine_run,
    schema_dataset,
)
from openlineage.client.serde import Serde
from openlineage.client.transport.transport import Config, Transport
from openlineage.client.uuid import generate_new_uuid

from medshare import topics as t
from medshare.config import Settings, settings

if TYPE_CHECKING:
    from contracts.gx import TableRun
    from privacy.agreements import AgreementSet

log = logging.getLogger("medshare.lineage")

#: the producer URI every medshare event and facet names
PRODUCER = "https://github.com/medshare/medshare/tree/main/medshare/lineage.py"
#: schema of the custom facets (docs/lineage.md describes them; the URL names, it is not fetched)
FACET_SCHEMA = "https://medshare.example/spec/facets/1-0-0/{name}.json#/$defs/{name}"
JOB_NAMESPACE = "medshare"
LAB_NAMESPACE_DUCKDB = "duckdb://lab"


# --- custom facets -------------------------------------------------------------------------------


@attr.define
class MedshareDisclosureOutputDatasetFacet(OutputDatasetFacet):
    """``medshare_disclosure``: what a run disclosed to one insurer, on what basis, under how many consents."""

    insurer: str
    purpose: str
    legalBasis: str  # noqa: N815 - OpenLineage facets are camelCase
    consentsReliedOn: int  # noqa: N815
    disclosures: int = 0
    sources: list[str] = attr.field(factory=list)
    agreementId: str | None = None  # noqa: N815
    agreementVersion: str | None = None  # noqa: N815

    @staticmethod
    def _get_schema() -> str:
        return FACET_SCHEMA.format(name="MedshareDisclosureOutputDatasetFacet")


@attr.define
class MedshareProcessorRunFacet(RunFacet):
    """``medshare_processor``: the processor instance and its counters (as ``medshare status`` shows)."""

    processor: str
    instance: str
    consumed: int = 0
    published: int = 0
    quarantined: int = 0
    disclosed: int = 0
    batches: int = 0
    extra: dict[str, int] = attr.field(factory=dict)

    @staticmethod
    def _get_schema() -> str:
        return FACET_SCHEMA.format(name="MedshareProcessorRunFacet")


# --- dataset naming --------------------------------------------------------------------------------


def kafka_namespace(cfg: Settings) -> str:
    """``kafka://<first bootstrap host:port>`` (OpenLineage's Kafka naming)."""
    return f"kafka://{cfg.bootstrap.split(',')[0].strip()}"


def _db_namespace(url: str) -> tuple[str, str]:
    """(namespace, database) of a postgres URL."""
    u = urlparse(url)
    return f"postgres://{u.hostname or 'localhost'}:{u.port or 5432}", (u.path or "/").lstrip("/") or "postgres"


def lab_dataset(cfg: Settings, table: str, schema: str = "main") -> tuple[str, str]:
    """(namespace, name) of a lab table: ``duckdb://lab`` ``lab.main.<table>``, or Postgres naming."""
    url = cfg.lab_database
    if url.startswith(("postgresql", "postgres")):
        ns, db = _db_namespace(url)
        return ns, f"{db}.{'public' if schema == 'main' else schema}.{table}"
    return LAB_NAMESPACE_DUCKDB, f"lab.{schema}.{table}"


def state_dataset(cfg: Settings, table: str) -> tuple[str, str]:
    """(namespace, name) of a table in the state database (consent registry, audit store)."""
    url = cfg.state_database
    if url.startswith(("postgresql", "postgres")):
        ns, db = _db_namespace(url)
        return ns, f"{db}.public.{table}"
    return "sqlite://state", table


def topic_schema(topic: str) -> schema_dataset.SchemaDatasetFacet | None:
    """The schema facet of a topic, from its data contract (top-level fields), or None."""
    try:
        from contracts import registry

        contract = registry.load(topic)
    except Exception:  # noqa: BLE001 - no contract: no schema facet
        return None
    return schema_dataset.SchemaDatasetFacet(
        fields=[schema_dataset.SchemaDatasetFacetFields(name=f.path, type=f.logical_type) for f in contract.fields],
        producer=PRODUCER,
    )


# --- column lineage ------------------------------------------------------------------------------

#: lab.settlements.v2 field <- (platform.settlements.v2 input fields, treatment); Deidentifier.settlement
#: and, for the revocation kind, Deidentifier.revocation. psn_name, certno (beyond its region),
#: brdy (beyond the band), age, naty and the names, doctors and times of 2203/2204 feed nothing.
_FEE_KEPT = ("feedetl_sn", "med_list_codg", "med_chrgitm_type", "chrgitm_lv", "cnt", "pric", "det_item_fee_sumamt",
             "fulamt_ownpay_amt", "overlmt_amt", "preselfpay_amt", "inscp_scp_amt", "list_sp_item_flag",
             "hi_nego_drug_flag")
_AMOUNTS_KEPT = ("medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt",
                 "hifp_pay", "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay", "fund_pay_sumamt", "psn_part_amt",
                 "acct_pay", "acct_mulaid_pay", "psn_cash_pay", "hosp_part_amt")
DEID_SETTLEMENT: dict[str, tuple[tuple[str, ...], str]] = {
    "setl_id": (("setl_id",), "plain"),
    "person_key": (("psn_no",), "pseudonymise"),
    "setl_hour": (("setl_time",), "generalise:hour"),
    "setl_month": (("setl_time",), "generalise:month"),
    "gend": (("gend",), "plain"),
    "age_band": (("brdy", "setl_time"), "generalise:age_band"),
    "district": (("certno", "psn_cert_type"), "generalise:district"),
    "insutype": (("insutype",), "plain"),
    "psn_type": (("psn_type",), "plain"),
    "med_type": (("med_type",), "plain"),
    "fixmedins_code": (("fixmedins_code",), "plain"),
    "length_of_stay": (("feedetail[].fee_ocur_time", "setl_time"), "derive:length_of_stay"),
    "main_diag_code": (("diseinfo[].diag_code", "diseinfo[].maindiag_flag"), "derive:main_diagnosis"),
    **{f"diseinfo[].{k}": ((f"diseinfo[].{k}",), "plain")
       for k in ("diag_type", "diag_srt_no", "diag_code", "maindiag_flag")},
    **{f"feedetail[].{k}": ((f"feedetail[].{k}",), "plain") for k in _FEE_KEPT},
    **{k: ((k,), "plain") for k in _AMOUNTS_KEPT},
    "oth_fund_pay": (("cvlserv_pay", "hifes_pay", "hifdm_pay"), "derive:sum"),
    # the revocation kind (2208)
    "revoked_setl_id": (("revoke.setl_id",), "plain"),
    "revoked_hour": (("revoke.setl_id",), "derive:publish_time_hour"),
    "revoked_month": (("revoke.setl_id",), "derive:publish_time_month"),
}
#: the revocation's person key comes from revoke.psn_no (listed with the settlement's psn_no)
DEID_SETTLEMENT["person_key"] = (("psn_no", "revoke.psn_no"), "pseudonymise")
#: lab.emr-notes.v1 field <- (platform.emr-notes.v1 input fields, treatment); Deidentifier.note
DEID_NOTE: dict[str, tuple[tuple[str, ...], str]] = {
    "note_id": (("note_id",), "plain"),
    "settlement_id": (("settlement_id",), "plain"),
    "person_key": (("person_no",), "pseudonymise"),
    "event_month": (("event_time",), "generalise:month"),
    "institution_code": (("institution_code",), "plain"),
    "note_type": (("note_type",), "plain"),
    "text_redacted": (("text",), "redact"),
    "entities": (("text",), "derive:entity_counts"),
}
DEID_MAPPINGS = {t.LAB_SETTLEMENTS_V2: (t.PLATFORM_SETTLEMENTS_V2, DEID_SETTLEMENT),
                 t.LAB_EMR_NOTES: (t.PLATFORM_EMR_NOTES, DEID_NOTE)}


def _transformation(treatment: str) -> column_lineage_dataset.Transformation:
    kind = treatment.split(":")[0]
    if kind == "plain":
        return column_lineage_dataset.Transformation(type="DIRECT", subtype="IDENTITY", description="plain",
                                                     masking=False)
    return column_lineage_dataset.Transformation(type="DIRECT", subtype="TRANSFORMATION", description=treatment,
                                                 masking=kind in ("encrypt", "pseudonymise", "generalise", "redact"))


def column_lineage(mapping: Mapping[str, Iterable[tuple[str, str, str, str]]]
                   ) -> column_lineage_dataset.ColumnLineageDatasetFacet:
    """Facet from ``{output field: [(input namespace, input name, input field, treatment), ...]}``.

    ``transformationDescription`` is the treatment (several distinct ones, from several sources,
    are joined with `` | ``); each input field carries it as a ``Transformation`` as well.
    """
    fields = {}
    for out_field, inputs in mapping.items():
        inputs = list(inputs)
        treatments = list(dict.fromkeys(tr for *_, tr in inputs))
        fields[out_field] = column_lineage_dataset.Fields(
            inputFields=[column_lineage_dataset.InputField(namespace=ns, name=name, field=f,
                                                           transformations=[_transformation(tr)])
                         for ns, name, f, tr in inputs],
            transformationDescription=" | ".join(treatments),
            transformationType="IDENTITY" if treatments == ["plain"] else "MASKED",
        )
    return column_lineage_dataset.ColumnLineageDatasetFacet(fields=fields, producer=PRODUCER)


def claims_column_lineage(agreements: AgreementSet, insurer: str, kafka_ns: str
                          ) -> dict[str, list[tuple[str, str, str, str]]]:
    """Output field -> inputs of an insurer's claims topic, from its agreement's claims grants.

    Only fields that pass (a ``drop`` or an unnamed field is absent): exactly what the router emits.
    """
    out: dict[str, list[tuple[str, str, str, str]]] = {}
    for ref in agreements.grants("claims"):
        if ref.insurer != insurer or not ref.grant.sends_records:
            continue
        for path, tr in ref.grant.output_fields.items():
            out.setdefault(path, []).append((kafka_ns, ref.grant.source, path, str(tr)))
    return out


# --- building events -------------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _ds(cls: type, ns: str, name: str, facets: dict[str, Any] | None = None,
        output_facets: dict[str, Any] | None = None) -> Any:
    kw: dict[str, Any] = {"namespace": ns, "name": name, "facets": facets or {}}
    if output_facets is not None:
        kw["outputFacets"] = output_facets
    return cls(**kw)


class ProcessorLineage:
    """The datasets and facets of one processor run, from the handler and (at the end) its counters."""

    def __init__(self, handler: Any, cfg: Settings, instance: str = "0",
                 agreements: AgreementSet | None = None) -> None:
        self.handler = handler
        self.cfg = cfg
        self.instance = instance
        self.name = getattr(handler, "name", type(handler).__name__)
        self.run_id = str(generate_new_uuid())
        self.kafka_ns = kafka_namespace(cfg)
        self._agreements = agreements

    @property
    def job_name(self) -> str:
        return f"streams.{self.name}"

    def agreements(self) -> AgreementSet:
        if self._agreements is None:
            from privacy.agreements import load_agreements

            self._agreements = load_agreements()
        return self._agreements

    def inputs(self) -> list[InputDataset]:
        out = []
        for topic in getattr(self.handler, "inputs", ()):
            schema = topic_schema(topic)
            out.append(_ds(InputDataset, self.kafka_ns, topic, {"schema": schema} if schema else {}))
        return out

    def outputs(self, counters: Any | None = None) -> list[OutputDataset]:
        """Output datasets; with ``counters`` (the end of a run) also column lineage and disclosures."""
        name, k = self.name, self.kafka_ns
        if name == "router":
            return [*(self._claims_output(code, counters) for code in self._router_insurers()),
                    _ds(OutputDataset, k, t.AUDIT)]
        if name == "deidentify":
            outs = []
            for lab_topic, (src, mapping) in DEID_MAPPINGS.items():
                facets: dict[str, Any] = {}
                schema = topic_schema(lab_topic)
                if schema:
                    facets["schema"] = schema
                if counters is not None:
                    facets["columnLineage"] = column_lineage(
                        {f: [(k, src, i, tr) for i in ins] for f, (ins, tr) in mapping.items()})
                outs.append(_ds(OutputDataset, k, lab_topic, facets))
            return outs
        if name == "lab-sink":
            return [*self._lab_table_outputs(t.LAB_SETTLEMENTS_V2, counters),
                    self._lab_table_output(t.LAB_EMR_NOTES, counters)]
        if name == "claims":
            return [*(self._claim_results_output(code, counters) for code in self._claims_insurers()),
                    _ds(OutputDataset, k, t.AUDIT), _ds(OutputDataset, *state_dataset(self.cfg, "claim_ledger"))]
        if name == "consent-sync":
            return [_ds(OutputDataset, *state_dataset(self.cfg, "consent_events"))]
        if name == "audit-sink":
            return [_ds(OutputDataset, *state_dataset(self.cfg, "audit_log"))]
        return []

    def _claims_insurers(self) -> list[str]:
        """Insurers whose products the claims processor evaluates (a product and an agreement)."""
        from medshare.claims.products import load_products

        return sorted(c for c in load_products().insurers if c in self.agreements())

    def _claim_results_output(self, code: str, counters: Any | None) -> OutputDataset:
        """An insurer's claims topic as the claims processor writes it: claim results, not records."""
        topic = t.insurer_claims(code)
        if counters is None:
            return _ds(OutputDataset, self.kafka_ns, topic)
        agreement = self.agreements().for_insurer(code)
        consents = getattr(self.handler, "consents_relied", {}).get(code, ())
        extra = getattr(counters, "extra", {}) or {}
        disclosure = MedshareDisclosureOutputDatasetFacet(
            insurer=code, purpose="claims", legalBasis="consent", consentsReliedOn=len(consents),
            disclosures=int(extra.get(f"disclosed.{code}", 0)),
            sources=[t.PLATFORM_SETTLEMENTS, t.PLATFORM_ENROLMENTS], agreementId=agreement.agreement_id,
            agreementVersion=agreement.fingerprint, producer=PRODUCER,
        )
        # identity leaves encrypted; the amounts are computed from the settlement by the product's rules.
        # A claim result keeps its own names; their inputs are the v2 settlement's (psn_no, setl_id,
        # setl_time; a revocation's revoke.setl_id)
        lineage = column_lineage({
            "person_no": [(self.kafka_ns, t.PLATFORM_SETTLEMENTS, "psn_no", "encrypt")],
            "policy_no": [(self.kafka_ns, t.PLATFORM_ENROLMENTS, "policy_no", "encrypt")],
            "settlement_id": [(self.kafka_ns, t.PLATFORM_SETTLEMENTS, "setl_id", "plain"),
                              (self.kafka_ns, t.PLATFORM_SETTLEMENTS, "revoke.setl_id", "plain")],
            "event_time": [(self.kafka_ns, t.PLATFORM_SETTLEMENTS, "setl_time", "plain")],
        })
        return _ds(OutputDataset, self.kafka_ns, topic, {"columnLineage": lineage},
                   output_facets={"medshare_disclosure": disclosure})

    def _router_insurers(self) -> list[str]:
        return sorted({ref.insurer for ref in self.agreements().grants("claims") if ref.grant.sends_records})

    def _claims_output(self, code: str, counters: Any | None) -> OutputDataset:
        topic = t.insurer_claims(code)
        if counters is None:
            return _ds(OutputDataset, self.kafka_ns, topic)
        agreements = self.agreements()
        agreement = agreements.for_insurer(code)
        grants = [ref.grant for ref in agreements.grants("claims") if ref.insurer == code and ref.grant.sends_records]
        consents = getattr(self.handler, "consents_relied", {}).get(code, ())
        extra = getattr(counters, "extra", {}) or {}
        disclosure = MedshareDisclosureOutputDatasetFacet(
            insurer=code, purpose="claims",
            legalBasis=",".join(sorted({g.basis for g in grants})) or "consent",
            consentsReliedOn=len(consents), disclosures=int(extra.get(f"disclosed.{code}", 0)),
            sources=sorted({g.source for g in grants}), agreementId=agreement.agreement_id,
            agreementVersion=agreement.fingerprint, producer=PRODUCER,
        )
        lineage = column_lineage(claims_column_lineage(agreements, code, self.kafka_ns))
        schema = schema_dataset.SchemaDatasetFacet(
            fields=[schema_dataset.SchemaDatasetFacetFields(name=f, type="string (encrypted)"
                                                            if "encrypt" in fl.transformationDescription else None)
                    for f, fl in lineage.fields.items()], producer=PRODUCER)
        return _ds(OutputDataset, self.kafka_ns, topic, {"schema": schema, "columnLineage": lineage},
                   output_facets={"medshare_disclosure": disclosure})

    def _lab_table_outputs(self, topic: str, counters: Any | None) -> list[OutputDataset]:
        """Every table a lab topic lands in (lab.settlements.v2: settlements and revocations)."""
        from streams.labdb import LAB_REVOCATIONS_V2, TOPIC_TABLES

        tables = [TOPIC_TABLES[topic], *([LAB_REVOCATIONS_V2] if topic == t.LAB_SETTLEMENTS_V2 else [])]
        return [self._lab_table_output(topic, counters, table) for table in tables]

    def _lab_table_output(self, topic: str, counters: Any | None, table: Any = None) -> OutputDataset:
        from streams.labdb import TOPIC_TABLES

        table = table or TOPIC_TABLES[topic]
        ns, name = lab_dataset(self.cfg, table.name)
        if counters is None:
            return _ds(OutputDataset, ns, name)
        cols = [c for c in table.column_names if c != "loaded_at"]
        lineage = column_lineage({c: [(self.kafka_ns, topic, c, "plain")] for c in cols})
        return _ds(OutputDataset, ns, name, {"columnLineage": lineage})

    def event(self, state: RunState, counters: Any | None = None, error: BaseException | None = None) -> RunEvent:
        run_facets: dict[str, Any] = {
            "processing_engine": processing_engine_run.ProcessingEngineRunFacet(
                version=_version(), name="medshare", openlineageAdapterVersion=_ol_version(), producer=PRODUCER),
        }
        if counters is not None:
            run_facets["medshare_processor"] = MedshareProcessorRunFacet(
                processor=self.name, instance=self.instance, consumed=counters.consumed,
                published=counters.published, quarantined=counters.quarantined, disclosed=counters.disclosed,
                batches=counters.batches, extra=dict(counters.extra), producer=PRODUCER)
        if error is not None:
            run_facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(
                message=f"{type(error).__name__}: {str(error)[:500]}", programmingLanguage="python",
                producer=PRODUCER)
        final = state != RunState.START
        return RunEvent(
            eventType=state, eventTime=_now(), producer=PRODUCER,
            run=Run(runId=self.run_id, facets=run_facets),
            job=Job(namespace=JOB_NAMESPACE, name=self.job_name),
            inputs=self.inputs(), outputs=self.outputs(counters if final else None),
        )


def release_event(result: Any, cfg: Settings | None = None, agreements: AgreementSet | None = None,
                  parent_run_id: str | None = None) -> RunEvent:
    """The COMPLETE event of one mart release (``medshare.lab.release``) outside Airflow.

    Job ``medshare/lab.release``: the mart (``lab.marts.<mart>``) in, the insurer's marts topic out
    (column lineage from the grant, a disclosure facet counting the rows released) and the audit
    topic. The releases of one ``release_all`` share a parent run, so the report draws them all.
    """
    from openlineage.client.facet_v2 import parent_run

    from medshare.lab.disclosure import MART_PREFIX

    cfg = cfg or settings()
    if agreements is None:
        from privacy.agreements import load_agreements

        agreements = load_agreements()
    agreement = agreements.for_insurer(result.insurer)
    grant = agreement.grant(result.purpose, MART_PREFIX + result.mart)
    kafka_ns = kafka_namespace(cfg)
    mart_ns, mart_name = lab_dataset(cfg, result.mart, schema="marts")
    lineage = column_lineage({p: [(mart_ns, mart_name, p, str(tr))] for p, tr in grant.fields.items() if tr.passes})
    disclosure = MedshareDisclosureOutputDatasetFacet(
        insurer=result.insurer, purpose=result.purpose, legalBasis=grant.basis, consentsReliedOn=0,
        disclosures=int(result.rows), sources=[grant.source], agreementId=agreement.agreement_id,
        agreementVersion=agreement.fingerprint, producer=PRODUCER)
    run_facets: dict[str, Any] = {}
    if parent_run_id:
        run_facets["parent"] = parent_run.ParentRunFacet(
            run=parent_run.Run(runId=parent_run_id), job=parent_run.Job(namespace=JOB_NAMESPACE, name="lab.release_all"),
            producer=PRODUCER)
    return RunEvent(
        eventType=RunState.COMPLETE, eventTime=_now(), producer=PRODUCER,
        run=Run(runId=str(generate_new_uuid()), facets=run_facets),
        job=Job(namespace=JOB_NAMESPACE, name="lab.release"),
        inputs=[_ds(InputDataset, mart_ns, mart_name)],
        outputs=[_ds(OutputDataset, kafka_ns, result.topic, {"columnLineage": lineage},
                     output_facets={"medshare_disclosure": disclosure}),
                 _ds(OutputDataset, kafka_ns, t.AUDIT)],
    )


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("medshare")
    except Exception:  # noqa: BLE001
        return "0"


def _ol_version() -> str:
    try:
        from importlib.metadata import version

        return version("openlineage-python")
    except Exception:  # noqa: BLE001
        return "unknown"


def _actual(o: Any) -> str | None:
    """What GX saw: the failing rows of a column expectation, else its observed value (never masked data)."""
    if o.unexpected_count is not None:
        return str(o.unexpected_count)
    if o.observed is None:
        return None
    text = o.observed if isinstance(o.observed, str) else json.dumps(o.observed, ensure_ascii=False, default=str)
    return text[:200]


def quality_facets(run: TableRun) -> dict[str, Any]:
    """The input facets of a lab table validated by ``run``: OpenLineage's data-quality facets.

    ``dataQualityAssertions``: one assertion per GX expectation (``assertion`` the expectation type,
    ``success``, ``column``, ``severity``, ``name`` the contract rule, ``description``, ``actual`` the
    failing rows of a column expectation or GX's observed value). ``dataQualityMetrics``: the rows
    validated and each contract column's ``nullCount``. Every producer of GX results builds them
    here: :func:`quality_event`, and the ``lab_load`` DAG's task (its inlets at COMPLETE/FAIL,
    :func:`medshare.orchestration.lineage.attach_quality`).
    """
    assertions = [data_quality_assertions_dataset.Assertion(
        assertion=o.expectation, success=bool(o.success), column=o.column, severity=o.severity,
        name=o.rule, description=o.description or None, actual=_actual(o)) for o in run.outcomes]
    metrics = data_quality_metrics_input_dataset
    return {
        "dataQualityAssertions": data_quality_assertions_dataset.DataQualityAssertionsDatasetFacet(
            assertions=assertions, producer=PRODUCER),
        "dataQualityMetrics": metrics.DataQualityMetricsInputDatasetFacet(
            rowCount=run.rows, producer=PRODUCER,
            columnMetrics={c: metrics.ColumnMetrics(nullCount=n) for c, n in run.null_counts.items()}),
    }


def quality_inputs(runs: Iterable[TableRun], cfg: Settings | None = None) -> list[InputDataset]:
    """The validated lab tables as input datasets carrying :func:`quality_facets`."""
    cfg = cfg or settings()
    return [InputDataset(namespace=ns, name=name, inputFacets=quality_facets(r))
            for r in runs for ns, name in (lab_dataset(cfg, r.table),)]


def quality_event(runs: Iterable[TableRun], cfg: Settings | None = None, job: str = "contracts.gx.validate"
                  ) -> RunEvent:
    """A COMPLETE event of its own whose input lab tables carry the GX results (:func:`quality_inputs`).

    For validations outside a job that reports its own lineage (``medshare report``); the
    ``lab_load`` DAG puts the same facets in its task's events instead.
    """
    return RunEvent(eventType=RunState.COMPLETE, eventTime=_now(), producer=PRODUCER,
                    run=Run(runId=str(generate_new_uuid())), job=Job(namespace=JOB_NAMESPACE, name=job),
                    inputs=quality_inputs(runs, cfg), outputs=[])


# --- serialising, storing, publishing ---------------------------------------------------------------


def to_dict(event: Any) -> dict[str, Any]:
    """An event (openlineage-python object, JSON text or dict) as a plain JSON dict."""
    if isinstance(event, Mapping):
        return dict(event)
    if isinstance(event, (str, bytes)):
        return json.loads(event)
    return json.loads(Serde.to_json(event))


def event_key(e: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """What makes an event unique: run, state, time, job."""
    job = e.get("job") or {}
    return ((e.get("run") or {}).get("runId", ""), str(e.get("eventType", "")), str(e.get("eventTime", "")),
            f"{job.get('namespace', '')}/{job.get('name', '')}")


class LineageError(ValueError):
    """An event the store refuses (not an OpenLineage run event)."""


def check_run_event(e: Mapping[str, Any]) -> None:
    """The fields OpenLineage 2-0-2 requires of a RunEvent; raises :class:`LineageError` naming the first missing."""
    for path in ("eventTime", "producer", "schemaURL", "run.runId", "job.namespace", "job.name"):
        cur: Any = e
        for part in path.split("."):
            cur = cur.get(part) if isinstance(cur, Mapping) else None
        if not cur or not isinstance(cur, str):
            raise LineageError(f"not an OpenLineage run event: {path} missing")
    try:
        datetime.fromisoformat(str(e["eventTime"]).replace("Z", "+00:00"))
    except ValueError:
        raise LineageError("eventTime is not an ISO 8601 time") from None


class LineageStore:
    """Append-only JSON lines: ``<dir>/events.jsonl`` written here, plus any ``*.jsonl`` dropped beside it.

    Several processes append at once (workers, Airflow tasks): each line is written whole under an
    exclusive ``flock``. Reading merges every ``*.jsonl`` in the folder (e.g. openlineage-python's
    ``FileTransport`` with ``append: true`` pointed there) and drops duplicates (same run, state,
    time and job).
    """

    FILE = "events.jsonl"

    def __init__(self, directory: str | Path) -> None:
        self.dir = Path(directory)

    @classmethod
    def open(cls, cfg: Settings | None = None) -> LineageStore:
        return cls((cfg or settings()).state_dir / "lineage")

    @property
    def path(self) -> Path:
        return self.dir / self.FILE

    def add(self, event: Any, file: str | None = None) -> dict[str, Any]:
        """Append one run event (to ``events.jsonl``, or ``file`` in the same folder); returns it as a dict."""
        e = to_dict(event)
        check_run_event(e)
        line = json.dumps(e, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / file if file else self.path, "a", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                fh.write(line)
                fh.flush()
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        return e

    def _lines(self) -> Iterator[dict[str, Any]]:
        if not self.dir.exists():
            return
        for path in sorted(self.dir.glob("*.jsonl")):
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        e = json.loads(line)
                    except ValueError:
                        continue  # a torn last line of a crashed writer
                    if isinstance(e, dict) and "eventType" in e and "run" in e:
                        yield e

    def events(self, since: datetime | None = None, until: datetime | None = None,
               job: str | None = None) -> list[dict[str, Any]]:
        """Run events in time order, optionally in [since, until) and of one job name."""
        seen: set[tuple[str, str, str, str]] = set()
        out = []
        for e in self._lines():
            k = event_key(e)
            if k in seen:
                continue
            seen.add(k)
            if job and (e.get("job") or {}).get("name") != job:
                continue
            if since or until:
                at = _parse_time(e.get("eventTime"))
                if at is None or (since and at < _aware(since)) or (until and at >= _aware(until)):
                    continue
            out.append(e)
        out.sort(key=lambda e: _parse_time(e.get("eventTime")) or datetime.min.replace(tzinfo=UTC))
        return out


def _aware(d: datetime) -> datetime:
    return d if d.tzinfo else d.astimezone()


def _parse_time(s: Any) -> datetime | None:
    try:
        d = datetime.fromisoformat(str(s).replace("Z", "+00:00"))
    except ValueError:
        return None
    return _aware(d)


def publish(events: Iterable[Mapping[str, Any]], cfg: Settings | None = None, timeout_s: float = 10.0) -> int:
    """Send events to ``governance.lineage.v1`` as the pipeline principal (key: job name); returns the count."""
    from medshare import kafka as mk

    cfg = cfg or settings()
    producer = mk.producer("pipeline", cfg=cfg, max_block_ms=int(timeout_s * 1000), retries=2,
                           bootstrap_timeout_ms=int(timeout_s * 1000))
    n = 0
    try:
        futures = []
        for e in events:
            job = e.get("job") or {}
            futures.append(producer.send(t.LINEAGE, key=f"{job.get('namespace')}/{job.get('name')}".encode(),
                                         value=json.dumps(e, ensure_ascii=False).encode()))
        producer.flush(timeout=timeout_s)
        for f in futures:
            f.get(timeout=timeout_s)
            n += 1
    finally:
        producer.close(timeout=timeout_s)
    return n


def emit(event: Any, cfg: Settings | None = None, *, kafka: bool = True) -> dict[str, bool]:
    """Store ``event`` locally and publish it to ``governance.lineage.v1``; never raises.

    Returns ``{"store": ok, "kafka": ok}`` so a caller (or test) can see what went through.
    """
    cfg = cfg or settings()
    result = {"store": False, "kafka": False}
    try:
        e = LineageStore.open(cfg).add(event)
        result["store"] = True
    except Exception as exc:  # noqa: BLE001 - lineage must never stop the pipeline
        log.warning("lineage: could not store the event: %s", exc)
        try:
            e = to_dict(event)
        except Exception:  # noqa: BLE001
            return result
    if kafka:
        try:
            result["kafka"] = publish([e], cfg) == 1
        except Exception as exc:  # noqa: BLE001
            log.warning("lineage: could not publish to %s: %s", t.LINEAGE, exc)
    return result


def emit_many(events: Iterable[Any], cfg: Settings | None = None, *, kafka: bool = True) -> dict[str, int]:
    """:func:`emit` for several events with one producer; never raises. Returns the counts that went through."""
    cfg = cfg or settings()
    store = LineageStore.open(cfg)
    stored: list[dict[str, Any]] = []
    result = {"events": 0, "store": 0, "kafka": 0}
    for event in events:
        result["events"] += 1
        try:
            stored.append(store.add(event))
            result["store"] += 1
        except Exception as exc:  # noqa: BLE001 - lineage must never stop the pipeline
            log.warning("lineage: could not store an event: %s", exc)
    if kafka and stored:
        try:
            result["kafka"] = publish(stored, cfg)
        except Exception as exc:  # noqa: BLE001
            log.warning("lineage: could not publish %d events to %s: %s", len(stored), t.LINEAGE, exc)
    return result


@contextlib.contextmanager
def processor_run(handler: Any, runner: Any, cfg: Settings | None = None) -> Iterator[ProcessorLineage | None]:
    """Emit START now and COMPLETE/FAIL when the block ends; a lineage failure is only logged."""
    cfg = cfg or settings()
    pl: ProcessorLineage | None = None
    try:
        pl = ProcessorLineage(handler, cfg, instance=getattr(getattr(runner, "opts", None), "instance", "0"))
        emit(pl.event(RunState.START), cfg)
    except Exception as exc:  # noqa: BLE001
        log.warning("lineage: START of %s not emitted: %s", getattr(handler, "name", handler), exc)
    try:
        yield pl
    except BaseException as exc:
        state = RunState.ABORT if isinstance(exc, (KeyboardInterrupt, SystemExit)) else RunState.FAIL
        _finish(pl, state, runner, cfg, exc)
        raise
    _finish(pl, RunState.COMPLETE, runner, cfg, None)


def _finish(pl: ProcessorLineage | None, state: RunState, runner: Any, cfg: Settings,
            error: BaseException | None) -> None:
    if pl is None:
        return
    try:
        emit(pl.event(state, getattr(runner, "counters", None), error), cfg)
    except Exception as exc:  # noqa: BLE001
        log.warning("lineage: %s of %s not emitted: %s", state.value, pl.name, exc)


# --- an openlineage-python transport for other producers (Airflow, dbt) -------------------------------


@attr.define
class MedshareTransportConfig(Config):
    """``{"type": "medshare.lineage.MedshareTransport", "kafka": true}``."""

    kafka: bool = True

    @classmethod
    def from_dict(cls, params: dict[str, Any]) -> MedshareTransportConfig:
        value = params.get("kafka", True)
        return cls(kafka=str(value).lower() not in ("false", "0", "no"))


class MedshareTransport(Transport):
    """Sends any OpenLineage event through :func:`emit`: the local store and ``governance.lineage.v1``.

    Dataset namespaces other producers give the lab are mapped to medshare's first
    (:func:`normalise_event`), so Airflow's and dbt's events join the processors' graph.
    """

    kind = "medshare"
    config_class: ClassVar[type[Config]] = MedshareTransportConfig  # type: ignore[misc]

    def __init__(self, config: MedshareTransportConfig) -> None:
        self.config = config

    def emit(self, event: Any) -> Any:
        e = to_dict(event)
        if not isinstance(e.get("run"), Mapping):
            log.info("lineage: %s is not a run event; only run events are stored", type(event).__name__)
            return None
        cfg = settings()
        return emit(normalise_event(e, cfg), cfg, kafka=self.config.kafka and broker_reachable(cfg))


def broker_reachable(cfg: Settings, timeout_s: float = 1.0) -> bool:
    """Whether the pipeline principal has credentials and the first bootstrap server accepts a connection.

    Producers outside the stream processors (Airflow tasks, dbt runs) check this first, so a run
    without a broker stores its events locally at once instead of waiting out the producer's
    bootstrap timeout for every event.
    """
    import socket

    if not (cfg.secrets_dir / "principals.json").exists():
        return False
    host, _, port = cfg.bootstrap.split(",")[0].strip().rpartition(":")
    try:
        with socket.create_connection((host.strip("[]") or "localhost", int(port)), timeout=timeout_s):
            return True
    except (OSError, ValueError):
        return False


# --- other producers' naming --------------------------------------------------------------------------


def lab_aliases(cfg: Settings) -> dict[str, tuple[str, str]]:
    """Namespaces dbt and Airflow give a DuckDB lab -> (medshare's namespace, database prefix to replace).

    openlineage-integration-common names a DuckDB dataset ``duckdb://<file path>`` +
    ``<database>.<schema>.<table>`` with the database being the file's stem; medshare names the lab
    ``duckdb://lab`` + ``lab.<schema>.<table>`` (:func:`lab_dataset`). A Postgres lab is named the
    same way by everyone, so it has no alias.
    """
    url = cfg.lab_database
    if url.startswith(("postgresql", "postgres")):
        return {}
    path = Path(url)
    forms = {url, str(path.absolute()), str(path.resolve())}
    return {f"duckdb://{f}": (LAB_NAMESPACE_DUCKDB, path.stem) for f in forms}


def normalise_event(e: dict[str, Any], cfg: Settings | None = None) -> dict[str, Any]:
    """Rename the lab's datasets in ``e`` (in place; returned) to medshare's naming.

    Covers the event's inputs and outputs, the input fields of their ``columnLineage`` facets and
    ``symlinks`` identifiers.
    """
    aliases = lab_aliases(cfg or settings())
    if not aliases:
        return e

    def fix(ds: Any) -> None:
        if not isinstance(ds, dict) or ds.get("namespace") not in aliases:
            return
        ns, stem = aliases[ds["namespace"]]
        ds["namespace"] = ns
        name = str(ds.get("name", ""))
        if name.startswith(f"{stem}.") and stem != "lab":
            ds["name"] = "lab." + name[len(stem) + 1:]

    for ds in [*(e.get("inputs") or []), *(e.get("outputs") or [])]:
        fix(ds)
        facets = ds.get("facets") or {}
        cl = facets.get("columnLineage") or {}
        for spec in (cl.get("fields") or {}).values():
            for field in spec.get("inputFields") or []:
                fix(field)
        for field in cl.get("dataset") or []:
            fix(field)
        for ident in (facets.get("symlinks") or {}).get("identifiers") or []:
            fix(ident)
    return e


# --- dbt runs outside Airflow ----------------------------------------------------------------------------

#: job namespace of the dbt runs medshare starts itself (``medshare lab build``); in Airflow the cosmos
#: tasks report dbt's datasets under the Airflow job namespace
DBT_JOB_NAMESPACE = "dbt"
#: dbt commands whose artefacts describe models run (the others build nothing)
DBT_COMMANDS = ("run", "build", "test", "seed", "snapshot")


def dbt_events(project_dir: str | Path, target_dir: str | Path, profile: str, target: str,
               command: list[str], cfg: Settings | None = None) -> list[dict[str, Any]]:
    """The OpenLineage events of the dbt invocation whose artefacts are in ``target_dir``.

    openlineage-integration-common's :class:`DbtLocalArtifactProcessor` (what ``dbt-ol`` and cosmos
    use) reads ``manifest.json`` and ``run_results.json``: one START and one COMPLETE/FAIL per model,
    test, seed or snapshot, job ``<database>.<schema>.<project>.<node>.<command>.<kind>`` in namespace
    :data:`DBT_JOB_NAMESPACE`. The profile is read as dbt does, so its environment variables must be
    set (:func:`medshare.lab.dbt.dbt_env`). Datasets are renamed by :func:`normalise_event`.
    """
    from openlineage.common.provider.dbt.local import DbtLocalArtifactProcessor

    cfg = cfg or settings()
    processor = DbtLocalArtifactProcessor(
        producer=PRODUCER, job_namespace=DBT_JOB_NAMESPACE, project_dir=str(project_dir),
        profile_name=profile, target=target, target_path=str(target_dir), dbt_command_line=["dbt", *command])
    processor.should_raise_on_unsupported_command = False
    events = processor.parse()
    return [normalise_event(to_dict(e), cfg) for e in [*events.starts, *events.completes, *events.fails]]


# --- copying governance.lineage.v1 back into the store -------------------------------------------------------


@attr.define
class PullResult:
    """What :func:`pull` read and stored."""

    read: int = 0
    added: int = 0
    duplicates: int = 0
    rejected: list[str] = attr.field(factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"read": self.read, "added": self.added, "duplicates": self.duplicates,
                "rejected": len(self.rejected), "rejections": self.rejected[:20]}


#: the file of the store that pulled events go to (read with every other ``*.jsonl`` of the folder)
PULLED_FILE = "pulled.jsonl"


def pull(cfg: Settings | None = None, principal: str = "compliance", timeout_s: float = 30.0,
         idle_s: float = 2.0) -> PullResult:
    """Copy every run event on ``governance.lineage.v1`` that the store lacks into the store.

    Reads the topic from the beginning as ``principal`` (by assignment, no consumer group: nothing
    is committed), skips events the store already holds (:func:`event_key`) and appends the others
    to ``pulled.jsonl`` in the store's folder. Running it again adds nothing: idempotent. A message
    that is not a run event is counted as rejected with its partition, offset and reason.
    """
    from kafka import TopicPartition

    from medshare import kafka as mk

    cfg = cfg or settings()
    store = LineageStore.open(cfg)
    seen = {event_key(e) for e in store.events()}
    result = PullResult()
    c = mk.consumer(principal, None, cfg=cfg, isolation_level="read_committed",
                    bootstrap_timeout_ms=int(timeout_s * 1000))
    try:
        parts = [TopicPartition(t.LINEAGE, p) for p in sorted(c.partitions_for_topic(t.LINEAGE) or [])]
        if not parts:
            return result
        c.assign(parts)
        c.seek_to_beginning()
        ends = c.end_offsets(parts)
        deadline = time.monotonic() + timeout_s
        while any(c.position(tp) < ends[tp] for tp in parts):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{t.LINEAGE} not read to its end within {timeout_s:.0f} s "
                                   f"({result.read} events read)")
            for records in c.poll(timeout_ms=int(idle_s * 1000)).values():
                for m in records:
                    result.read += 1
                    _pull_one(store, seen, m, result)
        return result
    finally:
        c.close()


def _pull_one(store: LineageStore, seen: set[tuple[str, str, str, str]], m: Any, result: PullResult) -> None:
    where = f"{m.topic}[{m.partition}]@{m.offset}"
    try:
        e = json.loads(m.value)
        if not isinstance(e, dict):
            raise LineageError("not a JSON object")
        check_run_event(e)
    except (ValueError, TypeError) as exc:
        result.rejected.append(f"{where}: {exc}")
        return
    key = event_key(e)
    if key in seen:
        result.duplicates += 1
        return
    store.add(e, file=PULLED_FILE)
    seen.add(key)
    result.added += 1


def wait_for_topic_events(cfg: Settings, n: int, timeout_s: float = 30.0) -> list[dict[str, Any]]:
    """Read ``governance.lineage.v1`` from the start until ``n`` events are there (tests, the report)."""
    from kafka import TopicPartition

    from medshare import kafka as mk

    c = mk.consumer("pipeline", None, cfg=cfg, isolation_level="read_committed")
    out: list[dict[str, Any]] = []
    try:
        parts = [TopicPartition(t.LINEAGE, p) for p in (c.partitions_for_topic(t.LINEAGE) or [])]
        if not parts:
            return out
        c.assign(parts)
        c.seek_to_beginning()
        deadline = time.monotonic() + timeout_s
        ends = c.end_offsets(parts)
        while time.monotonic() < deadline and (len(out) < n or any(c.position(tp) < ends[tp] for tp in parts)):
            for records in c.poll(timeout_ms=500).values():
                for m in records:
                    with contextlib.suppress(ValueError, TypeError):
                        out.append(json.loads(m.value))
            if len(out) < n:
                ends = c.end_offsets(parts)
        return out
    finally:
        c.close()
