"""A team's raw tables against the raw contract: what `saas-metrics doctor` and the build
summary report.

With a loader mapping on (var `<source>_loader`, docs/loaders/), the contract tables it
produces are not looked for in the raw schema; the loader's own tables are checked instead,
against the columns its mapping reads (models/loaders/<loader>/_<loader>__sources.yml).

The contract is the sources YAML (``saas_metrics.generator.contract``); which metrics need
which raw table is ``seeds/metric_raw_requirements.csv``. Findings:

error    a contract column is missing, or a column has a type staging cannot read as the
         contract's type: the build would stop, so fix these first
warning  a raw table or schema is missing (read as empty: its metrics are NULL), rows
         staging would quarantine, stale data
info     extra columns (ignored)
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from saas_metrics import PROJECT_ROOT
from saas_metrics.generator.contract import SOURCES, Contract, Table, load_contract, sources_path
from saas_metrics.loaders import enabled_loaders, loader_of_table, loader_tables

REQUIREMENTS_CSV = PROJECT_ROOT / "seeds" / "metric_raw_requirements.csv"

# type families: a raw column is readable as the contract's type when its family is allowed
_FAMILIES = {
    "int": {"bigint", "integer", "int", "smallint", "hugeint", "int8", "int4", "int2",
            "tinyint", "ubigint", "uinteger", "usmallint", "utinyint", "long"},
    "numeric": {"numeric", "decimal", "double", "double precision", "real", "float", "float4",
                "float8"},
    "text": {"text", "varchar", "character varying", "string", "character", "char", "bpchar"},
    "timestamptz": {"timestamp with time zone", "timestamptz"},
    "timestamp": {"timestamp", "timestamp without time zone", "datetime", "timestamp_ns",
                  "timestamp_ms", "timestamp_s"},
    "date": {"date"},
    "boolean": {"boolean", "bool"},
    "json": {"json", "jsonb"},
}
_READABLE_AS = {
    "int": {"int"},
    "numeric": {"int", "numeric"},
    "text": {"text"},
    "timestamptz": {"timestamptz"},
    "date": {"date"},
    "boolean": {"boolean"},
    "json": {"json", "text"},  # loaders land JSON as json, jsonb or text
    "timestamp": {"timestamp"},  # a loader's naive UTC time
}


def type_family(data_type: str) -> str:
    base = re.sub(r"\(.*\)", "", data_type.strip().lower()).strip()
    for family, names in _FAMILIES.items():
        if base in names:
            return family
    return base


def contract_family(data_type: str) -> str:
    family = type_family(data_type)
    return "int" if family == "int" else family


@dataclass
class Finding:
    table: str
    column: str | None
    severity: str  # error | warning | info
    kind: str
    detail: str
    metrics: list[str] = field(default_factory=list)


@dataclass
class TableState:
    key: str
    schema: str
    exists: bool
    columns: dict[str, str] = field(default_factory=dict)  # name -> warehouse type
    row_count: int | None = None
    last_loaded_at: dt.datetime | None = None


@lru_cache(maxsize=1)
def metric_requirements() -> dict[str, list[str]]:
    """raw table -> ['domain.metric', ...] that need it."""
    needs: dict[str, list[str]] = defaultdict(list)
    with REQUIREMENTS_CSV.open() as handle:
        for row in csv.DictReader(handle):
            needs[row["raw_table"]].append(f"{row['domain']}.{row['metric_name']}")
    return dict(needs)


def metrics_needing(table_key: str) -> list[str]:
    mapping = loader_of_table(table_key)
    if mapping is None:
        return metric_requirements().get(table_key, [])
    # a loader table feeds every contract table its mapping produces
    return sorted({metric for key in mapping.contract_keys
                   for metric in metric_requirements().get(key, [])})


def raw_schemas(dbt_vars: dict[str, Any] | None = None) -> dict[str, str]:
    """Source -> raw schema, from the raw_<source>_schema vars (default raw_<source>), and
    each enabled loader's dbt source -> its schema var (default from its sources YAML)."""
    dbt_vars = dbt_vars or {}
    schemas = {source: str(dbt_vars.get(f"raw_{source}_schema", f"raw_{source}"))
               for source in SOURCES}
    for mapping in enabled_loaders(dbt_vars):
        defaults = {table.source: table.schema for table in loader_tables(mapping.name)}
        for source, schema_var in mapping.loader_sources:
            schemas[source] = str(dbt_vars.get(schema_var, defaults.get(source, source)))
    return schemas


def checked_contract(dbt_vars: dict[str, Any] | None = None) -> Contract:
    """The tables a team must hold: the raw contract's, minus those an enabled loader
    mapping produces, plus that loader's own tables."""
    contract = load_contract()
    mappings = enabled_loaders(dbt_vars)
    mapped = {key for mapping in mappings for key in mapping.contract_keys}
    tables = [table for table in contract.tables if table.key not in mapped]
    for mapping in mappings:
        tables += loader_tables(mapping.name, dbt_vars)
    return Contract(tuple(tables), contract.source_descriptions)


def freshness_rules() -> dict[str, tuple[int, int] | None]:
    """table key -> (warn_after, error_after) in hours, None when freshness is off."""
    rules: dict[str, tuple[int, int] | None] = {}
    hours = {"hour": 1, "day": 24}
    for source in SOURCES:
        spec = yaml.safe_load(sources_path(source).read_text())
        for src in spec["sources"]:
            default = (src.get("config") or {}).get("freshness")
            for table in src["tables"]:
                config = table.get("config") or {}
                fresh = config["freshness"] if "freshness" in config else default
                key = f"{src['name']}.{table['name']}"
                if not fresh:
                    rules[key] = None
                    continue
                warn, error = fresh["warn_after"], fresh["error_after"]
                rules[key] = (warn["count"] * hours[warn["period"]],
                              error["count"] * hours[error["period"]])
    return rules


class RawReader:
    """Information-schema and count queries on DuckDB or PostgreSQL."""

    def __init__(self, conn: Any, target: str):
        self.conn, self.target = conn, target

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        if self.target == "duckdb":
            return self.conn.execute(sql, params or []).fetchall()
        with self.conn.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params or [])
            return cursor.fetchall()

    def columns(self, schema: str) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = defaultdict(dict)
        for table, column, data_type in self.rows(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = ? order by table_name, ordinal_position", [schema]
        ):
            found[table.lower()][column.lower()] = data_type
        return found


def inspect_raw(reader: RawReader, contract: Contract | None = None,
                dbt_vars: dict[str, Any] | None = None) -> list[TableState]:
    contract = contract or checked_contract(dbt_vars)
    schemas = raw_schemas(dbt_vars)
    by_schema = {schema: reader.columns(schema) for schema in set(schemas.values())}
    states = []
    for table in contract.tables:
        schema = schemas[table.source]
        columns = by_schema[schema].get(table.name, {})
        state = TableState(table.key, schema, bool(columns), columns)
        if state.exists:
            state.row_count = reader.rows(
                f'select count(*) from "{schema}"."{table.name}"')[0][0]
            if "_loaded_at" in columns:
                state.last_loaded_at = reader.rows(
                    f'select max(_loaded_at) from "{schema}"."{table.name}"')[0][0]
        states.append(state)
    return states


def contract_findings(states: list[TableState], contract: Contract | None = None,
                      now: dt.datetime | None = None) -> list[Finding]:
    """Missing tables and columns, extra columns, type mismatches and stale tables."""
    by_key = (contract or load_contract()).by_key()
    now = now or dt.datetime.now(dt.UTC)
    freshness = freshness_rules()
    findings: list[Finding] = []
    missing_schemas = {s.schema for s in states} - {s.schema for s in states if s.exists}
    for schema in sorted(missing_schemas):
        tables = [s for s in states if s.schema == schema]
        findings.append(Finding(
            f"{tables[0].key.split('.')[0]}.*", None, "warning", "missing_schema",
            f"schema {schema} does not exist: its "
            f"{'table reads' if len(tables) == 1 else f'{len(tables)} tables read'} as empty, "
            "so the metrics that need them are NULL",
            sorted({m for s in tables for m in metrics_needing(s.key)})))
    for state in states:
        table = by_key.get(state.key) or _loader_table(state.key)
        metrics = metrics_needing(state.key)
        if state.schema in missing_schemas:
            continue
        if not state.exists and loader_of_table(state.key) is not None:
            # a loader may land one of two tables (subscription or subscription_history,
            # price or plan): which metrics go NULL depends on what else is there
            findings.append(Finding(
                state.key, None, "warning", "missing_table",
                f"no table {state.schema}.{table.name}: read as empty ({table.docs} says which "
                "tables the mapping needs and which stand in for each other)"))
            continue
        if not state.exists:
            findings.append(Finding(
                state.key, None, "warning", "missing_table",
                f"no table {state.schema}.{table.name}: read as empty, so the metrics that "
                "need it are NULL", metrics))
            continue
        findings += _column_findings(table, state, metrics)
        findings += freshness_findings(state, freshness.get(state.key), now)
    return findings


def _column_findings(table: Table, state: TableState, metrics: list[str]) -> list[Finding]:
    findings = []
    missing = [column for column in table.columns if column.name not in state.columns
               and column.meta.get("default_if_missing") is None]
    if len(missing) == 1:
        findings.append(Finding(
            state.key, missing[0].name, "error", "missing_column",
            f"column {missing[0].name} ({missing[0].data_type}) is missing: add it, or map "
            f"your column to it in a view ({table.docs})", metrics))
    elif missing:
        findings.append(Finding(
            state.key, None, "error", "missing_column",
            f"{len(missing)} contract columns are missing: "
            + ", ".join(f"{c.name} ({c.data_type})" for c in missing)
            + f". Add them, or map your columns to them in a view ({table.docs})",
            metrics))
    for column in table.columns:
        actual = state.columns.get(column.name)
        if actual is None:
            continue
        wanted, found = contract_family(column.data_type), type_family(actual)
        if found not in _READABLE_AS.get(wanted, {wanted}):
            hint = (" (a naive timestamp: expose it in a view as `<column> at time zone 'UTC'`)"
                    if wanted == "timestamptz" and found == "timestamp" else "")
            findings.append(Finding(
                state.key, column.name, "error", "type_mismatch",
                f"column {column.name} is {actual}, "
                f"{'the contract' if table.docs.endswith('raw_contract.md') else table.docs} "
                f"wants {column.data_type}{hint}",
                metrics))
    extra = [name for name in state.columns if name not in table.column_names]
    if extra:
        findings.append(Finding(state.key, None, "info", "extra_columns",
                                f"ignored: {', '.join(extra)}"))
    if state.row_count == 0:
        findings.append(Finding(state.key, None, "warning", "empty_table",
                                "the table has no rows: the metrics that need it are NULL",
                                metrics))
    return findings


def freshness_findings(state: TableState, rule: tuple[int, int] | None,
                        now: dt.datetime) -> list[Finding]:
    if rule is None or state.last_loaded_at is None:
        return []
    loaded = state.last_loaded_at
    if loaded.tzinfo is None:
        loaded = loaded.replace(tzinfo=dt.UTC)
    age_hours = (now - loaded).total_seconds() / 3600
    warn_after, error_after = rule
    if age_hours <= warn_after:
        return []
    level = "past error_after" if age_hours > error_after else "past warn_after"
    return [Finding(state.key, "_loaded_at", "warning", "stale",
                    f"last loaded {loaded:%Y-%m-%d %H:%M} UTC, {age_hours:,.0f} h ago "
                    f"({level}: {warn_after} h / {error_after} h)")]


def quarantine_findings(counts: dict[str, dict[str, int]]) -> list[Finding]:
    """Rows staging would quarantine, per table and reason (from the doctor macro)."""
    findings = []
    for key, reasons in sorted(counts.items()):
        if not reasons:
            continue
        detail = ", ".join(f"{reason} {rows:,}" for reason, rows in sorted(reasons.items()))
        findings.append(Finding(
            key, None, "warning", "quarantine",
            f"{sum(reasons.values()):,} bad row(s) staging will quarantine and leave out: "
            f"{detail}"))
    return findings


def _loader_table(key: str) -> Table:
    mapping = loader_of_table(key)
    if mapping is None:
        raise KeyError(key)
    return {table.key: table for table in loader_tables(mapping.name)}[key]


def readable_tables(states: list[TableState], findings: list[Finding]) -> list[str]:
    """Raw contract tables that exist with every contract column: the ones staging can check
    (a loader's rows are checked by its mapping, in the build)."""
    broken = {f.table for f in findings if f.severity == "error"}
    return [s.key for s in states
            if s.exists and s.key not in broken and loader_of_table(s.key) is None]


def summarize_metrics(metrics: list[str], limit: int = 3) -> str:
    if not metrics:
        return ""
    names = sorted({m.split(".", 1)[1] for m in metrics})
    more = f" +{len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more

