"""Fixture for the fivetran_ads mapping: Google Ads, Facebook Ads and LinkedIn Ads as
Fivetran's connectors land them (real table and column names, naive UTC timestamps,
_fivetran_synced, Google's _fivetran_active history flag and cost in micros).

What each platform holds, and what the mapping must make of it (hand-worked values are in
tests/test_loader_fivetran_ads.py):

  Google Ads   campaign 1001 has two versions: "Search - Brand" (history mode: inactive)
               renamed "Brand search" (active); campaign 1002 ends on 2024-03-29.
               campaign_stats has one row per network and device: 1001 on 03-28 comes
               in two rows (12.50 + 7.50 USD), and one row (99 USD on 03-30) is of a
               campaign 9999 that campaign_history does not know: missing_parent.
  Facebook Ads campaign 2001 spends through two ads (3001, with two versions, and
               3002) on 03-30; ad 3003's latest version names no campaign, so the ad and
               its spend row are missing_parent.
  LinkedIn Ads campaign 5001 runs from 2024-03-15 and spends on 03-20 (outside the 7
               days ending 03-31), 03-26 and 03-31; campaign 5002 has no schedule, spends
               on 03-26 and is COMPLETED (its end is its last version's time).
"""

from __future__ import annotations

from loader_warehouse import LoaderTable

SYNCED = "2024-04-01 02:00:00"  # a first historical sync, the morning after the as-of day

GOOGLE_ACCOUNT = 2121450128
FACEBOOK_ACCOUNT = 1700252260223815

GOOGLE_CAMPAIGN_HISTORY = LoaderTable(
    schema="google_ads",
    name="campaign_history",
    columns={
        "id": "bigint",
        "updated_at": "timestamp",
        "_fivetran_synced": "timestamp",
        "_fivetran_active": "boolean",
        "name": "text",
        "customer_id": "bigint",
        "advertising_channel_type": "text",
        "start_date": "text",
        "end_date": "text",
        "serving_status": "text",
        "status": "text",
    },
    rows=[
        # the renamed campaign: history mode keeps the old version, inactive
        {"id": 1001, "updated_at": "2024-03-01 09:00:00", "_fivetran_synced": "2024-03-01 10:00:00",
         "_fivetran_active": False, "name": "Search - Brand", "customer_id": GOOGLE_ACCOUNT,
         "advertising_channel_type": "SEARCH", "start_date": "2024-03-01",
         "end_date": "2037-12-30", "serving_status": "SERVING", "status": "ENABLED"},
        {"id": 1001, "updated_at": "2024-03-20 12:00:00", "_fivetran_synced": SYNCED,
         "_fivetran_active": True, "name": "Brand search", "customer_id": GOOGLE_ACCOUNT,
         "advertising_channel_type": "SEARCH", "start_date": "2024-03-01",
         "end_date": "2037-12-30", "serving_status": "SERVING", "status": "ENABLED"},
        {"id": 1002, "updated_at": "2024-03-24 08:00:00", "_fivetran_synced": SYNCED,
         "_fivetran_active": True, "name": "Competitor search", "customer_id": GOOGLE_ACCOUNT,
         "advertising_channel_type": "SEARCH", "start_date": "2024-03-25",
         "end_date": "2024-03-29", "serving_status": "ENDED", "status": "ENABLED"},
    ],
)


def _google_stats(fivetran_id: str, campaign_id: int, day: str, network: str, device: str,
                  cost_micros: int, impressions: int, clicks: int) -> dict:
    return {"_fivetran_id": fivetran_id, "customer_id": GOOGLE_ACCOUNT, "date": day,
            "_fivetran_synced": SYNCED, "ad_network_type": network, "device": device,
            "id": campaign_id, "base_campaign": f"customers/{GOOGLE_ACCOUNT}/campaigns/{campaign_id}",
            "cost_micros": cost_micros, "impressions": impressions, "clicks": clicks,
            "conversions": 0, "conversions_value": 0, "view_through_conversions": 0}


GOOGLE_CAMPAIGN_STATS = LoaderTable(
    schema="google_ads",
    name="campaign_stats",
    columns={
        "_fivetran_id": "text",
        "customer_id": "bigint",
        "date": "date",
        "_fivetran_synced": "timestamp",
        "ad_network_type": "text",
        "device": "text",
        "id": "bigint",
        "base_campaign": "text",
        "cost_micros": "bigint",
        "impressions": "bigint",
        "clicks": "bigint",
        "conversions": "double precision",
        "conversions_value": "double precision",
        "view_through_conversions": "bigint",
    },
    rows=[
        _google_stats("g-1001-0328-m", 1001, "2024-03-28", "SEARCH", "MOBILE", 12_500_000, 400, 20),
        _google_stats("g-1001-0328-d", 1001, "2024-03-28", "SEARCH", "DESKTOP", 7_500_000, 100, 10),
        _google_stats("g-1001-0331-m", 1001, "2024-03-31", "SEARCH", "MOBILE", 30_000_000, 600, 15),
        _google_stats("g-1002-0329-d", 1002, "2024-03-29", "SEARCH", "DESKTOP", 5_250_000, 200, 4),
        # a campaign campaign_history does not know: quarantined as missing_parent
        _google_stats("g-9999-0330-d", 9999, "2024-03-30", "SEARCH", "DESKTOP", 99_000_000, 900, 9),
    ],
)

FACEBOOK_CAMPAIGN_HISTORY = LoaderTable(
    schema="facebook_ads",
    name="campaign_history",
    columns={
        "id": "bigint",
        "updated_time": "timestamp",
        "_fivetran_synced": "timestamp",
        "account_id": "bigint",
        "name": "text",
        "created_time": "timestamp",
        "start_time": "timestamp",
        "stop_time": "timestamp",
        "status": "text",
        "daily_budget": "bigint",
    },
    rows=[
        {"id": 2001, "updated_time": "2024-03-19 10:00:00", "_fivetran_synced": SYNCED,
         "account_id": FACEBOOK_ACCOUNT, "name": "Retargeting Q1",
         "created_time": "2024-03-19 09:30:00", "start_time": "2024-03-20 00:00:00",
         "stop_time": None, "status": "ACTIVE", "daily_budget": 5000},
    ],
)

FACEBOOK_AD_HISTORY = LoaderTable(
    schema="facebook_ads",
    name="ad_history",
    columns={
        "id": "bigint",
        "updated_time": "timestamp",
        "_fivetran_synced": "timestamp",
        "account_id": "bigint",
        "ad_set_id": "bigint",
        "campaign_id": "bigint",
        "creative_id": "bigint",
        "name": "text",
    },
    rows=[
        # ad 3001 in two versions (renamed): the older one is set aside
        {"id": 3001, "updated_time": "2024-03-19 10:05:00", "_fivetran_synced": "2024-03-19 11:00:00",
         "account_id": FACEBOOK_ACCOUNT, "ad_set_id": 4001, "campaign_id": 2001,
         "creative_id": 6001, "name": "Carousel v1"},
        {"id": 3001, "updated_time": "2024-03-22 08:00:00", "_fivetran_synced": SYNCED,
         "account_id": FACEBOOK_ACCOUNT, "ad_set_id": 4001, "campaign_id": 2001,
         "creative_id": 6001, "name": "Carousel v2"},
        {"id": 3002, "updated_time": "2024-03-19 10:06:00", "_fivetran_synced": SYNCED,
         "account_id": FACEBOOK_ACCOUNT, "ad_set_id": 4001, "campaign_id": 2001,
         "creative_id": 6002, "name": "Video"},
        # an ad that names no campaign: it and its spend are missing_parent
        {"id": 3003, "updated_time": "2024-03-21 09:00:00", "_fivetran_synced": SYNCED,
         "account_id": FACEBOOK_ACCOUNT, "ad_set_id": None, "campaign_id": None,
         "creative_id": 6003, "name": "Orphan"},
    ],
)


def _basic_ad(ad_id: str, day: str, spend: float, impressions: int, clicks: int) -> dict:
    return {"ad_id": ad_id, "date": day, "account_id": FACEBOOK_ACCOUNT,
            "_fivetran_synced": SYNCED, "ad_name": f"ad {ad_id}", "adset_name": "Retargeting",
            "spend": spend, "impressions": impressions, "inline_link_clicks": clicks,
            "reach": impressions // 2, "frequency": 2.0}


FACEBOOK_BASIC_AD = LoaderTable(
    schema="facebook_ads",
    name="basic_ad",
    columns={
        "ad_id": "text",
        "date": "date",
        "account_id": "bigint",
        "_fivetran_synced": "timestamp",
        "ad_name": "text",
        "adset_name": "text",
        "spend": "double precision",
        "impressions": "bigint",
        "inline_link_clicks": "bigint",
        "reach": "bigint",
        "frequency": "double precision",
    },
    rows=[
        # campaign 2001 spends through two ads on 03-30: 10.10 + 4.90 = 15.00
        _basic_ad("3001", "2024-03-30", 10.10, 1000, 12),
        _basic_ad("3002", "2024-03-30", 4.90, 500, 3),
        _basic_ad("3001", "2024-03-31", 8.00, 700, 7),
        _basic_ad("3003", "2024-03-31", 2.00, 50, 1),
    ],
)

LINKEDIN_CAMPAIGN_HISTORY = LoaderTable(
    schema="linkedin_ads",
    name="campaign_history",
    columns={
        "id": "bigint",
        "last_modified_time": "timestamp",
        "_fivetran_synced": "timestamp",
        "account_id": "bigint",
        "campaign_group_id": "bigint",
        "created_time": "timestamp",
        "name": "text",
        "status": "text",
        "type": "text",
        "cost_type": "text",
        "run_schedule_start": "timestamp",
        "run_schedule_end": "timestamp",
        "version_tag": "text",
    },
    rows=[
        {"id": 5001, "last_modified_time": "2024-03-14 16:00:00", "_fivetran_synced": SYNCED,
         "account_id": 507515057, "campaign_group_id": 600268686,
         "created_time": "2024-03-14 15:00:00", "name": "ABM enterprise", "status": "ACTIVE",
         "type": "SPONSORED_UPDATES", "cost_type": "CPM",
         "run_schedule_start": "2024-03-15 00:00:00", "run_schedule_end": None,
         "version_tag": "2"},
        {"id": 5002, "last_modified_time": "2024-03-30 18:00:00", "_fivetran_synced": SYNCED,
         "account_id": 507515057, "campaign_group_id": 600268686,
         "created_time": "2024-03-25 11:00:00", "name": "Webinar promo", "status": "COMPLETED",
         "type": "SPONSORED_UPDATES", "cost_type": "CPC",
         "run_schedule_start": None, "run_schedule_end": None, "version_tag": "3"},
    ],
)


def _linkedin_stats(campaign_id: int, day: str, cost_usd: float, impressions: int,
                    clicks: int) -> dict:
    # the account is billed in EUR: LinkedIn reports the USD cost beside it
    return {"campaign_id": campaign_id, "day": f"{day} 00:00:00", "_fivetran_synced": SYNCED,
            "cost_in_usd": cost_usd, "cost_in_local_currency": round(cost_usd * 0.92, 2),
            "impressions": impressions, "clicks": clicks, "approximate_unique_impressions": 0,
            "total_engagements": clicks}


LINKEDIN_AD_ANALYTICS_BY_CAMPAIGN = LoaderTable(
    schema="linkedin_ads",
    name="ad_analytics_by_campaign",
    columns={
        "campaign_id": "bigint",
        "day": "timestamp",
        "_fivetran_synced": "timestamp",
        "cost_in_usd": "numeric(18,6)",
        "cost_in_local_currency": "numeric(18,6)",
        "impressions": "bigint",
        "clicks": "bigint",
        "approximate_unique_impressions": "bigint",
        "total_engagements": "bigint",
    },
    rows=[
        _linkedin_stats(5001, "2024-03-20", 10.00, 100, 1),
        _linkedin_stats(5001, "2024-03-26", 40.00, 800, 8),
        _linkedin_stats(5001, "2024-03-31", 60.00, 1200, 6),
        _linkedin_stats(5002, "2024-03-26", 25.50, 300, 5),
    ],
)

TABLES = [
    GOOGLE_CAMPAIGN_HISTORY,
    GOOGLE_CAMPAIGN_STATS,
    FACEBOOK_CAMPAIGN_HISTORY,
    FACEBOOK_AD_HISTORY,
    FACEBOOK_BASIC_AD,
    LINKEDIN_CAMPAIGN_HISTORY,
    LINKEDIN_AD_ANALYTICS_BY_CAMPAIGN,
]
