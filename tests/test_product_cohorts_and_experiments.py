"""metrics_cohort_retention and metrics_experiments against plain-Python recomputations
from the raw rows, and the SQL normal CDF against Python's math.erfc on both engines."""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd
import pytest
from scipy.stats import norm

# period 0 is 100 % by definition (spec: "the cohort is its members"); who was active in
# the signup period is checked apart, as active_in_signup_period_users and _pct
PERIOD_CHECKS = {"month": (0, 1, 3), "week": (0, 1, 4, 12)}


def _utc(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, utc=True).dt.tz_localize(None)


def _period_start(day: dt.date, period_type: str) -> dt.date:
    if period_type == "month":
        return day.replace(day=1)
    return day - dt.timedelta(days=day.weekday())


def _add_periods(start: dt.date, periods: int, period_type: str) -> dt.date:
    if period_type == "week":
        return start + dt.timedelta(weeks=periods)
    month_index = start.month - 1 + periods
    return dt.date(start.year + month_index // 12, month_index % 12 + 1, 1)


@pytest.mark.parametrize("period_type", ["month", "week"])
def test_logo_retention_matches_independent_cohorts_and_open_periods_are_null(
        warehouse, period_type):
    as_of = warehouse.as_of
    users = warehouse.frame("select user_id, signed_up_at from raw_activity.users")
    users["signup_day"] = _utc(users["signed_up_at"]).dt.date
    users = users[users["signup_day"] <= as_of]
    users["cohort"] = [_period_start(day, period_type) for day in users["signup_day"]]
    sessions = warehouse.frame("select user_id, started_at from raw_activity.sessions")
    sessions["day"] = _utc(sessions["started_at"]).dt.date
    sessions = sessions[sessions["day"] <= as_of]
    active_periods = {
        (int(user), _period_start(day, period_type))
        for user, day in zip(sessions["user_id"], sessions["day"])
    }
    model = warehouse.frame(
        "select * from metrics_cohort_retention "
        f"where cohort_period_type = '{period_type}'"
    )
    model["cohort_start_date"] = pd.to_datetime(model["cohort_start_date"]).dt.date
    model["periods_since_start"] = model["periods_since_start"].astype(int)
    model = model.set_index(["cohort_start_date", "periods_since_start"])

    checked_complete = 0
    for cohort, members in users.groupby("cohort"):
        for periods in PERIOD_CHECKS[period_type]:
            period_start = _add_periods(cohort, periods, period_type)
            if period_start > as_of:
                assert (cohort, periods) not in model.index
                continue
            row = model.loc[(cohort, periods)]
            period_end = _add_periods(cohort, periods + 1, period_type) - dt.timedelta(days=1)
            active = sum((int(user), period_start) in active_periods
                         for user in members["user_id"])
            retained = len(members) if periods == 0 else active
            assert int(row["cohort_size"]) == len(members), (cohort, periods)
            assert int(row["retained_users"]) == retained, (cohort, periods)
            if periods == 0:
                assert row["logo_retention_pct"] == 100.0, cohort
                assert int(row["active_in_signup_period_users"]) == active, cohort
                if period_end <= as_of:
                    assert row["active_in_signup_period_pct"] == pytest.approx(
                        100.0 * active / len(members)), cohort
                else:
                    assert pd.isna(row["active_in_signup_period_pct"]), cohort
            else:
                assert pd.isna(row["active_in_signup_period_users"]), (cohort, periods)
                assert pd.isna(row["active_in_signup_period_pct"]), (cohort, periods)
            if periods == 0:
                assert bool(row["is_complete"]) == (period_end <= as_of), cohort
            elif period_end <= as_of:
                assert bool(row["is_complete"])
                assert row["logo_retention_pct"] == pytest.approx(100.0 * retained / len(members))
                checked_complete += 1
            else:
                assert not bool(row["is_complete"])
                assert pd.isna(row["logo_retention_pct"]), (cohort, periods)
    assert checked_complete >= 10


def test_logo_retention_never_exceeds_100_pct_period_0_is_100_and_open_periods_have_no_pct(
        warehouse):
    violations = warehouse.query(
        """
        select count(*) from metrics_cohort_retention
        where retained_users > cohort_size
           or logo_retention_pct < 0 or logo_retention_pct > 100
           or (not is_complete and ((periods_since_start > 0 and logo_retention_pct is not null)
                                    or revenue_retention_pct is not null))
           or (periods_since_start = 0 and (logo_retention_pct is null
                                            or logo_retention_pct != 100
                                            or retained_users != cohort_size))
        """
    )
    assert violations[0][0] == 0
    # monthly cohorts reach month 12 and weekly ones week 12 on the 400-day dataset
    reached = dict(warehouse.query(
        "select cohort_period_type, max(periods_since_start) from metrics_cohort_retention "
        "where is_complete group by cohort_period_type"))
    assert reached == {"month": 12, "week": 12}


def test_experiment_counts_lift_and_p_value_match_scipy_on_the_as_of_day(warehouse):
    as_of = warehouse.as_of
    exposures = warehouse.frame(
        "select exposure_id, experiment_key, variant, user_id, exposed_at "
        "from raw_marketing.experiment_exposures")
    exposures["exposed_at"] = _utc(exposures["exposed_at"])
    exposures = exposures[exposures["exposed_at"].dt.date <= as_of]
    first = (exposures.sort_values(["exposed_at", "exposure_id"])
             .drop_duplicates(["experiment_key", "user_id"]))
    conversions = warehouse.frame(
        "select experiment_key, user_id, converted_at from raw_marketing.experiment_conversions")
    conversions["converted_at"] = _utc(conversions["converted_at"])
    joined = first.merge(conversions, on=["experiment_key", "user_id"])
    joined = joined[(joined["converted_at"] >= joined["exposed_at"])
                    & (joined["converted_at"].dt.date <= as_of)]
    converted = joined.drop_duplicates(["experiment_key", "user_id"])

    model = warehouse.frame(
        "select * from metrics_experiments where metric_date = "
        f"cast('{as_of.isoformat()}' as date)").set_index(["experiment_key", "variant"])
    counts = first.groupby(["experiment_key", "variant"]).size()
    wins = converted.groupby(["experiment_key", "variant"]).size()
    assert set(model.index) == set(counts.index)
    tested = 0
    for (experiment, variant), exposed in counts.items():
        row = model.loc[(experiment, variant)]
        conv = int(wins.get((experiment, variant), 0))
        assert int(row["exposures"]) == exposed
        assert int(row["conversions"]) == conv
        assert row["conversion_rate_pct"] == pytest.approx(100.0 * conv / exposed)
        if variant == "control":
            assert pd.isna(row["p_value"]) and pd.isna(row["lift_pct"])
            continue
        control_n = int(counts[(experiment, "control")])
        control_c = int(wins.get((experiment, "control"), 0))
        rate, control_rate = conv / exposed, control_c / control_n
        pooled = (conv + control_c) / (exposed + control_n)
        z = (rate - control_rate) / math.sqrt(
            pooled * (1 - pooled) * (1 / exposed + 1 / control_n))
        assert row["lift_pct"] == pytest.approx(100.0 * (rate - control_rate) / control_rate)
        assert row["z_score"] == pytest.approx(z)
        assert row["p_value"] == pytest.approx(2 * norm.sf(abs(z)), abs=2e-7)
        assert bool(row["is_significant"]) == (2 * norm.sf(abs(z)) < 0.05)
        tested += 1
    assert tested >= 3


GRID = [-40.0, -8.0, -3.5, -2.0, -1.96, -1.0, -0.25, 0.0, 0.1, 0.5, 1.0, 1.644854, 1.96,
        2.5, 3.0, 4.0, 6.0, 8.0, 26.0, 40.0]


def test_sql_normal_cdf_and_p_value_match_python_erfc_within_2e_7(warehouse):
    values = ", ".join(f"({x})" for x in GRID)
    sql = (
        "select x, {{ normal_cdf('x') }} as cdf, {{ two_sided_normal_p_value('x') }} as p "
        f"from (values {values}) as grid(x)"
    )
    result = warehouse.dbt(["show", "--quiet", "--output", "json", "--limit", "100",
                            "--inline", sql])
    rows = json.loads(result.stdout[result.stdout.index("{"):])["show"]
    assert len(rows) == len(GRID)
    for row in rows:
        x = float(row["x"])
        assert float(row["cdf"]) == pytest.approx(0.5 * math.erfc(-x / math.sqrt(2)), abs=2e-7)
        assert float(row["p"]) == pytest.approx(math.erfc(abs(x) / math.sqrt(2)), abs=2e-7)
        assert 0.0 <= float(row["cdf"]) <= 1.0


def test_sql_normal_cdf_of_null_is_null(duckdb_warehouse):
    result = duckdb_warehouse.dbt([
        "show", "--quiet", "--output", "json", "--inline",
        "select {{ normal_cdf('cast(null as double precision)') }} as cdf"])
    rows = json.loads(result.stdout[result.stdout.index("{"):])["show"]
    assert rows == [{"cdf": None}]
