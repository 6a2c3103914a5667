"""Marketing: campaigns, ad spend, touchpoints, web sessions, email sends, social posts,
referrals and A/B experiments."""

from __future__ import annotations

import numpy as np

from .common import DAY, HOUR, NAT, CampaignState, Ctx, choice, expand, time_of_day
from .simulate_billing import CHANNELS, INF, history_start_day

PAID = ["google_ads", "meta_ads", "linkedin_ads"]
CAC = {"google_ads": 700.0, "meta_ads": 450.0, "linkedin_ads": 1500.0}
CPM = {"google_ads": 12.0, "meta_ads": 8.0, "linkedin_ads": 35.0}
CTR = {"google_ads": 0.035, "meta_ads": 0.012, "linkedin_ads": 0.006}
# website visits differ by channel: people who come from an email or a referral (or type
# the address) know what they want; paid social brings the most one-page visits
BOUNCE_RATE = {
    "google_ads": 0.46,
    "meta_ads": 0.63,
    "linkedin_ads": 0.52,
    "organic": 0.5,
    "email": 0.27,
    "referral": 0.31,
    "direct": 0.3,
}
# signup rate of a visit that did not bounce, relative to the landing page's base rate
CONVERSION_FACTOR = {
    "google_ads": 1.2,
    "meta_ads": 0.6,
    "linkedin_ads": 1.0,
    "organic": 0.8,
    "email": 1.3,
    "referral": 1.8,
    "direct": 1.4,
}
THEMES = np.array(
    [
        "brand",
        "competitor",
        "retargeting",
        "launch",
        "webinar",
        "ebook",
        "trial",
        "pricing",
        "security",
        "integrations",
    ],
    dtype=object,
)
PAGES = {
    "organic": (
        [
            "/",
            "/blog/metrics-that-matter",
            "/blog/churn-playbook",
            "/blog/saas-benchmarks",
            "/features",
            "/docs",
        ],
        [0.2, 0.25, 0.2, 0.15, 0.1, 0.1],
    ),
    "direct": (["/", "/pricing", "/login", "/signup"], [0.5, 0.2, 0.2, 0.1]),
    "paid": (
        ["/", "/pricing", "/features", "/signup", "/lp/free-trial"],
        [0.15, 0.25, 0.2, 0.15, 0.25],
    ),
    "email": (["/blog/whats-new", "/features", "/pricing", "/webinars"], [0.4, 0.25, 0.2, 0.15]),
    "referral": (["/", "/signup", "/pricing"], [0.4, 0.4, 0.2]),
}


def simulate_campaigns(ctx: Ctx) -> dict:
    rng = ctx.rng("marketing.campaigns")
    rows = []  # channel, start, end, name
    # campaigns run since before the installed base's first touches
    lead_in = 150 + ctx.start_day - history_start_day(ctx)
    for channel in PAID:
        day = ctx.start_day - lead_in
        while day <= ctx.end_day:
            duration_days = int(rng.integers(30, 121))
            rows.append((channel, day, day + duration_days))
            day += int(rng.integers(12, 30))
    day = ctx.start_day - lead_in
    while day <= ctx.end_day:
        gap_days = int(rng.integers(5, 10))
        # an email campaign collects clicks until the next one goes out
        rows.append(("email", day, day + gap_days))
        day += gap_days
    for index in range(3):
        rows.append(("organic", ctx.start_day - lead_in - 250 + 90 * index, 10**9))
    rows.sort(key=lambda row: (row[1], row[0]))
    channel = np.array([row[0] for row in rows], dtype=object)
    start_day = np.array([row[1] for row in rows], dtype=np.int64)
    stop_day = np.array([row[2] for row in rows], dtype=np.int64)
    n_campaigns = len(rows)
    start = start_day * DAY + 8 * HOUR + rng.integers(0, 4 * HOUR, n_campaigns)
    end = np.where(stop_day >= 10**9, NAT, stop_day * DAY + 8 * HOUR)
    end = np.where(end < ctx.end_sec, end, NAT)
    theme = THEMES[rng.integers(0, len(THEMES), n_campaigns)]
    start_month = start_day.astype("M8[D]").astype("M8[M]").astype(str)
    name = np.char.add(
        np.char.add(np.char.add(np.char.add(channel.astype(str), "_"), theme.astype(str)), "_"),
        start_month,
    )
    name = np.where(
        channel == "organic",
        np.array(["organic_seo_blog", "organic_community", "organic_webinars"] * n_campaigns)[
            :n_campaigns
        ],
        name,
    )
    campaign_ids = np.arange(1, n_campaigns + 1, dtype=np.int64)
    ctx.world.campaigns = CampaignState(
        campaign_id=campaign_ids, channel=channel, start=start, end=end, d0=start_day, d1=stop_day
    )
    return {
        "campaign_id": campaign_ids,
        "channel": channel,
        "campaign_name": name.astype(object),
        "started_at": start,
        "ended_at": end,
    }


def simulate_ad_spend(ctx: Ctx) -> dict:
    accounts, campaigns = ctx.world.accounts, ctx.world.campaigns
    rng = ctx.rng("marketing.ad_spend_daily")
    paid = np.flatnonzero(np.isin(campaigns.channel, PAID))
    last_day = np.where(campaigns.end[paid] == NAT, ctx.end_day, (campaigns.end[paid] - 1) // DAY)
    first_day = np.maximum(campaigns.d0[paid], ctx.start_day)
    paid_idx, day_offset = expand(np.maximum(np.minimum(last_day, ctx.end_day) - first_day + 1, 0))
    campaign_idx = paid[paid_idx]
    day = first_day[paid_idx] + day_offset
    growth_weights = ctx.growth_weights(weekend=0.7)
    channel = campaigns.channel[campaign_idx]
    spend = np.zeros(len(campaign_idx))
    impressions = np.zeros(len(campaign_idx), dtype=np.int64)
    clicks = np.zeros(len(campaign_idx), dtype=np.int64)
    for channel_name in PAID:
        of_channel = channel == channel_name
        total = max((accounts.channel == channel_name).sum(), 1) * CAC[channel_name]
        concurrent = np.bincount(day[of_channel] - ctx.start_day, minlength=ctx.days)
        channel_spend = (
            total
            * growth_weights[day[of_channel] - ctx.start_day]
            / concurrent[day[of_channel] - ctx.start_day]
        )
        channel_spend = channel_spend * rng.lognormal(0, 0.25, of_channel.sum())
        spend[of_channel] = np.round(channel_spend, 2)
        impressions[of_channel] = np.round(
            channel_spend / CPM[channel_name] * 1000 * rng.lognormal(0, 0.15, of_channel.sum())
        ).astype(np.int64)
        clicks[of_channel] = rng.binomial(impressions[of_channel], CTR[channel_name])
    order = np.lexsort((campaign_idx, day))
    return {
        "campaign_id": campaigns.campaign_id[campaign_idx][order],
        "spend_date": day[order],
        "spend_usd": spend[order],
        "impressions": impressions[order],
        "clicks": clicks[order],
    }


def _campaign_at(ctx: Ctx, channel: np.ndarray, touched_at: np.ndarray) -> np.ndarray:
    """Latest campaign of the channel running at the touch; -1 (NULL) when none runs."""
    campaigns = ctx.world.campaigns
    stops = np.where(campaigns.d1 >= 10**9, INF, campaigns.d1 * DAY + 8 * HOUR)
    out = np.full(len(touched_at), -1, dtype=np.int64)
    for name in PAID + ["email"]:
        touches = np.flatnonzero(channel == name)
        of_channel = np.flatnonzero(campaigns.channel == name)
        latest = np.searchsorted(campaigns.start[of_channel], touched_at[touches], "right") - 1
        # campaigns overlap: look back over a few earlier starts for one still running
        for back in range(8):
            candidate = latest - back
            valid = candidate >= 0
            campaign = of_channel[np.maximum(candidate, 0)]
            running = valid & (touched_at[touches] < stops[campaign])
            unset = out[touches] == -1
            hit = running & unset
            out[touches[hit]] = campaigns.campaign_id[campaign[hit]]
    return out


def simulate_touchpoints(ctx: Ctx) -> dict:
    leads = ctx.world.leads
    rng = ctx.rng("marketing.touchpoints")
    n_leads = len(leads.lead_id)
    touches_per_lead = rng.choice([1, 2, 3, 4, 5], n_leads, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    lead_idx, touch_position = expand(touches_per_lead)
    n_touches = len(lead_idx)
    first_touch = leads.created - (60 + rng.exponential(7 * DAY, n_leads)).astype(np.int64)
    horizon = np.where(leads.converted != NAT, leads.converted, leads.created + 30 * DAY)
    touched_at = np.where(
        touch_position == 0,
        first_touch[lead_idx],
        first_touch[lead_idx]
        + (rng.random(n_touches) * (horizon[lead_idx] - first_touch[lead_idx])).astype(np.int64),
    )
    channel = np.where(
        touch_position == 0,
        leads.chan[lead_idx],
        choice(rng, CHANNELS, [0.2, 0.12, 0.08, 0.25, 0.2, 0.05, 0.1], n_touches),
    ).astype(object)
    before_end = touched_at < ctx.end_sec
    lead_idx, touched_at, channel = (
        lead_idx[before_end],
        touched_at[before_end],
        channel[before_end],
    )
    order = np.lexsort((lead_idx, touched_at))
    lead_idx, touched_at, channel = lead_idx[order], touched_at[order], channel[order]
    return {
        "touchpoint_id": np.arange(1, len(touched_at) + 1, dtype=np.int64),
        "lead_id": leads.lead_id[lead_idx],
        "channel": channel,
        "campaign_id": _campaign_at(ctx, channel=channel, touched_at=touched_at),
        "touched_at": touched_at,
    }


def simulate_web_sessions(ctx: Ctx) -> dict:
    rng = ctx.rng("marketing.web_sessions")
    n_sessions = int(ctx.accounts * 35)
    day = np.sort(
        ctx.start_day + rng.choice(ctx.days, n_sessions, p=ctx.growth_weights(weekend=0.6))
    )
    started_at = np.minimum(day * DAY + time_of_day(rng, n_sessions, 15, 4.5), ctx.end_sec - 1)
    started_at = np.sort(started_at)
    channel_weights = np.array([0.18, 0.1, 0.05, 0.35, 0.07, 0.05, 0.2])
    channel_idx = rng.choice(
        len(CHANNELS), size=n_sessions, p=channel_weights / channel_weights.sum()
    )
    channel = CHANNELS[channel_idx]
    page = np.empty(n_sessions, dtype=object)
    for key, (pages, weights) in PAGES.items():
        matches = np.isin(channel, PAID) if key == "paid" else channel == key
        page[matches] = choice(rng, pages, weights, int(matches.sum()))
    bounce_rate = np.array([BOUNCE_RATE[channel_name] for channel_name in CHANNELS])
    conversion_factor = np.array([CONVERSION_FACTOR[channel_name] for channel_name in CHANNELS])
    bounced = rng.random(n_sessions) < bounce_rate[channel_idx]
    pageviews = np.where(bounced, 1, 2 + rng.geometric(0.35, n_sessions) - 1)
    page_rate = np.where(np.isin(page, ["/signup", "/lp/free-trial", "/pricing"]), 0.12, 0.04)
    converted = ~bounced & (rng.random(n_sessions) < page_rate * conversion_factor[channel_idx])
    visitor_pool = rng.integers(0, 2**40, max(int(n_sessions * 0.7), 1))
    visitor_ids = np.char.mod(
        "v_%010x", visitor_pool[rng.integers(0, len(visitor_pool), n_sessions)]
    )
    return {
        "web_session_id": np.arange(1, n_sessions + 1, dtype=np.int64),
        "visitor_id": visitor_ids.astype(object),
        "channel": channel,
        "landing_page": page,
        "started_at": started_at,
        "pageviews": pageviews,
        "is_bounce": bounced,
        "is_conversion": converted,
    }


def simulate_email_sends(ctx: Ctx) -> dict:
    leads, campaigns = ctx.world.leads, ctx.world.campaigns
    rng = ctx.rng("marketing.email_sends")
    campaign_idx, lead_idx, sent = [], [], []
    for campaign in np.flatnonzero(campaigns.channel == "email"):
        campaign_start = int(campaigns.start[campaign])
        leads_before = int(np.searchsorted(leads.created, campaign_start))
        n_recipients = round(leads_before * 0.3)
        if n_recipients == 0 or campaign_start >= ctx.end_sec:
            continue
        lead_idx.append(np.sort(rng.choice(leads_before, n_recipients, replace=False)))
        campaign_idx.append(np.full(n_recipients, campaign))
        sent.append(campaign_start + rng.integers(0, 2 * HOUR, n_recipients))
    if not campaign_idx:
        campaign_idx, lead_idx, sent = [np.zeros(0, np.int64)] * 3
    campaign_idx, lead_idx, sent = (
        np.concatenate(campaign_idx),
        np.concatenate(lead_idx),
        np.concatenate(sent),
    )
    n_sends = len(campaign_idx)
    opened = sent + (60 + rng.exponential(5 * HOUR, n_sends)).astype(np.int64)
    is_open = rng.random(n_sends) < 0.25
    clicked = opened + (10 + rng.exponential(20 * 60, n_sends)).astype(np.int64)
    is_click = is_open & (rng.random(n_sends) < 0.14)
    before_end = sent < ctx.end_sec
    opened = np.where(is_open & (opened < ctx.end_sec), opened, NAT)
    clicked = np.where(is_click & (opened != NAT) & (clicked < ctx.end_sec), clicked, NAT)
    campaign_idx, lead_idx, sent, opened, clicked = (
        campaign_idx[before_end],
        lead_idx[before_end],
        sent[before_end],
        opened[before_end],
        clicked[before_end],
    )
    order = np.lexsort((lead_idx, sent))
    return {
        "email_send_id": np.arange(1, len(campaign_idx) + 1, dtype=np.int64),
        "campaign_id": campaigns.campaign_id[campaign_idx[order]],
        "recipient_email": leads.email[lead_idx[order]],
        "sent_at": sent[order],
        "opened_at": opened[order],
        "clicked_at": clicked[order],
    }


def simulate_social_posts(ctx: Ctx) -> dict:
    rng = ctx.rng("marketing.social_posts")
    day_idx, _ = expand(rng.poisson(0.6, ctx.days))
    n_posts = len(day_idx)
    posted_at = (ctx.start_day + day_idx) * DAY + time_of_day(rng, n_posts, 14, 2)
    posted_at = np.minimum(posted_at, ctx.end_sec - 1)
    growth = 1 + day_idx / max(ctx.days, 1)
    impressions = np.round(rng.lognormal(np.log(1500), 0.8, n_posts) * growth).astype(np.int64)
    engagements = rng.binomial(impressions, 0.03)
    order = np.argsort(posted_at, kind="stable")
    return {
        "post_id": np.arange(1, n_posts + 1, dtype=np.int64),
        "platform": choice(
            rng, ["linkedin", "twitter", "facebook", "instagram"], [0.4, 0.3, 0.15, 0.15], n_posts
        )[order],
        "posted_at": posted_at[order],
        "impressions": impressions[order],
        "engagements": engagements[order],
    }


def simulate_referrals(ctx: Ctx) -> dict:
    accounts = ctx.world.accounts
    rng = ctx.rng("marketing.referrals")
    payers = np.flatnonzero(accounts.first_sub_start != NAT)
    payers = payers[np.argsort(accounts.first_sub_start[payers], kind="stable")]
    payer_start = accounts.first_sub_start[payers]
    referred = np.flatnonzero(accounts.channel == "referral")
    sent = accounts.created[referred] - (HOUR + rng.exponential(10 * DAY, len(referred))).astype(
        np.int64
    )
    payers_before = np.searchsorted(payer_start, sent - HOUR)
    has_referrer = payers_before > 0
    referred, sent, payers_before = (
        referred[has_referrer],
        sent[has_referrer],
        payers_before[has_referrer],
    )
    referrer = payers[(rng.random(len(payers_before)) * payers_before).astype(np.int64)]
    # invitations that did not convert
    n_invites = 2 * len(referred) + 1 if len(payers) else 0
    invite_referrer = (
        payers[rng.integers(0, len(payers), n_invites)] if n_invites else np.zeros(0, np.int64)
    )
    span = np.maximum(
        np.minimum(accounts.life_end[invite_referrer], ctx.end_sec)
        - accounts.first_sub_start[invite_referrer],
        0,
    )
    invite_sent = accounts.first_sub_start[invite_referrer] + (rng.random(n_invites) * span).astype(
        np.int64
    )
    invite_before_end = invite_sent < ctx.end_sec
    invite_referrer, invite_sent = (
        invite_referrer[invite_before_end],
        invite_sent[invite_before_end],
    )
    referrer_all = np.concatenate([referrer, invite_referrer])
    sent_all = np.concatenate([sent, invite_sent])
    converted_account_id = np.concatenate(
        [accounts.account_id[referred], np.full(len(invite_referrer), -1)]
    )
    converted_at = np.concatenate([accounts.created[referred], np.full(len(invite_referrer), NAT)])
    order = np.lexsort((converted_account_id, sent_all))
    n_referrals = len(order)
    referral_ids = np.arange(1, n_referrals + 1, dtype=np.int64)
    local_part = np.char.mod("friend%d", referral_ids)
    email = np.char.add(local_part, "@invitee.example.com").astype(object)
    return {
        "referral_id": referral_ids,
        "referrer_account_id": accounts.account_id[referrer_all[order]],
        "referred_email": email,
        "sent_at": sent_all[order],
        "converted_account_id": converted_account_id[order],
        "converted_at": converted_at[order],
    }


EXPERIMENTS = [  # key, variants, window fractions, conversion rates per variant
    (
        "onboarding_checklist_v2",
        ["control", "treatment_a", "treatment_b"],
        (0.2, 0.6),
        [0.12, 0.15, 0.13],
    ),
    ("new_subscription_flow", ["control", "treatment_a"], (0.55, 0.9), [0.10, 0.125]),
    ("pricing_page_annual_default", ["control", "treatment_a"], (0.7, 1.0), [0.08, 0.08]),
]


def simulate_experiments(ctx: Ctx) -> tuple[dict, dict]:
    user_state = ctx.world.users
    rng = ctx.rng("marketing.experiment_exposures")
    keys, variants, exposed, times, rates = [], [], [], [], []
    for key, variant_names, (start_fraction, end_fraction), conversion_rates in EXPERIMENTS:
        window_start = ctx.start_sec + int(start_fraction * ctx.days) * DAY
        window_end = ctx.start_sec + int(end_fraction * ctx.days) * DAY
        exposed_users = np.flatnonzero(
            (user_state.signup >= window_start) & (user_state.signup < window_end)
        )
        variant_idx = rng.integers(0, len(variant_names), len(exposed_users))
        keys.append(np.full(len(exposed_users), key, dtype=object))
        variants.append(np.array(variant_names, dtype=object)[variant_idx])
        exposed.append(exposed_users)
        times.append(user_state.signup[exposed_users] + rng.integers(5, 600, len(exposed_users)))
        rates.append(np.array(conversion_rates)[variant_idx])
    keys, variants, exposed, times, rates = (
        np.concatenate(column) for column in (keys, variants, exposed, times, rates)
    )
    before_end = times < ctx.end_sec
    keys, variants, exposed, times, rates = (
        keys[before_end],
        variants[before_end],
        exposed[before_end],
        times[before_end],
        rates[before_end],
    )
    order = np.lexsort((exposed, times))
    keys, variants, exposed, times, rates = (
        column[order] for column in (keys, variants, exposed, times, rates)
    )
    exposures = {
        "exposure_id": np.arange(1, len(keys) + 1, dtype=np.int64),
        "experiment_key": keys,
        "variant": variants,
        "user_id": user_state.user_id[exposed],
        "exposed_at": times,
    }
    conversion_rng = ctx.rng("marketing.experiment_conversions")
    n_exposures = len(keys)
    converts = conversion_rng.random(n_exposures) < rates
    converted_at = times + (HOUR + conversion_rng.exponential(3 * DAY, n_exposures)).astype(
        np.int64
    )
    value = np.round(conversion_rng.lognormal(np.log(120), 0.6, n_exposures), 2)
    counted = converts & (converted_at < ctx.end_sec)
    conversion_idx = np.flatnonzero(counted)
    conversion_idx = conversion_idx[np.argsort(converted_at[conversion_idx], kind="stable")]
    conversions = {
        "conversion_id": np.arange(1, len(conversion_idx) + 1, dtype=np.int64),
        "experiment_key": keys[conversion_idx],
        "user_id": user_state.user_id[exposed[conversion_idx]],
        "converted_at": converted_at[conversion_idx],
        "conversion_value_usd": value[conversion_idx],
    }
    return exposures, conversions
