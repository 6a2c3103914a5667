"""The dbt Semantic Layer (MetricFlow): every catalog metric is a MetricFlow metric with the
catalog's label and description, `mf validate-configs` passes, and MetricFlow answering on
the fly equals the materialized marts, on both engines (docs/semantic-layer.md).

The warehouse tests reuse the session warehouses and ask MetricFlow everything in one child
process per engine (saas_metrics.semantic.validate_and_query): loading dbt and MetricFlow
costs seconds, each query a fraction of one.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import math
import time

import pytest
import yaml

from saas_metrics import PROJECT_ROOT
from saas_metrics.semantic import (
    TIER_1_BY_GRAIN,
    MetricQuery,
    day_filter,
    time_metricflow_query,
    validate_and_query,
)

SEMANTIC_FILES = sorted(PROJECT_ROOT.glob("models/**/_*__semantic.yml"))
CATALOG = list(csv.DictReader((PROJECT_ROOT / "seeds" / "metric_catalog.csv").open()))
# mart, its entity key column, and the MetricFlow entity of that grain, per domain
MARTS = {
    "customer_success": ("metrics_customer_success", "account_id"),
    "sales": ("metrics_sales", "rep_id"),
    "product": ("metrics_product_analytics", None),
    "marketing": ("metrics_marketing", "channel"),
}
RELATIVE_TOLERANCE = 1e-9
DAYS = 30


def _semantic_metrics() -> dict[str, dict]:
    metrics: dict[str, dict] = {}
    for path in SEMANTIC_FILES:
        for metric in yaml.safe_load(path.read_text()).get("metrics", []):
            assert metric["name"] not in metrics, f"{metric['name']} is defined twice"
            metrics[metric["name"]] = metric
    return metrics


def test_every_catalog_metric_is_a_metricflow_metric_with_the_catalogs_words():
    metrics = _semantic_metrics()
    assert SEMANTIC_FILES, "no models/**/_*__semantic.yml found"
    problems = []
    for name in sorted({row["metric_name"] for row in CATALOG}):
        if name not in metrics:
            problems.append(f"{name}: no MetricFlow metric")
            continue
        meta = metrics[name]["config"]["meta"]
        rows = {row["domain"]: row for row in CATALOG if row["metric_name"] == name}
        row = rows.get(meta["catalog_domain"])
        if row is None:
            problems.append(f"{name}: catalog_domain {meta['catalog_domain']!r} not in {sorted(rows)}")
            continue
        expected = {"label": row["metric_label"], "description": row["metric_description"],
                    "unit": row["unit"], "importance_tier": row["importance_tier"],
                    "higher_is_better": row["higher_is_better"] == "true"}
        actual = {"label": metrics[name]["label"], "description": metrics[name]["description"],
                  **{key: meta.get(key) for key in ("unit", "importance_tier", "higher_is_better")}}
        for key, value in expected.items():
            if actual[key] != value:
                problems.append(f"{name}.{key}: {actual[key]!r} != catalog {value!r}")
    assert not problems, "\n".join(problems)


def test_metrics_outside_the_catalog_are_documented_parts():
    catalog_names = {row["metric_name"] for row in CATALOG}
    for name, metric in _semantic_metrics().items():
        if name in catalog_names:
            continue
        assert metric["config"]["meta"]["catalog_domain"] is None, name
        assert metric["label"] and metric["description"], f"{name} needs a label and a description"


def test_every_semantic_model_describes_a_documented_model():
    """Each semantic model sits in the folder of (and names) the model it describes."""
    for path in SEMANTIC_FILES:
        for semantic_model in yaml.safe_load(path.read_text()).get("semantic_models", []):
            model = semantic_model["model"].split("'")[1]
            assert semantic_model.get("description"), semantic_model["name"]
            found = list(path.parent.rglob(f"{model}.sql")) + list(path.parent.rglob(f"{model}.csv"))
            found += list((PROJECT_ROOT / "seeds").glob(f"{model}.csv"))
            assert found, f"{path.name}: {semantic_model['name']} describes {model}, not found beside it"


# ---------------------------------------------------------------- on a warehouse


def _window(warehouse) -> tuple[dt.date, dt.date]:
    return warehouse.as_of - dt.timedelta(days=DAYS - 1), warehouse.as_of


REAGGREGATIONS = ["current_mrr", "win_rate", "monthly_active_users"]
# The mart's 0 is MetricFlow's "no value" here (docs/semantic-layer.md): an account-day
# before the first subscription has no MRR 30 days earlier, and an account without an
# active user in 30 days has no row in the user activity MAU counts.
ZERO_IS_NO_VALUE = {("customer_success", "previous_month_mrr"),
                    ("customer_success", "monthly_active_users")}


def _catalog_metrics(domain: str) -> list[str]:
    """The domain's catalog metrics, as MetricFlow names them (marketing's signups count
    accounts: channel_account_signups)."""
    names = [row["metric_name"] for row in CATALOG if row["domain"] == domain]
    return ["channel_account_signups" if (domain, name) == ("marketing", "signups") else name
            for name in names]


@pytest.fixture(scope="module")
def metricflow(warehouse):
    """mf validate-configs' checks and every query of this module, in one child process."""
    first, last = _window(warehouse)
    queries = [MetricQuery(_catalog_metrics(domain), group_by, day_filter(first, last))
               for domain, (_, group_by) in TIER_1_BY_GRAIN.items()]
    queries.append(MetricQuery(REAGGREGATIONS, ["metric_time__day"], day_filter(first, last)))
    queries.append(MetricQuery(["win_rate"], ["metric_time__day", "sales_rep__team"],
                               day_filter(first, last)))
    queries.append(MetricQuery(["current_mrr", "monthly_active_users"],
                               ["metric_time__day", "account__segment"], day_filter(first, last)))
    started = time.perf_counter()
    validation, results = validate_and_query(
        queries, warehouse.env, target_path=warehouse.target_path, target=warehouse.target)
    seconds = time.perf_counter() - started
    print(f"\nMetricFlow on {warehouse.target}: {seconds:.1f} s in all, validation "
          f"{validation['seconds']:.1f} s, queries "
          f"{', '.join(f'{result.seconds:.2f}' for result in results)} s")
    return validation, dict(zip(
        [*TIER_1_BY_GRAIN, "reaggregation", "win_rate_by_team", "by_segment"], results))


def _close(expected, actual) -> bool:
    """Equal within 1e-9 relative; a mart value stored as numeric(38, 6) (a Decimal) is
    MetricFlow's value rounded to 6 decimals, so half a unit of its last place is allowed."""
    if expected is None or actual is None:
        return expected is None and actual is None
    rounding = (0.5 * 10 ** expected.as_tuple().exponent
                if isinstance(expected, decimal.Decimal) else 0.0)
    expected, actual = float(expected), float(actual)
    return math.isclose(expected, actual, rel_tol=RELATIVE_TOLERANCE,
                        abs_tol=max(RELATIVE_TOLERANCE, rounding * (1 + 1e-9)))


def _keyed(result, key_count: int) -> dict[tuple, tuple]:
    return {(dt.date.fromisoformat(str(row[0])[:10]), *row[1:key_count]): row[key_count:]
            for row in result.rows}


def test_mf_validate_configs_passes(metricflow):
    validation, _ = metricflow
    assert validation["errors"] == []


def _mismatches(warehouse, results, domain: str, metrics: list[str]) -> list[tuple]:
    """(metric, key, mart value, MetricFlow value) for every mart row of 30 days that differs."""
    table, key = MARTS[domain]
    keys = ["metric_date", *([key] if key else [])]
    columns = ["signups" if name == "channel_account_signups" else name for name in metrics]
    first, last = _window(warehouse)
    mart = warehouse.query(
        f"select {', '.join(keys + columns)} from {table} "
        f"where metric_date between '{first}' and '{last}'")
    assert len({row[0] for row in mart}) == DAYS
    answered = _keyed(results[domain], len(keys))
    names = list(results[domain].query.metrics)
    found = []
    for row in mart:
        got = answered.get(tuple(row[:len(keys)]))
        for index, metric in enumerate(metrics):
            value = row[len(keys) + index]
            mine = got[names.index(metric)] if got else None
            if _close(value, mine):
                continue
            if (domain, metric) in ZERO_IS_NO_VALUE and mine is None and float(value) == 0:
                continue
            found.append((metric, row[:len(keys)], value, mine))
    return found


@pytest.mark.parametrize("domain", list(TIER_1_BY_GRAIN))
def test_tier_1_metrics_equal_their_mart(metricflow, warehouse, domain):
    """Every tier-1 metric at its mart's grain, every day of 30: 0 mismatches."""
    _, results = metricflow
    metrics, _ = TIER_1_BY_GRAIN[domain]
    assert {row["metric_name"] for row in CATALOG
            if row["domain"] == domain and row["importance_tier"] == "tier_1"} == set(metrics)
    mismatches = _mismatches(warehouse, results, domain, metrics)
    assert not mismatches, f"{len(mismatches)} mismatches, e.g. {mismatches[:5]}"


@pytest.mark.parametrize("domain", list(TIER_1_BY_GRAIN))
def test_every_catalog_metric_equals_its_mart(metricflow, warehouse, domain):
    """All 99 catalog rows at their mart's grain, every day of 30 (tiers 2 and 3 too)."""
    _, results = metricflow
    mismatches = _mismatches(warehouse, results, domain, _catalog_metrics(domain))
    assert not mismatches, f"{len(mismatches)} mismatches, e.g. {mismatches[:5]}"


def test_company_totals_are_the_metrics_without_group_by(metricflow, warehouse):
    """current_mrr = the overview's total_mrr, win_rate = its win_rate, monthly_active_users =
    the product's MAU: re-aggregated by MetricFlow from the parts, every day of 30."""
    _, results = metricflow
    first, last = _window(warehouse)
    expected = warehouse.query(
        "select overview.metric_date, overview.total_mrr, overview.win_rate, "
        "product.monthly_active_users "
        "from metrics_company_overview as overview "
        "inner join metrics_product_analytics as product "
        "on overview.metric_date = product.metric_date "
        f"where overview.metric_date between '{first}' and '{last}'")
    assert len(expected) == DAYS
    answered = _keyed(results["reaggregation"], 1)
    mismatches = [(name, row[0], row[1 + index], answered.get((row[0],), [None] * 3)[index])
                  for row in expected for index, name in enumerate(REAGGREGATIONS)
                  if not _close(row[1 + index], answered.get((row[0],), [None] * 3)[index])]
    assert not mismatches, mismatches[:5]


def test_time_metricflow_query_answers_30_day_active_users_by_day(duckdb_warehouse):
    """The benchmark's entry point: seconds and rows of one query, rows as in the mart."""
    first, last = _window(duckdb_warehouse)
    seconds, rows = time_metricflow_query(
        PROJECT_ROOT, duckdb_warehouse.env, ["monthly_active_users"], ["metric_time__day"],
        day_filter(first, last), target_path=duckdb_warehouse.target_path, target="duckdb")
    expected = duckdb_warehouse.query(
        "select metric_date, monthly_active_users from metrics_product_analytics "
        f"where metric_date between '{first}' and '{last}' order by metric_date")
    assert 0 < seconds < 60
    assert sorted((dt.date.fromisoformat(day[:10]), value) for day, value in rows) == expected


def test_win_rate_by_team_divides_the_teams_deal_counts(metricflow, warehouse):
    """A slice no mart holds: won / closed deals of the team's reps, not an average of rates."""
    _, results = metricflow
    first, last = _window(warehouse)
    expected = warehouse.query(
        "select outcomes.date_day, reps.team, "
        "100.0 * sum(outcomes.deals_won_90d) / sum(outcomes.deals_closed_90d) "
        "from intermediate.int_reps_deal_outcomes_daily as outcomes "
        "inner join staging.stg_crm__sales_reps as reps on outcomes.rep_id = reps.rep_id "
        f"where outcomes.date_day between '{first}' and '{last}' "
        "group by outcomes.date_day, reps.team having sum(outcomes.deals_closed_90d) > 0")
    assert expected
    answered = _keyed(results["win_rate_by_team"], 2)
    mismatches = [row for row in expected
                  if not _close(row[2], answered.get((row[0], row[1]), [None])[0])]
    assert not mismatches, mismatches[:5]


def test_mrr_and_mau_by_segment_re_aggregate_from_accounts_and_users(metricflow, warehouse):
    """current_mrr by account segment is the sum of its customers' MRR; monthly_active_users
    by segment counts each user once over the 30 days ending on the day."""
    _, results = metricflow
    first, last = _window(warehouse)
    mrr = warehouse.query(
        "select customers.metric_date, accounts.segment, sum(customers.current_mrr) "
        "from metrics_customer_success as customers "
        "inner join staging.stg_billing__accounts as accounts "
        "on customers.account_id = accounts.account_id "
        f"where customers.metric_date between '{first}' and '{last}' "
        "group by customers.metric_date, accounts.segment")
    users = warehouse.query(
        "select days.date_day, accounts.segment, count(distinct activity.user_id) "
        "from intermediate.int_calendar_days as days "
        "inner join intermediate.int_user_activity_daily as activity "
        "on activity.activity_date between days.date_day - 29 and days.date_day "
        "inner join staging.stg_billing__accounts as accounts "
        "on activity.account_id = accounts.account_id "
        f"where days.date_day between '{first}' and '{last}' "
        "group by days.date_day, accounts.segment")
    answered = _keyed(results["by_segment"], 2)
    assert len(mrr) >= DAYS and len(users) >= DAYS
    mismatches = [("current_mrr", row) for row in mrr
                  if not _close(row[2], answered.get((row[0], row[1]), [None, None])[0])]
    mismatches += [("monthly_active_users", row) for row in users
                   if not _close(row[2], answered.get((row[0], row[1]), [None, None])[1])]
    assert not mismatches, mismatches[:5]
