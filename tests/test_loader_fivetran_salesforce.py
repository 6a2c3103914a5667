"""The fivetran_salesforce loader mapping (docs/loaders/fivetran_salesforce.md): Salesforce
as Fivetran lands it (tests/loaders/fivetran_salesforce.py) becomes the CRM contract, and
the public sales marts show the metrics worked out by hand below, on both engines.

The headline is point in time: Acme's deal moves prospecting -> proposal -> qualification
-> proposal -> closed won, so on a past day the pipeline must use the stage the
opportunity_history says it had that day, not its current stage (closed won).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from loader_warehouse import (
    AS_OF,
    fixture_module,
    load_loader_tables,
    loaders_warehouse,
)
from loaders import fivetran_salesforce as sf

from conftest import Warehouse

pytestmark = pytest.mark.slow


@pytest.fixture(params=["duckdb", "postgres"])
def engine(request):
    return request.param


@pytest.fixture
def warehouse(request, tmp_path_factory, engine) -> Warehouse:
    return loaders_warehouse(request, tmp_path_factory, engine)


def text_key_to_id(key: str) -> int:
    """macros/loaders/loaders.sql: the first 60 bits of the key's md5."""
    return int(hashlib.md5(key.encode()).hexdigest()[:15], 16)


def _rep_metrics(warehouse: Warehouse, rep_name: str, day: str, columns: str) -> tuple:
    rows = warehouse.query(
        f"select {columns} from metrics_sales "
        f"where rep_name = '{rep_name}' and metric_date = cast('{day}' as date)")
    assert len(rows) == 1, rows
    return tuple(float(value) if isinstance(value, Decimal) else value for value in rows[0])


def test_reps_come_from_salesforce_users_with_team_and_region_mapped(warehouse):
    # Ada: Enterprise Sales, US -> enterprise, na; Bo: SMB Sales, GB -> smb, emea. The
    # integration user and the deleted user are no reps; Cal's department has no team.
    rows = warehouse.query(
        "select distinct rep_id, rep_name, team, region from metrics_sales order by rep_name")
    assert rows == [(text_key_to_id(sf.ADA), "Ada Lovelace", "enterprise", "na"),
                    (text_key_to_id(sf.BO), "Bo Peep", "smb", "emea")]


def test_point_in_time_pipeline_uses_the_stage_of_that_day_not_the_current_one(warehouse):
    # Ada's open deals at the end of each day (amounts in USD):
    #   01-20: Acme (proposal since 01-10) 12,000 + Prospect (prospecting) 3,000 = 15,000
    #   02-10: Acme (moved back to qualification on 02-01) 12,000 + Prospect 3,000 +
    #          Globex upgrade (qualification since 02-05) 5,000 = 20,000
    #   02-15: Prospect lost at 14:00 -> out: 12,000 + 5,000 = 17,000
    #   03-15: Acme won on 03-10 -> out: Globex upgrade 5,000. The deal in 'Legal Review'
    #          (no stage mapping) and the renewal without a billing key are quarantined.
    expected = {"2024-01-20": (15000.0, 2), "2024-02-10": (20000.0, 3),
                "2024-02-15": (17000.0, 2), "2024-03-15": (5000.0, 1)}
    for day, values in expected.items():
        assert _rep_metrics(warehouse, "Ada Lovelace", day,
                            "total_pipeline_value, open_opportunities") == values, day


def test_pipeline_by_stage_puts_a_deal_in_its_stage_of_the_day(warehouse):
    # 02-10: qualification holds Acme (12,000, back from proposal), Globex upgrade (5,000)
    # and Bo's Globex renewal (8,000, qualification from its creation on 02-01 until the
    # field history's change on 03-05) = 3 deals, 25,000; proposal is empty that day.
    # 01-20: proposal holds Acme alone (12,000).
    rows = warehouse.query(
        "select cast(metric_date as varchar), stage, deal_count, amount_usd "
        "from sales_pipeline_by_stage "
        "where (metric_date = cast('2024-02-10' as date) "
        "       and stage in ('qualification', 'proposal')) "
        "   or (metric_date = cast('2024-01-20' as date) and stage = 'proposal') "
        "order by 1, 2")
    assert [(day, stage, count, float(amount or 0)) for day, stage, count, amount in rows] == [
        ("2024-01-20", "proposal", 1, 12000.0),
        ("2024-02-10", "proposal", 0, 0.0),
        ("2024-02-10", "qualification", 3, 25000.0),
    ]


def test_win_rate_over_90_days_counts_deals_closed_in_the_window(warehouse):
    # Ada: nothing closed by 02-14 -> NULL; 02-15 Prospect lost -> 0 of 1 = 0 %;
    # 03-31: Acme won 03-10 and Prospect lost 02-15, both on or after 01-02 (the 90 days
    # ending 03-31) -> 1 of 2 = 50 %. Bo: the Globex renewal won 03-20 -> 100 %.
    assert _rep_metrics(warehouse, "Ada Lovelace", "2024-02-14", "win_rate") == (None,)
    assert _rep_metrics(warehouse, "Ada Lovelace", "2024-02-15", "win_rate") == (0.0,)
    assert _rep_metrics(warehouse, "Ada Lovelace", "2024-03-31", "win_rate") == (50.0,)
    assert _rep_metrics(warehouse, "Bo Peep", "2024-03-31", "win_rate") == (100.0,)


def test_sales_cycle_runs_from_creation_to_the_day_the_deal_was_won(warehouse):
    # Ada's Acme: created 2024-01-02, won 2024-03-10: 29 days to 01-31 + 29 in February
    # (leap year) + 10 = 68 days, whatever it went through. Bo's Globex renewal: created
    # 02-01, won 03-20 (field history): 28 days to 02-29 + 20 = 48 days.
    assert _rep_metrics(warehouse, "Ada Lovelace", AS_OF.isoformat(),
                        "avg_sales_cycle_days, deals_won_mtd, revenue_closed_mtd, "
                        "avg_deal_size") == (68.0, 1, 12000.0, 12000.0)
    assert _rep_metrics(warehouse, "Bo Peep", AS_OF.isoformat(),
                        "avg_sales_cycle_days, deals_won_mtd") == (48.0, 1)


def test_quotas_activities_and_leads_reach_the_rep_metrics(warehouse):
    # Quota: ForecastingQuota 10,000 for each of Ada's Q1 months = 30,000; won in the
    # quarter 12,000 -> 40 %. Activities in the 30 days ending 03-31: calls on 03-20
    # (subtype Call) and 03-28 (a plain task of Type Call); the to-do, the call not made,
    # the deleted call and the call of 02-15 do not count -> 2; one email; one meeting
    # (the deleted event does not count). Leads: MQLs in the 30 days from 03-02: the
    # referral of 03-05 -> 1; MQLs in 90 days (from 01-02): 03-05 and 02-10, of which the
    # 02-10 one reached SQL on 02-12 -> 50 %. Acme's lead (MQL 2023-12-28) is outside.
    assert _rep_metrics(warehouse, "Ada Lovelace", AS_OF.isoformat(),
                        "quarter_quota_amount, quota_attainment_pct, calls_made_30d, "
                        "emails_sent_30d, meetings_held_30d, total_mqls, "
                        "mql_conversion_rate") == (30000.0, 40.0, 2, 1, 1, 1, 50.0)


def test_opportunities_link_to_billing_accounts_and_leads_by_their_keys(warehouse):
    # Acme's deal: account_id is the Stripe customer id cus_acme hashed as the billing
    # loader hashes it, lead_id the lead converted into it; the prospect's deal has no
    # billing account yet (new business: NULL). Acme's lead converted into a customer.
    rows = warehouse.query(
        "select opportunity_id, account_id, lead_id, opportunity_type, current_stage "
        "from staging.stg_crm__opportunities order by amount_usd")
    assert sorted(rows) == sorted([
        (text_key_to_id(sf.PROSPECT_DEAL), None, None, "new_business", "closed_lost"),
        (text_key_to_id(sf.GLOBEX_UP), text_key_to_id("cus_globex"), None, "expansion",
         "negotiation"),
        (text_key_to_id(sf.GLOBEX_REN), text_key_to_id("cus_globex"), None, "renewal",
         "closed_won"),
        (text_key_to_id(sf.ACME_NEW), text_key_to_id("cus_acme"),
         text_key_to_id("00Q5e00000LAcme1"), "new_business", "closed_won"),
    ])
    leads = warehouse.query(
        "select converted_account_id, cast(converted_at as date), cast(sql_at as date) "
        f"from staging.stg_crm__leads where lead_id = {text_key_to_id('00Q5e00000LAcme1')}")
    assert leads == [(text_key_to_id("cus_acme"), dt.date(2024, 1, 2), dt.date(2024, 1, 2))]


def test_unmappable_salesforce_rows_are_quarantined_with_their_reason(warehouse):
    rows = warehouse.query(
        "select source_table, record_key, quarantine_reason from staging.stg_quarantined_rows "
        "where source_table like 'fivetran_salesforce.%' or source_table like 'crm.%'")
    assert sorted(rows) == sorted([
        ("fivetran_salesforce.user", sf.CAL, "unmapped_value"),
        ("fivetran_salesforce.opportunity", sf.LEGAL_REVIEW, "unmapped_value"),
        ("fivetran_salesforce.opportunity", sf.NO_KEY_RENEWAL, "no_account"),
        ("fivetran_salesforce.opportunity_history", "0085e00000LegA01", "unmapped_value"),
        ("fivetran_salesforce.opportunity_history", "0085e00000MisA01", "missing_parent"),
        ("fivetran_salesforce.lead", "00Q5e00000LPigeo", "unmapped_value"),
        ("fivetran_salesforce.forecasting_quota", "0J95e00000Q00005", "unmapped_value"),
    ])


def test_every_salesforce_row_is_accounted_for(warehouse):
    # raw = mapped + set aside by rule + quarantined, per table (fixture comments):
    #   user 5 = 2 reps + integration user and deleted user + Cal
    #   opportunity_history 13 = 9 stage entries + (same-stage amount change, deleted
    #   deal's row) + (Legal Review, missing deal); field history 4 = 2 stage changes +
    #   (Amount change, Acme's row already in opportunity_history)
    rows = warehouse.query(
        "select source_table, raw_rows, staged_rows, collapsed_duplicate_rows, "
        "quarantined_rows, unaccounted_rows from staging.stg_row_reconciliation "
        "where source_table like 'fivetran_salesforce.%'")
    assert sorted(rows) == sorted([
        ("fivetran_salesforce.user", 5, 2, 2, 1, 0),
        ("fivetran_salesforce.account", 4, 3, 1, 0, 0),
        ("fivetran_salesforce.opportunity", 7, 4, 1, 2, 0),
        ("fivetran_salesforce.opportunity_history", 13, 9, 2, 2, 0),
        ("fivetran_salesforce.opportunity_field_history", 4, 2, 2, 0, 0),
        ("fivetran_salesforce.lead", 6, 4, 1, 1, 0),
        ("fivetran_salesforce.task", 7, 4, 3, 0, 0),
        ("fivetran_salesforce.event", 2, 1, 1, 0, 0),
        ("fivetran_salesforce.forecasting_quota", 5, 3, 1, 1, 0),
    ])
    assert warehouse.query(
        "select source_table from staging.stg_row_reconciliation "
        "where source_table like 'crm.%' and unaccounted_rows <> 0") == []


def test_missing_salesforce_tables_read_as_empty_and_field_history_stands_in(
        tmp_path_factory):
    # Without opportunity_history, Acme's stages come from its field history: created in
    # Negotiation/Review (the change's old value) on 01-02 10:00, won 03-10 16:00. Without
    # forecasting_quota there are no quotas. Each missing table warns once, by name.
    tables = [table for table in sf.TABLES
              if table.name not in ("opportunity_history", "forecasting_quota")]
    work = tmp_path_factory.mktemp("salesforce_missing")
    env = {"METRICS_DUCKDB_PATH": str(work / "warehouse.duckdb")}
    load_loader_tables("duckdb", env, tables)
    warehouse = Warehouse(name="salesforce_missing", target="duckdb", env=env,
                          target_path=work / "target", manifest={}, as_of=AS_OF,
                          dbt_vars={"crm_loader": "fivetran_salesforce",
                                    **getattr(fixture_module("fivetran_salesforce"),
                                              "DBT_VARS", {})})
    result = warehouse.dbt(["build", "--select", "+fivetran_salesforce__row_reconciliation",
                            "fivetran_salesforce__opportunity_stage_history",
                            "fivetran_salesforce__rep_quotas"])
    for table in ("opportunity_history", "forecasting_quota"):
        assert result.stdout.count(f"fivetran_salesforce.{table} (") == 1, table
    entries = warehouse.query(
        "select stage, timezone('UTC', entered_at) "
        "from loaders.fivetran_salesforce__opportunity_stage_history "
        f"where opportunity_id = {text_key_to_id(sf.ACME_NEW)} order by entered_at")
    assert entries == [
        ("negotiation", dt.datetime(2024, 1, 2, 10)), ("closed_won", dt.datetime(2024, 3, 10, 16))]
    assert warehouse.query(
        "select count(*) from loaders.fivetran_salesforce__rep_quotas") == [(0,)]
    assert warehouse.query(
        "select raw_rows, staged_rows from loaders.fivetran_salesforce__row_reconciliation "
        "where source_table = 'fivetran_salesforce.forecasting_quota'") == [(0, 0)]

