"""metrics_sales against plain Python over the raw CRM rows, on both engines.

The oracle replays raw_crm.opportunity_stage_history day by day: a deal's stage at the
end of day d is its last entry made before midnight after d (ties by row id), never the
opportunity's current_stage. Deals that move backwards or reopen after closed_won are in
the generated data, so a mart that read the current stage would fail here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pandas as pd
import pytest

OPEN_STAGES = {"prospecting", "qualification", "proposal", "negotiation"}


def spread_days(warehouse, count: int = 12, span: int = 360) -> list[dt.date]:
    """`count` days spread evenly over the last `span` days up to the as-of day."""
    step = span // (count - 1)
    return [warehouse.as_of - dt.timedelta(days=span - step * i) for i in range(count)]


def utc_naive(series: pd.Series) -> pd.Series:
    values = pd.to_datetime(series, utc=True)
    return values.dt.tz_convert("UTC").dt.tz_localize(None)


class DealHistory:
    """The raw stage history and opportunities, replayable to any day."""

    def __init__(self, warehouse):
        history = warehouse.frame(
            "select stage_history_id, opportunity_id, stage, entered_at "
            "from raw_crm.opportunity_stage_history")
        history["entered_at"] = utc_naive(history["entered_at"])
        self.history = history.sort_values(["opportunity_id", "entered_at", "stage_history_id"])
        opportunities = warehouse.frame(
            "select opportunity_id, owner_rep_id, amount_usd, created_at "
            "from raw_crm.opportunities")
        opportunities["created_at"] = utc_naive(opportunities["created_at"])
        self.opportunities = opportunities.set_index("opportunity_id")

    def states_on(self, day: dt.date) -> pd.DataFrame:
        """Per deal at the end of `day`: stage, the day it entered it, owner, amount."""
        end = pd.Timestamp(day) + pd.Timedelta(days=1)
        known = self.history[self.history["entered_at"] < end]
        last = known.groupby("opportunity_id").tail(1).set_index("opportunity_id")
        states = last[["stage"]].assign(stage_date=last["entered_at"].dt.normalize())
        return states.join(self.opportunities, how="inner")


def rep_rows(warehouse, day: dt.date) -> pd.DataFrame:
    frame = warehouse.frame(
        "select rep_id, total_pipeline_value, open_opportunities, win_rate, "
        f"revenue_closed_mtd from metrics_sales where metric_date = '{day.isoformat()}'")
    return frame.set_index("rep_id")


def test_pipeline_value_and_win_rate_match_the_raw_stage_history_on_spread_out_days(warehouse):
    deals = DealHistory(warehouse)
    checked_pipeline = checked_win_rate = 0
    for day in spread_days(warehouse):
        states = deals.states_on(day)
        is_open = states["stage"].isin(OPEN_STAGES)
        recent = states["stage_date"] >= pd.Timestamp(day) - pd.Timedelta(days=89)
        closed = states[~is_open & recent]
        mart = rep_rows(warehouse, day)
        assert len(mart) > 0, f"no rep rows on {day}"
        for rep_id, row in mart.iterrows():
            own_open = states[is_open & (states["owner_rep_id"] == rep_id)]
            assert float(row["total_pipeline_value"]) == pytest.approx(
                float(own_open["amount_usd"].astype(float).sum()), abs=0.005), (rep_id, day)
            assert int(row["open_opportunities"]) == len(own_open), (rep_id, day)
            checked_pipeline += 1
            own_closed = closed[closed["owner_rep_id"] == rep_id]
            if len(own_closed) == 0:
                assert pd.isna(row["win_rate"]), (rep_id, day)
            else:
                wanted = 100.0 * (own_closed["stage"] == "closed_won").sum() / len(own_closed)
                assert float(row["win_rate"]) == pytest.approx(wanted, rel=1e-9), (rep_id, day)
                checked_win_rate += 1
    assert checked_pipeline >= 50 and checked_win_rate >= 30


def test_reps_revenue_closed_mtd_adds_up_to_the_deals_won_month_to_date_on_every_day(warehouse):
    deals = DealHistory(warehouse)
    mart = warehouse.frame(
        "select metric_date, sum(revenue_closed_mtd) as revenue_closed_mtd "
        "from metrics_sales group by metric_date")
    mart["metric_date"] = pd.to_datetime(mart["metric_date"]).dt.date
    totals = dict(zip(mart["metric_date"], mart["revenue_closed_mtd"].astype(float), strict=True))
    days = sorted(totals)
    assert len(days) > 300
    for day in days[::3] + [days[-1]]:
        states = deals.states_on(day)
        month_start = pd.Timestamp(day.replace(day=1))
        won = states[(states["stage"] == "closed_won") & (states["stage_date"] >= month_start)]
        assert totals[day] == pytest.approx(float(won["amount_usd"].astype(float).sum()),
                                            abs=0.01), day


def test_a_reopened_deal_leaves_the_won_totals_while_it_is_open(warehouse):
    """The generated data reopens some won deals: on a day inside the reopened interval
    the deal is open in the snapshot and counts in its owner's pipeline."""
    deals = DealHistory(warehouse)
    reopened = defaultdict(list)
    for opportunity_id, group in deals.history.groupby("opportunity_id"):
        stages = list(group["stage"])
        if "closed_won" in stages[:-1]:
            won_at = group["entered_at"].iloc[stages.index("closed_won")]
            later = group[group["entered_at"] > won_at]
            if len(later) and later["stage"].iloc[0] in OPEN_STAGES:
                reopened[opportunity_id] = later["entered_at"].iloc[0].date()
    assert reopened, "the generated data should contain a reopened deal"
    for opportunity_id, reopened_on in reopened.items():
        rows = warehouse.query(
            "select is_open, is_won from intermediate.int_opportunity_days_snapshotted "
            f"where opportunity_id = {opportunity_id} and date_day = '{reopened_on}'")
        if rows:
            assert rows[0] == (True, False), opportunity_id
