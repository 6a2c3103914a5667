"""The demo company looks like a real one (issue 13, "What it must show").

Reads the shared small-preset warehouse (200 accounts x 400 days, seed 7, built with dbt):
the headline retention numbers, the MRR bridge and the channel metrics from the public
marts; conversion paths and samples from the raw tables the generator wrote. These are
properties of the synthetic company (src/saas_metrics/generator), not of the metric
definitions, which the oracle tests check.
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import Warehouse

LAST_DAYS = 30
MIN_RETENTION_COHORT = 10  # below this NRR and GRR are NULL (var, default 10)


@pytest.fixture(scope="module")
def demo(duckdb_warehouse: Warehouse) -> Warehouse:
    return duckdb_warehouse


def _last_days_window(warehouse: Warehouse) -> tuple[dt.date, dt.date]:
    return warehouse.as_of - dt.timedelta(days=LAST_DAYS - 1), warehouse.as_of


def test_nrr_and_grr_are_believable_on_each_of_the_last_30_days(demo: Warehouse):
    first, last = _last_days_window(demo)
    rows = demo.query(
        "select metric_date, net_revenue_retention, gross_revenue_retention "
        "from metrics_company_overview where metric_date between ? and ? order by metric_date",
        (first, last),
    )
    assert len(rows) == LAST_DAYS
    for metric_date, nrr, grr in rows:
        assert nrr is not None and grr is not None, metric_date
        assert 60 <= nrr <= 160, (metric_date, nrr)
        assert 40 <= grr <= 100, (metric_date, grr)
        assert grr <= nrr + 1e-9, (metric_date, nrr, grr)


def test_twelve_month_retention_cohort_has_at_least_ten_accounts_on_each_of_the_last_30_days(
    demo: Warehouse,
):
    # the cohort of day d: accounts with MRR > 0 on d-365 (the MRR bridge is dense per account)
    first, last = _last_days_window(demo)
    rows = demo.query(
        "select metric_date, count(*) from metrics_mrr_movements "
        "where ending_mrr > 0 and metric_date between ? and ? group by metric_date",
        (first - dt.timedelta(days=365), last - dt.timedelta(days=365)),
    )
    sizes = {metric_date: accounts for metric_date, accounts in rows}
    assert len(sizes) == LAST_DAYS
    assert min(sizes.values()) >= MIN_RETENTION_COHORT, sizes


def test_some_churned_accounts_come_back_with_reactivation_mrr(demo: Warehouse):
    reactivations, days = demo.query(
        "select count(*), count(distinct metric_date) from metrics_mrr_movements "
        "where reactivation_mrr > 0"
    )[0]
    assert reactivations >= 2 and days >= 2
    overview_days = demo.query(
        "select count(*) from metrics_company_overview where reactivation_mrr > 0"
    )[0][0]
    assert overview_days > 0


def test_expansion_amounts_vary_with_the_seats_and_plans_added(demo: Warehouse):
    amounts = demo.query(
        "select count(distinct round(expansion_mrr, 2)), count(*) from metrics_mrr_movements "
        "where expansion_mrr > 0"
    )[0]
    assert amounts[0] >= 10, amounts
    contractions = demo.query(
        "select count(distinct round(contraction_mrr, 2)) from metrics_mrr_movements "
        "where contraction_mrr > 0"
    )[0][0]
    assert contractions >= 3


def test_bounce_rates_differ_across_channels_by_at_least_10_points(demo: Warehouse):
    rows = demo.query(
        "select channel, sum(bounce_rate * website_sessions) / sum(website_sessions) "
        "from metrics_marketing where website_sessions > 0 group by channel"
    )
    bounce = {channel: float(rate) for channel, rate in rows}
    assert len(bounce) >= 5, bounce
    assert max(bounce.values()) - min(bounce.values()) >= 10, bounce
    # visitors who know the product bounce less than paid social traffic
    assert bounce["email"] < bounce["meta_ads"] and bounce["direct"] < bounce["meta_ads"], bounce


def test_signup_to_first_payment_takes_at_least_5_different_lengths(demo: Warehouse):
    lengths = demo.query(
        """
        with first_payments as (
            select account_id, min(paid_at) as first_paid_at
            from raw_billing.invoices where paid_at is not null group by account_id
        )
        select date_diff('day', cast(accounts.created_at as date),
                         cast(first_payments.first_paid_at as date)) as days_to_pay,
               count(*)
        from raw_billing.accounts as accounts
        inner join first_payments on accounts.account_id = first_payments.account_id
        group by days_to_pay
        """
    )
    assert len(lengths) >= 5, lengths
    days_to_pay = {days for days, _ in lengths}
    assert min(days_to_pay) <= 2  # bought without a trial
    assert max(days_to_pay) >= 30  # a long trial, or a late conversion


def test_conversion_paths_include_no_trial_and_never_converting_accounts(demo: Warehouse):
    never_paid, without_trial = demo.query(
        """
        with paying as (
            select distinct account_id from raw_billing.subscriptions
        ),
        trials as (
            select distinct account_id from raw_activity.users
            where trial_started_at is not null
        )
        select
            count(*) filter (where paying.account_id is null),
            count(*) filter (where paying.account_id is not null and trials.account_id is null)
        from raw_billing.accounts as accounts
        left join paying on accounts.account_id = paying.account_id
        left join trials on accounts.account_id = trials.account_id
        """
    )[0]
    assert never_paid >= 10
    assert without_trial >= 8


def test_credit_utilization_is_at_most_100_pct_on_95_pct_of_account_days(demo: Warehouse):
    within, total, highest = demo.query(
        "select count(*) filter (where credit_utilization_pct <= 100), count(*), "
        "max(credit_utilization_pct) "
        "from metrics_customer_success where credit_utilization_pct is not null"
    )[0]
    assert total > 0
    assert within >= 0.95 * total, (within, total, highest)


def test_monthly_nps_samples_are_large_and_payment_failure_stays_plausible(demo: Warehouse):
    # every complete month of the window: enough NPS answers that the monthly score is not
    # noise; charges are bounded by the paying accounts (a 200-account company), so there
    # the check is that no month's failure rate is an outlier
    window_start = demo.as_of - dt.timedelta(days=demo.manifest["days"] - 1)
    first_month = (window_start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    last_month = demo.as_of.replace(day=1)
    nps = dict(demo.query(
        "select date_trunc('month', responded_at)::date, count(*) "
        "from raw_activity.survey_responses where survey_type = 'nps' "
        "and responded_at >= ? and responded_at < ? group by 1",
        (first_month, last_month),
    ))
    attempts = demo.query(
        "select date_trunc('month', attempted_at)::date, count(*), "
        "100.0 * count(*) filter (where status = 'failed') / count(*) "
        "from raw_billing.payment_attempts where attempted_at >= ? and attempted_at < ? "
        "group by 1",
        (first_month, last_month),
    )
    assert nps and attempts
    assert min(nps.values()) >= 100, nps
    assert min(count for _, count, _ in attempts) >= 20, attempts
    assert max(failure_pct for _, _, failure_pct in attempts) <= 20, attempts
