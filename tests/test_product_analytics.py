"""metrics_product_analytics against an independent calculation from the raw rows.

The oracle reads raw_activity.sessions (the clean dataset has no quarantined rows), turns
each session into the user's UTC day in plain Python, and counts distinct users per window
with sets, the slow obvious way the SQL avoids.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from conftest import TEST_AS_OF, at_as_of, build_warehouse
from saas_metrics import PROJECT_ROOT

CHECKED_DAYS = 12


def _utc_days(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, utc=True).dt.date


def _dates(values: pd.Series) -> pd.Series:
    """DuckDB hands dates to pandas as timestamps, psycopg2 as dates: make them dates."""
    return pd.to_datetime(values).dt.date


def product_mart(warehouse) -> pd.DataFrame:
    mart = warehouse.frame("select * from metrics_product_analytics")
    mart["metric_date"] = _dates(mart["metric_date"])
    return mart.sort_values("metric_date").reset_index(drop=True)


def active_days_by_user(warehouse) -> dict[int, set[dt.date]]:
    sessions = warehouse.frame("select user_id, started_at from raw_activity.sessions")
    sessions["day"] = _utc_days(sessions["started_at"])
    sessions = sessions[sessions["day"] <= warehouse.as_of]
    return {int(user): set(days) for user, days in sessions.groupby("user_id")["day"]}


def spread_days(mart: pd.DataFrame) -> list[dt.date]:
    """About a dozen days from the first to the last, always including both ends."""
    days = sorted(mart["metric_date"])
    picks = np.linspace(0, len(days) - 1, CHECKED_DAYS).round().astype(int)
    return sorted({days[index] for index in picks})


def expected_usage(active_days: dict[int, set[dt.date]], day: dt.date) -> dict[str, float | None]:
    def in_window(days: set[dt.date], first: dt.date, last: dt.date) -> int:
        return sum(1 for active in days if first <= active <= last)

    window_30 = (day - dt.timedelta(days=29), day)
    previous_30 = (day - dt.timedelta(days=59), day - dt.timedelta(days=30))
    dau = sum(1 for days in active_days.values() if day in days)
    wau = sum(1 for days in active_days.values()
              if in_window(days, day - dt.timedelta(days=6), day))
    mau = sum(1 for days in active_days.values() if in_window(days, *window_30))
    power = sum(1 for days in active_days.values() if in_window(days, *window_30) >= 20)
    previous = [days for days in active_days.values() if in_window(days, *previous_30)]
    retained = sum(1 for days in previous if in_window(days, *window_30))
    return {
        "daily_active_users": dau,
        "weekly_active_users": wau,
        "monthly_active_users": mau,
        "power_users": power,
        "retained": retained,
        "previous": len(previous),
    }


def test_active_and_power_users_match_independent_count_on_spread_out_days(warehouse):
    mart = product_mart(warehouse).set_index("metric_date")
    active_days = active_days_by_user(warehouse)
    first_history_day = min(mart.index)
    checked = spread_days(mart.reset_index())
    assert len(checked) >= 10
    for day in checked:
        expected = expected_usage(active_days, day)
        row = mart.loc[day]
        for metric in ("daily_active_users", "weekly_active_users", "monthly_active_users",
                       "power_users"):
            assert int(row[metric]) == expected[metric], (day, metric)
        # retention needs 30 days of history before d-30 is a real day
        if day - dt.timedelta(days=30) >= first_history_day and expected["previous"]:
            assert row["avg_30d_retention_rate"] == pytest.approx(
                100.0 * expected["retained"] / expected["previous"]), day
    # the data must exercise the power-user rule, or the check above proves little
    assert mart["power_users"].max() > 0


def test_platform_split_and_session_averages_match_raw_sessions_on_the_last_day(warehouse):
    day = warehouse.as_of
    sessions = warehouse.frame(
        "select user_id, platform, started_at, duration_seconds from raw_activity.sessions")
    sessions = sessions[_utc_days(sessions["started_at"]) == day]
    mart = product_mart(warehouse)
    row = mart[mart["metric_date"] == day].iloc[0]
    assert row["desktop_usage_pct"] == pytest.approx(
        100.0 * (sessions["platform"] == "desktop").mean())
    assert row["mobile_usage_pct"] == pytest.approx(
        100.0 * (sessions["platform"] == "mobile").mean())
    assert row["sessions_per_user"] == pytest.approx(len(sessions) / sessions["user_id"].nunique())
    assert row["avg_session_duration"] == pytest.approx(sessions["duration_seconds"].mean() / 60.0)


def test_active_user_counts_are_nested_and_ratios_in_range_on_every_row(warehouse):
    violations = warehouse.query(
        """
        select count(*) from metrics_product_analytics
        where not (daily_active_users <= weekly_active_users
                   and weekly_active_users <= monthly_active_users)
           or power_users > monthly_active_users
           or dau_mau_ratio < 0 or dau_mau_ratio > 1
           or wau_mau_ratio < 0 or wau_mau_ratio > 1
           or power_user_percentage < 0 or power_user_percentage > 100
           or desktop_usage_pct < 0 or desktop_usage_pct > 100
           or mobile_usage_pct < 0 or mobile_usage_pct > 100
           or avg_30d_retention_rate < 0 or avg_30d_retention_rate > 100
           or activation_rate < 0 or activation_rate > 100
           or feature_release_adoption_7d < 0 or feature_release_adoption_7d > 100
           or error_rate_pct < 0 or error_rate_pct > 100
           or crash_free_session_rate < 0 or crash_free_session_rate > 100
        """
    )
    assert violations[0][0] == 0
    # and the ratios are really used: stickiness is defined on most days
    defined = warehouse.query(
        "select count(*) from metrics_product_analytics where dau_mau_ratio is not null")
    assert defined[0][0] > 300


def test_every_product_metric_reaches_the_unified_table_as_implemented(warehouse):
    catalog = warehouse.query(
        "select metric_name, status from reference.metric_catalog where domain = 'product'")
    assert catalog and all(status == "implemented" for _, status in catalog)
    unified = {name for (name,) in warehouse.query(
        "select distinct metric_name from metrics_unified_domains where domain = 'product'")}
    assert unified == {name for name, _ in catalog}


def test_seed_003_time_series_query_returns_each_of_the_last_30_days_with_stickiness(
        duckdb_warehouse):
    query = (PROJECT_ROOT / "analyses/seed_003/3_time_series_analysis.sql").read_text()
    rows = duckdb_warehouse.query(at_as_of(query, duckdb_warehouse.as_of))
    days = [row[0] for row in rows]
    as_of = duckdb_warehouse.as_of
    # the query keeps metric_date >= CURRENT_DATE - 30: d-30 through today, one row each
    assert days == [as_of - dt.timedelta(days=offset) for offset in range(30, -1, -1)]
    for _, dau, mau, stickiness in rows:
        assert dau is not None and mau is not None and mau >= dau
        assert stickiness == pytest.approx(dau / mau)


def test_incremental_runs_equal_a_full_build_point_in_time(tmp_path, duckdb_warehouse):
    """Build as of 45 days ago, then run incrementally to today: every row equals the
    full build. Proves the incremental history window (60 days) and point in time."""
    private = build_warehouse(tmp_path, "product_incremental", "duckdb", build_args=["seed"])
    earlier = (TEST_AS_OF - dt.timedelta(days=45)).isoformat()
    private.dbt(["run", "-s", "+metrics_product_analytics", "--full-refresh"],
                dbt_vars={"as_of_date": earlier})
    before = private.frame("select max(metric_date) as last_day from metrics_product_analytics")
    assert _dates(before["last_day"])[0] == TEST_AS_OF - dt.timedelta(days=45)
    private.dbt(["run", "-s", "+metrics_product_analytics"])

    incremental = product_mart(private)
    full = product_mart(duckdb_warehouse)
    assert list(incremental["metric_date"]) == list(full["metric_date"])
    for column in full.columns:
        if column == "metric_date":
            continue
        left = incremental[column].astype(float).to_numpy()
        right = full[column].astype(float).to_numpy()
        same = np.isclose(left, right, rtol=1e-9, atol=1e-9) | (np.isnan(left) & np.isnan(right))
        assert same.all(), (column, incremental["metric_date"][~same].head().tolist())


def test_power_user_threshold_is_twenty_of_thirty_days():
    """Guards the oracle itself: 20 active days in the window is a power user, 19 is not."""
    day = dt.date(2024, 3, 30)
    twenty = {day - dt.timedelta(days=offset) for offset in range(20)}
    nineteen = {day - dt.timedelta(days=offset) for offset in range(1, 20)}
    expected = expected_usage({1: twenty, 2: nineteen}, day)
    assert expected["power_users"] == 1
    assert math.isclose(expected["monthly_active_users"], 2)
