"""The scheduler-facing CLI: export, backfill, alerts and build, end to end.

Commands run in-process through typer's CliRunner with the warehouse's environment, so
they read the same database the fixtures built.
"""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from saas_metrics.cli import app
from saas_metrics.commands.alerts import CRITICAL_EXIT_CODE

runner = CliRunner()


def invoke(warehouse, args: list[str], env: dict[str, str] | None = None):
    return runner.invoke(app, args, env={**warehouse.env, **(env or {})})


# ---------------------------------------------------------------------- export


def test_exported_csv_reads_back_with_the_same_rows_and_values(warehouse, tmp_path):
    start = warehouse.as_of - dt.timedelta(days=20)
    end = warehouse.as_of - dt.timedelta(days=5)
    output = tmp_path / f"unified_{warehouse.target}.csv"
    result = invoke(warehouse, [
        "export", "metrics_unified_domains", "--target", warehouse.target,
        "--start", start.isoformat(), "--end", end.isoformat(),
        "--domain", "customer_success", "--tier", "tier_1",
        "--output", str(output), "--chunk-size", "997",
    ])
    assert result.exit_code == 0, result.output
    exported = pd.read_csv(output, keep_default_na=False, na_values=[""],
                           dtype={"entity_id": str, "entity_name": str})
    table = warehouse.frame(
        "select * from metrics_unified_domains where domain = 'customer_success' "
        f"and importance_tier = 'tier_1' and metric_date between '{start}' and '{end}'")
    assert len(exported) == len(table) > 1000, "several chunks must have been written"
    assert list(exported.columns) == list(table.columns)
    key = ["metric_date", "entity_id", "metric_name"]
    exported["metric_date"] = pd.to_datetime(exported["metric_date"]).dt.date
    table["metric_date"] = pd.to_datetime(table["metric_date"]).dt.date
    exported = exported.sort_values(key).reset_index(drop=True)
    table = table.sort_values(key).reset_index(drop=True)
    for column in ("metric_date", "domain", "entity_type", "entity_id", "entity_name",
                   "metric_name", "importance_tier", "unit"):
        assert exported[column].astype(str).tolist() == table[column].astype(str).tolist()
    # floats are written with repr: they read back bit for bit
    np.testing.assert_array_equal(exported["metric_value"].to_numpy(),
                                  table["metric_value"].astype(float).to_numpy())
    assert exported["is_final"].tolist() == table["is_final"].astype(bool).tolist()
    assert (pd.to_datetime(exported["computed_at"]).tolist()
            == pd.to_datetime(table["computed_at"]).dt.tz_localize(None).tolist())


def test_export_filters_by_date_range_on_a_wide_mart(duckdb_warehouse, tmp_path):
    day = duckdb_warehouse.as_of - dt.timedelta(days=3)
    output = tmp_path / "sales.csv"
    result = invoke(duckdb_warehouse, ["export", "metrics_sales", "--start", day.isoformat(),
                                       "--end", day.isoformat(), "--output", str(output)])
    assert result.exit_code == 0, result.output
    exported = pd.read_csv(output)
    reps = duckdb_warehouse.query(f"select count(*) from metrics_sales where metric_date = '{day}'")
    assert len(exported) == reps[0][0] > 0
    assert set(exported["metric_date"]) == {day.isoformat()}


@pytest.mark.parametrize(("args", "named"), [
    (["export", "metrics_secret"], "metrics_secret"),
    (["export", "metrics_sales", "--domain", "sales"], "--domain"),
    (["export", "metrics_unified_domains", "--tier", "tier_9"], "--tier"),
    (["export", "metrics_unified_domains", "--start", "2026-13-01"], "--start"),
    (["export", "metrics_unified_domains", "--target", "oracle"], "--target"),
])
def test_export_errors_name_the_argument_at_fault(duckdb_warehouse, args, named):
    result = invoke(duckdb_warehouse, args)
    assert result.exit_code == 1
    assert named in result.output


# -------------------------------------------------------------------- backfill

BACKFILLED = ("metrics_customer_success", "metrics_sales", "metrics_product_analytics",
              "metrics_marketing", "metrics_unified_domains", "metrics_api",
              "metrics_company_overview")


def snapshot(path, table: str) -> pd.DataFrame:
    conn = duckdb.connect(str(path), read_only=True)
    try:
        frame = conn.execute(f"select * from main.{table}").df()
    finally:
        conn.close()
    frame = frame.drop(columns=[column for column in ("computed_at",) if column in frame])
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def test_backfill_of_a_range_leaves_every_table_equal_to_the_full_build(
        duckdb_warehouse, tmp_path):
    """Copy the fully built warehouse, wreck a date range in every incremental table,
    backfill that range: every table equals the full build again, and rows outside the
    range were not rewritten (no full refresh)."""
    copy = tmp_path / "backfill.duckdb"
    shutil.copy(duckdb_warehouse.duckdb_path, copy)
    start = duckdb_warehouse.as_of - dt.timedelta(days=45)
    end = duckdb_warehouse.as_of - dt.timedelta(days=30)
    expected = {table: snapshot(copy, table) for table in BACKFILLED}
    conn = duckdb.connect(str(copy))
    for table in BACKFILLED:
        conn.execute(f"delete from main.{table} where metric_date between ? and ? "
                     "and metric_date <> ?", [start, end, start + dt.timedelta(days=7)])
    conn.execute("update main.metrics_unified_domains set metric_value = -1 "
                 "where metric_date = ?", [start + dt.timedelta(days=7)])
    before_outside = conn.execute(
        "select max(computed_at) from main.metrics_unified_domains where metric_date < ?",
        [start]).fetchone()[0]
    conn.close()

    result = invoke(duckdb_warehouse, [
        "backfill", "--start", start.isoformat(), "--end", end.isoformat(),
        "--as-of", duckdb_warehouse.as_of.isoformat(), "--skip-tests",
    ], env={"METRICS_DUCKDB_PATH": str(copy), "DBT_TARGET_PATH": str(tmp_path / "target")})
    assert result.exit_code == 0, result.output

    for table in BACKFILLED:
        pd.testing.assert_frame_equal(snapshot(copy, table), expected[table], obj=table)
    conn = duckdb.connect(str(copy), read_only=True)
    after_outside = conn.execute(
        "select max(computed_at) from main.metrics_unified_domains where metric_date < ?",
        [start]).fetchone()[0]
    conn.close()
    assert after_outside == before_outside


def test_backfill_rejects_a_range_that_ends_before_it_starts(duckdb_warehouse):
    result = invoke(duckdb_warehouse, ["backfill", "--start", "2026-03-10",
                                       "--end", "2026-03-01"])
    assert result.exit_code == 1
    assert "--start" in result.output and "--end" in result.output


# ---------------------------------------------------------------------- alerts


def test_alerts_exit_non_zero_on_a_day_a_critical_alert_fires_and_zero_otherwise(
        warehouse):
    critical_days = {row[0] for row in warehouse.query(
        "select metric_date from metrics_alerts where severity = 'critical'")}
    all_days = {row[0] for row in warehouse.query(
        "select metric_date from metrics_company_overview")}
    quiet_days = sorted(all_days - critical_days)
    assert critical_days and quiet_days
    critical_day = max(critical_days)
    result = invoke(warehouse, ["alerts", "--date", critical_day.isoformat(),
                                "--target", warehouse.target])
    assert result.exit_code == CRITICAL_EXIT_CODE, result.output
    names = {row[0] for row in warehouse.query(
        "select alert_name from metrics_alerts where severity = 'critical' "
        f"and metric_date = '{critical_day}'")}
    assert all(name in result.output for name in names)
    result = invoke(warehouse, ["alerts", "--date", quiet_days[-1].isoformat(),
                                "--target", warehouse.target])
    assert result.exit_code == 0, result.output


def test_alerts_for_a_day_that_was_never_built_is_an_error_naming_the_day(duckdb_warehouse):
    result = invoke(duckdb_warehouse, ["alerts", "--date", "1999-01-01"])
    assert result.exit_code == 1
    assert "1999-01-01" in result.output


# ----------------------------------------------------------------------- build


def test_build_with_an_unknown_target_names_it(duckdb_warehouse):
    result = invoke(duckdb_warehouse, ["build", "--target", "snowflake"])
    assert result.exit_code == 1
    assert "snowflake" in result.output


def test_build_failure_names_the_target_and_the_model(duckdb_warehouse, tmp_path):
    """A selection with no raw data (an empty DuckDB file) fails with the target named."""
    result = invoke(duckdb_warehouse, ["build", "--select", "stg_billing__accounts"],
                    env={"METRICS_DUCKDB_PATH": str(tmp_path / "empty.duckdb"),
                         "DBT_TARGET_PATH": str(tmp_path / "target")})
    assert result.exit_code == 1
    assert "target 'duckdb'" in result.output
    assert "stg_billing__accounts" in result.output
