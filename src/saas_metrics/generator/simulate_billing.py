"""Billing: accounts, subscriptions, exchange rates, invoices and payment attempts."""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np

from .common import (
    DAY,
    HOUR,
    NAT,
    Ctx,
    add_months,
    choice,
    company_domains,
    company_names,
    sigmoid,
    time_of_day,
)

TIERS = np.array(["starter", "professional", "enterprise"], dtype=object)
MONTHLY_PRICE = np.array([49.0, 199.0, 999.0])
CHANNELS = np.array(
    ["google_ads", "meta_ads", "linkedin_ads", "organic", "email", "referral", "direct"],
    dtype=object,
)
CURRENCIES = np.array(["USD", "EUR", "GBP", "CAD"], dtype=object)
SIZES = np.array(["1-10", "11-50", "51-200", "201-1000", "1000+"], dtype=object)
REGIONS = np.array(["na", "emea", "apac", "latam"], dtype=object)
CANCEL_REASONS = np.array(
    [
        "too_expensive",
        "missing_features",
        "switched_competitor",
        "no_longer_needed",
        "poor_support",
        "payment_failed",
    ],
    dtype=object,
)
FAILURE_CODES = np.array(
    ["card_declined", "insufficient_funds", "expired_card", "do_not_honor", "processing_error"],
    dtype=object,
)
INF = np.iinfo(np.int64).max


def simulate_accounts(ctx: Ctx) -> dict:
    rng = ctx.rng("billing.accounts")
    n = ctx.accounts
    day = np.sort(rng.choice(ctx.days, size=n, p=ctx.growth_weights()))
    created = (ctx.start_day + day) * DAY + time_of_day(rng, n)
    created = np.minimum(created, ctx.end_sec - 1)
    order = np.argsort(created, kind="stable")
    created = created[order]
    ids = np.arange(1, n + 1, dtype=np.int64)

    tier = rng.choice(3, size=n, p=[0.6, 0.3, 0.1])
    size_p = np.array(
        [[0.45, 0.4, 0.13, 0.02, 0.0], [0.05, 0.35, 0.4, 0.17, 0.03], [0.0, 0.03, 0.17, 0.45, 0.35]]
    )
    u = rng.random(n)
    size_idx = (u[:, None] > np.cumsum(size_p[tier], axis=1)).sum(axis=1).clip(0, 4)
    segment = np.where(size_idx <= 1, "smb", np.where(size_idx <= 3, "mid_market", "enterprise"))
    segment = np.where((tier == 2) & (size_idx == 3), "enterprise", segment).astype(object)
    region = choice(rng, REGIONS, [0.45, 0.3, 0.15, 0.1], n)
    chan_p = np.array(
        [
            [0.24, 0.14, 0.06, 0.22, 0.1, 0.1, 0.14],
            [0.22, 0.1, 0.14, 0.2, 0.1, 0.1, 0.14],
            [0.15, 0.04, 0.28, 0.16, 0.1, 0.12, 0.15],
        ]
    )
    u = rng.random(n)
    chan_idx = (u[:, None] > np.cumsum(chan_p[tier], axis=1)).sum(axis=1).clip(0, 6)
    credit = np.round(np.array([1000.0, 5000.0, 50000.0])[tier] * rng.lognormal(0, 0.5, n), -2)
    names = company_names(rng, n)
    domains = company_domains(names, ids)
    billing_email = np.char.add("billing@", domains).astype(object)
    health = rng.normal(0, 1, n)  # latent: drives usage, tickets, payment failures, churn
    pay_fail = sigmoid(-2.4 - 0.9 * health)
    # currency follows region; USD about 70% overall
    cur_idx = np.where(
        region == "emea",
        rng.choice(4, n, p=[0.25, 0.5, 0.25, 0.0]),
        np.where(region == "na", rng.choice(4, n, p=[0.88, 0, 0, 0.12]), 0),
    )
    acc = {
        "account_id": ids,
        "created": created,
        "tier": tier,
        "size_idx": size_idx,
        "segment": segment,
        "region": region,
        "channel": CHANNELS[chan_idx],
        "health": health,
        "pay_fail": pay_fail,
        "currency_idx": cur_idx,
        "name": names.astype(object),
        "domain": domains.astype(object),
        "net_terms": rng.random(n) < np.array([0.02, 0.15, 0.6])[tier],
    }
    ctx.state["accounts"] = acc
    cols = {
        "account_id": ids,
        "account_name": acc["name"],
        "plan_tier": TIERS[tier],
        "signup_channel": acc["channel"],
        "region": region,
        "company_size": SIZES[size_idx],
        "segment": segment,
        "credit_limit_usd": credit,
        "billing_email": billing_email,
        "created_at": created,
    }
    return cols


def _add_months_py(sec: int, months: int) -> int:
    d = dt.datetime.fromtimestamp(sec, dt.UTC)
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    day = min(d.day, calendar.monthrange(y, m)[1])
    return int(d.replace(year=y, month=m, day=day).timestamp())


def simulate_subscriptions(ctx: Ctx) -> dict:
    acc = ctx.state["accounts"]
    rng = ctx.rng("billing.subscriptions")
    n = len(acc["account_id"])
    end = ctx.end_sec
    converts = rng.random(n) < sigmoid(0.9 + 0.8 * acc["health"])
    trial_end = acc["created"] + 14 * DAY + rng.integers(-HOUR, 2 * DAY, n)
    annual = rng.random(n) < np.array([0.25, 0.3, 0.45])[acc["tier"]]
    qty = np.maximum(1, np.round(rng.lognormal(0.2, 0.5, n) * np.array([1, 1.5, 2])[acc["tier"]]))
    disc_choices = np.array([0.0, 10.0, 15.0, 20.0, 25.0])
    discount = disc_choices[rng.choice(5, n, p=[0.6, 0.12, 0.1, 0.1, 0.08])]
    base_hazard = 0.022 * np.exp(-0.9 * acc["health"]) * (1 + 4 * acc["pay_fail"])
    up_h = 0.012 * np.exp(0.5 * acc["health"])
    down_h = 0.006 * np.exp(-0.5 * acc["health"])
    # draws used inside the loop come from one pre-drawn pool for speed and determinism
    rows = {
        k: [] for k in ("acct", "tier", "annual", "cur", "amount", "disc", "start", "end", "reason")
    }
    first_start = np.full(n, NAT, dtype=np.int64)
    life_end = np.where(converts, INF, trial_end + rng.integers(0, 10 * DAY, n))
    u = rng.random((n, 4))
    for i in np.flatnonzero(converts & (trial_end < end)):
        r = np.random.default_rng([ctx.seed, 11, int(i)])
        t = int(trial_end[i])
        tier = int(acc["tier"][i])
        is_annual = bool(annual[i])
        first_start[i] = t
        reactivated = False
        while True:
            row_start, k = t, 0
            closed = False
            while True:
                step = 12 if is_annual else 1
                k += step
                b = _add_months_py(row_start, k)
                if b >= end:
                    break
                h = float(base_hazard[i])
                p_cancel = 1 - (1 - h) ** 12 * 0.6 if is_annual else h
                x = r.random()
                if x < p_cancel:
                    reason = CANCEL_REASONS[r.choice(6, p=_reason_p(float(acc["pay_fail"][i])))]
                    _emit(rows, i, tier, is_annual, acc, qty, discount, row_start, b, reason)
                    closed = True
                    t = b
                    break
                x = r.random()
                pu = float(up_h[i]) * step if tier < 2 else 0.0
                pd_ = float(down_h[i]) * step if tier > 0 else 0.0
                if x < pu or pu <= x < pu + pd_:
                    _emit(rows, i, tier, is_annual, acc, qty, discount, row_start, b, None)
                    tier = tier + 1 if x < pu else tier - 1
                    row_start, k = b, 0
            if not closed:
                _emit(rows, i, tier, is_annual, acc, qty, discount, row_start, NAT, None)
                break
            life_end[i] = t
            if reactivated or r.random() > 0.15 * (1 + float(u[i, 0])):
                break
            t = t + int(r.integers(30, 200)) * DAY + int(r.integers(0, DAY))
            if t >= end:
                break
            reactivated = True
            is_annual = bool(r.random() < 0.2)
    acct = np.array(rows["acct"], dtype=np.int64)
    start = np.array(rows["start"], dtype=np.int64)
    order = np.lexsort((acct, start))
    sub = {k: np.array(v, dtype=object if k == "reason" else None)[order] for k, v in rows.items()}
    sub["subscription_id"] = np.arange(1, len(order) + 1, dtype=np.int64)
    sub["account_id"] = acc["account_id"][sub["acct"].astype(np.int64)]
    acc["first_sub_start"] = first_start
    acc["life_end"] = life_end  # when the account stopped using the product (INF = active)
    acc["converts"] = converts
    ctx.state["subscriptions"] = sub
    return {
        "subscription_id": sub["subscription_id"],
        "account_id": sub["account_id"],
        "plan_tier": TIERS[sub["tier"].astype(np.int64)],
        "billing_interval": np.where(sub["annual"].astype(bool), "year", "month").astype(object),
        "currency": CURRENCIES[sub["cur"].astype(np.int64)],
        "list_amount": sub["amount"].astype(float),
        # the simulated price is already the whole seat count's: one unit per row
        "quantity": np.ones(len(sub["amount"]), dtype=np.int32),
        # no coupon is NULL, as Stripe extracts have it; the contract reads it as 0 %
        "discount_pct": np.where(sub["disc"].astype(float) == 0, np.nan, sub["disc"].astype(float)),
        "started_at": sub["start"].astype(np.int64),
        "ended_at": sub["end"].astype(np.int64),
        "cancel_reason": sub["reason"],
    }


def _reason_p(pay_fail: float) -> np.ndarray:
    p = np.array([0.25, 0.2, 0.15, 0.2, 0.08, 0.12 + 2.5 * pay_fail])
    return p / p.sum()


_FX_FACTOR = np.array([1.0, 0.92, 0.79, 1.36])  # units of currency per USD, roughly


def _emit(rows, i, tier, is_annual, acc, qty, discount, start, end, reason):
    monthly_usd = MONTHLY_PRICE[tier] * qty[i]
    cur = int(acc["currency_idx"][i])
    amount = round(float(monthly_usd * (10 if is_annual else 1) * _FX_FACTOR[cur]), 0)
    rows["acct"].append(i)
    rows["tier"].append(tier)
    rows["annual"].append(is_annual)
    rows["cur"].append(cur)
    rows["amount"].append(amount)
    rows["disc"].append(float(discount[i]))
    rows["start"].append(start)
    rows["end"].append(end)
    rows["reason"].append(reason)


def simulate_exchange_rates(ctx: Ctx) -> dict:
    rng = ctx.rng("billing.exchange_rates")
    days = np.arange(ctx.start_day, ctx.end_day + 1, dtype=np.int64)
    base = np.array([1.0, 1.08, 1.27, 0.74])
    vol = np.array([0.0, 0.004, 0.0045, 0.003])
    steps = rng.normal(0, 1, (4, len(days))) * vol[:, None]
    walk = np.exp(np.cumsum(steps, axis=1))
    rates = np.round(base[:, None] * walk, 8)
    rates[0] = 1.0
    ctx.state["fx"] = rates
    return {
        "currency": np.repeat(CURRENCIES, len(days)),
        "rate_date": np.tile(days, 4),
        "usd_per_unit": rates.ravel(),
    }


def simulate_invoices(ctx: Ctx) -> tuple[dict, dict]:
    """Invoices per billing period and the payment attempts (with dunning) that settle them."""
    acc, sub = ctx.state["accounts"], ctx.state["subscriptions"]
    rng = ctx.rng("billing.invoices")
    end = ctx.end_sec
    start = sub["start"].astype(np.int64)
    stop = np.where(sub["end"].astype(np.int64) == NAT, end, sub["end"].astype(np.int64))
    step = np.where(sub["annual"].astype(bool), 12, 1)
    maxk = ctx.days // 28 + 2
    sub_idx, issued = [], []
    for k in range(maxk):
        ts = add_months(start, step * k)
        ok = ts < stop
        if not ok.any():
            break
        sub_idx.append(np.flatnonzero(ok))
        issued.append(ts[ok])
    sub_idx = np.concatenate(sub_idx) if sub_idx else np.zeros(0, np.int64)
    issued = np.concatenate(issued) if issued else np.zeros(0, np.int64)
    order = np.lexsort((sub_idx, issued))
    sub_idx, issued = sub_idx[order], issued[order]
    n = len(sub_idx)
    ai = sub["acct"].astype(np.int64)[sub_idx]
    amount = np.round(
        sub["amount"].astype(float)[sub_idx] * (1 - sub["disc"].astype(float)[sub_idx] / 100), 2
    )
    cur = sub["cur"].astype(np.int64)[sub_idx]
    net = acc["net_terms"][ai]
    pf = acc["pay_fail"][ai]
    void = rng.random(n) < 0.01
    first = np.where(
        net,
        issued + rng.integers(3 * DAY, 40 * DAY, n),
        issued
        + rng.integers(60, 10 * 60, n)
        + np.where(rng.random(n) < 0.15, rng.integers(0, 10 * DAY, n), 0),
    )
    never = net & (rng.random(n) < 0.05 + 0.3 * pf)
    # failures before the first success: 0 .. 5 (5 = all attempts failed)
    first_fail = rng.random(n) < np.where(net, 0.02, pf * 0.45)
    retry_success = np.clip(0.5 - pf, 0.1, 0.9)
    geo = rng.geometric(retry_success, n)  # attempts until success among retries
    fails = np.where(first_fail, np.minimum(geo, 5), 0)
    n_attempts = np.where(void, 0, np.where(never, 0, np.minimum(fails + 1, 5)))
    # net-terms never-payers: no attempts at all; some pay late by transfer (above)
    inv_id = np.arange(1, n + 1, dtype=np.int64)
    parent = np.repeat(np.arange(n), n_attempts)
    pos = np.arange(len(parent)) - np.repeat(np.cumsum(n_attempts) - n_attempts, n_attempts)
    att_t = first[parent] + pos * 3 * DAY + rng.integers(0, HOUR, len(parent))
    succeeded = pos == fails[parent]  # only true on the last attempt when it succeeded
    keep = att_t < end
    paid_at = np.full(n, NAT, dtype=np.int64)
    ok = keep & succeeded
    paid_at[parent[ok]] = att_t[ok]
    last_fail_t = np.full(n, NAT, dtype=np.int64)
    np.maximum.at(last_fail_t, parent[keep & ~succeeded], att_t[keep & ~succeeded])
    status = np.where(paid_at != NAT, "paid", "open").astype(object)
    uncollectible = (
        (paid_at == NAT) & (fails >= 5) & (last_fail_t != NAT) & (last_fail_t + 3 * DAY < end)
    )
    status[uncollectible] = "uncollectible"
    status[void] = "void"
    invoices = {
        "invoice_id": inv_id,
        "account_id": acc["account_id"][ai],
        "subscription_id": sub["subscription_id"][sub_idx],
        "currency": CURRENCIES[cur],
        "amount_due": amount,
        "issued_at": issued,
        "due_at": issued + 14 * DAY,
        "paid_at": paid_at,
        "status": status,
    }
    pa_rng = ctx.rng("billing.payment_attempts")
    parent, pos, att_t, succeeded = parent[keep], pos[keep], att_t[keep], succeeded[keep]
    order = np.lexsort((parent, att_t))
    parent, att_t, succeeded = parent[order], att_t[order], succeeded[order]
    codes = choice(pa_rng, FAILURE_CODES, [0.35, 0.3, 0.15, 0.12, 0.08], len(parent))
    attempts = {
        "payment_attempt_id": np.arange(1, len(parent) + 1, dtype=np.int64),
        "invoice_id": inv_id[parent],
        "account_id": invoices["account_id"][parent],
        "attempted_at": att_t,
        "amount": amount[parent],
        "currency": CURRENCIES[cur[parent]],
        "status": np.where(succeeded, "succeeded", "failed").astype(object),
        "failure_code": np.where(succeeded, None, codes).astype(object),
    }
    ctx.state["invoices"] = invoices
    return invoices, attempts
