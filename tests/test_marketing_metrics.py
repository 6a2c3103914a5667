"""metrics_marketing against plain Python over the raw marketing and CRM rows, on both
engines. Attribution is replayed from raw leads and touchpoints; the revenue of a
conversion (first-month MRR) is read from int_account_mrr_daily, whose own tests check it
against the raw subscriptions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pandas as pd
import pytest
from test_sales_metrics import spread_days, utc_naive

CHANNELS = ["google_ads", "meta_ads", "linkedin_ads", "organic", "email", "referral", "direct"]


def daily_spend(warehouse) -> dict[tuple[str, dt.date], float]:
    spend = warehouse.frame(
        "select campaigns.channel, spend.spend_date, spend.spend_usd "
        "from raw_marketing.ad_spend_daily as spend "
        "inner join raw_marketing.campaigns as campaigns "
        "on spend.campaign_id = campaigns.campaign_id")
    spend["spend_date"] = pd.to_datetime(spend["spend_date"]).dt.date
    totals: dict[tuple[str, dt.date], float] = defaultdict(float)
    for channel, day, amount in spend.itertuples(index=False):
        totals[(channel, day)] += float(amount)
    return totals


def trailing(totals: dict, channel: str, day: dt.date, days: int) -> float:
    return sum(totals.get((channel, day - dt.timedelta(days=back)), 0.0) for back in range(days))


def conversions(warehouse, model: str = "linear") -> list[dict]:
    """Each paying conversion with a touchpoint: date, revenue and channel credits."""
    leads = warehouse.frame(
        "select lead_id, converted_account_id, converted_at from raw_crm.leads "
        "where converted_account_id is not null and converted_at is not null")
    leads["converted_at"] = utc_naive(leads["converted_at"])
    leads = leads.sort_values(["converted_account_id", "converted_at", "lead_id"])
    leads = leads.groupby("converted_account_id").head(1)
    touches = warehouse.frame(
        "select touchpoint_id, lead_id, channel, touched_at from raw_marketing.touchpoints")
    touches["touched_at"] = utc_naive(touches["touched_at"])
    touches = touches.sort_values(["lead_id", "touched_at", "touchpoint_id"])
    mrr = warehouse.frame(
        "select account_id, date_day, mrr_usd from intermediate.int_account_mrr_daily "
        "where mrr_usd > 0")
    mrr["date_day"] = pd.to_datetime(mrr["date_day"]).dt.date
    first_paid = mrr.sort_values("date_day").groupby("account_id").head(1).set_index("account_id")
    touches_by_lead = {lead: group for lead, group in touches.groupby("lead_id")}
    result = []
    for lead in leads.itertuples(index=False):
        account = int(lead.converted_account_id)
        if account not in first_paid.index or lead.lead_id not in touches_by_lead:
            continue
        journey = touches_by_lead[lead.lead_id]
        channels = list(journey[journey["touched_at"] <= lead.converted_at]["channel"])
        if not channels:
            continue
        credits: dict[str, float] = defaultdict(float)
        if model == "first_touch":
            credits[channels[0]] = 1.0
        elif model == "last_touch":
            credits[channels[-1]] = 1.0
        else:
            for channel in channels:
                credits[channel] += 1.0 / len(channels)
        result.append({
            "date": first_paid.loc[account, "date_day"],
            "revenue": float(first_paid.loc[account, "mrr_usd"]),
            "credits": dict(credits),
        })
    return result


def mql_dates(warehouse) -> dict[str, list[dt.date]]:
    leads = warehouse.frame(
        "select source_channel, mql_at from raw_crm.leads where mql_at is not null")
    leads["mql_date"] = utc_naive(leads["mql_at"]).dt.date
    return {channel: list(group["mql_date"]) for channel, group in leads.groupby("source_channel")}


def mart_on(warehouse, day: dt.date) -> pd.DataFrame:
    return warehouse.frame(
        "select channel, ad_spend_7d, ad_spend_30d, total_mqls, cost_per_mql, overall_roi, "
        f"attributed_revenue from metrics_marketing where metric_date = '{day.isoformat()}'"
    ).set_index("channel")


def test_spend_cost_per_mql_and_roi_match_the_raw_rows_on_spread_out_days(warehouse):
    spend = daily_spend(warehouse)
    mqls = mql_dates(warehouse)
    converted = conversions(warehouse, model="linear")
    checked_roi = 0
    for day in spread_days(warehouse):
        mart = mart_on(warehouse, day)
        assert sorted(mart.index) == sorted(CHANNELS), day
        window_start = day - dt.timedelta(days=29)
        for channel in CHANNELS:
            row = mart.loc[channel]
            spend_30d = trailing(spend, channel, day, 30)
            assert float(row["ad_spend_30d"]) == pytest.approx(spend_30d, abs=0.005), (channel, day)
            assert float(row["ad_spend_7d"]) == pytest.approx(
                trailing(spend, channel, day, 7), abs=0.005), (channel, day)
            mql_count = sum(window_start <= mql <= day for mql in mqls.get(channel, []))
            assert int(row["total_mqls"]) == mql_count, (channel, day)
            revenue = sum(conversion["revenue"] * conversion["credits"].get(channel, 0.0)
                          for conversion in converted
                          if window_start <= conversion["date"] <= day)
            assert float(row["attributed_revenue"]) == pytest.approx(revenue, abs=0.01)
            if spend_30d > 0:
                if mql_count:
                    assert float(row["cost_per_mql"]) == pytest.approx(
                        spend_30d / mql_count, rel=1e-6), (channel, day)
                assert float(row["overall_roi"]) == pytest.approx(
                    (revenue - spend_30d) / spend_30d, rel=1e-6, abs=1e-9), (channel, day)
                checked_roi += 1
            else:
                # zero spend: no ROI and no cost per MQL, never 0 or an error
                assert pd.isna(row["overall_roi"]) and pd.isna(row["cost_per_mql"]), (channel, day)
    assert checked_roi >= 25


def test_channels_attributed_revenue_adds_up_to_the_revenue_of_conversions_with_touchpoints(
    warehouse,
):
    converted = conversions(warehouse)
    mart = warehouse.frame(
        "select metric_date, sum(attributed_revenue) as attributed_revenue "
        "from metrics_marketing group by metric_date")
    mart["metric_date"] = pd.to_datetime(mart["metric_date"]).dt.date
    revenue_by_day: dict[dt.date, float] = defaultdict(float)
    for conversion in converted:
        revenue_by_day[conversion["date"]] += conversion["revenue"]
    assert sum(1 for value in mart["attributed_revenue"] if float(value) > 0) > 200
    for day, attributed in zip(mart["metric_date"], mart["attributed_revenue"], strict=True):
        wanted = sum(revenue_by_day.get(day - dt.timedelta(days=back), 0.0) for back in range(30))
        assert float(attributed) == pytest.approx(wanted, abs=0.01), day


def test_zero_spend_channels_have_null_roi_cost_per_mql_and_cac_on_every_day(warehouse):
    rows = warehouse.query(
        "select count(*) from metrics_marketing where ad_spend_30d = 0 and ("
        "overall_roi is not null or cost_per_mql is not null "
        "or customer_acquisition_cost is not null or lifetime_value_cac_ratio is not null)")
    assert rows[0][0] == 0
    with_spend = warehouse.query(
        "select count(*) from metrics_marketing where ad_spend_30d > 0 and overall_roi is null")
    assert with_spend[0][0] == 0


def test_email_rates_and_lead_conversion_rate_count_only_what_happened_by_the_day(warehouse):
    sends = warehouse.frame("select sent_at, opened_at, clicked_at from raw_marketing.email_sends")
    for column in ["sent_at", "opened_at", "clicked_at"]:
        sends[column] = utc_naive(sends[column])
    leads = warehouse.frame(
        "select source_channel, created_at, converted_at from raw_crm.leads")
    leads["created_at"] = utc_naive(leads["created_at"])
    leads["converted_at"] = utc_naive(leads["converted_at"])
    checked = 0
    for day in spread_days(warehouse):
        end = pd.Timestamp(day) + pd.Timedelta(days=1)
        mart = warehouse.frame(
            "select channel, email_open_rate, email_click_rate, lead_conversion_rate "
            f"from metrics_marketing where metric_date = '{day.isoformat()}'").set_index("channel")
        window = sends[(sends["sent_at"] >= end - pd.Timedelta(days=30)) & (sends["sent_at"] < end)]
        if len(window):
            assert float(mart.loc["email", "email_open_rate"]) == pytest.approx(
                100.0 * (window["opened_at"] < end).sum() / len(window), rel=1e-9), day
            assert float(mart.loc["email", "email_click_rate"]) == pytest.approx(
                100.0 * (window["clicked_at"] < end).sum() / len(window), rel=1e-9), day
            checked += 1
        assert mart.drop(index="email")["email_open_rate"].isna().all(), day
        created = leads[(leads["created_at"] >= end - pd.Timedelta(days=90))
                        & (leads["created_at"] < end)]
        for channel, group in created.groupby("source_channel"):
            wanted = 100.0 * (group["converted_at"] < end).sum() / len(group)
            assert float(mart.loc[channel, "lead_conversion_rate"]) == pytest.approx(
                wanted, rel=1e-9), (channel, day)
    assert checked >= 10
