"""Independent oracle for metrics_customer_success and the MRR bridge.

Recomputes current_mrr, customer_health_score, nps_score and overdue_balance for every
account on 12 days spread over the history, in plain Python from the raw_* rows (not from
staging or any dbt model), on both engines. Also shows that the bridge's dbt tests fail
when one movement is dropped from a copy of the warehouse.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import Warehouse

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MICRO = Decimal("0.000001")


@pytest.fixture
def cs_warehouse(warehouse: Warehouse) -> Warehouse:
    """The session warehouse of each engine (built once for the whole suite)."""
    return warehouse


def _utc(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, utc=True).dt.tz_localize(None)


def _dates(series: pd.Series) -> list[dt.date | None]:
    return [None if pd.isna(value) else value.date() for value in _utc(series)]


def _raw(warehouse: Warehouse, table: str) -> pd.DataFrame:
    return warehouse.frame(f"select * from {table}")


def _money(value) -> Decimal:
    return Decimal(str(value))


def _rate_on_or_before(rates: dict[str, list[tuple[dt.date, Decimal]]], currency: str,
                       day: dt.date) -> Decimal:
    if currency == "USD":
        return Decimal(1)
    before = [rate for rate_date, rate in rates[currency] if rate_date <= day]
    return before[-1] if before else rates[currency][0][1]


def _health_weights() -> dict[str, float]:
    project = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())
    return {name: float(project["vars"][f"health_weight_{name}"])
            for name in ("usage", "adoption", "support", "payment", "engagement")}


def _sample_days(as_of: dt.date) -> list[dt.date]:
    return [as_of - dt.timedelta(days=33 * step) for step in range(12)]


def oracle(warehouse: Warehouse) -> pd.DataFrame:
    """Expected values per (metric_date, account_id) from raw rows, for the sample days."""
    as_of = warehouse.as_of
    days = _sample_days(as_of)
    subscriptions = _raw(warehouse, "raw_billing.subscriptions")
    rates_frame = _raw(warehouse, "raw_billing.exchange_rates")
    invoices = _raw(warehouse, "raw_billing.invoices")
    attempts = _raw(warehouse, "raw_billing.payment_attempts")
    users = _raw(warehouse, "raw_activity.users")
    sessions = _raw(warehouse, "raw_activity.sessions")
    features = _raw(warehouse, "raw_activity.features")
    feature_events = _raw(warehouse, "raw_activity.feature_events")
    tickets = _raw(warehouse, "raw_activity.support_tickets")
    surveys = _raw(warehouse, "raw_activity.survey_responses")
    api_usage = _raw(warehouse, "raw_activity.api_usage_daily")
    devices = _raw(warehouse, "raw_activity.devices")
    exports = _raw(warehouse, "raw_activity.data_exports")

    rates: dict[str, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for row in rates_frame.sort_values("rate_date").itertuples():
        rates[row.currency].append((pd.Timestamp(row.rate_date).date(), _money(row.usd_per_unit)))

    # subscriptions: days counted and USD amount at the start-day rate
    subscriptions = subscriptions.assign(
        start_ts=_utc(subscriptions.started_at), end_ts=_utc(subscriptions.ended_at))
    subscriptions = subscriptions.sort_values(["account_id", "start_ts", "subscription_id"])
    counted: dict[int, list[tuple[dt.date, dt.date, Decimal]]] = defaultdict(list)
    first_start: dict[int, dt.date] = {}
    for _account, group in subscriptions.groupby("account_id"):
        rows = list(group.itertuples())
        for row in rows:
            start = row.start_ts.date()
            end = None if pd.isna(row.end_ts) else row.end_ts.date()
            # the documented time rule: a period counts on day d when it covers the end
            # of d, i.e. through the day before the day it ends (changed on purpose in
            # issue 11: it used to count the end day too unless a plan change followed)
            last = as_of if end is None else end - dt.timedelta(days=1)
            months = 12 if row.billing_interval == "year" else 1
            # the contract: a null discount means no discount
            discount = Decimal(0) if pd.isna(row.discount_pct) else _money(row.discount_pct)
            local = (_money(row.list_amount) * int(row.quantity) * (100 - discount) / 100
                     / months).quantize(MICRO, ROUND_HALF_UP)
            usd = (local * _rate_on_or_before(rates, row.currency, start)).quantize(
                MICRO, ROUND_HALF_UP)
            counted[row.account_id].append((start, last, usd))
            first_start[row.account_id] = min(first_start.get(row.account_id, start), start)

    def per_account_dates(frame: pd.DataFrame, column: str) -> dict[int, list[dt.date]]:
        out: dict[int, list[dt.date]] = defaultdict(list)
        for account, day in zip(frame.account_id, _dates(frame[column]), strict=True):
            if day is not None:
                out[account].append(day)
        return out

    signups = per_account_dates(users, "signed_up_at")
    session_days = per_account_dates(sessions, "started_at")
    session_users: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for account, user, day in zip(sessions.account_id, sessions.user_id,
                                  _dates(sessions.started_at), strict=True):
        session_users[account].append((day, user))
    ticket_days = per_account_dates(tickets, "created_at")
    failed = attempts[attempts.status == "failed"]
    failure_days = per_account_dates(failed, "attempted_at")
    export_days = per_account_dates(exports, "created_at")
    released = [day for day in _dates(features.released_at)]
    feature_uses: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    for account, key, day in zip(feature_events.account_id, feature_events.feature_key,
                                 _dates(feature_events.occurred_at), strict=True):
        feature_uses[account].append((day, key))
    api_calls: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for row in api_usage.itertuples():
        api_calls[row.account_id].append((pd.Timestamp(row.usage_date).date(), int(row.api_calls)))
    device_spans: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for account, registered, retired in zip(devices.account_id, _dates(devices.registered_at),
                                            _dates(devices.retired_at), strict=True):
        device_spans[account].append((registered, retired))
    nps: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for row, day in zip(surveys.itertuples(), _dates(surveys.responded_at), strict=True):
        if row.survey_type == "nps":
            nps[row.account_id].append((day, int(row.score)))
    open_invoices: dict[int, list[tuple[dt.date, dt.date, dt.date | None, Decimal]]] = (
        defaultdict(list))
    for row, issued, due, paid in zip(invoices.itertuples(), _dates(invoices.issued_at),
                                      _dates(invoices.due_at), _dates(invoices.paid_at),
                                      strict=True):
        if row.status == "void":
            continue
        usd = (_money(row.amount_due) * _rate_on_or_before(rates, row.currency, issued)).quantize(
            MICRO, ROUND_HALF_UP)
        open_invoices[row.account_id].append((issued, due, paid, usd))

    weights = _health_weights()
    expected = []
    for day in days:
        window_30 = (day - dt.timedelta(days=29), day)
        window_90 = (day - dt.timedelta(days=89), day)
        window_7 = (day - dt.timedelta(days=6), day)

        def within(value: dt.date, window: tuple[dt.date, dt.date]) -> bool:
            return window[0] <= value <= window[1]

        available = sum(1 for release in released if release <= day)
        for account, start in first_start.items():
            if start > day:
                continue
            mrr = sum((usd for first, last, usd in counted[account] if first <= day <= last),
                      Decimal(0))
            user_count = sum(1 for signup in signups[account] if signup <= day)
            sessions_30 = sum(1 for session in session_days[account] if within(session, window_30))
            usage = 0.0 if user_count == 0 else min(sessions_30 / (user_count * 20) * 100, 100)
            used = {key for use, key in feature_uses[account] if within(use, window_30)}
            adoption = min(len(used) / available * 100, 100) if available else 0.0
            support = max(100 - 20 * sum(1 for t in ticket_days[account] if within(t, window_30)), 0)
            payment = max(100 - 25 * sum(1 for f in failure_days[account] if within(f, window_90)), 0)
            active_users = {user for use, user in session_users[account] if within(use, window_30)}
            calls = sum(count for use, count in api_calls[account] if within(use, window_30))
            managed = sum(1 for registered, retired in device_spans[account]
                          if registered <= day and (retired is None or retired > day))
            engagement = (
                (20 if len(active_users) > 1 else 0)
                + (20 if calls > 100 else 0)
                + min(2.0 * managed, 20)
                + (20 if any(within(e, window_30) for e in export_days[account]) else 0)
                + (20 if any(within(s, window_7) for s in session_days[account]) else 0)
            )
            health = (weights["usage"] * usage + weights["adoption"] * adoption
                      + weights["support"] * support + weights["payment"] * payment
                      + weights["engagement"] * engagement)
            answers = [score for answered, score in nps[account] if within(answered, window_90)]
            nps_score = (
                100.0 * (sum(1 for s in answers if s >= 9) - sum(1 for s in answers if s <= 6))
                / len(answers) if answers else None
            )
            overdue = sum(
                (usd for issued, due, paid, usd in open_invoices[account]
                 if issued <= day and (paid is None or paid > day) and (day - due).days >= 1),
                Decimal(0))
            expected.append({
                "metric_date": day, "account_id": int(account), "current_mrr": mrr,
                "customer_health_score": health, "nps_score": nps_score,
                "overdue_balance": overdue,
            })
    return pd.DataFrame(expected)


def test_customer_success_matches_independent_calculation_on_twelve_spread_days(cs_warehouse):
    days = _sample_days(cs_warehouse.as_of)
    day_list = ", ".join(f"cast('{day.isoformat()}' as date)" for day in days)
    actual = cs_warehouse.frame(
        "select metric_date, account_id, current_mrr, customer_health_score, nps_score,"
        " overdue_balance from metrics_customer_success"
        f" where metric_date in ({day_list})")
    actual["metric_date"] = [pd.Timestamp(value).date() for value in actual.metric_date]
    expected = oracle(cs_warehouse)
    assert len(expected) > 500, "the sample should cover hundreds of account-days"
    merged = expected.merge(actual, on=["metric_date", "account_id"], how="outer",
                            suffixes=("_expected", "_actual"), indicator=True)
    missing = merged[merged._merge != "both"]
    assert missing.empty, f"account-days only on one side:\n{missing.head(20)}"
    assert merged.metric_date.nunique() == 12

    mrr_diff = [abs(Decimal(str(a)) - e) for a, e in
                zip(merged.current_mrr_actual, merged.current_mrr_expected, strict=True)]
    assert max(mrr_diff) <= MICRO, merged.loc[pd.Series(mrr_diff) > MICRO].head()
    overdue_diff = [abs(Decimal(str(a)) - e) for a, e in
                    zip(merged.overdue_balance_actual, merged.overdue_balance_expected,
                        strict=True)]
    assert max(overdue_diff) <= MICRO
    assert (merged.overdue_balance_expected > 0).any(), "the sample should contain past-due accounts"

    health_diff = (merged.customer_health_score_actual.astype(float)
                   - merged.customer_health_score_expected.astype(float)).abs()
    assert health_diff.max() <= 1e-6, merged.loc[health_diff > 1e-6].head()

    nps_expected = merged.nps_score_expected
    nps_actual = merged.nps_score_actual
    assert (nps_expected.isna() == nps_actual.isna()).all()
    both = nps_expected.notna()
    assert both.sum() > 10
    assert ((nps_expected[both].astype(float) - nps_actual[both].astype(float)).abs()
            <= 1e-9).all()


def test_mrr_bridge_reconciles_per_account_month_and_company_total(cs_warehouse):
    broken = cs_warehouse.query(
        "select count(*) from metrics_mrr_movements_monthly"
        " where abs(beginning_mrr + new_mrr + expansion_mrr + reactivation_mrr"
        " - contraction_mrr - churned_mrr - ending_mrr) >= 0.000001")
    assert broken[0][0] == 0
    totals = cs_warehouse.frame(
        "select month_start_date, sum(beginning_mrr) as beginning_mrr,"
        " sum(new_mrr + expansion_mrr + reactivation_mrr - contraction_mrr - churned_mrr)"
        " as net, sum(ending_mrr) as ending_mrr"
        " from metrics_mrr_movements_monthly group by month_start_date"
        " order by month_start_date")
    assert len(totals) >= 12
    # each company month starts where the last one ended
    for previous, current in zip(totals.itertuples(), list(totals.itertuples())[1:],
                                 strict=False):
        assert abs(Decimal(str(current.beginning_mrr)) - Decimal(str(previous.ending_mrr))) <= MICRO
    # every category occurs in the generated data, so the bridge is not trivially balanced
    categories = {row[0] for row in cs_warehouse.query(
        "select distinct mrr_change_category from metrics_mrr_movements"
        " where mrr_change_category is not null")}
    assert {"new", "expansion", "churn"} <= categories


def test_mrr_bridge_test_fails_when_churn_is_dropped_from_a_copy(duckdb_warehouse, tmp_path):
    # a DuckDB file copy is the cheap way to break one table; the bridge SQL is engine-free
    cs_warehouse = duckdb_warehouse
    copy = tmp_path / "broken.duckdb"
    shutil.copyfile(cs_warehouse.duckdb_path, copy)
    broken = Warehouse(name="broken", target="duckdb", env={"METRICS_DUCKDB_PATH": str(copy)},
                       target_path=tmp_path / "target", manifest={}, as_of=cs_warehouse.as_of)
    selection = ["test", "-s", "metrics_mrr_movements_monthly",
                 "assert_mrr_bridge_reconciles_company_total_by_month"]
    assert broken.dbt(selection, check=False).returncode == 0, "intact copy must pass"

    import duckdb
    with duckdb.connect(str(copy)) as conn:
        conn.execute("update metrics_mrr_movements_monthly set churned_mrr = 0"
                     " where churned_mrr > 0")
    result = broken.dbt(selection, check=False)
    assert result.returncode != 0
    failed = {item["unique_id"].split(".")[2] for item in result.run_results()["results"]
              if item["status"] == "fail"}
    assert any(name.startswith("expression_is_true_metrics_mrr_movements_monthly")
               for name in failed), failed
    assert "assert_mrr_bridge_reconciles_company_total_by_month" in failed
