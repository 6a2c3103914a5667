"""Real data in: one source domain at a time, hand-made rows, old dates, bad rows.

Each warehouse holds only the raw tables of one domain, loaded with a few rows whose
metrics are worked out by hand below (no other raw table or schema exists). The
documented build (`dbt build`, as `saas-metrics build` runs it) must be green, the
metrics of that domain must equal the hand-worked values, and the metrics that need the
missing sources must be NULL. The data is from 2017-2018 and the as-of day is
2018-03-31, years before today.

The billing warehouse also carries one bad row of each kind a real extract has; each
must land in quarantine with its reason while the metrics stay those of the clean rows
(a null discount counts as 0 %).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import Warehouse, load_raw_tables
from saas_metrics.generator.contract import load_contract

AS_OF = dt.date(2018, 3, 31)
CONTRACT = load_contract()
LOADED = "2018-04-01 02:00:00+00"


def _ts(value: str | None) -> str | None:
    return None if value is None else f"{value}+00"


# --- billing: accounts and subscriptions only ------------------------------------------
ACCOUNTS = [
    {"account_id": account_id, "account_name": f"Customer {account_id}", "plan_tier": "starter",
     "signup_channel": "organic", "region": "na", "segment": "smb",
     "created_at": _ts(created), "_loaded_at": LOADED}
    for account_id, created in [(1, "2017-11-01 08:00:00"), (2, "2017-11-20 08:00:00"),
                                (3, "2017-12-20 08:00:00"), (4, "2017-11-25 08:00:00")]
]


def _subscription(subscription_id, account_id, amount, started, ended=None, *, interval="month",
                  discount=None, quantity=1, currency="USD", plan="starter",
                  loaded=LOADED) -> dict[str, Any]:
    return {"subscription_id": subscription_id, "account_id": account_id, "plan_tier": plan,
            "billing_interval": interval, "currency": currency, "list_amount": amount,
            "quantity": quantity, "discount_pct": discount, "started_at": _ts(started),
            "ended_at": _ts(ended), "cancel_reason": "price" if ended else None,
            "_loaded_at": loaded}


CLEAN_SUBSCRIPTIONS = [
    # account 1: 100/month, no coupon (null discount = 0 %), cancelled 2018-01-10 09:00,
    # so it counts through 2018-01-09; it returns on 2018-03-01
    _subscription(1, 1, 100, "2017-11-15 10:00:00", "2018-01-10 09:00:00"),
    _subscription(5, 1, 100, "2018-03-01 00:00:00", discount=0),
    # account 2: 3 seats of 400/year, 25 % off: 3 x 400 x 0.75 / 12 = 75/month
    _subscription(2, 2, 400, "2017-12-01 00:00:00", interval="year", discount=25, quantity=3,
                  plan="professional"),
    # account 3: 50/month, upgraded on 2018-02-15 12:00 to 200 with 10 % off = 180
    _subscription(3, 3, 50, "2018-01-01 00:00:00", "2018-02-15 12:00:00"),
    _subscription(4, 3, 200, "2018-02-15 12:00:00", discount=10, plan="professional"),
    # account 4: 300/month ending exactly at midnight on 2018-03-01: the 1st no longer counts
    _subscription(6, 4, 300, "2017-12-01 00:00:00", "2018-03-01 00:00:00"),
]

# one bad row of each kind, with keys of their own: (row, expected quarantine reason)
BAD_SUBSCRIPTIONS = [
    (_subscription(101, 2, 100, "2018-01-05 00:00:00", "2018-01-01 00:00:00"),
     "period_ends_before_start"),
    (_subscription(102, 2, 100, "2018-01-05 10:00:00", "2018-01-05 10:00:00"), "empty_period"),
    ({**_subscription(103, 2, 100, "2018-01-05 00:00:00"), "list_amount": None},
     "null_required"),
    (_subscription(104, 2, 100, "2018-01-05 00:00:00", quantity=-2), "negative_amount"),
    # no exchange_rates table at all: a yen price cannot be converted
    (_subscription(105, 2, 9000, "2018-01-05 00:00:00", currency="JPY"), "no_exchange_rate"),
    # two versions of one key loaded at the same instant that disagree
    (_subscription(106, 2, 100, "2018-01-05 00:00:00"), "conflicting_versions"),
    (_subscription(106, 2, 120, "2018-01-05 00:00:00"), "conflicting_versions"),
    (_subscription(107, 2, 100, "2018-01-05 00:00:00", plan="gold"), "unknown_enum"),
    ({**_subscription(108, 2, 100, "2018-01-05 00:00:00"), "subscription_id": None},
     "null_key"),
    (_subscription(109, 99, 100, "2018-01-05 00:00:00"), "orphan_fk"),
    (_subscription(110, 2, 100, "2018-04-05 00:00:00"), "future_timestamp"),
]

# company MRR and paying customers on each month's first day, worked by hand
COMPANY_MRR_ON_MONTH_FIRSTS = {
    dt.date(2017, 12, 1): (Decimal("475"), 3),   # 100 + 75 + 300
    dt.date(2018, 1, 1): (Decimal("525"), 4),    # 100 + 75 + 50 + 300
    dt.date(2018, 2, 1): (Decimal("425"), 3),    # 75 + 50 + 300 (account 1 left on 01-10)
    dt.date(2018, 3, 1): (Decimal("355"), 3),    # 75 + 180 + 100 (account 4 left at 00:00)
}
# (account, month) -> new, expansion, reactivation, contraction, churned
MOVEMENTS = {
    (1, dt.date(2017, 11, 1)): (100, 0, 0, 0, 0),
    (2, dt.date(2017, 12, 1)): (75, 0, 0, 0, 0),
    (4, dt.date(2017, 12, 1)): (300, 0, 0, 0, 0),
    (3, dt.date(2018, 1, 1)): (50, 0, 0, 0, 0),
    (1, dt.date(2018, 1, 1)): (0, 0, 0, 0, 100),
    (3, dt.date(2018, 2, 1)): (0, 130, 0, 0, 0),
    (1, dt.date(2018, 3, 1)): (0, 0, 100, 0, 0),
    (4, dt.date(2018, 3, 1)): (0, 0, 0, 0, 300),
}

# --- product activity: users and sessions only ----------------------------------------
USERS = [
    {"user_id": user_id, "account_id": 1, "role": "member",
     "signed_up_at": _ts("2018-01-15 09:00:00"), "_loaded_at": LOADED}
    for user_id in (1, 2, 3)
]
SESSION_DAYS = [(1, "2018-03-01", "desktop"), (1, "2018-03-05", "desktop"),
                (1, "2018-03-31", "mobile"), (2, "2018-03-05", "desktop"),
                (2, "2018-03-05", "mobile"), (2, "2018-03-20", "desktop"),
                (3, "2018-02-10", "desktop")]
SESSIONS = [
    {"session_id": index + 1, "user_id": user_id, "account_id": 1, "platform": platform,
     "started_at": _ts(f"{day} 12:00:00"), "duration_seconds": 600, "_loaded_at": LOADED}
    for index, (user_id, day, platform) in enumerate(SESSION_DAYS)
]
# day -> (DAU, WAU, MAU): windows of 7 and 30 days ending on the day
ACTIVE_USERS = {
    dt.date(2018, 3, 5): (2, 2, 3),
    dt.date(2018, 3, 11): (0, 2, 3),   # user 3's 2018-02-10 is the window's first day
    dt.date(2018, 3, 12): (0, 0, 2),   # ... and out of it the next day
    dt.date(2018, 3, 31): (1, 1, 2),
}

# --- CRM: reps, opportunities and their stage history only -------------------------------
REPS = [{"rep_id": 7, "rep_name": "Ada Lovelace", "team": "smb", "region": "emea",
         "hired_at": _ts("2017-01-02 09:00:00"), "_loaded_at": LOADED}]
OPPORTUNITIES = [
    {"opportunity_id": opportunity_id, "owner_rep_id": 7, "opportunity_type": "new_business",
     "amount_usd": amount, "created_at": _ts(created), "expected_close_date": "2018-04-30",
     "current_stage": stage, "_loaded_at": LOADED}
    for opportunity_id, amount, created, stage in [
        (1, 1000, "2018-03-01 10:00:00", "closed_won"),
        (2, 500, "2018-03-05 10:00:00", "closed_lost"),
        (3, 2000, "2018-03-15 10:00:00", "prospecting"),
    ]
]
STAGES = [
    {"stage_history_id": index + 1, "opportunity_id": opportunity_id, "stage": stage,
     "entered_at": _ts(entered), "_loaded_at": LOADED}
    for index, (opportunity_id, stage, entered) in enumerate([
        (1, "prospecting", "2018-03-01 10:00:00"), (1, "proposal", "2018-03-10 10:00:00"),
        (1, "closed_won", "2018-03-20 10:00:00"), (2, "prospecting", "2018-03-05 10:00:00"),
        (2, "closed_lost", "2018-03-25 10:00:00"), (3, "prospecting", "2018-03-15 10:00:00"),
    ])
]
# day -> open deals, pipeline value, deals won MTD, revenue closed MTD, win rate (%)
SALES = {
    dt.date(2018, 3, 12): (2, 1500, 0, 0, None),
    dt.date(2018, 3, 20): (2, 2500, 1, 1000, 100),
    dt.date(2018, 3, 31): (1, 2000, 1, 1000, 50),
}

# --- marketing: campaigns, ad spend and web sessions only ------------------------------
CAMPAIGNS = [
    {"campaign_id": 1, "channel": "google_ads", "campaign_name": "Search",
     "started_at": _ts("2018-02-01 00:00:00"), "_loaded_at": LOADED},
    {"campaign_id": 2, "channel": "linkedin_ads", "campaign_name": "Social",
     "started_at": _ts("2018-03-01 00:00:00"), "_loaded_at": LOADED},
]
AD_SPEND = [
    {"campaign_id": campaign_id, "spend_date": day, "spend_usd": spend, "impressions": 1000,
     "clicks": 10, "_loaded_at": LOADED}
    for campaign_id, day, spend in [(1, "2018-03-01", 30), (1, "2018-03-25", 100),
                                    (1, "2018-03-31", 50), (2, "2018-03-30", 200)]
]
WEB_SESSIONS = [
    {"web_session_id": index + 1, "channel": "google_ads", "landing_page": "/pricing",
     "started_at": _ts("2018-03-31 10:00:00"), "pageviews": 2, "is_bounce": index == 0,
     "is_conversion": False, "_loaded_at": LOADED}
    for index in range(3)
]
# (channel, day) -> spend on the day, 7 days, 30 days (the 1st is outside 30 days of the 31st)
AD_SPEND_EXPECTED = {
    ("google_ads", dt.date(2018, 3, 31)): (50, 150, 150),
    ("linkedin_ads", dt.date(2018, 3, 31)): (0, 200, 200),
    ("google_ads", dt.date(2018, 3, 25)): (100, 100, 130),
}

DOMAINS: dict[str, dict[str, list[dict[str, Any]]]] = {
    "billing": {
        "billing.accounts": ACCOUNTS,
        "billing.subscriptions": CLEAN_SUBSCRIPTIONS + [row for row, _ in BAD_SUBSCRIPTIONS],
    },
    "activity": {"activity.users": USERS, "activity.sessions": SESSIONS},
    "crm": {"crm.sales_reps": REPS, "crm.opportunities": OPPORTUNITIES,
            "crm.opportunity_stage_history": STAGES},
    "marketing": {"marketing.campaigns": CAMPAIGNS, "marketing.ad_spend_daily": AD_SPEND,
                  "marketing.web_sessions": WEB_SESSIONS},
}


def build_domain(tmp_root: Path, domain: str, target: str, cluster=None) -> Warehouse:
    name = f"byod_{domain}_{target}"
    work = tmp_root / name
    work.mkdir(parents=True, exist_ok=True)
    if target == "duckdb":
        env = {"METRICS_DUCKDB_PATH": str(work / "warehouse.duckdb")}
    else:
        cluster.create_database(name)
        env = {**cluster.env, "PGDATABASE": name}
    load_raw_tables(target, env, DOMAINS[domain])
    warehouse = Warehouse(name=name, target=target, env=env, target_path=work / "target",
                          manifest={}, as_of=AS_OF)
    result = warehouse.dbt(["build"])
    warehouse.build_log = result.stdout  # type: ignore[attr-defined]
    return warehouse


_BUILT: dict[tuple[str, str], Warehouse] = {}


@pytest.fixture(params=["duckdb", "postgres"])
def engine(request) -> str:
    return request.param


def domain_warehouse(request, tmp_path_factory, domain: str, engine: str) -> Warehouse:
    """Each domain is built once per engine per session (the build is the slow part)."""
    if (domain, engine) not in _BUILT:
        cluster = request.getfixturevalue("pg_cluster") if engine == "postgres" else None
        _BUILT[(domain, engine)] = build_domain(
            tmp_path_factory.mktemp("byod"), domain, engine, cluster)
    return _BUILT[(domain, engine)]


def _decimal(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


@pytest.mark.slow
def test_billing_alone_builds_green_with_hand_worked_mrr_and_company_totals(
    request, tmp_path_factory, engine,
):
    warehouse = domain_warehouse(request, tmp_path_factory, "billing", engine)
    rows = warehouse.query(
        "select metric_date, sum(current_mrr), count(case when current_mrr > 0 then 1 end) "
        "from metrics_customer_success group by metric_date")
    by_day = {row[0]: (_decimal(row[1]), row[2]) for row in rows}
    for day, (mrr, customers) in COMPANY_MRR_ON_MONTH_FIRSTS.items():
        assert by_day[day] == (_decimal(mrr), customers), day
    overview = dict(warehouse.query(
        "select metric_date, total_mrr from metrics_company_overview"))
    for day, (mrr, _) in COMPANY_MRR_ON_MONTH_FIRSTS.items():
        assert _decimal(overview[day]) == _decimal(mrr), day
    # the last day counted of a cancelled subscription is the day before it ends
    assert _decimal(by_day[dt.date(2018, 1, 9)][0]) == _decimal(525)
    assert _decimal(by_day[dt.date(2018, 1, 10)][0]) == _decimal(425)
    assert _decimal(by_day[dt.date(2018, 2, 15)][0]) == _decimal(555)


@pytest.mark.slow
def test_billing_alone_gives_hand_worked_monthly_mrr_movements(
    request, tmp_path_factory, engine,
):
    warehouse = domain_warehouse(request, tmp_path_factory, "billing", engine)
    rows = warehouse.query(
        "select account_id, month_start_date, new_mrr, expansion_mrr, reactivation_mrr, "
        "contraction_mrr, churned_mrr from metrics_mrr_movements_monthly")
    moved = {
        (row[0], row[1]): tuple(_decimal(value) for value in row[2:])
        for row in rows if any(value != 0 for value in row[2:])
    }
    assert moved == {key: tuple(_decimal(v) for v in values) for key, values in MOVEMENTS.items()}


@pytest.mark.slow
def test_billing_alone_quarantines_each_bad_row_with_its_reason_and_reconciles(
    request, tmp_path_factory, engine,
):
    warehouse = domain_warehouse(request, tmp_path_factory, "billing", engine)
    quarantined = sorted(warehouse.query(
        "select record_key, quarantine_reason from staging.stg_quarantined_rows "
        "where source_table = 'billing.subscriptions'"))
    expected = sorted((str(row["subscription_id"]).replace("None", "null"), reason)
                      for row, reason in BAD_SUBSCRIPTIONS)
    assert quarantined == expected
    unaccounted = warehouse.query(
        "select source_table, unaccounted_rows from staging.stg_row_reconciliation "
        "where unaccounted_rows <> 0")
    assert unaccounted == []
    staged = warehouse.query("select count(*), sum(discount_pct) from "
                             "staging.stg_billing__subscriptions where subscription_id = 1")
    assert staged == [(1, 0)]  # the null discount is staged as 0 %
    # a first historical load (every row loaded on 2018-04-01) is not late data
    assert warehouse.query("select count(*) from metrics_data_quality "
                           "where issue = 'late_outside_lookback'") == [(0,)]


@pytest.mark.slow
def test_billing_alone_leaves_metrics_of_missing_sources_null_and_out_of_the_long_table(
    request, tmp_path_factory, engine,
):
    warehouse = domain_warehouse(request, tmp_path_factory, "billing", engine)
    assert warehouse.query(
        "select count(*), count(current_mrr), count(customer_health_score), "
        "count(monthly_active_users), count(nps_score) from metrics_customer_success"
    )[0][1:] == (warehouse.query("select count(*) from metrics_customer_success")[0][0], 0, 0, 0)
    # the company overview too: revenue KPIs filled, the others NULL rather than 0
    assert warehouse.query(
        "select count(total_mrr), count(dau), count(at_risk_customers), count(win_rate), "
        "count(cac), count(website_conversion_rate) from metrics_company_overview "
        "where metric_date = '2018-03-01'") == [(1, 0, 0, 0, 0, 0)]
    metrics = {row[0] for row in warehouse.query(
        "select distinct metric_name from metrics_unified_domains "
        "where domain = 'customer_success'")}
    assert {"current_mrr", "arr"} <= metrics
    assert not metrics & {"customer_health_score", "monthly_active_users", "nps_score",
                          "support_tickets_30d"}
    # each missing raw table is named in a warning of the build
    for table in ("raw_activity.sessions", "raw_crm.leads", "raw_marketing.touchpoints",
                  "raw_billing.invoices"):
        schema, name = table.split(".")
        assert f'"{schema}"."{name}") does not exist' in warehouse.build_log, table


@pytest.mark.slow
def test_activity_alone_gives_hand_worked_daily_weekly_and_monthly_active_users(
    request, tmp_path_factory, engine,
):
    warehouse = domain_warehouse(request, tmp_path_factory, "activity", engine)
    rows = warehouse.query(
        "select metric_date, daily_active_users, weekly_active_users, monthly_active_users "
        "from metrics_product_analytics")
    by_day = {row[0]: tuple(row[1:]) for row in rows}
    for day, expected in ACTIVE_USERS.items():
        assert by_day[day] == expected, day
    assert warehouse.query("select count(signups) from metrics_marketing") == [(0,)]


@pytest.mark.slow
def test_crm_alone_gives_hand_worked_pipeline_and_win_rate(request, tmp_path_factory, engine):
    warehouse = domain_warehouse(request, tmp_path_factory, "crm", engine)
    rows = warehouse.query(
        "select metric_date, open_opportunities, total_pipeline_value, deals_won_mtd, "
        "revenue_closed_mtd, win_rate from metrics_sales where rep_id = 7")
    by_day = {row[0]: row[1:] for row in rows}
    for day, (open_deals, pipeline, won, revenue, win_rate) in SALES.items():
        got = by_day[day]
        assert (got[0], _decimal(got[1]), got[2], _decimal(got[3])) == (
            open_deals, _decimal(pipeline), won, _decimal(revenue)), day
        assert (got[4] is None if win_rate is None
                else _decimal(got[4]) == _decimal(win_rate)), day


@pytest.mark.slow
def test_marketing_alone_gives_hand_worked_ad_spend_and_website_sessions(
    request, tmp_path_factory, engine,
):
    warehouse = domain_warehouse(request, tmp_path_factory, "marketing", engine)
    rows = warehouse.query(
        "select channel, metric_date, total_ad_spend_active, ad_spend_7d, ad_spend_30d, "
        "website_sessions from metrics_marketing")
    by_key = {(row[0], row[1]): row[2:] for row in rows}
    for key, expected in AD_SPEND_EXPECTED.items():
        assert tuple(_decimal(v) for v in by_key[key][:3]) == tuple(
            _decimal(v) for v in expected), key
    assert by_key[("google_ads", AS_OF)][3] == 3
