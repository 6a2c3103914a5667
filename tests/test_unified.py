"""The unified layer: catalog integrity, metrics_api, metrics_company_overview, alerts.

Every check compares a model with an independent calculation: pandas over the long
table, sums over the domain marts, plain Python over account MRR, or the raw rows.
"""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import pandas as pd
import pytest

from saas_metrics.dbt_runner import run_dbt

DOMAIN_MARTS = {
    "customer_success": "metrics_customer_success",
    "sales": "metrics_sales",
    "product": "metrics_product_analytics",
    "marketing": "metrics_marketing",
}
UNIFIED_COLUMNS = [
    "metric_date", "domain", "entity_type", "entity_id", "entity_name", "metric_name",
    "metric_value", "importance_tier", "unit", "is_final", "computed_at",
]


def mart_metric_columns(warehouse) -> dict[str, set[str]]:
    """The metric columns of each mart, as the unified model sees them (non-dimensions)."""
    dimensions = {
        "customer_success": {"metric_date", "account_id", "customer_name", "plan_tier",
                             "segment", "health_category", "credit_utilization_bucket",
                             "signup_channel", "region"},
        "sales": {"metric_date", "rep_id", "rep_name", "team", "region"},
        "product": {"metric_date"},
        "marketing": {"metric_date", "channel", "channel_name", "channel_type"},
    }
    result = {}
    for domain, mart in DOMAIN_MARTS.items():
        columns = warehouse.frame(f"select * from {mart} where 1 = 0").columns
        result[domain] = {column for column in columns if column not in dimensions[domain]}
    return result


def test_unified_columns_are_the_spec_columns_in_order(warehouse):
    columns = list(warehouse.frame("select * from metrics_unified_domains where 1 = 0").columns)
    assert columns == UNIFIED_COLUMNS


def test_every_mart_metric_column_has_a_catalog_row(warehouse):
    catalog = warehouse.frame("select domain, metric_name from reference.metric_catalog")
    cataloged = set(zip(catalog["domain"], catalog["metric_name"], strict=True))
    missing = [f"{domain}.{column}"
               for domain, columns in mart_metric_columns(warehouse).items()
               for column in sorted(columns) if (domain, column) not in cataloged]
    assert missing == [], f"mart columns without a catalog row: {missing}"


def test_every_implemented_catalog_row_has_data_in_the_long_table(warehouse):
    catalog = warehouse.frame(
        "select domain, metric_name from reference.metric_catalog where status = 'implemented'")
    present = warehouse.frame(
        "select distinct domain, metric_name from metrics_unified_domains")
    have = set(zip(present["domain"], present["metric_name"], strict=True))
    empty = [f"{row.domain}.{row.metric_name}" for row in catalog.itertuples()
             if (row.domain, row.metric_name) not in have]
    assert empty == [], f"implemented metrics with no value on any day: {empty}"


def test_every_catalog_row_names_a_mart_column(warehouse):
    """A catalog row for a column no mart has is a stale definition."""
    columns = mart_metric_columns(warehouse)
    catalog = warehouse.frame("select domain, metric_name from reference.metric_catalog")
    stale = [f"{row.domain}.{row.metric_name}" for row in catalog.itertuples()
             if row.metric_name not in columns[row.domain]]
    assert stale == []


def test_a_mart_column_missing_from_the_catalog_fails_the_unified_model(
        duckdb_warehouse, tmp_path):
    """Delete one catalog row in a copy of the warehouse: compiling the long table fails
    and the error names the column."""
    copy = tmp_path / "copy.duckdb"
    shutil.copy(duckdb_warehouse.duckdb_path, copy)
    import duckdb

    conn = duckdb.connect(str(copy))
    conn.execute("delete from reference.metric_catalog "
                 "where domain = 'customer_success' and metric_name = 'current_mrr'")
    conn.close()
    result = run_dbt(["compile", "--select", "metrics_unified_domains"], target="duckdb",
                     dbt_vars={"as_of_date": duckdb_warehouse.as_of.isoformat()},
                     env={"METRICS_DUCKDB_PATH": str(copy)}, target_path=tmp_path / "target",
                     check=False)
    assert result.returncode != 0
    assert "metrics_customer_success.current_mrr is not in seeds/metric_catalog.csv" in (
        result.stdout)


def test_unified_rows_match_the_wide_marts_value_for_value(warehouse):
    """Every non-null mart value is one long row with the same value, and no other rows."""
    mart = warehouse.frame(
        "select metric_date, cast(account_id as varchar(40)) as entity_id, "
        "cast(current_mrr as double precision) as value from metrics_customer_success "
        "where current_mrr is not null")
    unified = warehouse.frame(
        "select metric_date, entity_id, metric_value as value from metrics_unified_domains "
        "where domain = 'customer_success' and metric_name = 'current_mrr'")
    merged = mart.merge(unified, on=["metric_date", "entity_id"], how="outer",
                        suffixes=("_mart", "_unified"), indicator=True)
    assert (merged["_merge"] == "both").all()
    np.testing.assert_allclose(merged["value_mart"], merged["value_unified"], rtol=1e-9)


# ---------------------------------------------------------------- metrics_api


def recompute_api(unified: pd.DataFrame) -> pd.DataFrame:
    """value_prev_*, change_*_pct and rolling averages from the long table, in pandas."""
    key = ["domain", "entity_id", "metric_name"]
    unified = unified.copy()
    unified["metric_date"] = pd.to_datetime(unified["metric_date"])
    values = unified.set_index([*key, "metric_date"])["metric_value"]
    out = unified.copy()
    for name, days in (("day", 1), ("week", 7), ("month", 30)):
        prior_index = pd.MultiIndex.from_arrays(
            [out[column] for column in key] + [out["metric_date"] - pd.Timedelta(days=days)])
        prior = values.reindex(prior_index).to_numpy()
        out[f"expected_prev_{name}"] = prior
        with np.errstate(divide="ignore", invalid="ignore"):
            change = 100.0 * (out["metric_value"].to_numpy() - prior) / prior
        change[(prior == 0) | np.isnan(prior)] = np.nan
        out[f"expected_change_{name}"] = change
    for window in (7, 28):
        rolled = (unified.sort_values("metric_date").set_index("metric_date")
                  .groupby(key)["metric_value"].rolling(f"{window}D").mean()
                  .rename(f"expected_rolling_{window}").reset_index())
        out = out.merge(rolled, on=[*key, "metric_date"], how="left")
    return out


def test_metrics_api_comparisons_equal_a_recalculation_from_the_long_table(warehouse):
    metrics = ("current_mrr", "daily_active_users", "monthly_active_users", "win_rate",
               "total_pipeline_value", "ad_spend_30d", "customer_health_score")
    in_list = ", ".join(f"'{metric}'" for metric in metrics)
    unified = warehouse.frame(
        "select domain, entity_id, metric_name, metric_date, metric_value "
        f"from metrics_unified_domains where metric_name in ({in_list})")
    api = warehouse.frame(
        "select domain, entity_id, metric_name, metric_date, value_prev_day, value_prev_week, "
        "value_prev_month, change_dod_pct, change_wow_pct, change_mom_pct, rolling_7d_avg, "
        f"rolling_28d_avg from metrics_api where metric_name in ({in_list})")
    assert len(api) == len(unified) > 0
    expected = recompute_api(unified)
    api["metric_date"] = pd.to_datetime(api["metric_date"])
    merged = expected.merge(api, on=["domain", "entity_id", "metric_name", "metric_date"],
                            how="inner")
    assert len(merged) == len(unified)
    pairs = {
        "value_prev_day": "expected_prev_day", "value_prev_week": "expected_prev_week",
        "value_prev_month": "expected_prev_month", "change_dod_pct": "expected_change_day",
        "change_wow_pct": "expected_change_week", "change_mom_pct": "expected_change_month",
        "rolling_7d_avg": "expected_rolling_7", "rolling_28d_avg": "expected_rolling_28",
    }
    for column, expected_column in pairs.items():
        actual = merged[column].astype(float).to_numpy()
        wanted = merged[expected_column].astype(float).to_numpy()
        np.testing.assert_array_equal(np.isnan(actual), np.isnan(wanted), err_msg=column)
        np.testing.assert_allclose(actual[~np.isnan(actual)], wanted[~np.isnan(wanted)],
                                   rtol=1e-9, atol=1e-9, err_msg=column)


def test_metrics_api_missing_prior_is_null_and_prior_zero_gives_null_change(warehouse):
    first_days = warehouse.query(
        "select count(*) from metrics_api as api where value_prev_day is not null and not "
        "exists (select 1 from metrics_unified_domains as u where u.domain = api.domain and "
        "u.entity_id = api.entity_id and u.metric_name = api.metric_name and "
        "u.metric_date < api.metric_date)")
    assert first_days[0][0] == 0
    zero_prior = warehouse.query(
        "select count(*), sum(case when change_dod_pct is null then 1 else 0 end) "
        "from metrics_api where value_prev_day = 0")
    assert zero_prior[0][0] > 0, "the data should have metrics that were 0 the day before"
    assert zero_prior[0][0] == zero_prior[0][1]


# ---------------------------------------------------- metrics_company_overview


def test_company_overview_has_one_row_per_day_to_the_as_of_day(warehouse):
    rows = warehouse.query(
        "select count(*), count(distinct metric_date), max(metric_date) "
        "from metrics_company_overview")
    count, distinct, last = rows[0]
    assert count == distinct > 300
    assert last == warehouse.as_of


def overview_vs(warehouse, overview_column: str, mart_sql: str) -> pd.DataFrame:
    overview = warehouse.frame(
        f"select metric_date, {overview_column} as overview_value from metrics_company_overview")
    marts = warehouse.frame(mart_sql)
    merged = overview.merge(marts, on="metric_date", how="inner")
    assert len(merged) > 300
    return merged


@pytest.mark.parametrize(("overview_column", "mart_sql"), [
    ("total_mrr", "select metric_date, sum(current_mrr) as mart_value "
                  "from metrics_customer_success group by metric_date"),
    ("active_customers", "select metric_date, sum(case when current_mrr > 0 then 1 else 0 end)"
                         " as mart_value from metrics_customer_success group by metric_date"),
    ("outstanding_ar", "select metric_date, sum(outstanding_balance) as mart_value "
                       "from metrics_customer_success group by metric_date"),
    ("overdue_ar", "select metric_date, sum(overdue_balance) as mart_value "
                   "from metrics_customer_success group by metric_date"),
    ("at_risk_customers", "select metric_date, sum(case when current_mrr > 0 and "
                          "customer_health_score < 60 then 1 else 0 end) as mart_value "
                          "from metrics_customer_success group by metric_date"),
    ("mrr_at_risk", "select metric_date, sum(case when current_mrr > 0 and "
                    "customer_health_score < 60 then current_mrr else 0 end) as mart_value "
                    "from metrics_customer_success group by metric_date"),
    ("avg_health_score", "select metric_date, avg(case when current_mrr > 0 then "
                         "customer_health_score end) as mart_value "
                         "from metrics_customer_success group by metric_date"),
    ("total_pipeline_value", "select metric_date, sum(total_pipeline_value) as mart_value "
                             "from metrics_sales group by metric_date"),
    ("revenue_closed_mtd", "select metric_date, sum(revenue_closed_mtd) as mart_value "
                           "from metrics_sales group by metric_date"),
    ("dau", "select metric_date, daily_active_users as mart_value "
            "from metrics_product_analytics"),
    ("wau", "select metric_date, weekly_active_users as mart_value "
            "from metrics_product_analytics"),
    ("mau", "select metric_date, monthly_active_users as mart_value "
            "from metrics_product_analytics"),
    ("dau_mau_ratio", "select metric_date, dau_mau_ratio as mart_value "
                      "from metrics_product_analytics"),
])
def test_company_overview_total_agrees_with_the_domain_mart(warehouse, overview_column,
                                                            mart_sql):
    merged = overview_vs(warehouse, overview_column, mart_sql)
    actual = merged["overview_value"].astype(float).to_numpy()
    wanted = merged["mart_value"].astype(float).to_numpy()
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(wanted))
    np.testing.assert_allclose(actual[~np.isnan(actual)], wanted[~np.isnan(wanted)],
                               rtol=1e-9, atol=1e-6)


def test_company_cac_is_all_ad_spend_over_new_customers(warehouse):
    merged = overview_vs(
        warehouse, "cac",
        "select metric_date, sum(ad_spend_30d) as spend from metrics_marketing "
        "group by metric_date")
    merged = merged.merge(warehouse.frame(
        "select metric_date, new_customers from metrics_company_overview"), on="metric_date")
    with np.errstate(divide="ignore", invalid="ignore"):
        wanted = (merged["spend"].astype(float) / merged["new_customers"].astype(float)
                  ).replace([np.inf, -np.inf], np.nan).to_numpy()
    actual = merged["overview_value"].astype(float).to_numpy()
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(wanted))
    np.testing.assert_allclose(actual[~np.isnan(actual)], wanted[~np.isnan(wanted)], rtol=1e-6)


def test_company_win_rate_is_deals_won_over_deals_closed_not_an_average_of_reps(warehouse):
    """Recount from the opportunity stage history in pandas: closed (won or lost) in the
    90 days ending on the day, by the stage the deal had at the end of each day."""
    snapshots = warehouse.frame(
        "select date_day, is_open, is_won, closed_date "
        "from intermediate.int_opportunity_days_snapshotted")
    snapshots["date_day"] = pd.to_datetime(snapshots["date_day"])
    snapshots["closed_date"] = pd.to_datetime(snapshots["closed_date"])
    recent = snapshots["closed_date"] >= snapshots["date_day"] - pd.Timedelta(days=89)
    snapshots["closed"] = (~snapshots["is_open"].astype(bool)) & recent
    snapshots["won"] = snapshots["is_won"].astype(bool) & recent
    daily = snapshots.groupby("date_day")[["closed", "won"]].sum()
    wanted = (100.0 * daily["won"] / daily["closed"].replace(0, np.nan)).rename("wanted")
    overview = warehouse.frame("select metric_date, win_rate from metrics_company_overview")
    overview["metric_date"] = pd.to_datetime(overview["metric_date"])
    merged = overview.merge(wanted, left_on="metric_date", right_index=True)
    assert merged["wanted"].notna().sum() > 100
    np.testing.assert_allclose(merged["win_rate"].astype(float), merged["wanted"], rtol=1e-9)


def test_nrr_and_grr_equal_a_plain_python_cohort_calculation_and_are_null_below_10_accounts(
        warehouse):
    rows = warehouse.query(
        "select account_id, date_day, mrr_usd from intermediate.int_account_mrr_daily")
    mrr = {(account, day): float(value) for account, day, value in rows}
    days = sorted({day for _, day in mrr})
    accounts = sorted({account for account, _ in mrr})
    expected = {}
    for day in days:
        base_day = day - dt.timedelta(days=365)
        base = current = retained = 0.0
        cohort = 0
        for account in accounts:
            then = mrr.get((account, base_day), 0.0)
            if then > 0:
                now = mrr.get((account, day), 0.0)
                base += then
                current += now
                retained += min(now, then)
                cohort += 1
        # spec: NULL when the cohort has fewer than 10 accounts (var default)
        enough = base and cohort >= 10
        expected[day] = (100 * current / base, 100 * retained / base) if enough else (None, None)
    actual = warehouse.query(
        "select metric_date, net_revenue_retention, gross_revenue_retention "
        "from metrics_company_overview")
    checked = 0
    for day, nrr, grr in actual:
        want_nrr, want_grr = expected.get(day, (None, None))
        if want_nrr is None:
            assert nrr is None and grr is None, day
            continue
        assert nrr == pytest.approx(want_nrr, rel=1e-9), day
        assert grr == pytest.approx(want_grr, rel=1e-9), day
        checked += 1
    assert checked > 0


# ---------------------------------------------------------------------- alerts


def raw_payment_failure_rate(warehouse) -> pd.Series:
    """Failed / all payment attempts in the 30 days ending on each day, from the raw rows."""
    raw = warehouse.frame("select attempted_at, status from raw_billing.payment_attempts")
    attempted = pd.to_datetime(raw["attempted_at"], utc=True).dt.tz_convert(None)
    raw["day"] = attempted.dt.normalize()
    raw["failed"] = raw["status"] == "failed"
    daily = raw.groupby("day").agg(attempts=("failed", "size"), failed=("failed", "sum"))
    days = pd.date_range(daily.index.min(), pd.Timestamp(warehouse.as_of), freq="D")
    daily = daily.reindex(days, fill_value=0)
    window = daily.rolling(30, min_periods=1).sum()
    return (100.0 * window["failed"] / window["attempts"].replace(0, np.nan)).dropna()


def test_payment_failure_alert_fires_exactly_on_the_days_the_raw_rate_exceeds_10_pct(
        warehouse):
    rate = raw_payment_failure_rate(warehouse)
    threshold = float(warehouse.query(
        "select threshold_value from reference.alert_thresholds "
        "where alert_name = 'payment_failures_high'")[0][0])
    above = set(rate[rate > threshold].index.date)
    below = set(rate[rate <= threshold].index.date)
    assert above and below, "the generated data should cross the threshold both ways"
    fired = {row[0] for row in warehouse.query(
        "select metric_date from metrics_alerts where alert_name = 'payment_failures_high'")}
    assert above <= fired
    assert not (below & fired)
