"""Runs the simulators in dependency order and turns their output into typed DataFrames."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pandas as pd

from . import simulate_activity as act
from . import simulate_billing as bil
from . import simulate_crm as crm
from . import simulate_marketing as mkt
from .common import Ctx, build_frame
from .contract import Contract

# (simulator, table keys it returns, in order). Later steps read ctx.state set by earlier ones.
STEPS: list[tuple[Callable, tuple[str, ...]]] = [
    (bil.simulate_accounts, ("billing.accounts",)),
    (bil.simulate_subscriptions, ("billing.subscriptions",)),
    (bil.simulate_exchange_rates, ("billing.exchange_rates",)),
    (bil.simulate_invoices, ("billing.invoices", "billing.payment_attempts")),
    (act.simulate_users, ("activity.users",)),
    (act.simulate_sessions, ("activity.sessions",)),
    (act.simulate_features, ("activity.features",)),
    (act.simulate_releases, ("activity.releases",)),
    (act.simulate_feature_events, ("activity.feature_events",)),
    (act.simulate_api_usage, ("activity.api_usage_daily",)),
    (act.simulate_devices, ("activity.devices", "activity.device_daily_stats")),
    (act.simulate_data_exports, ("activity.data_exports",)),
    (act.simulate_app_errors, ("activity.app_errors",)),
    (act.simulate_support, ("activity.support_tickets", "activity.survey_responses")),
    (crm.simulate_reps, ("crm.sales_reps",)),
    (crm.simulate_leads, ("crm.leads",)),
    (crm.simulate_opportunities, ("crm.opportunities", "crm.opportunity_stage_history")),
    (crm.simulate_quotas, ("crm.rep_quotas",)),
    (crm.simulate_sales_activities, ("crm.sales_activities",)),
    (mkt.simulate_campaigns, ("marketing.campaigns",)),
    (mkt.simulate_ad_spend, ("marketing.ad_spend_daily",)),
    (mkt.simulate_touchpoints, ("marketing.touchpoints",)),
    (mkt.simulate_web_sessions, ("marketing.web_sessions",)),
    (mkt.simulate_email_sends, ("marketing.email_sends",)),
    (mkt.simulate_social_posts, ("marketing.social_posts",)),
    (mkt.simulate_referrals, ("marketing.referrals",)),
    (
        mkt.simulate_experiments,
        ("marketing.experiment_exposures", "marketing.experiment_conversions"),
    ),
]


def simulated_tables() -> list[str]:
    return [k for _, keys in STEPS for k in keys]


def simulate(ctx: Ctx, contract: Contract) -> Iterator[tuple[str, pd.DataFrame]]:
    """Yield (table key, clean DataFrame) for every contract table, parents first."""
    tables = contract.by_key()
    missing = set(tables) - set(simulated_tables())
    if missing:
        raise ValueError(f"contract tables without a simulator: {sorted(missing)}")
    for fn, keys in STEPS:
        out = fn(ctx)
        outs = (out,) if len(keys) == 1 else out
        for key, cols in zip(keys, outs):
            if key in tables:
                yield key, build_frame(ctx, tables[key], cols)
