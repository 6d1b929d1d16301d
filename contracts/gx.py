"""Great Expectations suites generated from a contract, run on lab tables.

:func:`build_expectations` reads a table contract and produces GX 1.x expectations:

========================================  ===============================================
contract                                  expectation
========================================  ===============================================
the columns                               ``expect_table_columns_to_match_set`` (extras ok)
``required: true``                        ``expect_column_values_to_not_be_null``
``primaryKey``/``unique``/duplicateValues ``expect_column_values_to_be_unique`` (compound
                                          for a multi-column key)
``enum``                                  ``expect_column_values_to_be_in_set``
pattern / named format (strings)          ``expect_column_values_to_match_regex``
minimum / maximum                         ``expect_column_values_to_be_between``
nullValues ≤ p percent                    ``expect_column_values_to_not_be_null(mostly=…)``
rowCount bounds                           ``expect_table_row_count_to_be_between``
SLA ``latency`` on a column (freshness)   ``expect_column_max_to_be_between`` on the
                                          column's epoch seconds (severity: warning)
record rules (``engine: medshare``)       the same compiled rule per row, as a derived
                                          boolean column ``_rule:<name>`` that must be True
========================================  ===============================================

:func:`validate_table` loads the table from the lab's DuckDB file into pandas, runs the suite
with an ephemeral GX context and returns a :class:`TableRun`: JSON for machines
(:meth:`TableRun.to_dict`), an HTML summary for people (:meth:`TableRun.to_html`). Failed
expectations carry a sample of failing rows' primary keys; values of columns tagged
``direct-identifier`` or ``sensitive-health`` are never included (keys of such columns are hashed).

``great_expectations`` is imported inside the functions: importing it takes seconds.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import math
import os
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from contracts.exceptions import ContractError
from contracts.rules import get_format

if TYPE_CHECKING:
    import pandas as pd

    from contracts.model import Contract

#: how many failing rows' keys a failed expectation reports
DEFAULT_SAMPLE = 10
RULE_COLUMN_PREFIX = "_rule:"
EPOCH_COLUMN_PREFIX = "_epoch:"
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600,
          "d": 86400, "day": 86400, "days": 86400}


@dataclass
class Planned:
    """One expectation to run, with where in the contract it came from."""

    kind: str  # GX expectation class name
    kwargs: dict[str, Any]
    rule: str  # the contract rule: required, unique, enum, format:icd10, freshness, <record rule name>, ...
    column: str | None = None
    severity: str = "critical"
    description: str = ""


@dataclass
class Outcome:
    """The result of one expectation, safe to print and to store."""

    expectation: str
    rule: str
    column: str | None
    success: bool
    severity: str
    description: str
    observed: Any = None
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    sample_keys: list[dict[str, str]] = field(default_factory=list)
    sample_values: list[str] | None = None
    error: str | None = None


@dataclass
class TableRun:
    """A validation run of one lab table against its contract."""

    table: str
    contract_id: str
    contract_version: str
    database: str
    rows: int
    started_at: str
    duration_s: float
    outcomes: list[Outcome]
    engine: str = "great_expectations"
    #: nulls per contract column of the rows validated (the ``dataQualityMetrics`` lineage facet)
    null_counts: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.success]

    @property
    def success(self) -> bool:
        """True when no critical expectation failed (warnings, e.g. freshness, do not fail a run)."""
        return not any(o.severity == "critical" for o in self.failed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table, "contract": self.contract_id, "contract_version": self.contract_version,
            "database": self.database, "engine": self.engine, "rows": self.rows, "success": self.success,
            "started_at": self.started_at, "duration_s": round(self.duration_s, 3),
            "expectations": len(self.outcomes), "failed": len(self.failed),
            "null_counts": dict(self.null_counts), "results": [asdict(o) for o in self.outcomes],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=str)

    def to_html(self) -> str:
        return render_html(self)


# --- planning the suite -------------------------------------------------------------------


def _anchored(pattern: str) -> str:
    return f"^(?:{pattern})$"


def _bounds(q: Any) -> tuple[float | None, float | None]:
    lo = hi = None
    if q.mustBeBetween:
        lo, hi = q.mustBeBetween
    if q.mustBeGreaterOrEqualTo is not None:
        lo = q.mustBeGreaterOrEqualTo
    if q.mustBeGreaterThan is not None:
        lo = q.mustBeGreaterThan + 1 if isinstance(q.mustBeGreaterThan, int) else q.mustBeGreaterThan
    if q.mustBeLessOrEqualTo is not None:
        hi = q.mustBeLessOrEqualTo
    if q.mustBeLessThan is not None:
        hi = q.mustBeLessThan - 1 if isinstance(q.mustBeLessThan, int) else q.mustBeLessThan
    if q.mustBe is not None:
        lo = hi = q.mustBe
    return lo, hi


def _column_plans(contract: Contract) -> list[Planned]:
    plans: list[Planned] = []
    key = contract.primary_key
    for f in contract.top_fields:
        col = f.name
        if f.required:
            plans.append(Planned("ExpectColumnValuesToNotBeNull", {"column": col}, "required", col,
                                 description=f"{col} is required"))
        if f.unique and len(key) <= 1:
            plans.append(Planned("ExpectColumnValuesToBeUnique", {"column": col}, "unique", col,
                                 description=f"{col} is unique"))
        if f.enum is not None and f.logical_type not in ("array", "object", "map"):
            plans.append(Planned("ExpectColumnValuesToBeInSet", {"column": col, "value_set": list(f.enum)},
                                 "enum", col, description=f"{col} takes one of {len(f.enum)} values"))
        if f.logical_type == "string":
            if f.pattern:
                plans.append(Planned("ExpectColumnValuesToMatchRegex", {"column": col, "regex": f.pattern},
                                     "pattern", col, description=f"{col} matches its pattern"))
            if f.format:
                fmt = get_format(f.format)
                plans.append(Planned("ExpectColumnValuesToMatchRegex",
                                     {"column": col, "regex": _anchored(fmt.pattern)}, f"format:{fmt.name}", col,
                                     description=f"{col} is a {fmt.description} (regex part)"))
        if f.logical_type in ("integer", "number"):
            o = f.options
            lo = o.get("minimum", o.get("exclusiveMinimum"))
            hi = o.get("maximum", o.get("exclusiveMaximum"))
            if lo is not None or hi is not None:
                plans.append(Planned("ExpectColumnValuesToBeBetween", {
                    "column": col, "min_value": lo, "max_value": hi,
                    "strict_min": "exclusiveMinimum" in o and "minimum" not in o,
                    "strict_max": "exclusiveMaximum" in o and "maximum" not in o,
                }, "range", col, description=f"{col} within its range"))
    if len(key) > 1:
        plans.append(Planned("ExpectCompoundColumnsToBeUnique", {"column_list": key}, "unique",
                             description=f"({', '.join(key)}) is unique"))
    return plans


def _quality_plans(contract: Contract) -> list[Planned]:
    plans: list[Planned] = []
    for col, q in contract.table_quality():
        metric = q.metric or q.rule
        desc = q.description or ""
        if metric == "rowCount" and col is None:
            lo, hi = _bounds(q)
            plans.append(Planned("ExpectTableRowCountToBeBetween", {"min_value": lo, "max_value": hi},
                                 "row-count", description=desc or f"row count within [{lo}, {hi}]"))
        elif metric == "duplicateValues" and col is not None:
            plans.append(Planned("ExpectColumnValuesToBeUnique", {"column": col}, "unique", col,
                                 description=desc or f"{col} has no duplicates"))
        elif metric in ("nullValues", "missingValues") and col is not None:
            lo, hi = _bounds(q)
            allowed = hi or 0
            mostly = 1 - (allowed / 100 if q.unit == "percent" else 0)
            if q.unit != "percent" and allowed:
                raise ContractError(f"{contract.id}: {metric} on {col}: use unit: percent for a tolerance")
            plans.append(Planned("ExpectColumnValuesToNotBeNull", {"column": col, "mostly": max(0.0, mostly)},
                                 "completeness", col, description=desc or f"{col} is complete"))
        else:
            raise ContractError(f"{contract.id}: quality metric {metric!r}"
                                f"{f' on {col}' if col else ''} has no Great Expectations mapping")
    return plans


def build_expectations(contract: Contract, now: datetime | None = None) -> list[Planned]:
    """Everything the suite of ``contract`` checks, deduplicated, before GX is involved."""
    plans: list[Planned] = [Planned(
        "ExpectTableColumnsToMatchSet", {"column_set": contract.field_names(), "exact_match": False},
        "columns", description="every contract column exists (the table may have more)")]
    plans += _column_plans(contract)
    plans += _quality_plans(contract)
    fresh = contract.freshness()
    if fresh:
        col, amount, unit = fresh
        seconds = amount * _UNITS.get(unit, 86400)
        now = now or datetime.now(UTC)
        sla = next(s for s in contract.odcs.slaProperties or [] if s.property in ("latency", "freshness"))
        severity = next((cp.value for cp in sla.customProperties or [] if cp.property == "severity"), "warning")
        plans.append(Planned("ExpectColumnMaxToBeBetween",
                             {"column": EPOCH_COLUMN_PREFIX + col, "min_value": now.timestamp() - seconds},
                             "freshness", col, severity=str(severity),
                             description=f"newest {col} is at most {amount:g} {unit} old"))
    for scope, rule in contract.record_rules:
        if scope:
            continue  # rules on array items are checked by the stream validator
        plans.append(Planned("ExpectColumnValuesToBeInSet",
                             {"column": RULE_COLUMN_PREFIX + rule.name, "value_set": [True]},
                             rule.name, None, description=rule.description or f"record rule {rule.name}"))
    seen: set[tuple[str, str]] = set()
    unique: list[Planned] = []
    for p in plans:
        ident = (p.kind, json.dumps(p.kwargs, sort_keys=True, default=str))
        if ident not in seen:
            seen.add(ident)
            unique.append(p)
    return unique


# --- data -------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A database/pandas value as the JSON value the record validator expects."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if hasattr(value, "isoformat") and hasattr(value, "to_pydatetime"):  # pandas Timestamp / NaT
        try:
            return value.to_pydatetime().isoformat(timespec="seconds")
        except ValueError:
            return None
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return _plain(value.tolist())
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return value


def records_of(df: pd.DataFrame, contract: Contract) -> list[dict[str, Any]]:
    """Rows as records: JSON columns parsed, decimals as floats, timestamps as ISO strings."""
    nested = {f.name for f in contract.top_fields if f.logical_type in ("array", "object", "map")}
    cols = [c for c in df.columns if c in {f.name for f in contract.top_fields}]
    out = []
    for row in df[cols].itertuples(index=False, name=None):
        rec = {}
        for c, v in zip(cols, row, strict=True):
            v = _plain(v)
            if c in nested and isinstance(v, str):
                try:
                    v = json.loads(v)
                except ValueError:
                    pass
            rec[c] = v
        out.append(rec)
    return out


def add_derived_columns(df: pd.DataFrame, contract: Contract) -> pd.DataFrame:
    """The columns the suite's rule and freshness expectations read (a copy of ``df``)."""
    import pandas as pd

    df = df.copy()
    rules = [r for scope, r in contract.record_rules if not scope]
    if rules:
        recs = records_of(df, contract)
        for rule in rules:
            df[RULE_COLUMN_PREFIX + rule.name] = [not rule.check(r) for r in recs]
    fresh = contract.freshness()
    if fresh and fresh[0] in df.columns:
        ts = pd.to_datetime(df[fresh[0]], utc=True, errors="coerce")
        df[EPOCH_COLUMN_PREFIX + fresh[0]] = [t.timestamp() if not pd.isna(t) else None for t in ts]
    return df


def load_table(table: str, database: str) -> pd.DataFrame:
    """The whole lab table as a DataFrame, read through DuckDB (read-only)."""
    if database.startswith(("postgresql://", "postgres://")):
        raise ContractError("validating a Postgres lab is not supported yet; point --database at a DuckDB file")
    if not os.path.exists(database):
        raise ContractError(f"no lab database at {database}")
    import duckdb

    if not table.replace("_", "").isalnum():
        raise ContractError(f"table name {table!r} is not a plain identifier")
    con = duckdb.connect(database, read_only=True)
    try:
        names = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        if table not in names:
            raise ContractError(f"lab database {database} has no table {table}")
        return con.execute(f'select * from "{table}"').df()
    finally:
        con.close()


# --- running ----------------------------------------------------------------------------------


def _quiet_gx() -> None:
    """No analytics, and no INFO lines from GX: some of its modules set their own loggers to INFO
    when imported (``data_context.types.base`` announces each ephemeral docs folder), so every GX
    logger that exists after the import is lowered, not only the package's."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    for name in ("great_expectations", "great_expectations._docs_decorators",
                 "great_expectations.expectations.registry"):  # these log while GX is imported
        logging.getLogger(name).setLevel(logging.WARNING)
    import great_expectations  # noqa: F401 - imported here so its loggers exist before they are lowered

    for name in [n for n in logging.root.manager.loggerDict if n.startswith("great_expectations")]:
        logging.getLogger(name).setLevel(logging.WARNING)


def _key_text(value: Any, masked: bool) -> str:
    text = str(_plain(value))
    if masked:
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:12]
    return text


def _outcome(plan: Planned, result: Any, contract: Contract, sample: int) -> Outcome:
    res = result.result or {}
    masked_cols = {f.name for f in contract.top_fields if f.masked}
    key = contract.primary_key
    out = Outcome(expectation=result.expectation_config.type, rule=plan.rule, column=plan.column,
                  success=bool(result.success), severity=plan.severity, description=plan.description)
    exc = getattr(result, "exception_info", None) or {}
    if exc.get("raised_exception"):
        out.error = str(exc.get("exception_message", "exception"))[:300]
    out.unexpected_count = res.get("unexpected_count")
    pct = res.get("unexpected_percent")
    out.unexpected_percent = round(float(pct), 4) if pct is not None else None
    observed = res.get("observed_value")
    if observed is not None and plan.column not in masked_cols:
        out.observed = _plain(observed)
        if plan.rule == "freshness" and isinstance(out.observed, int | float):
            out.observed = datetime.fromtimestamp(out.observed, UTC).isoformat(timespec="seconds")
    if plan.kind == "ExpectTableColumnsToMatchSet":
        out.observed = {"missing": (res.get("details") or {}).get("mismatched", {}).get("missing", [])}
    if not out.success:
        for entry in (res.get("partial_unexpected_index_list") or [])[:sample]:
            if isinstance(entry, dict):
                out.sample_keys.append({k: _key_text(entry.get(k), k in masked_cols) for k in key if k in entry})
        column_masked = plan.column in masked_cols or plan.column is None
        if not column_masked and res.get("partial_unexpected_list") is not None:
            out.sample_values = [str(_plain(v)) for v in res["partial_unexpected_list"][:sample]]
    return out


def validate_dataframe(
    contract: Contract, df: pd.DataFrame, *, table: str | None = None, database: str = "<dataframe>",
    now: datetime | None = None, sample: int = DEFAULT_SAMPLE,
) -> TableRun:
    """Run the suite generated from ``contract`` on ``df`` with an ephemeral GX context."""
    _quiet_gx()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    started = datetime.now(UTC)
    t0 = time.perf_counter()
    table = table or contract.table or contract.id
    data = add_derived_columns(df, contract)
    present = set(data.columns)
    plans = [p for p in build_expectations(contract, now)
             if "column" not in p.kwargs or p.kwargs["column"] in present]
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    batch = ctx.data_sources.add_pandas("medshare-lab").add_dataframe_asset(name=table) \
        .add_batch_definition_whole_dataframe("whole-table")
    suite = ctx.suites.add(gx.ExpectationSuite(name=f"{contract.id}@{contract.version}"))
    for i, p in enumerate(plans):
        cls = getattr(gx.expectations, p.kind)
        suite.add_expectation(cls(**p.kwargs, severity=p.severity, description=p.description,
                                  meta={"medshare_rule": p.rule, "medshare_index": i}))
    key = [k for k in contract.primary_key if k in present]
    result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": sample}
    if key:
        result_format["unexpected_index_column_names"] = key
    vd = gx.ValidationDefinition(data=batch, suite=suite, name=f"validate-{table}")
    res = vd.run(batch_parameters={"dataframe": data}, result_format=result_format)
    outcomes = []
    for r in res.results:
        idx = (r.expectation_config.meta or {}).get("medshare_index")
        outcomes.append(_outcome(plans[idx], r, contract, sample))
    nulls = {f.name: int(df[f.name].isna().sum()) for f in contract.top_fields if f.name in df.columns}
    return TableRun(table=table, contract_id=contract.id, contract_version=contract.version,
                    database=database, rows=len(df), started_at=started.isoformat(timespec="seconds"),
                    duration_s=time.perf_counter() - t0, outcomes=outcomes, null_counts=nulls)


def validate_table(
    table: str, database: str | None = None, *, contract: Contract | None = None,
    now: datetime | None = None, sample: int = DEFAULT_SAMPLE,
) -> TableRun:
    """Validate lab table ``table`` (default database: ``settings().lab_database``)."""
    from contracts import registry

    if contract is None:
        contract = registry.for_table(table)
    if len(contract.parts) > 1:
        # one record kind per lab table (lab.settlements.v2: settlements and revocations)
        part = next((p for p in contract.parts if p.schema.physicalName == table), None)
        if part is None:
            part = next((p for p in contract.parts if p.schema.physicalName == contract.table), contract)
        table = part.schema.physicalName or table
        contract = part
    else:
        table = contract.table or table
    if database is None:
        from medshare.config import settings

        database = settings().lab_database
    df = load_table(table, database)
    return validate_dataframe(contract, df, table=table, database=database, now=now, sample=sample)


# --- HTML ---------------------------------------------------------------------------------------

_CSS = """body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:#f3f3f3}.ok{color:#176b2c}.fail{color:#b00020;font-weight:600}.warn{color:#a25b00;font-weight:600}
code{font-size:.85rem}"""


def render_html(run: TableRun) -> str:
    """A self-contained HTML page summarising a run (every value escaped)."""
    e = html.escape
    verdict = "PASSED" if run.success else "FAILED"
    rows = []
    for o in sorted(run.outcomes, key=lambda o: (o.success, o.severity != "critical")):
        cls = "ok" if o.success else ("fail" if o.severity == "critical" else "warn")
        status = "pass" if o.success else ("FAIL" if o.severity == "critical" else "warning")
        detail = []
        if o.unexpected_count:
            detail.append(f"{o.unexpected_count} rows ({o.unexpected_percent}%)")
        if o.observed is not None:
            detail.append(f"observed: {json.dumps(o.observed, ensure_ascii=False, default=str)[:200]}")
        if o.sample_keys:
            detail.append("failing keys: " + ", ".join(
                "/".join(f"{k}={v}" for k, v in key.items()) for key in o.sample_keys))
        if o.sample_values:
            detail.append("values: " + ", ".join(o.sample_values[:10]))
        if o.error:
            detail.append(f"error: {o.error}")
        rows.append(
            f"<tr><td class='{cls}'>{e(status)}</td><td><code>{e(o.expectation)}</code></td>"
            f"<td>{e(o.column or '(table)')}</td><td>{e(o.rule)}</td><td>{e(o.description)}</td>"
            f"<td>{'<br>'.join(e(d) for d in detail)}</td></tr>")
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{e(run.table)}: {verdict}</title><style>{_CSS}</style></head><body>
<h1>{e(run.table)} <span class="{'ok' if run.success else 'fail'}">{verdict}</span></h1>
<p>Contract <code>{e(run.contract_id)}</code> version {e(run.contract_version)} · {run.rows} rows ·
{len(run.outcomes)} expectations, {len(run.failed)} failed · {e(run.started_at)} · {run.duration_s:.2f} s ·
database <code>{e(run.database)}</code></p>
<table><tr><th>status</th><th>expectation</th><th>column</th><th>contract rule</th><th>description</th>
<th>details</th></tr>
{''.join(rows)}
</table>
<p>Failing rows are identified by primary key only; values of identifier and health columns are never
shown. Generated by <code>medshare contracts validate</code> with Great Expectations.</p>
</body></html>
"""


__all__ = ["Outcome", "Planned", "TableRun", "add_derived_columns", "build_expectations", "load_table",
           "records_of", "render_html", "validate_dataframe", "validate_table"]
