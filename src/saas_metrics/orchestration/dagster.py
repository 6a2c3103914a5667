"""Dagster definitions: the dbt project as daily-partitioned assets, its tests as checks.

    dagster dev -m saas_metrics.orchestration.dagster
    dagster asset materialize -m saas_metrics.orchestration.dagster --select '*' \\
        --partition 2026-11-30

- Assets: every dbt model and seed is a dagster-dbt asset, grouped by domain (the folder
  under staging/, intermediate/ or marts/; seeds are `reference`).
- Partitions: one daily partitions definition over as-of days. A partition runs
  `dbt build` with var as_of_date = its day, as `saas-metrics build --as-of DAY` does. A
  backfill of several days runs once, with the vars `saas-metrics backfill --start
  --end --as-of END` passes (backfill_start_date, backfill_end_date), so the two agree.
- Schedule: the daily build at METRICS_DAGSTER_SCHEDULE_HOUR (UTC, default 6) builds the
  current day's partition.
- Checks: every dbt test is an asset check (dagster-dbt); `no_critical_alerts` on
  metrics_alerts fails when a critical alert fires on the last day built; `raw_freshness`
  on each base_* model fails when its raw table is older than the contract's freshness
  rule allows (a table that does not exist passes: it is read as empty).

Configuration (environment): METRICS_TARGET (duckdb or postgres), METRICS_DUCKDB_PATH or
PG*, METRICS_DAGSTER_START_DATE (first partition, default 2017-01-01),
METRICS_DAGSTER_SCHEDULE_HOUR.
"""


import datetime as dt
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    BackfillPolicy,
    DailyPartitionsDefinition,
    Definitions,
    build_schedule_from_partitioned_job,
    define_asset_job,
    multi_asset_check,
)
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from saas_metrics import PROJECT_ROOT
from saas_metrics.dbt_runner import PROFILES_DIR, dbt_executable, run_dbt
from saas_metrics.generator.contract import load_contract

TARGET = os.environ.get("METRICS_TARGET", "duckdb")
MANIFEST_DIR = PROJECT_ROOT / "target" / "dagster"
START_DATE = os.environ.get("METRICS_DAGSTER_START_DATE", "2017-01-01")
SCHEDULE_HOUR = int(os.environ.get("METRICS_DAGSTER_SCHEDULE_HOUR", "6"))

# the current UTC day is a partition too: the daily build runs as of today, like the CLI
daily_partitions = DailyPartitionsDefinition(start_date=START_DATE, end_offset=1,
                                             timezone="UTC")


def _newest_source_mtime() -> float:
    # dbt's own files only (a test run's .pyc files must not trigger a re-parse)
    paths = [PROJECT_ROOT / "dbt_project.yml", PROJECT_ROOT / "selectors.yml"]
    for folder in ("models", "macros", "seeds", "tests", "analyses"):
        paths += [p for p in (PROJECT_ROOT / folder).rglob("*")
                  if p.suffix in {".sql", ".yml", ".yaml", ".csv"}]
    return max(p.stat().st_mtime for p in paths)


def manifest_path() -> Path:
    """target/dagster/manifest.json, re-parsed when the project changed since."""
    path = MANIFEST_DIR / "manifest.json"
    if not path.exists() or path.stat().st_mtime < _newest_source_mtime():
        run_dbt(["parse"], target=TARGET, target_path=MANIFEST_DIR)
    return path


class DomainTranslator(DagsterDbtTranslator):
    """Groups assets by domain: the folder under staging/, intermediate/ or marts/."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        if len(fqn) >= 4 and fqn[1] == "staging":
            return f"staging_{fqn[2]}"
        if len(fqn) >= 4 and fqn[1] in ("intermediate", "marts"):
            return fqn[2]
        return fqn[1] if len(fqn) >= 3 else "default"


def dbt_vars_for(context: AssetExecutionContext) -> dict[str, str]:
    """One day: as_of_date. Several days in one run: `saas-metrics backfill`'s vars."""
    window = context.partition_time_window
    first = window.start.date()
    last = window.end.date() - dt.timedelta(days=1)
    if first == last:
        return {"as_of_date": last.isoformat()}
    return {"as_of_date": last.isoformat(), "backfill_start_date": first.isoformat(),
            "backfill_end_date": last.isoformat()}


@dbt_assets(
    manifest=manifest_path(),
    partitions_def=daily_partitions,
    dagster_dbt_translator=DomainTranslator(),
    backfill_policy=BackfillPolicy.single_run(),
    name="saas_metrics_dbt",
)
def saas_metrics_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource):
    dbt_vars = dbt_vars_for(context)
    context.log.info(f"dbt build with vars {dbt_vars}")
    yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream()


def _connect():
    from saas_metrics.warehouse import connect_duckdb, connect_postgres, duckdb_path

    if TARGET == "duckdb":
        return connect_duckdb(duckdb_path(), read_only=True)
    conn = connect_postgres()
    with conn.cursor() as cursor:
        cursor.execute(f"set search_path to {os.environ.get('METRICS_PG_SCHEMA', 'metrics')}, "
                       "public")
    return conn


def _rows(conn, sql: str, params: list | None = None) -> list[tuple]:
    if TARGET == "duckdb":
        return conn.execute(sql, params or []).fetchall()
    with conn.cursor() as cursor:
        cursor.execute(sql.replace("?", "%s"), params or [])
        return cursor.fetchall()


@multi_asset_check(specs=[AssetCheckSpec(
    "no_critical_alerts", asset=AssetKey(["metrics_alerts"]),
    description="Fails when a critical alert fires on the last day built (seeds/alert_thresholds).",
)])
def no_critical_alerts():
    conn = _connect()
    try:
        day = _rows(conn, "select max(metric_date) from metrics_company_overview")[0][0]
        critical = _rows(conn, "select alert_name, entity_name, metric_value from metrics_alerts "
                         "where metric_date = ? and severity = 'critical' "
                         "order by alert_name, entity_name", [day])
    finally:
        conn.close()
    yield AssetCheckResult(
        check_name="no_critical_alerts", asset_key=AssetKey(["metrics_alerts"]),
        passed=not critical, severity=AssetCheckSeverity.ERROR,
        metadata={"day": str(day), "critical_alerts": len(critical),
                  "alerts": "; ".join(f"{name} {entity or ''} = {value:,.2f}"
                                      for name, entity, value in critical[:20])},
    )


RAW_TABLES = [table.key for table in load_contract().tables]


def base_asset_key(raw_table: str) -> AssetKey:
    """The asset of a raw table's base model (dagster-dbt keys are [schema, model])."""
    return AssetKey(["staging", f"base_{raw_table.replace('.', '__')}"])


@multi_asset_check(
    specs=[AssetCheckSpec("raw_freshness", asset=base_asset_key(key),
                          description=f"Raw table {key} is within the contract's freshness rule.")
           for key in RAW_TABLES],
    can_subset=True,
)
def raw_freshness(context: AssetCheckExecutionContext):
    from saas_metrics.quality.raw_check import (
        RawReader,
        freshness_findings,
        freshness_rules,
        inspect_raw,
    )

    conn = _connect()
    try:
        states = inspect_raw(RawReader(conn, TARGET))
        as_of = _rows(conn, "select max(date_day) from intermediate.int_calendar_days")[0][0]
    finally:
        conn.close()
    # freshness as of the end of the day built (a backfilled day was fresh then), never later
    # than now
    now = dt.datetime.now(dt.UTC)
    reference = min(now, dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(),
                                             tzinfo=dt.UTC)) if as_of else now
    rules = freshness_rules()
    selected = context.selected_asset_check_keys
    for state in states:
        key = base_asset_key(state.key)
        if not any(check.asset_key == key for check in selected):
            continue
        findings = freshness_findings(state, rules.get(state.key), reference)
        stale = [f for f in findings if "past error_after" in f.detail]
        yield AssetCheckResult(
            check_name="raw_freshness", asset_key=key, passed=not stale,
            severity=AssetCheckSeverity.ERROR if stale else AssetCheckSeverity.WARN,
            metadata={"exists": state.exists, "rows": state.row_count or 0,
                      "last_loaded_at": str(state.last_loaded_at or ""),
                      "as_of": str(reference),
                      "finding": findings[0].detail if findings else "fresh"},
        )


daily_build = define_asset_job("daily_build", selection="*")

defs = Definitions(
    assets=[saas_metrics_dbt_assets],
    asset_checks=[no_critical_alerts, raw_freshness],
    jobs=[daily_build],
    schedules=[build_schedule_from_partitioned_job(
        daily_build, hour_of_day=SCHEDULE_HOUR, minute_of_hour=0, name="daily_build_schedule")],
    resources={"dbt": DbtCliResource(project_dir=str(PROJECT_ROOT),
                                     profiles_dir=str(PROFILES_DIR), target=TARGET,
                                     dbt_executable=dbt_executable())},
)
