"""MetricFlow (the dbt Semantic Layer) queries from Python, and their timing.

The semantic models and metrics live beside the models they describe
(models/**/_*__semantic.yml; docs/semantic-layer.md). This module answers MetricFlow queries
in a child process that loads the project, the dbt profile and MetricFlow's engine once and
then runs every query it is given: loading costs seconds, a query far less, and a child
process keeps dbt's process-wide adapter state away from the caller (a test session talks
to a DuckDB and a PostgreSQL warehouse in turn).

    seconds, rows = time_metricflow_query(PROJECT_ROOT, {"METRICS_DUCKDB_PATH": "..."},
                                          ["monthly_active_users"], ["metric_time__day"])

`seconds` is the time MetricFlow takes to plan, render and run the query against the
warehouse, not the child's start-up; `rows` are tuples in `group_by` order then `metrics`
order. Run `python -m saas_metrics.semantic --help` for the command-line form.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saas_metrics import PROJECT_ROOT

PROFILES_DIR = PROJECT_ROOT / "profiles"


class SemanticLayerError(RuntimeError):
    """MetricFlow could not be loaded or could not answer a query."""


@dataclass(frozen=True)
class MetricQuery:
    """One MetricFlow query: metrics by group-by items, optionally filtered.

    group_by items are MetricFlow names: metric_time__day, account, sales_rep__team, ...
    where is a MetricFlow filter, e.g. "{{ TimeDimension('metric_time', 'day') }} >= '2026-01-01'".
    """

    metrics: Sequence[str]
    group_by: Sequence[str] = ()
    where: Sequence[str] = ()
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass
class MetricQueryResult:
    query: MetricQuery
    seconds: float
    columns: list[str]
    rows: list[tuple] = field(default_factory=list)
    sql: str = ""


def run_metricflow_queries(
    queries: Sequence[MetricQuery],
    env: dict[str, str] | None = None,
    *,
    project_dir: Path = PROJECT_ROOT,
    target_path: Path | None = None,
    target: str | None = None,
    timeout: float = 900,
) -> list[MetricQueryResult]:
    """Answer queries with MetricFlow in one child process (see validate_and_query)."""
    return validate_and_query(queries, env, project_dir=project_dir, target_path=target_path,
                              target=target, timeout=timeout, validate=False)[1]


def validate_and_query(
    queries: Sequence[MetricQuery],
    env: dict[str, str] | None = None,
    *,
    project_dir: Path = PROJECT_ROOT,
    target_path: Path | None = None,
    target: str | None = None,
    timeout: float = 900,
    validate: bool = True,
) -> tuple[dict | None, list[MetricQueryResult]]:
    """`mf validate-configs`'s checks (when validate), then the queries, in one child process.

    Returns ({"errors": [...], "warnings": n, "seconds": s} or None, one result per query).

    env adds to the environment (METRICS_DUCKDB_PATH, PG*, METRICS_TARGET, ...), as for dbt;
    target_path is the dbt target folder holding semantic_manifest.json (written by any
    `dbt parse`/`build`; default: <project>/target). target (duckdb|postgres) overrides
    METRICS_TARGET.
    """
    project_dir = Path(project_dir)
    target_path = Path(target_path or project_dir / "target")
    manifest = target_path / "semantic_manifest.json"
    if not manifest.exists():
        raise SemanticLayerError(
            f"{manifest} does not exist: run `saas-metrics build` (or `dbt parse`) first so dbt "
            "writes the semantic manifest MetricFlow reads")
    request = {
        "project_dir": str(project_dir),
        "profiles_dir": str(PROFILES_DIR if project_dir == PROJECT_ROOT else project_dir / "profiles"),
        "semantic_manifest": str(manifest),
        "validate": validate,
        "queries": [
            {"metrics": list(q.metrics), "group_by": list(q.group_by), "where": list(q.where),
             "start": q.start.isoformat() if q.start else None,
             "end": q.end.isoformat() if q.end else None}
            for q in queries
        ],
    }
    child_env = {**os.environ, **(env or {})}
    if target:
        child_env["METRICS_TARGET"] = target
    child_env.setdefault("METRICS_PROJECT_DIR", str(project_dir))
    # dbt writes its logs under the target folder, not into the repo's logs/
    child_env.setdefault("DBT_LOG_PATH", str(target_path / "logs"))
    process = subprocess.run(
        [sys.executable, "-m", "saas_metrics.semantic", "--serve"], input=json.dumps(request),
        env=child_env, cwd=project_dir, text=True, capture_output=True, timeout=timeout)
    if process.returncode != 0:
        raise SemanticLayerError(
            f"MetricFlow failed (exit {process.returncode}):\n{process.stderr[-4000:]}")
    answers = json.loads(process.stdout.strip().splitlines()[-1])
    validation = answers.pop(0) if validate else None
    results = []
    for query, answer in zip(queries, answers, strict=True):
        results.append(MetricQueryResult(
            query=query, seconds=answer["seconds"], columns=answer["columns"],
            rows=[tuple(row) for row in answer["rows"]], sql=answer["sql"]))
    return validation, results


def time_metricflow_query(
    project_dir: Path,
    env: dict[str, str] | None,
    metrics: Sequence[str],
    group_by: Sequence[str],
    where: str | Sequence[str] | None = None,
    *,
    target_path: Path | None = None,
    target: str | None = None,
) -> tuple[float, list[tuple]]:
    """Seconds MetricFlow takes to answer one query (plan + SQL + run), and its rows."""
    wheres = [where] if isinstance(where, str) else list(where or [])
    result = run_metricflow_queries(
        [MetricQuery(metrics, group_by, wheres)], env, project_dir=Path(project_dir),
        target_path=target_path, target=target)[0]
    return result.seconds, result.rows


# The tier-1 metrics of each domain and the group-by that gives its mart's grain.
TIER_1_BY_GRAIN: dict[str, tuple[list[str], list[str]]] = {
    "customer_success": (["current_mrr", "arr", "customer_health_score", "nps_score"],
                         ["metric_time__day", "account"]),
    "sales": (["total_pipeline_value", "pipeline_coverage_ratio", "revenue_closed_mtd", "win_rate",
               "quota_attainment_pct"], ["metric_time__day", "sales_rep"]),
    "product": (["daily_active_users", "monthly_active_users", "dau_mau_ratio",
                 "avg_30d_retention_rate", "paid_conversions"], ["metric_time__day"]),
    "marketing": (["ad_spend_30d", "overall_roi", "attributed_revenue", "customer_acquisition_cost",
                   "lifetime_value_cac_ratio"], ["metric_time__day", "channel"]),
}
SEED_003_DIR = PROJECT_ROOT / "analyses" / "seed_003"


def day_filter(first: dt.date, last: dt.date | None = None) -> list[str]:
    """MetricFlow where-filters keeping metric_time days first..last (one day without last)."""
    day = "{{ TimeDimension('metric_time', 'day') }}"
    if last is None or last == first:
        return [f"{day} = '{first.isoformat()}'"]
    return [f"{day} >= '{first.isoformat()}'", f"{day} <= '{last.isoformat()}'"]


def seed_003_shapes(as_of: dt.date) -> list[tuple[str, list[MetricQuery], str]]:
    """Seed 003's four analyst queries (analyses/seed_003/*.sql) as MetricFlow queries, plus
    "30-day active users by day" for the benchmark: (name, MetricFlow queries answering the
    shape, the seed's SQL over the materialized tables with CURRENT_DATE = as_of).

    MetricFlow returns the metrics at the grain asked; the seed queries' last step (a
    top 10, an average over entities, health bands) is a small client-side step either way.
    """
    def seed_sql(name: str) -> str:
        sql = (SEED_003_DIR / name).read_text().strip().rstrip(";")
        return sql.replace("CURRENT_DATE", f"DATE '{as_of.isoformat()}'")

    on_as_of = day_filter(as_of)
    last_31 = day_filter(as_of - dt.timedelta(days=30), as_of)
    last_30 = day_filter(as_of - dt.timedelta(days=29), as_of)
    return [
        ("1_basic_query",
         [MetricQuery(["customer_health_score"], ["metric_time__day", "account"], on_as_of)],
         seed_sql("1_basic_query.sql")),
        ("2_domain_overview",
         [MetricQuery(metrics, group_by, on_as_of) for metrics, group_by in TIER_1_BY_GRAIN.values()],
         seed_sql("2_domain_overview.sql")),
        ("3_time_series_analysis",
         [MetricQuery(["daily_active_users", "monthly_active_users", "dau_mau_ratio"],
                      ["metric_time__day"], last_31)],
         seed_sql("3_time_series_analysis.sql")),
        ("4_cross_domain_analysis",
         [MetricQuery(["customer_health_score", "monthly_active_users", "current_mrr"],
                      ["metric_time__day", "account"], on_as_of)],
         seed_sql("4_cross_domain_analysis.sql")),
        ("active_users_30d_by_day",
         [MetricQuery(["monthly_active_users"], ["metric_time__day"], last_30)],
         "select metric_date, monthly_active_users from metrics_product_analytics "
         f"where metric_date between DATE '{(as_of - dt.timedelta(days=29)).isoformat()}' "
         f"and DATE '{as_of.isoformat()}'"),
    ]


def _jsonable(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _serve() -> None:
    """Child process: load MetricFlow once, answer the queries read from stdin as JSON."""
    import logging

    request = json.loads(sys.stdin.read())
    # MetricFlow and dbt log at INFO to the root logger; the parent only reads our JSON line
    logging.disable(logging.WARNING)
    from dbt.adapters.factory import get_adapter_by_type
    from dbt_metricflow.cli.dbt_connectors.adapter_backed_client import AdapterBackedSqlClient
    from dbt_metricflow.cli.dbt_connectors.dbt_config_accessor import dbtProjectMetadata
    from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
    from metricflow_semantics.model.dbt_manifest_parser import (
        parse_manifest_from_dbt_generated_manifest,
    )
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

    metadata = dbtProjectMetadata.load_from_paths(
        profiles_path=Path(request["profiles_dir"]), project_path=Path(request["project_dir"]))
    adapter = get_adapter_by_type(metadata.profile.credentials.type)
    manifest = parse_manifest_from_dbt_generated_manifest(
        manifest_json_string=Path(request["semantic_manifest"]).read_text())
    engine = MetricFlowEngine(semantic_manifest_lookup=SemanticManifestLookup(manifest),
                              sql_client=AdapterBackedSqlClient(adapter))
    answers = []
    if request.get("validate"):
        answers.append(_validate(engine, manifest, AdapterBackedSqlClient(adapter)))
    for query in request["queries"]:
        started = time.perf_counter()
        result = engine.query(MetricFlowQueryRequest.create(
            metric_names=query["metrics"], group_by_names=query["group_by"] or None,
            where_constraints=query["where"] or None,
            time_constraint_start=dt.datetime.fromisoformat(query["start"]) if query["start"] else None,
            time_constraint_end=dt.datetime.fromisoformat(query["end"]) if query["end"] else None,
        ))
        seconds = time.perf_counter() - started
        table = result.result_df
        columns = list(table.column_names)
        # MetricFlow names a group-by column after the item (metric_time__day, account__segment)
        order = [columns.index(name) for name in [*query["group_by"], *query["metrics"]]]
        rows = [[_jsonable(row[i]) for i in order] for row in table.rows]
        answers.append({"seconds": seconds, "columns": [columns[i] for i in order],
                        "rows": rows, "sql": result.sql})
    sys.stdout.write("\n" + json.dumps(answers) + "\n")


def _validate(engine, manifest, sql_client) -> dict:
    """What `mf validate-configs` checks: the semantic rules, then every semantic model,
    dimension, entity, measure and metric queried against the warehouse."""
    from dbt_metricflow.cli.main import _data_warehouse_validations_runner
    from metricflow.validation.data_warehouse_model_validator import DataWarehouseModelValidator
    from metricflow_semantic_interfaces.validations.semantic_manifest_validator import (
        SemanticManifestValidator,
    )
    from metricflow_semantic_interfaces.validations.validator_helpers import (
        SemanticManifestValidationResults,
    )

    started = time.perf_counter()
    semantic = SemanticManifestValidator().validate_semantic_manifest(manifest)
    warehouse = _data_warehouse_validations_runner(
        dw_validator=DataWarehouseModelValidator(sql_client=sql_client), manifest=manifest,
        timeout=None)
    merged = SemanticManifestValidationResults.merge([semantic, warehouse])
    return {"seconds": time.perf_counter() - started,
            "errors": [issue.as_readable_str() for issue in merged.errors],
            "warnings": len(merged.warnings)}


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m saas_metrics.semantic",
        description="Time MetricFlow answering seed 003's query shapes on the fly against "
                    "reading the materialized tables (same warehouse, env as for dbt).")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--as-of", type=dt.date.fromisoformat,
                        help="last metric day of the warehouse (default: its latest day)")
    parser.add_argument("--target", choices=["duckdb", "postgres"], default=None)
    args = parser.parse_args(argv)
    if args.serve:
        _serve()
        return 0
    for line in compare_shapes(target=args.target, as_of=args.as_of):
        print(line)
    return 0


def _table_seconds(target: str, env: dict[str, str], sql: str, repeats: int = 3) -> float:
    """Best of `repeats` wall times for one SQL over the materialized tables."""
    if target == "duckdb":
        import duckdb

        path = env.get("METRICS_DUCKDB_PATH") or str(PROJECT_ROOT / "metrics.duckdb")
        conn = duckdb.connect(path, read_only=True)
        run = lambda: conn.execute(sql).fetchall()  # noqa: E731
    else:
        import psycopg2

        conn = psycopg2.connect(host=env.get("PGHOST"), port=env.get("PGPORT"),
                                user=env.get("PGUSER"), dbname=env.get("PGDATABASE"),
                                password=env.get("PGPASSWORD") or None)
        cursor = conn.cursor()
        cursor.execute(f"set search_path to {env.get('METRICS_PG_SCHEMA', 'metrics')}, public")

        def run():
            cursor.execute(sql)
            return cursor.fetchall()
    try:
        best = float("inf")
        for _ in range(repeats):
            started = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - started)
        return best
    finally:
        conn.close()


def compare_shapes(
    *,
    target: str | None = None,
    as_of: dt.date | None = None,
    env: dict[str, str] | None = None,
    target_path: Path | None = None,
) -> list[str]:
    """One line per shape: MetricFlow seconds, table seconds, ratio (same warehouse)."""
    env = {**os.environ, **(env or {})}
    target = target or env.get("METRICS_TARGET", "duckdb")
    if as_of is None:
        as_of = _latest_day(target, env)
    shapes = seed_003_shapes(as_of)
    results = iter(run_metricflow_queries(
        [query for _, queries, _ in shapes for query in queries], env, target=target,
        target_path=target_path))
    lines = [f"{'shape':<26} {'metricflow s':>12} {'table s':>9} {'ratio':>7}  mf rows"]
    for name, queries, sql in shapes:
        answered = [next(results) for _ in queries]
        seconds = sum(result.seconds for result in answered)
        table = _table_seconds(target, env, sql)
        ratio = seconds / table if table else float("inf")
        lines.append(f"{name:<26} {seconds:>12.3f} {table:>9.4f} {ratio:>7.0f}  "
                     f"{sum(len(result.rows) for result in answered)}")
    return lines


def _latest_day(target: str, env: dict[str, str]) -> dt.date:
    sql = "select max(metric_date) from metrics_product_analytics"
    if target == "duckdb":
        import duckdb

        path = env.get("METRICS_DUCKDB_PATH") or str(PROJECT_ROOT / "metrics.duckdb")
        with duckdb.connect(path, read_only=True) as conn:
            value = conn.execute(sql).fetchone()[0]
    else:
        import psycopg2

        conn = psycopg2.connect(host=env.get("PGHOST"), port=env.get("PGPORT"),
                                user=env.get("PGUSER"), dbname=env.get("PGDATABASE"),
                                password=env.get("PGPASSWORD") or None)
        try:
            with conn.cursor() as cursor:
                cursor.execute(f"select max(metric_date) from "
                               f"{env.get('METRICS_PG_SCHEMA', 'metrics')}.metrics_product_analytics")
                value = cursor.fetchone()[0]
        finally:
            conn.close()
    if value is None:
        raise SemanticLayerError("metrics_product_analytics is empty: build the warehouse first")
    return value


if __name__ == "__main__":
    raise SystemExit(main())
