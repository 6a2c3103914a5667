"""Faults change nothing they should not, and builds are repeatable.

- Data with 5 % injected bad rows (duplicates, null keys, orphans, ...) gives the same
  public marts as the clean data: every injected row is collapsed or quarantined, and
  the public data-quality model names them per table and reason, matching the
  generator's fault manifest exactly (100 % of raw rows accounted for).
- Building again with the same inputs gives identical public tables (computed_at aside).
- An incremental run after new days arrive equals a full build.
- A late row inside the lookback window is picked up; one outside it is reported by
  metrics_data_quality, not silently dropped.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter

import duckdb
import pytest

from conftest import Warehouse, differences
from saas_metrics.generator import generate
from saas_metrics.generator.faults import DUPLICATE_KINDS, QUARANTINE_KINDS

# differs between the builds compared here by design: it describes the raw data's faults
FAULT_REPORTS = {"metrics_data_quality"}


def _copy(source: Warehouse, tmp_path, name: str) -> Warehouse:
    work = tmp_path / name
    work.mkdir()
    path = work / "warehouse.duckdb"
    shutil.copy(source.duckdb_path, path)
    shutil.copytree(source.target_path, work / "target",
                    ignore=shutil.ignore_patterns("logs", "run_results.json"))
    return Warehouse(name=name, target="duckdb", env={"METRICS_DUCKDB_PATH": str(path)},
                     target_path=work / "target", manifest=source.manifest, as_of=source.as_of)


# ------------------------------------------------------------------ faults, end to end
def test_public_marts_built_on_faulted_data_equal_those_built_on_clean_data(
    duckdb_warehouse: Warehouse, faulted_duckdb_warehouse: Warehouse,
):
    found = differences(duckdb_warehouse, faulted_duckdb_warehouse, skip=FAULT_REPORTS)
    assert not found, "\n\n".join(found)


def test_data_quality_model_accounts_for_every_faulty_row_per_table_and_reason(
    faulted_duckdb_warehouse: Warehouse,
):
    warehouse = faulted_duckdb_warehouse
    reported = Counter({
        (table, issue): rows for table, issue, rows in warehouse.query(
            "select source_table, issue, issue_rows from metrics_data_quality")
    })
    staged = dict(warehouse.query(
        "select source_table, staged_rows from staging.stg_row_reconciliation"))
    total_raw = total_accounted = 0
    for table, info in warehouse.manifest["tables"].items():
        faults = info["faults"]
        for kind in QUARANTINE_KINDS:
            assert reported[(table, kind)] == faults.get(kind, 0), (table, kind)
        duplicates = sum(faults.get(kind, 0) for kind in DUPLICATE_KINDS)
        assert reported[(table, "collapsed_duplicate")] == duplicates, table
        assert reported[(table, "unaccounted")] == 0, table
        accounted = staged[table] + duplicates + sum(
            reported[(table, kind)] for kind in QUARANTINE_KINDS)
        assert accounted == info["raw_rows"], table
        total_raw += info["raw_rows"]
        total_accounted += accounted
    share = total_accounted / total_raw
    print(f"accounted-for share under faults: {share:.2%} of {total_raw} raw rows")
    assert share == 1.0
    assert sum(reported[(t, k)] for (t, k) in reported if k in QUARANTINE_KINDS) > 0


def test_orphan_rows_that_would_move_a_metric_are_named_in_the_quality_model(
    faulted_duckdb_warehouse: Warehouse,
):
    """Orphan subscriptions/sessions would add MRR/users to no account: quarantined, named."""
    orphans = dict(faulted_duckdb_warehouse.query(
        "select source_table, issue_rows from metrics_data_quality where issue = 'orphan_fk'"))
    manifest = faulted_duckdb_warehouse.manifest["tables"]
    for table in ("billing.subscriptions", "activity.sessions"):
        assert orphans.get(table, 0) == manifest[table]["faults"].get("orphan_fk", 0) > 0, table


# ------------------------------------------------------------------ repeatability
@pytest.mark.slow
def test_building_twice_with_the_same_inputs_gives_identical_public_tables(
    duckdb_warehouse: Warehouse, tmp_path,
):
    again = _copy(duckdb_warehouse, tmp_path, "again")
    again.dbt(["run", "--full-refresh", "-s", "tag:public"])
    found = differences(duckdb_warehouse, again)
    assert not found, "\n\n".join(found)


@pytest.mark.slow
def test_incremental_run_after_new_days_arrive_equals_a_full_build(
    duckdb_warehouse: Warehouse, tmp_path,
):
    """Build at as-of minus 5 days, then an incremental run at the as-of day."""
    work = tmp_path / "incremental"
    work.mkdir()
    env = {"METRICS_DUCKDB_PATH": str(work / "warehouse.duckdb")}
    params = duckdb_warehouse.manifest
    manifest = generate(
        accounts=params["accounts"], days=params["days"], as_of=duckdb_warehouse.as_of,
        seed=params["seed"], faults=0.0, target="duckdb",
        duckdb_path=env["METRICS_DUCKDB_PATH"], manifest_path=work / "raw_manifest.json",
    )
    incremental = Warehouse(name="incremental", target="duckdb", env=env,
                            target_path=work / "target", manifest=manifest,
                            as_of=duckdb_warehouse.as_of)
    earlier = duckdb_warehouse.as_of - dt.timedelta(days=5)
    incremental.dbt(["seed"])
    incremental.dbt(["run"], dbt_vars={"as_of_date": earlier.isoformat()})
    assert incremental.query("select max(metric_date) from metrics_product_analytics") == [
        (earlier,)]
    incremental.dbt(["run"])
    found = differences(duckdb_warehouse, incremental)
    assert not found, "\n\n".join(found)


# ------------------------------------------------------------------ late data
@pytest.mark.slow
def test_late_rows_inside_the_lookback_are_picked_up_and_outside_it_are_reported(
    duckdb_warehouse: Warehouse, tmp_path,
):
    late = _copy(duckdb_warehouse, tmp_path, "late")
    as_of = late.as_of
    inside, outside = as_of - dt.timedelta(days=1), as_of - dt.timedelta(days=10)

    def dau(day):
        return late.query("select daily_active_users from metrics_product_analytics "
                          "where metric_date = ?", (day,))[0][0]

    def late_rows():
        rows = late.query("select issue_rows from metrics_data_quality where source_table = "
                          "'activity.sessions' and issue = 'late_outside_lookback'")
        return rows[0][0] if rows else 0

    before = {inside: dau(inside), outside: dau(outside)}
    late_before = late_rows()
    con = duckdb.connect(late.duckdb_path)
    try:
        # a user with sessions, but none on either day, and signed up before both: one new
        # session each day, a copy of one of theirs (valid values), loaded just now
        session_id, user_id = con.execute(
            "select min(sessions.session_id), sessions.user_id "
            "from staging.stg_activity__sessions as sessions "
            "inner join staging.stg_activity__users as users "
            "on sessions.user_id = users.user_id "
            "where cast(users.signed_up_at as date) < ? and not exists ("
            "select 1 from staging.stg_activity__sessions as same_day "
            "where same_day.user_id = sessions.user_id "
            "and cast(same_day.started_at as date) in (?, ?)) "
            "group by sessions.user_id order by sessions.user_id limit 1",
            [outside, inside, outside]).fetchone()
        next_id = con.execute("select max(session_id) from raw_activity.sessions").fetchone()[0]
        loaded_at = dt.datetime.combine(as_of, dt.time(12), tzinfo=dt.UTC)
        for offset, day in enumerate((inside, outside), start=1):
            con.execute(
                "insert into raw_activity.sessions select ? as session_id, user_id, account_id, "
                "platform, ? as started_at, duration_seconds, ? as _loaded_at "
                "from raw_activity.sessions where session_id = ? limit 1",
                [next_id + offset, dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC),
                 loaded_at, session_id])
        assert user_id is not None
    finally:
        con.close()
    late.dbt(["run"])
    assert dau(inside) == before[inside] + 1, "a late row inside the lookback was missed"
    # outside the lookback the day is final: the incremental run leaves it alone ...
    assert dau(outside) == before[outside]
    # ... and the quality model names the row instead
    assert late_rows() == late_before + 1
