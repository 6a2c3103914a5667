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
    for ch in PAID:
        d = ctx.start_day - lead_in
        while d <= ctx.end_day:
            dur = int(rng.integers(30, 121))
            rows.append((ch, d, d + dur))
            d += int(rng.integers(12, 30))
    d = ctx.start_day - lead_in
    while d <= ctx.end_day:
        gap = int(rng.integers(5, 10))
        # an email campaign collects clicks until the next one goes out
        rows.append(("email", d, d + gap))
        d += gap
    for k in range(3):
        rows.append(("organic", ctx.start_day - lead_in - 250 + 90 * k, 10**9))
    rows.sort(key=lambda r: (r[1], r[0]))
    ch = np.array([r[0] for r in rows], dtype=object)
    d0 = np.array([r[1] for r in rows], dtype=np.int64)
    d1 = np.array([r[2] for r in rows], dtype=np.int64)
    n = len(rows)
    start = d0 * DAY + 8 * HOUR + rng.integers(0, 4 * HOUR, n)
    end = np.where(d1 >= 10**9, NAT, d1 * DAY + 8 * HOUR)
    end = np.where(end < ctx.end_sec, end, NAT)
    theme = THEMES[rng.integers(0, len(THEMES), n)]
    ym = d0.astype("M8[D]").astype("M8[M]").astype(str)
    name = np.char.add(
        np.char.add(np.char.add(np.char.add(ch.astype(str), "_"), theme.astype(str)), "_"), ym
    )
    name = np.where(
        ch == "organic",
        np.array(["organic_seo_blog", "organic_community", "organic_webinars"] * n)[:n],
        name,
    )
    cid = np.arange(1, n + 1, dtype=np.int64)
    ctx.world.campaigns = CampaignState(
        campaign_id=cid, channel=ch, start=start, end=end, d0=d0, d1=d1
    )
    return {
        "campaign_id": cid,
        "channel": ch,
        "campaign_name": name.astype(object),
        "started_at": start,
        "ended_at": end,
    }


def simulate_ad_spend(ctx: Ctx) -> dict:
    accounts, campaigns = ctx.world.accounts, ctx.world.campaigns
    rng = ctx.rng("marketing.ad_spend_daily")
    paid = np.flatnonzero(np.isin(campaigns.channel, PAID))
    last_day = np.where(campaigns.end[paid] == NAT, ctx.end_day, (campaigns.end[paid] - 1) // DAY)
    d0 = np.maximum(campaigns.d0[paid], ctx.start_day)
    idx, pos = expand(np.maximum(np.minimum(last_day, ctx.end_day) - d0 + 1, 0))
    c = paid[idx]
    day = d0[idx] + pos
    gw = ctx.growth_weights(weekend=0.7)
    ch = campaigns.channel[c]
    spend = np.zeros(len(c))
    imps = np.zeros(len(c), dtype=np.int64)
    clicks = np.zeros(len(c), dtype=np.int64)
    for name in PAID:
        m = ch == name
        total = max((accounts.channel == name).sum(), 1) * CAC[name]
        concurrent = np.bincount(day[m] - ctx.start_day, minlength=ctx.days)
        s = total * gw[day[m] - ctx.start_day] / concurrent[day[m] - ctx.start_day]
        s = s * rng.lognormal(0, 0.25, m.sum())
        spend[m] = np.round(s, 2)
        imps[m] = np.round(s / CPM[name] * 1000 * rng.lognormal(0, 0.15, m.sum())).astype(np.int64)
        clicks[m] = rng.binomial(imps[m], CTR[name])
    order = np.lexsort((c, day))
    return {
        "campaign_id": campaigns.campaign_id[c][order],
        "spend_date": day[order],
        "spend_usd": spend[order],
        "impressions": imps[order],
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
    n = len(leads.lead_id)
    cnt = rng.choice([1, 2, 3, 4, 5], n, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    li, pos = expand(cnt)
    m = len(li)
    first_t = leads.created - (60 + rng.exponential(7 * DAY, n)).astype(np.int64)
    horizon = np.where(leads.converted != NAT, leads.converted, leads.created + 30 * DAY)
    t = np.where(
        pos == 0,
        first_t[li],
        first_t[li] + (rng.random(m) * (horizon[li] - first_t[li])).astype(np.int64),
    )
    chan = np.where(
        pos == 0, leads.chan[li], choice(rng, CHANNELS, [0.2, 0.12, 0.08, 0.25, 0.2, 0.05, 0.1], m)
    ).astype(object)
    ok = t < ctx.end_sec
    li, t, chan = li[ok], t[ok], chan[ok]
    order = np.lexsort((li, t))
    li, t, chan = li[order], t[order], chan[order]
    return {
        "touchpoint_id": np.arange(1, len(t) + 1, dtype=np.int64),
        "lead_id": leads.lead_id[li],
        "channel": chan,
        "campaign_id": _campaign_at(ctx, chan, t),
        "touched_at": t,
    }


def simulate_web_sessions(ctx: Ctx) -> dict:
    rng = ctx.rng("marketing.web_sessions")
    n = int(ctx.accounts * 35)
    day = np.sort(ctx.start_day + rng.choice(ctx.days, n, p=ctx.growth_weights(weekend=0.6)))
    t = np.minimum(day * DAY + time_of_day(rng, n, 15, 4.5), ctx.end_sec - 1)
    t = np.sort(t)
    channel_weights = np.array([0.18, 0.1, 0.05, 0.35, 0.07, 0.05, 0.2])
    channel_idx = rng.choice(len(CHANNELS), size=n, p=channel_weights / channel_weights.sum())
    chan = CHANNELS[channel_idx]
    page = np.empty(n, dtype=object)
    for key, (pages, p) in PAGES.items():
        m = np.isin(chan, PAID) if key == "paid" else chan == key
        page[m] = choice(rng, pages, p, int(m.sum()))
    bounce_rate = np.array([BOUNCE_RATE[c] for c in CHANNELS])
    conversion_factor = np.array([CONVERSION_FACTOR[c] for c in CHANNELS])
    bounce = rng.random(n) < bounce_rate[channel_idx]
    pv = np.where(bounce, 1, 2 + rng.geometric(0.35, n) - 1)
    page_rate = np.where(np.isin(page, ["/signup", "/lp/free-trial", "/pricing"]), 0.12, 0.04)
    conv = ~bounce & (rng.random(n) < page_rate * conversion_factor[channel_idx])
    visitors = rng.integers(0, 2**40, max(int(n * 0.7), 1))
    vid = np.char.mod("v_%010x", visitors[rng.integers(0, len(visitors), n)])
    return {
        "web_session_id": np.arange(1, n + 1, dtype=np.int64),
        "visitor_id": vid.astype(object),
        "channel": chan,
        "landing_page": page,
        "started_at": t,
        "pageviews": pv,
        "is_bounce": bounce,
        "is_conversion": conv,
    }


def simulate_email_sends(ctx: Ctx) -> dict:
    leads, campaigns = ctx.world.leads, ctx.world.campaigns
    rng = ctx.rng("marketing.email_sends")
    camp, lead, sent = [], [], []
    for i in np.flatnonzero(campaigns.channel == "email"):
        s0 = int(campaigns.start[i])
        nb = int(np.searchsorted(leads.created, s0))
        k = round(nb * 0.3)
        if k == 0 or s0 >= ctx.end_sec:
            continue
        lead.append(np.sort(rng.choice(nb, k, replace=False)))
        camp.append(np.full(k, i))
        sent.append(s0 + rng.integers(0, 2 * HOUR, k))
    if not camp:
        camp, lead, sent = [np.zeros(0, np.int64)] * 3
    camp, lead, sent = np.concatenate(camp), np.concatenate(lead), np.concatenate(sent)
    n = len(camp)
    opened = sent + (60 + rng.exponential(5 * HOUR, n)).astype(np.int64)
    is_open = rng.random(n) < 0.25
    clicked = opened + (10 + rng.exponential(20 * 60, n)).astype(np.int64)
    is_click = is_open & (rng.random(n) < 0.14)
    ok = sent < ctx.end_sec
    opened = np.where(is_open & (opened < ctx.end_sec), opened, NAT)
    clicked = np.where(is_click & (opened != NAT) & (clicked < ctx.end_sec), clicked, NAT)
    camp, lead, sent, opened, clicked = camp[ok], lead[ok], sent[ok], opened[ok], clicked[ok]
    order = np.lexsort((lead, sent))
    return {
        "email_send_id": np.arange(1, len(camp) + 1, dtype=np.int64),
        "campaign_id": campaigns.campaign_id[camp[order]],
        "recipient_email": leads.email[lead[order]],
        "sent_at": sent[order],
        "opened_at": opened[order],
        "clicked_at": clicked[order],
    }


def simulate_social_posts(ctx: Ctx) -> dict:
    rng = ctx.rng("marketing.social_posts")
    day_idx, _ = expand(rng.poisson(0.6, ctx.days))
    n = len(day_idx)
    t = (ctx.start_day + day_idx) * DAY + time_of_day(rng, n, 14, 2)
    t = np.minimum(t, ctx.end_sec - 1)
    growth = 1 + day_idx / max(ctx.days, 1)
    imps = np.round(rng.lognormal(np.log(1500), 0.8, n) * growth).astype(np.int64)
    eng = rng.binomial(imps, 0.03)
    order = np.argsort(t, kind="stable")
    return {
        "post_id": np.arange(1, n + 1, dtype=np.int64),
        "platform": choice(
            rng, ["linkedin", "twitter", "facebook", "instagram"], [0.4, 0.3, 0.15, 0.15], n
        )[order],
        "posted_at": t[order],
        "impressions": imps[order],
        "engagements": eng[order],
    }


def simulate_referrals(ctx: Ctx) -> dict:
    accounts = ctx.world.accounts
    rng = ctx.rng("marketing.referrals")
    payers = np.flatnonzero(accounts.first_sub_start != NAT)
    payers = payers[np.argsort(accounts.first_sub_start[payers], kind="stable")]
    pstart = accounts.first_sub_start[payers]
    referred = np.flatnonzero(accounts.channel == "referral")
    sent = accounts.created[referred] - (HOUR + rng.exponential(10 * DAY, len(referred))).astype(
        np.int64
    )
    nb = np.searchsorted(pstart, sent - HOUR)
    ok = nb > 0
    referred, sent, nb = referred[ok], sent[ok], nb[ok]
    referrer = payers[(rng.random(len(nb)) * nb).astype(np.int64)]
    # invitations that did not convert
    k = 2 * len(referred) + 1 if len(payers) else 0
    r2 = payers[rng.integers(0, len(payers), k)] if k else np.zeros(0, np.int64)
    span = np.maximum(np.minimum(accounts.life_end[r2], ctx.end_sec) - accounts.first_sub_start[r2], 0)
    s2 = accounts.first_sub_start[r2] + (rng.random(k) * span).astype(np.int64)
    ok2 = s2 < ctx.end_sec
    r2, s2 = r2[ok2], s2[ok2]
    referrer_all = np.concatenate([referrer, r2])
    sent_all = np.concatenate([sent, s2])
    conv_acct = np.concatenate([accounts.account_id[referred], np.full(len(r2), -1)])
    conv_at = np.concatenate([accounts.created[referred], np.full(len(r2), NAT)])
    order = np.lexsort((conv_acct, sent_all))
    n = len(order)
    rid = np.arange(1, n + 1, dtype=np.int64)
    local = np.char.mod("friend%d", rid)
    email = np.char.add(local, "@invitee.example.com").astype(object)
    return {
        "referral_id": rid,
        "referrer_account_id": accounts.account_id[referrer_all[order]],
        "referred_email": email,
        "sent_at": sent_all[order],
        "converted_account_id": conv_acct[order],
        "converted_at": conv_at[order],
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
    for key, vs, (f0, f1), cr in EXPERIMENTS:
        t0 = ctx.start_sec + int(f0 * ctx.days) * DAY
        t1 = ctx.start_sec + int(f1 * ctx.days) * DAY
        u = np.flatnonzero((user_state.signup >= t0) & (user_state.signup < t1))
        v = rng.integers(0, len(vs), len(u))
        keys.append(np.full(len(u), key, dtype=object))
        variants.append(np.array(vs, dtype=object)[v])
        exposed.append(u)
        times.append(user_state.signup[u] + rng.integers(5, 600, len(u)))
        rates.append(np.array(cr)[v])
    keys, variants, exposed, times, rates = (
        np.concatenate(x) for x in (keys, variants, exposed, times, rates)
    )
    ok = times < ctx.end_sec
    keys, variants, exposed, times, rates = keys[ok], variants[ok], exposed[ok], times[ok], rates[ok]
    order = np.lexsort((exposed, times))
    keys, variants, exposed, times, rates = (x[order] for x in (keys, variants, exposed, times, rates))
    exposures = {
        "exposure_id": np.arange(1, len(keys) + 1, dtype=np.int64),
        "experiment_key": keys,
        "variant": variants,
        "user_id": user_state.user_id[exposed],
        "exposed_at": times,
    }
    crng = ctx.rng("marketing.experiment_conversions")
    n = len(keys)
    conv = crng.random(n) < rates
    ct = times + (HOUR + crng.exponential(3 * DAY, n)).astype(np.int64)
    value = np.round(crng.lognormal(np.log(120), 0.6, n), 2)
    m = conv & (ct < ctx.end_sec)
    idx = np.flatnonzero(m)
    idx = idx[np.argsort(ct[idx], kind="stable")]
    conversions = {
        "conversion_id": np.arange(1, len(idx) + 1, dtype=np.int64),
        "experiment_key": keys[idx],
        "user_id": user_state.user_id[exposed[idx]],
        "converted_at": ct[idx],
        "conversion_value_usd": value[idx],
    }
    return exposures, conversions
