"""Billing: accounts, subscriptions, exchange rates, invoices and payment attempts.

The company has an installed base: a share of the accounts signed up before the window,
so their billing history (subscriptions, invoices, payments) reaches back before it and
twelve-month retention cohorts exist from the start. Subscriptions are seat-based: a
period is one plan at one seat count, and a change of plan or seats ends one period and
starts the next, so expansion and contraction amounts vary with the seats added or removed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import numpy as np

from .common import (
    DAY,
    HOUR,
    NAT,
    AccountState,
    Ctx,
    SubscriptionState,
    add_months,
    choice,
    company_domains,
    company_names,
    sigmoid,
    time_of_day,
)

TIERS = np.array(["starter", "professional", "enterprise"], dtype=object)
# list price of one seat per month, USD; a yearly plan costs ten months
SEAT_PRICE_USD = np.array([19.0, 39.0, 59.0])
MONTHS_BILLED_PER_YEAR = 10
# typical seats bought per plan (median of a lognormal)
TYPICAL_SEATS = np.array([3.0, 10.0, 40.0])
CHANNELS = np.array(
    ["google_ads", "meta_ads", "linkedin_ads", "organic", "email", "referral", "direct"],
    dtype=object,
)
CURRENCIES = np.array(["USD", "EUR", "GBP", "CAD"], dtype=object)
FX_FACTOR = np.array([1.0, 0.92, 0.79, 1.36])  # units of currency per USD, roughly
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
DISCOUNTS_PCT = np.array([0.0, 10.0, 15.0, 20.0, 25.0])
DISCOUNT_WEIGHTS = [0.6, 0.12, 0.1, 0.1, 0.08]
INF = np.iinfo(np.int64).max

# the installed base: accounts that signed up before the window starts
INSTALLED_BASE_SHARE = 0.2
INSTALLED_BASE_MAX_AGE_DAYS = 240  # at the window start
INSTALLED_BASE_FULL_SHARE_DAYS = 400  # windows up to this long get the full share
# conversion paths: some buy without a trial (more so the larger plans), the rest trial
NO_TRIAL_SHARE_BY_TIER = np.array([0.08, 0.2, 0.4])
TRIAL_LENGTHS_DAYS = np.array([7, 14, 21, 30])
TRIAL_LENGTH_WEIGHTS = [0.2, 0.5, 0.15, 0.15]
EARLY_CONVERSION_SHARE = 0.3  # converts before the trial ends
LATE_CONVERSION_SHARE = 0.1  # converts some days after the trial lapsed
# credit limits cover this many times the first year's invoices (net-terms customers)
CREDIT_LIMIT_COVER = (1.8, 3.5)
CREDIT_LIMIT_MIN_USD = 1000.0


@dataclass(frozen=True)
class ChurnModel:
    """Monthly hazards of an account; all scale with its latent health."""

    cancel_base: float = 0.015
    upgrade_base: float = 0.012
    downgrade_base: float = 0.006
    seats_added_base: float = 0.05
    seats_removed_base: float = 0.025
    return_probability: float = 0.3  # a churned account comes back later
    return_gap_days: tuple[int, int] = (20, 180)


CHURN = ChurnModel()


def _pick_rows(rng: np.random.Generator, weights_by_row: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """One categorical draw per row from the weight row each one points to."""
    draws = rng.random(len(rows))
    cumulative = np.cumsum(weights_by_row[rows], axis=1)
    cumulative = cumulative / cumulative[:, -1:]
    return (draws[:, None] > cumulative).sum(axis=1).clip(0, weights_by_row.shape[1] - 1)


def _signup_times(ctx: Ctx, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Signup seconds (sorted) and whether each account belongs to the installed base."""
    # a long window holds its own twelve-month cohorts: it needs a smaller installed base,
    # which keeps the heavy activity tables of the bigger presets near their old size
    share = INSTALLED_BASE_SHARE * min(1.0, INSTALLED_BASE_FULL_SHARE_DAYS / ctx.days)
    installed = int(round(ctx.accounts * share)) if ctx.accounts >= 10 else 0
    in_window = ctx.accounts - installed
    window_day = rng.choice(ctx.days, size=in_window, p=ctx.growth_weights())
    base_age = rng.integers(10, INSTALLED_BASE_MAX_AGE_DAYS + 1, installed)
    day = np.concatenate([ctx.start_day - base_age, ctx.start_day + window_day])
    created = day * DAY + time_of_day(rng, ctx.accounts)
    created = np.minimum(created, ctx.end_sec - 1)
    is_base = np.concatenate([np.ones(installed, bool), np.zeros(in_window, bool)])
    order = np.argsort(created, kind="stable")
    return created[order], is_base[order]


def simulate_accounts(ctx: Ctx) -> dict:
    rng = ctx.rng("billing.accounts")
    count = ctx.accounts
    created, is_installed_base = _signup_times(ctx, rng)
    ids = np.arange(1, count + 1, dtype=np.int64)

    tier = rng.choice(3, size=count, p=[0.6, 0.3, 0.1])
    size_weights = np.array(
        [[0.45, 0.4, 0.13, 0.02, 0.0], [0.05, 0.35, 0.4, 0.17, 0.03], [0.0, 0.03, 0.17, 0.45, 0.35]]
    )
    size_idx = _pick_rows(rng, size_weights, tier)
    segment = np.where(size_idx <= 1, "smb", np.where(size_idx <= 3, "mid_market", "enterprise"))
    segment = np.where((tier == 2) & (size_idx == 3), "enterprise", segment).astype(object)
    region = choice(rng, REGIONS, [0.45, 0.3, 0.15, 0.1], count)
    channel_weights = np.array(
        [
            [0.24, 0.14, 0.06, 0.22, 0.1, 0.1, 0.14],
            [0.22, 0.1, 0.14, 0.2, 0.1, 0.1, 0.14],
            [0.15, 0.04, 0.28, 0.16, 0.1, 0.12, 0.15],
        ]
    )
    channel_idx = _pick_rows(rng, channel_weights, tier)
    names = company_names(rng, count)
    domains = company_domains(names, ids)
    billing_email = np.char.add("billing@", domains).astype(object)
    health = rng.normal(0, 1, count)
    pay_fail = sigmoid(-2.6 - 0.9 * health)
    # currency follows region; USD about 70% overall
    currency_idx = np.where(
        region == "emea",
        rng.choice(4, count, p=[0.25, 0.5, 0.25, 0.0]),
        np.where(region == "na", rng.choice(4, count, p=[0.88, 0, 0, 0.12]), 0),
    )
    # the installed base are customers already; newer signups convert by their health
    converts = is_installed_base | (rng.random(count) < sigmoid(0.9 + 0.8 * health))
    trial_days = TRIAL_LENGTHS_DAYS[
        rng.choice(len(TRIAL_LENGTHS_DAYS), count, p=TRIAL_LENGTH_WEIGHTS)
    ]
    no_trial = converts & (rng.random(count) < NO_TRIAL_SHARE_BY_TIER[tier])
    trial_days = np.where(no_trial, 0, trial_days)
    annual = rng.random(count) < np.array([0.25, 0.3, 0.45])[tier]
    seats = np.maximum(1, np.round(TYPICAL_SEATS[tier] * rng.lognormal(0, 0.5, count)))
    discount = DISCOUNTS_PCT[rng.choice(len(DISCOUNTS_PCT), count, p=DISCOUNT_WEIGHTS)]
    net_terms = rng.random(count) < np.array([0.02, 0.15, 0.6])[tier]
    # a limit that covers a few times the first year's invoices, in round numbers
    first_year_usd = SEAT_PRICE_USD[tier] * seats * 12 * (1 - discount / 100)
    cover = rng.uniform(*CREDIT_LIMIT_COVER, count)
    credit_limit = np.maximum(np.ceil(first_year_usd * cover / 500.0) * 500.0, CREDIT_LIMIT_MIN_USD)
    ctx.world.accounts = AccountState(
        account_id=ids,
        created=created,
        tier=tier,
        size_idx=size_idx,
        segment=segment,
        region=region,
        channel=CHANNELS[channel_idx],
        health=health,
        pay_fail=pay_fail,
        currency_idx=currency_idx,
        name=names.astype(object),
        domain=domains.astype(object),
        net_terms=net_terms,
        is_installed_base=is_installed_base,
        converts=converts,
        trial_days=trial_days,
        annual=annual,
        seats=seats.astype(np.int64),
        discount=discount,
        credit_limit=credit_limit,
    )
    return {
        "account_id": ids,
        "account_name": names.astype(object),
        "plan_tier": TIERS[tier],
        "signup_channel": CHANNELS[channel_idx],
        "region": region,
        "company_size": SIZES[size_idx],
        "segment": segment,
        "credit_limit_usd": credit_limit,
        "billing_email": billing_email,
        "created_at": created,
    }


def add_months_to_second(epoch_sec: int, months: int) -> int:
    moment = dt.datetime.fromtimestamp(epoch_sec, dt.UTC)
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return int(moment.replace(year=year, month=month, day=day).timestamp())


def _first_subscription_start(ctx: Ctx, rng: np.random.Generator) -> np.ndarray:
    """When each converting account starts paying (NAT if it never does)."""
    accounts = ctx.world.accounts
    count = len(accounts.account_id)
    trial_sec = accounts.trial_days * DAY
    trial_end = accounts.created + trial_sec + rng.integers(-HOUR, 2 * DAY, count)
    early = accounts.created + (rng.uniform(0.15, 0.9, count) * trial_sec).astype(np.int64)
    late = trial_end + rng.integers(1, 25, count) * DAY
    path = rng.random(count)
    start = np.where(
        path < EARLY_CONVERSION_SHARE,
        early,
        np.where(path < EARLY_CONVERSION_SHARE + LATE_CONVERSION_SHARE, late, trial_end),
    )
    # without a trial the account buys the same day or within a few days
    direct = accounts.created + rng.integers(10 * 60, 4 * DAY, count)
    start = np.where(accounts.trial_days == 0, direct, start)
    return np.where(accounts.converts, start, NAT)


@dataclass
class _Period:
    """An open subscription period while its account's history is simulated."""

    tier: int
    seats: int
    is_annual: bool
    start: int


def simulate_subscriptions(ctx: Ctx) -> dict:
    accounts = ctx.world.accounts
    rng = ctx.rng("billing.subscriptions")
    window_end = ctx.end_sec
    first_start = _first_subscription_start(ctx, rng)
    cancel_hazard = (
        CHURN.cancel_base * np.exp(-0.9 * accounts.health) * (1 + 4 * accounts.pay_fail)
    )
    upgrade_hazard = CHURN.upgrade_base * np.exp(0.5 * accounts.health)
    downgrade_hazard = CHURN.downgrade_base * np.exp(-0.5 * accounts.health)
    seats_added_hazard = CHURN.seats_added_base * np.exp(0.4 * accounts.health)
    seats_removed_hazard = CHURN.seats_removed_base * np.exp(-0.4 * accounts.health)
    rows: dict[str, list] = {
        key: []
        for key in ("acct", "tier", "annual", "seats", "cur", "amount", "disc", "start", "end",
                    "reason")
    }

    def emit(account: int, period: _Period, end: int, reason: str | None) -> None:
        currency = int(accounts.currency_idx[account])
        months = MONTHS_BILLED_PER_YEAR if period.is_annual else 1
        seat_price = SEAT_PRICE_USD[period.tier] * months * FX_FACTOR[currency]
        rows["acct"].append(account)
        rows["tier"].append(period.tier)
        rows["annual"].append(period.is_annual)
        rows["seats"].append(period.seats)
        rows["cur"].append(currency)
        rows["amount"].append(round(float(seat_price), 0))
        rows["disc"].append(float(accounts.discount[account]))
        rows["start"].append(period.start)
        rows["end"].append(end)
        rows["reason"].append(reason)

    life_end = np.where(
        accounts.converts, INF, accounts.created + (accounts.trial_days + 3) * DAY
    )
    pays = (first_start != NAT) & (first_start < window_end)
    for account in np.flatnonzero(pays):
        account_rng = np.random.default_rng([ctx.seed, 11, int(account)])
        period = _Period(
            tier=int(accounts.tier[account]),
            seats=int(accounts.seats[account]),
            is_annual=bool(accounts.annual[account]),
            start=int(first_start[account]),
        )
        has_returned = False
        while True:
            cancelled_at, period = _simulate_until_cancel(
                account_rng, int(account), period, window_end, emit,
                cancel_hazard=float(cancel_hazard[account]),
                upgrade_hazard=float(upgrade_hazard[account]),
                downgrade_hazard=float(downgrade_hazard[account]),
                seats_added_hazard=float(seats_added_hazard[account]),
                seats_removed_hazard=float(seats_removed_hazard[account]),
                pay_fail=float(accounts.pay_fail[account]),
            )
            if cancelled_at is None:
                life_end[account] = INF
                break
            life_end[account] = cancelled_at
            if has_returned or account_rng.random() > CHURN.return_probability:
                break
            gap_days = int(account_rng.integers(*CHURN.return_gap_days))
            returns_at = cancelled_at + gap_days * DAY + int(account_rng.integers(0, DAY))
            if returns_at >= window_end:
                break
            has_returned = True
            # a returning customer often comes back smaller, and mostly monthly
            period = _Period(
                tier=period.tier,
                seats=max(1, int(round(period.seats * account_rng.uniform(0.5, 1.1)))),
                is_annual=bool(account_rng.random() < 0.2),
                start=returns_at,
            )
    account_index = np.array(rows["acct"], dtype=np.int64)
    start = np.array(rows["start"], dtype=np.int64)
    order = np.lexsort((account_index, start))

    def column(key: str, dtype) -> np.ndarray:
        return np.array(rows[key], dtype=dtype)[order]

    subscriptions = SubscriptionState(
        subscription_id=np.arange(1, len(order) + 1, dtype=np.int64),
        account_id=accounts.account_id[account_index[order]],
        acct=account_index[order],
        tier=column("tier", np.int64),
        annual=column("annual", bool),
        cur=column("cur", np.int64),
        amount=column("amount", float),
        seats=column("seats", np.int64),
        disc=column("disc", float),
        start=column("start", np.int64),
        end=column("end", np.int64),
        reason=column("reason", object),
    )
    accounts.first_sub_start = np.where(pays, first_start, NAT)
    accounts.life_end = life_end  # when the account stopped using the product (INF = active)
    ctx.world.subscriptions = subscriptions
    return {
        "subscription_id": subscriptions.subscription_id,
        "account_id": subscriptions.account_id,
        "plan_tier": TIERS[subscriptions.tier],
        "billing_interval": np.where(subscriptions.annual, "year", "month").astype(object),
        "currency": CURRENCIES[subscriptions.cur],
        "list_amount": subscriptions.amount,
        "quantity": subscriptions.seats.astype(np.int32),
        # no coupon is NULL, as Stripe extracts have it; the contract reads it as 0 %
        "discount_pct": np.where(subscriptions.disc == 0, np.nan, subscriptions.disc),
        "started_at": subscriptions.start,
        "ended_at": subscriptions.end,
        "cancel_reason": subscriptions.reason,
    }


def _simulate_until_cancel(
    rng: np.random.Generator,
    account: int,
    period: _Period,
    window_end: int,
    emit,
    *,
    cancel_hazard: float,
    upgrade_hazard: float,
    downgrade_hazard: float,
    seats_added_hazard: float,
    seats_removed_hazard: float,
    pay_fail: float,
) -> tuple[int | None, _Period]:
    """Walk one account's renewals from period.start; emit its periods.

    Returns the cancellation time (None when the last period is still open at the end) and
    the last period.
    Plans and seats change at renewals (monthly plans every month, yearly ones at the
    anniversary), each change closing one period and opening the next.
    """
    months_elapsed = 0
    while True:
        step = 12 if period.is_annual else 1
        months_elapsed += step
        renewal = add_months_to_second(period.start, months_elapsed)
        if renewal >= window_end:
            emit(account, period, NAT, None)
            return None, period
        cancel_probability = 1 - (1 - cancel_hazard) ** step
        if rng.random() < cancel_probability:
            reason = CANCEL_REASONS[rng.choice(len(CANCEL_REASONS), p=_reason_weights(pay_fail))]
            emit(account, period, renewal, reason)
            return renewal, period
        draw = rng.random()
        upgrade = upgrade_hazard * step if period.tier < 2 else 0.0
        downgrade = downgrade_hazard * step if period.tier > 0 else 0.0
        new_tier = period.tier + 1 if draw < upgrade else (
            period.tier - 1 if draw < upgrade + downgrade else period.tier
        )
        draw = rng.random()
        new_seats = period.seats
        if draw < seats_added_hazard * step:
            new_seats += max(1, int(round(period.seats * rng.uniform(0.1, 0.6))))
        elif draw < (seats_added_hazard + seats_removed_hazard) * step:
            new_seats -= max(1, int(round(period.seats * rng.uniform(0.1, 0.4))))
            new_seats = max(new_seats, 1)
        if new_tier != period.tier or new_seats != period.seats:
            emit(account, period, renewal, None)
            period = _Period(
                tier=new_tier, seats=new_seats, is_annual=period.is_annual, start=renewal
            )
            months_elapsed = 0


def _reason_weights(pay_fail: float) -> np.ndarray:
    weights = np.array([0.25, 0.2, 0.15, 0.2, 0.08, 0.12 + 2.5 * pay_fail])
    return weights / weights.sum()


def history_start_day(ctx: Ctx) -> int:
    """First day of billing history: the window start or the installed base's first signup."""
    accounts = ctx.world.accounts
    if accounts is None or not len(accounts.created):
        return ctx.start_day
    return min(ctx.start_day, int(accounts.created.min() // DAY))


def simulate_exchange_rates(ctx: Ctx) -> dict:
    """A daily rate for every day of billing history, so every amount can be converted."""
    rng = ctx.rng("billing.exchange_rates")
    days = np.arange(history_start_day(ctx), ctx.end_day + 1, dtype=np.int64)
    base = np.array([1.0, 1.08, 1.27, 0.74])
    volatility = np.array([0.0, 0.004, 0.0045, 0.003])
    steps = rng.normal(0, 1, (4, len(days))) * volatility[:, None]
    walk = np.exp(np.cumsum(steps, axis=1))
    rates = np.round(base[:, None] * walk, 8)
    rates[0] = 1.0
    ctx.world.fx_rates = rates
    return {
        "currency": np.repeat(CURRENCIES, len(days)),
        "rate_date": np.tile(days, 4),
        "usd_per_unit": rates.ravel(),
    }


# net-terms invoices that are not paid on time: most are paid late by transfer, the rest
# are written off as uncollectible this many days after they fall due
LATE_PAYMENT_DAYS = (45, 150)
LATE_PAYER_SHARE = 0.8
WRITE_OFF_AFTER_DUE_DAYS = 90


def simulate_invoices(ctx: Ctx) -> tuple[dict, dict]:
    """Invoices per billing period and the payment attempts (with dunning) that settle them."""
    accounts, subscriptions = ctx.world.accounts, ctx.world.subscriptions
    rng = ctx.rng("billing.invoices")
    window_end = ctx.end_sec
    period_start = subscriptions.start
    period_stop = np.where(subscriptions.end == NAT, window_end, subscriptions.end)
    months_per_invoice = np.where(subscriptions.annual, 12, 1)
    history_days = ctx.end_day - history_start_day(ctx) + 1
    max_invoices_per_period = history_days // 28 + 2
    sub_idx_parts, issued_parts = [], []
    for invoice_number in range(max_invoices_per_period):
        issued_at = add_months(period_start, months_per_invoice * invoice_number)
        billed = issued_at < period_stop
        if not billed.any():
            break
        sub_idx_parts.append(np.flatnonzero(billed))
        issued_parts.append(issued_at[billed])
    sub_idx = np.concatenate(sub_idx_parts) if sub_idx_parts else np.zeros(0, np.int64)
    issued = np.concatenate(issued_parts) if issued_parts else np.zeros(0, np.int64)
    order = np.lexsort((sub_idx, issued))
    sub_idx, issued = sub_idx[order], issued[order]
    count = len(sub_idx)
    account = subscriptions.acct[sub_idx]
    amount = np.round(
        subscriptions.amount[sub_idx]
        * subscriptions.seats[sub_idx]
        * (1 - subscriptions.disc[sub_idx] / 100),
        2,
    )
    currency = subscriptions.cur[sub_idx]
    net_terms = accounts.net_terms[account]
    pay_fail = accounts.pay_fail[account]
    void = rng.random(count) < 0.01
    first_attempt = np.where(
        net_terms,
        issued + rng.integers(3 * DAY, 40 * DAY, count),
        issued
        + rng.integers(60, 10 * 60, count)
        + np.where(rng.random(count) < 0.15, rng.integers(0, 10 * DAY, count), 0),
    )
    pays_late = net_terms & (rng.random(count) < 0.05 + 0.3 * pay_fail)
    never_pays = pays_late & (rng.random(count) > LATE_PAYER_SHARE)
    first_attempt = np.where(
        pays_late, issued + rng.integers(*LATE_PAYMENT_DAYS, count) * DAY, first_attempt
    )
    # failures before the first success: 0 .. 5 (5 = all attempts failed)
    first_fails = rng.random(count) < np.where(net_terms, 0.02, pay_fail * 0.3)
    retry_success = np.clip(0.5 - pay_fail, 0.1, 0.9)
    attempts_to_success = rng.geometric(retry_success, count)
    failures = np.where(first_fails, np.minimum(attempts_to_success, 5), 0)
    attempt_count = np.where(void | never_pays, 0, np.minimum(failures + 1, 5))
    invoice_id = np.arange(1, count + 1, dtype=np.int64)
    parent = np.repeat(np.arange(count), attempt_count)
    position = np.arange(len(parent)) - np.repeat(
        np.cumsum(attempt_count) - attempt_count, attempt_count
    )
    attempted_at = first_attempt[parent] + position * 3 * DAY + rng.integers(0, HOUR, len(parent))
    succeeded = position == failures[parent]  # only the last attempt, when it succeeded
    before_end = attempted_at < window_end
    paid_at = np.full(count, NAT, dtype=np.int64)
    paid = before_end & succeeded
    paid_at[parent[paid]] = attempted_at[paid]
    last_failure = np.full(count, NAT, dtype=np.int64)
    failed = before_end & ~succeeded
    np.maximum.at(last_failure, parent[failed], attempted_at[failed])
    due_at = issued + 14 * DAY
    status = np.where(paid_at != NAT, "paid", "open").astype(object)
    dunning_exhausted = (
        (paid_at == NAT)
        & (failures >= 5)
        & (last_failure != NAT)
        & (last_failure + 3 * DAY < window_end)
    )
    written_off = never_pays & (due_at + WRITE_OFF_AFTER_DUE_DAYS * DAY < window_end)
    status[dunning_exhausted | written_off] = "uncollectible"
    status[void] = "void"
    invoices = {
        "invoice_id": invoice_id,
        "account_id": accounts.account_id[account],
        "subscription_id": subscriptions.subscription_id[sub_idx],
        "currency": CURRENCIES[currency],
        "amount_due": amount,
        "issued_at": issued,
        "due_at": due_at,
        "paid_at": paid_at,
        "status": status,
    }
    attempt_rng = ctx.rng("billing.payment_attempts")
    parent, attempted_at, succeeded = parent[before_end], attempted_at[before_end], succeeded[
        before_end
    ]
    order = np.lexsort((parent, attempted_at))
    parent, attempted_at, succeeded = parent[order], attempted_at[order], succeeded[order]
    codes = choice(attempt_rng, FAILURE_CODES, [0.35, 0.3, 0.15, 0.12, 0.08], len(parent))
    attempts = {
        "payment_attempt_id": np.arange(1, len(parent) + 1, dtype=np.int64),
        "invoice_id": invoice_id[parent],
        "account_id": invoices["account_id"][parent],
        "attempted_at": attempted_at,
        "amount": amount[parent],
        "currency": CURRENCIES[currency[parent]],
        "status": np.where(succeeded, "succeeded", "failed").astype(object),
        "failure_code": np.where(succeeded, None, codes).astype(object),
    }
    return invoices, attempts
