"""The fivetran_ads mapping: Google Ads, Facebook Ads and LinkedIn Ads as Fivetran lands
them, read as the contract's marketing.campaigns and marketing.ad_spend_daily
(docs/loaders/fivetran_ads.md; fixture: tests/loaders/fivetran_ads.py).

Every expected value below is worked out by hand from the fixture rows. The public mart
metrics_marketing exposes spend (on the day, 7 and 30 days); impressions and clicks are
not in any mart, so they are checked in the contract's staging tables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from loader_warehouse import AS_OF, load_loader_tables, loaders_warehouse
from loaders import fivetran_ads

from conftest import Warehouse


@pytest.fixture(params=["duckdb", "postgres"])
def engine(request):
    return request.param


def _decimal(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _campaign_id(key: str) -> int:
    """text_key_to_id: the first 60 bits (15 hex digits) of the key's md5."""
    return int(hashlib.md5(key.encode()).hexdigest()[:15], 16)


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


D = dt.date

# (channel, day) -> (spend on the day, 7 days ending on the day, 30 days ending on the day)
AD_SPEND_EXPECTED = {
    # Google: 1001 spends 12.50 + 7.50 (mobile and desktop rows) = 20.00 on 03-28 and
    # 30.00 on 03-31; 1002 spends 5.25 on 03-29. Campaign 9999's 99.00 on 03-30 is
    # quarantined, so 03-30 has no Google spend.
    ("google_ads", D(2024, 3, 28)): ("20.00", "20.00", "20.00"),
    ("google_ads", D(2024, 3, 29)): ("5.25", "25.25", "25.25"),
    ("google_ads", D(2024, 3, 30)): ("0", "25.25", "25.25"),
    ("google_ads", D(2024, 3, 31)): ("30.00", "55.25", "55.25"),
    # Facebook: campaign 2001 spends through ads 3001 (10.10) and 3002 (4.90) = 15.00 on
    # 03-30, and 8.00 (ad 3001) on 03-31; ad 3003's 2.00 names no campaign: quarantined.
    ("meta_ads", D(2024, 3, 29)): ("0", "0", "0"),
    ("meta_ads", D(2024, 3, 30)): ("15.00", "15.00", "15.00"),
    ("meta_ads", D(2024, 3, 31)): ("8.00", "23.00", "23.00"),
    # LinkedIn (cost_in_usd): 5001 spends 10.00 on 03-20, 40.00 on 03-26, 60.00 on 03-31;
    # 5002 spends 25.50 on 03-26. 7 days ending 03-26 = 03-20..03-26: 10 + 40 + 25.50 =
    # 75.50; ending 03-27 (from 03-21) drops the 10.00: 65.50; ending 03-31 (from 03-25):
    # 65.50 + 60.00 = 125.50; 30 days ending 03-31: 135.50.
    ("linkedin_ads", D(2024, 3, 26)): ("65.50", "75.50", "75.50"),
    ("linkedin_ads", D(2024, 3, 27)): ("0", "65.50", "75.50"),
    ("linkedin_ads", D(2024, 3, 31)): ("60.00", "125.50", "135.50"),
    # organic has no campaigns of an ad platform
    ("organic", D(2024, 3, 31)): ("0", "0", "0"),
}

# contract campaigns: key -> (channel, name of the latest version, started_at, ended_at)
CAMPAIGNS_EXPECTED = {
    # renamed: the active (latest) version's name; Google's 2037-12-30 means no end
    "google_ads:1001": ("google_ads", "Brand search", _utc("2024-03-01 00:00:00"), None),
    # end_date 2024-03-29 is its last day: it ends at the midnight after
    "google_ads:1002": ("google_ads", "Competitor search", _utc("2024-03-25 00:00:00"),
                        _utc("2024-03-30 00:00:00")),
    "facebook_ads:2001": ("meta_ads", "Retargeting Q1", _utc("2024-03-20 00:00:00"), None),
    "linkedin_ads:5001": ("linkedin_ads", "ABM enterprise", _utc("2024-03-15 00:00:00"), None),
    # no schedule: starts on its first spend day; COMPLETED: ends at its last version
    "linkedin_ads:5002": ("linkedin_ads", "Webinar promo", _utc("2024-03-26 00:00:00"),
                          _utc("2024-03-30 18:00:00")),
}

# (source_table, record_key) -> reason
QUARANTINE_EXPECTED = {
    ("fivetran_google_ads.campaign_stats", "2121450128|2024-03-30|g-9999-0330-d"):
        "missing_parent",
    ("fivetran_facebook_ads.ad_history", "3003|2024-03-21 09:00:00"): "missing_parent",
    ("fivetran_facebook_ads.basic_ad", "3003|2024-03-31|1700252260223815"): "missing_parent",
}

# loader table -> (raw, staged, collapsed, quarantined)
RECONCILIATION_EXPECTED = {
    # 1001 in two versions (the inactive one set aside) and 1002
    "fivetran_google_ads.campaign_history": (3, 2, 1, 0),
    "fivetran_google_ads.campaign_stats": (5, 4, 0, 1),
    "fivetran_facebook_ads.campaign_history": (1, 1, 0, 0),
    # 3001 in two versions, 3002, and 3003 without a campaign
    "fivetran_facebook_ads.ad_history": (4, 2, 1, 1),
    "fivetran_facebook_ads.basic_ad": (4, 3, 0, 1),
    "fivetran_linkedin_ads.campaign_history": (2, 2, 0, 0),
    "fivetran_linkedin_ads.ad_analytics_by_campaign": (4, 4, 0, 0),
    # the contract tables the mapping produces: 5 campaigns, 9 campaign days
    "marketing.campaigns": (5, 5, 0, 0),
    "marketing.ad_spend_daily": (9, 9, 0, 0),
}


@pytest.mark.slow
def test_ad_spend_per_channel_matches_hand_worked_day_7d_and_30d_totals(
    request, tmp_path_factory, engine,
):
    warehouse = loaders_warehouse(request, tmp_path_factory, engine)
    rows = warehouse.query(
        "select channel, metric_date, total_ad_spend_active, ad_spend_7d, ad_spend_30d "
        "from metrics_marketing")
    by_key = {(row[0], row[1]): tuple(_decimal(value) for value in row[2:]) for row in rows}
    for key, expected in AD_SPEND_EXPECTED.items():
        assert by_key[key] == tuple(_decimal(value) for value in expected), key


@pytest.mark.slow
def test_impressions_and_clicks_sum_the_platform_rows_per_campaign_day_and_channel(
    request, tmp_path_factory, engine,
):
    warehouse = loaders_warehouse(request, tmp_path_factory, engine)
    per_channel = warehouse.query(
        "select campaigns.channel, sum(spend.spend_usd), sum(spend.impressions), "
        "sum(spend.clicks) from staging.stg_marketing__ad_spend_daily as spend "
        "inner join staging.stg_marketing__campaigns as campaigns "
        "on spend.campaign_id = campaigns.campaign_id group by campaigns.channel")
    assert {row[0]: (_decimal(row[1]), row[2], row[3]) for row in per_channel} == {
        # 400 + 100 + 600 + 200 impressions, 20 + 10 + 15 + 4 clicks (not campaign 9999's)
        "google_ads": (_decimal("55.25"), 1300, 49),
        # 1000 + 500 + 700 impressions, inline link clicks 12 + 3 + 7 (not ad 3003's)
        "meta_ads": (_decimal("23.00"), 2200, 22),
        # 100 + 800 + 1200 + 300 impressions, 1 + 8 + 6 + 5 clicks
        "linkedin_ads": (_decimal("135.50"), 2400, 20),
    }
    brand, retargeting = _campaign_id("google_ads:1001"), _campaign_id("facebook_ads:2001")
    per_day = warehouse.query(
        "select campaign_id, spend_date, spend_usd, impressions, clicks "
        f"from staging.stg_marketing__ad_spend_daily where campaign_id in ({brand}, {retargeting})")
    got = {(row[0], row[1]): (_decimal(row[2]), row[3], row[4]) for row in per_day}
    # Google's two network/device rows of 03-28 and Facebook's two ads of 03-30 are one
    # campaign day each
    assert got[(brand, D(2024, 3, 28))] == (_decimal(20), 500, 30)
    assert got[(retargeting, D(2024, 3, 30))] == (_decimal(15), 1500, 15)
    assert len(got) == 4


@pytest.mark.slow
def test_campaigns_take_the_latest_version_and_the_platform_schedule(
    request, tmp_path_factory, engine,
):
    warehouse = loaders_warehouse(request, tmp_path_factory, engine)
    rows = warehouse.query(
        "select campaign_id, channel, campaign_name, started_at, ended_at "
        "from staging.stg_marketing__campaigns")
    # staging keeps timestamps as naive UTC
    got = {row[0]: (row[1], row[2], row[3], row[4]) for row in rows}
    expected = {
        _campaign_id(key): (channel, name, started.replace(tzinfo=None),
                            ended.replace(tzinfo=None) if ended else None)
        for key, (channel, name, started, ended) in CAMPAIGNS_EXPECTED.items()
    }
    assert got == expected


@pytest.mark.slow
def test_rows_of_unknown_campaigns_and_ads_without_campaign_are_quarantined_as_missing_parent(
    request, tmp_path_factory, engine,
):
    warehouse = loaders_warehouse(request, tmp_path_factory, engine)
    ours = ("fivetran_google_ads.", "fivetran_facebook_ads.", "fivetran_linkedin_ads.",
            "marketing.campaigns", "marketing.ad_spend_daily")
    rows = [row for row in warehouse.query(
        "select source_table, record_key, quarantine_reason from staging.stg_quarantined_rows")
        if row[0].startswith(ours)]
    assert {(row[0], row[1]): row[2] for row in rows} == QUARANTINE_EXPECTED
    text = warehouse.query(
        "select record_text from staging.stg_quarantined_rows "
        "where source_table = 'fivetran_google_ads.campaign_stats'")
    assert text == [("customer_id=2121450128, date=2024-03-30, _fivetran_id=g-9999-0330-d, "
                     "id=9999, cost_micros=99000000, impressions=900, clicks=9",)]


@pytest.mark.slow
def test_row_reconciliation_accounts_for_every_loader_row(request, tmp_path_factory, engine):
    warehouse = loaders_warehouse(request, tmp_path_factory, engine)
    rows = warehouse.query(
        "select source_table, raw_rows, staged_rows, collapsed_duplicate_rows, "
        "quarantined_rows, unaccounted_rows from staging.stg_row_reconciliation")
    by_table = {row[0]: tuple(row[1:]) for row in rows}
    for table, counts in RECONCILIATION_EXPECTED.items():
        assert by_table[table] == (*counts, 0), table


@pytest.mark.slow
def test_metrics_that_need_touchpoints_or_web_sessions_stay_null_with_ads_alone(
    request, tmp_path_factory, engine,
):
    warehouse = loaders_warehouse(request, tmp_path_factory, engine)
    # touchpoints, web sessions and email sends stay on the raw contract and are not
    # loaded here: attribution, ROI, CAC and the website figures are NULL by design
    # (seeds/metric_raw_requirements.csv), while spend is filled
    counts = warehouse.query(
        "select count(*), count(ad_spend_30d), count(overall_roi), "
        "count(attributed_revenue), count(customer_acquisition_cost), "
        "count(lifetime_value_cac_ratio), count(website_sessions), count(bounce_rate), "
        "count(email_open_rate) from metrics_marketing")[0]
    assert counts[0] > 0
    assert counts[1] == counts[0]
    assert counts[2:] == (0, 0, 0, 0, 0, 0, 0)
    # cost per MQL needs CRM leads too: NULL without them, else 30-day spend / MQLs
    leads = warehouse.query(
        "select staged_rows from staging.stg_row_reconciliation "
        "where source_table = 'crm.leads'")[0][0]
    rows = warehouse.query(
        "select ad_spend_30d, total_mqls, cost_per_mql from metrics_marketing "
        f"where channel = 'google_ads' and metric_date = '{AS_OF.isoformat()}'")
    spend_30d, mqls, cost_per_mql = rows[0]
    assert _decimal(spend_30d) == _decimal("55.25")
    if leads == 0 or not mqls:
        assert cost_per_mql is None
    else:
        assert _decimal(cost_per_mql) == _decimal(Decimal("55.25") / mqls)


@pytest.mark.slow
def test_missing_platforms_read_as_empty_with_a_warning_per_table(tmp_path_factory):
    """A team on Google Ads alone: the Facebook and LinkedIn schemas do not exist."""
    work = tmp_path_factory.mktemp("fivetran_ads_google_only")
    env = {"METRICS_DUCKDB_PATH": str(work / "warehouse.duckdb")}
    google_tables = [table for table in fivetran_ads.TABLES if table.schema == "google_ads"]
    load_loader_tables("duckdb", env, google_tables)
    warehouse = Warehouse(name="fivetran_ads_google_only", target="duckdb", env=env,
                          target_path=work / "target", manifest={}, as_of=AS_OF,
                          dbt_vars={"marketing_loader": "fivetran_ads"})
    result = warehouse.dbt(["build", "--select", "+stg_marketing__ad_spend_daily",
                            "+fivetran_ads__row_reconciliation"])
    for schema, table in [("facebook_ads", "campaign_history"), ("facebook_ads", "ad_history"),
                          ("facebook_ads", "basic_ad"), ("linkedin_ads", "campaign_history"),
                          ("linkedin_ads", "ad_analytics_by_campaign")]:
        assert f'"{schema}"."{table}") does not exist' in result.stdout, table
    assert '"google_ads"."campaign_stats") does not exist' not in result.stdout
    channels = warehouse.query(
        "select campaigns.channel, sum(spend.spend_usd) "
        "from staging.stg_marketing__ad_spend_daily as spend "
        "inner join staging.stg_marketing__campaigns as campaigns "
        "on spend.campaign_id = campaigns.campaign_id group by campaigns.channel")
    assert [(row[0], _decimal(row[1])) for row in channels] == [("google_ads", _decimal("55.25"))]
    reconciliation = {row[0]: tuple(row[1:]) for row in warehouse.query(
        "select source_table, raw_rows, staged_rows, collapsed_duplicate_rows, quarantined_rows "
        "from loaders.fivetran_ads__row_reconciliation")}
    assert reconciliation["fivetran_facebook_ads.basic_ad"] == (0, 0, 0, 0)
    assert reconciliation["fivetran_linkedin_ads.campaign_history"] == (0, 0, 0, 0)
    assert reconciliation["fivetran_google_ads.campaign_stats"] == (5, 4, 0, 1)
