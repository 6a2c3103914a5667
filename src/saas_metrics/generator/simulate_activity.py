"""Product activity and support: users, sessions, features, releases, feature events, API
usage, devices and their daily stats, exports, app errors, support tickets and surveys."""

from __future__ import annotations

import numpy as np

from .common import (
    DAY,
    HOUR,
    NAT,
    Ctx,
    SessionState,
    UserState,
    choice,
    emails,
    expand,
    full_names,
    person_names,
    sigmoid,
    time_of_day,
    weekday,
)
from .simulate_billing import INF

FEATURES = [  # key, name, core, base weight, release (None: before window, else window fraction)
    ("dashboards", "Dashboards", True, 0.25, None),
    ("data_sync", "Data sync", True, 0.20, None),
    ("alerts", "Alerts", True, 0.12, None),
    ("reports", "Scheduled reports", True, 0.13, None),
    ("api_access", "API access", False, 0.05, None),
    ("integrations", "Integrations", False, 0.07, None),
    ("sso", "Single sign-on", False, 0.02, None),
    ("ai_assistant", "AI assistant", False, 0.08, 0.3),
    ("workflow_automation", "Workflow automation", False, 0.05, 0.6),
    ("audit_log", "Audit log", False, 0.03, 0.85),
]
ROLES = np.array(["admin", "member", "viewer"], dtype=object)
NPS_ANSWERS_PER_QUARTER = 3.0  # per account, times a factor that grows with its users
CSAT_RESPONSE_RATE = 0.6
# customers stay longer than they used to (lower churn, an installed base), so a user logs
# in a little less often: DAU/MAU stays near 0.3 and the session tables keep their size
DAILY_LOGIN_SCALE = 0.75


def _active_until(ctx: Ctx, accounts: dict) -> np.ndarray:
    return np.minimum(accounts.life_end, ctx.end_sec)


def simulate_users(ctx: Ctx) -> dict:
    accounts = ctx.world.accounts
    rng = ctx.rng("activity.users")
    n_accounts = len(accounts.account_id)
    tier = accounts.tier
    min_users = np.array([1, 5, 20])[tier]
    max_users = np.array([5, 25, 80])[tier]
    drawn_users = rng.integers(min_users, max_users + 1)
    drawn_users = np.where((tier == 0) & (rng.random(n_accounts) < 0.25), 1, drawn_users)
    drawn_users = np.where(accounts.converts, drawn_users, rng.integers(1, 4, n_accounts))
    # the installed base has grown its team before the window: fewer later joiners
    drawn_users = np.where(accounts.is_installed_base, np.maximum(drawn_users, 2), drawn_users)
    account_idx, position_in_account = expand(drawn_users)
    created = accounts.created[account_idx]
    account_until = _active_until(ctx, accounts)[account_idx]
    signup_delay = np.where(
        position_in_account == 0,
        rng.integers(60, 600, len(account_idx)),
        (
            rng.exponential(45 * DAY, len(account_idx))
            * np.array([1.0, 1.5, 2.5])[tier[account_idx]]
        ).astype(np.int64)
        + HOUR,
    )
    signup = created + signup_delay
    signup = np.where(position_in_account == 0, np.minimum(signup, ctx.end_sec - 1), signup)
    keep = (position_in_account == 0) | (signup < account_until)
    account_idx, position_in_account, signup = (
        account_idx[keep],
        position_in_account[keep],
        signup[keep],
    )
    order = np.lexsort((account_idx, signup))
    account_idx, position_in_account, signup = (
        account_idx[order],
        position_in_account[order],
        signup[order],
    )
    n_users = len(account_idx)
    user_ids = np.arange(1, n_users + 1, dtype=np.int64)
    account_health = accounts.health[account_idx]
    role = np.where(
        position_in_account == 0, "admin", choice(rng, ROLES, [0.1, 0.7, 0.2], n_users)
    ).astype(object)
    # the first user starts the account's trial, unless the account bought without one
    account_trials = accounts.trial_days[account_idx] > 0
    first_user_trials = (position_in_account == 0) & account_trials
    trial_started = np.where(
        first_user_trials
        | ((position_in_account > 0) & account_trials & (rng.random(n_users) < 0.08)),
        signup + rng.integers(0, 60, n_users),
        NAT,
    )
    activated_ok = rng.random(n_users) < sigmoid(1.2 + 0.7 * account_health)
    activated = signup + 600 + rng.exponential(1.5 * DAY, n_users).astype(np.int64)
    activated = np.where(activated_ok & (activated < ctx.end_sec), activated, NAT)
    first_value = activated + HOUR + rng.exponential(4 * DAY, n_users).astype(np.int64)
    first_value = np.where(
        (activated != NAT) & (rng.random(n_users) < 0.8) & (first_value < ctx.end_sec),
        first_value,
        NAT,
    )
    first_names, last_names = person_names(rng, n_users)
    domain = accounts.domain[account_idx].astype(str)
    # per-user lifetime and propensities used by the activity tables
    left_at = np.where(
        rng.random(n_users) < 0.1,
        signup + rng.exponential(200 * DAY, n_users).astype(np.int64),
        INF,
    )
    churn_end = np.where(
        accounts.life_end[account_idx] == INF,
        INF,
        accounts.life_end[account_idx] + rng.integers(0, 5 * DAY, n_users),
    )
    user_end = np.minimum(np.minimum(left_at, churn_end), ctx.end_sec)
    role_factor = np.select([role == "admin", role == "member"], [0.5, 0.38], 0.14)
    p_daily = (
        role_factor
        * 2
        * DAILY_LOGIN_SCALE
        * sigmoid(0.3 + 0.9 * account_health + rng.normal(0, 0.4, n_users))
        * np.where(activated != NAT, 1.0, 0.35)
    )
    # index of users by account for "random user of the account" picks
    users_by_account = np.lexsort((signup, account_idx))
    users_per_account = np.bincount(account_idx, minlength=n_accounts)
    ctx.world.users = UserState(
        user_id=user_ids,
        acct=account_idx,
        signup=signup,
        user_end=user_end,
        p_daily=p_daily,
        mobile=rng.random(n_users) < 0.3,
        pos=position_in_account,
        by_account=users_by_account,
        account_offset=np.cumsum(users_per_account) - users_per_account,
        account_count=users_per_account,
    )
    return {
        "user_id": user_ids,
        "account_id": accounts.account_id[account_idx],
        "email": emails(first_names, last_names, user_ids, domain),
        "full_name": full_names(first_names, last_names),
        "role": role,
        "signed_up_at": signup,
        "activated_at": activated,
        "trial_started_at": trial_started,
        "first_value_at": first_value,
    }


def random_user_of_account(
    ctx: Ctx, rng: np.random.Generator, acct_idx: np.ndarray, admin_share: float = 0.0
) -> np.ndarray:
    """Index into users of a random user (admin = first user with probability admin_share)."""
    users = ctx.world.users
    users_by_account, offsets, counts = users.by_account, users.account_offset, users.account_count
    pick = (rng.random(len(acct_idx)) * counts[acct_idx]).astype(np.int64)
    pick = np.where(rng.random(len(acct_idx)) < admin_share, 0, pick)
    return users_by_account[offsets[acct_idx] + pick]


def simulate_sessions(ctx: Ctx) -> dict:
    accounts, users = ctx.world.accounts, ctx.world.users
    rng = ctx.rng("activity.sessions")
    # users are active from their signup, the installed base's too: a customer that paid
    # before the window also used the product then (cohort retention and DAU would
    # otherwise show paying customers with no usage for months)
    first_day = users.signup // DAY
    last_day = (users.user_end - 1) // DAY
    n_days = np.maximum(last_day - first_day + 1, 0)
    life_end_day = np.where(accounts.life_end == INF, 10**9, accounts.life_end // DAY)[users.acct]
    weekday_factor = np.array([1.0, 1.05, 1.05, 1.0, 0.9, 0.3, 0.25])
    chunk_users, chunk_starts = [], []
    budget = 4_000_000
    chunk_start = 0
    n_users = len(n_days)
    while chunk_start < n_users:
        cumulative_days = np.cumsum(n_days[chunk_start:])
        chunk_end = chunk_start + max(1, int(np.searchsorted(cumulative_days, budget)))
        chunk_end = min(chunk_end, n_users)
        user_idx, day_offset = expand(n_days[chunk_start:chunk_end])
        user_idx = user_idx + chunk_start
        day = first_day[user_idx] + day_offset
        decay = np.clip((life_end_day[user_idx] - day) / 60.0, 0.2, 1.0)
        login_probability = users.p_daily[user_idx] * weekday_factor[weekday(day)] * decay
        logged_in = rng.random(len(user_idx)) < login_probability
        user_idx, day = user_idx[logged_in], day[logged_in]
        has_second_session = rng.random(len(user_idx)) < 0.25
        user_idx = np.concatenate([user_idx, user_idx[has_second_session]])
        day = np.concatenate([day, day[has_second_session]])
        start = day * DAY + time_of_day(rng, len(day))
        start = np.maximum(start, users.signup[user_idx] + 60)
        before_end = start < users.user_end[user_idx]
        chunk_users.append(user_idx[before_end])
        chunk_starts.append(start[before_end])
        chunk_start = chunk_end
    user_idx = np.concatenate(chunk_users) if chunk_users else np.zeros(0, np.int64)
    start = np.concatenate(chunk_starts) if chunk_starts else np.zeros(0, np.int64)
    order = np.lexsort((user_idx, start))
    user_idx, start = user_idx[order], start[order]
    n_sessions = len(user_idx)
    duration = np.clip(rng.lognormal(np.log(540), 0.9, n_sessions), 10, 6 * HOUR).astype(np.int64)
    mobile = rng.random(n_sessions) < np.where(users.mobile[user_idx], 0.75, 0.13)
    session_ids = np.arange(1, n_sessions + 1, dtype=np.int64)
    ctx.world.sessions = SessionState(
        session_id=session_ids, uidx=user_idx, start=start, dur=duration
    )
    return {
        "session_id": session_ids,
        "user_id": users.user_id[user_idx],
        "account_id": accounts.account_id[users.acct[user_idx]],
        "platform": np.where(mobile, "mobile", "desktop").astype(object),
        "started_at": start,
        "duration_seconds": duration,
    }


def _feature_release_times(ctx: Ctx) -> np.ndarray:
    rng = ctx.rng("activity.features")
    release_times = []
    for _, _, is_core, _, release_fraction in FEATURES:
        if release_fraction is None:
            release_times.append(
                ctx.start_sec - int(rng.integers(120, 1200 if is_core else 400)) * DAY + 15 * HOUR
            )
        else:
            release_times.append(
                (ctx.start_day + int(release_fraction * (ctx.days - 1))) * DAY + 16 * HOUR
            )
    return np.array(release_times, dtype=np.int64)


def simulate_features(ctx: Ctx) -> dict:
    released_at = _feature_release_times(ctx)
    ctx.world.feature_release = released_at
    return {
        "feature_key": np.array([feature[0] for feature in FEATURES], dtype=object),
        "feature_name": np.array([feature[1] for feature in FEATURES], dtype=object),
        "is_core": np.array([feature[2] for feature in FEATURES]),
        "released_at": released_at,
    }


def simulate_releases(ctx: Ctx) -> dict:
    rng = ctx.rng("activity.releases")
    feature_released_at = ctx.world.feature_release
    keys = np.array([feature[0] for feature in FEATURES], dtype=object)
    weights = np.array([feature[3] for feature in FEATURES])
    n_regular = rng.poisson(1.5 / 30 * ctx.days)
    days = ctx.start_day + rng.integers(0, ctx.days, n_regular)
    days = days + np.where(weekday(days) >= 5, -2, 0)  # ship on weekdays
    days = np.clip(days, ctx.start_day, ctx.end_day)
    regular_at = days * DAY + 14 * HOUR + rng.integers(0, 4 * HOUR, n_regular)
    regular_features = np.empty(n_regular, dtype=object)
    for index in range(n_regular):
        available = feature_released_at <= regular_at[index]
        regular_features[index] = keys[
            rng.choice(np.flatnonzero(available), p=weights[available] / weights[available].sum())
        ]
    ga_releases = [
        (int(feature_released_at[index]), keys[index])
        for index, feature in enumerate(FEATURES)
        if feature[4] is not None
    ]
    release_times = np.concatenate(
        [regular_at, np.array([ga_entry[0] for ga_entry in ga_releases], dtype=np.int64)]
    )
    release_features = np.concatenate(
        [regular_features, np.array([ga_entry[1] for ga_entry in ga_releases], dtype=object)]
    )
    is_ga = np.concatenate([np.zeros(n_regular, bool), np.ones(len(ga_releases), bool)])
    order = np.lexsort((is_ga, release_times))
    release_times, release_features, is_ga = (
        release_times[order],
        release_features[order],
        is_ga[order],
    )
    versions, minor, patch = [], 0, 0
    for is_ga_release in is_ga:
        if is_ga_release:
            minor, patch = minor + 1, 0
        else:
            patch += 1
        versions.append(f"4.{minor}.{patch}")
    return {
        "release_id": np.arange(1, len(release_times) + 1, dtype=np.int64),
        "version": np.array(versions, dtype=object),
        "feature_key": release_features,
        "released_at": release_times,
    }


def simulate_feature_events(ctx: Ctx) -> dict:
    accounts, users, sessions = ctx.world.accounts, ctx.world.users, ctx.world.sessions
    rng = ctx.rng("activity.feature_events")
    released_at = ctx.world.feature_release
    keys = np.array([feature[0] for feature in FEATURES], dtype=object)
    weights = np.array([feature[3] for feature in FEATURES])
    is_core = np.array([feature[2] for feature in FEATURES])
    events_per_session = rng.choice(4, len(sessions.session_id), p=[0.3, 0.35, 0.22, 0.13])
    session_idx, _ = expand(events_per_session)
    n_events = len(session_idx)
    occurred_at = sessions.start[session_idx] + (
        rng.random(n_events) * sessions.dur[session_idx]
    ).astype(np.int64)
    candidate = rng.choice(len(keys), n_events, p=weights / weights.sum())
    adoption_age = (occurred_at - released_at[candidate]) / (20.0 * DAY)
    adopted = (adoption_age > 0) & (rng.random(n_events) < 1 - np.exp(-np.maximum(adoption_age, 0)))
    core_idx = np.flatnonzero(is_core)
    fallback = core_idx[
        rng.choice(len(core_idx), n_events, p=weights[core_idx] / weights[core_idx].sum())
    ]
    feature_idx = np.where(adopted, candidate, fallback)
    before_end = occurred_at < ctx.end_sec
    session_idx, occurred_at, feature_idx = (
        session_idx[before_end],
        occurred_at[before_end],
        feature_idx[before_end],
    )
    order = np.lexsort((session_idx, occurred_at))
    session_idx, occurred_at, feature_idx = (
        session_idx[order],
        occurred_at[order],
        feature_idx[order],
    )
    user_idx = sessions.uidx[session_idx]
    return {
        "feature_event_id": np.arange(1, len(session_idx) + 1, dtype=np.int64),
        "user_id": users.user_id[user_idx],
        "account_id": accounts.account_id[users.acct[user_idx]],
        "feature_key": keys[feature_idx],
        "occurred_at": occurred_at,
    }


def _active_days(
    ctx: Ctx, from_sec: np.ndarray, until_sec: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(index of the owner, day) for every day from from_sec up to until_sec."""
    first_day = from_sec // DAY
    last_day = (until_sec - 1) // DAY
    n_days = np.maximum(last_day - first_day + 1, 0)
    owner_idx, day_offset = expand(n_days)
    return owner_idx, first_day[owner_idx] + day_offset


def simulate_api_usage(ctx: Ctx) -> dict:
    accounts = ctx.world.accounts
    rng = ctx.rng("activity.api_usage_daily")
    n_accounts = len(accounts.account_id)
    uses = (
        accounts.converts
        & (accounts.first_sub_start != NAT)
        & (rng.random(n_accounts) < np.array([0.15, 0.4, 0.7])[accounts.tier])
    )
    api_accounts = np.flatnonzero(uses)
    from_sec = np.maximum(accounts.first_sub_start[api_accounts], ctx.start_sec)
    api_idx, day = _active_days(
        ctx, from_sec=from_sec, until_sec=_active_until(ctx, accounts)[api_accounts]
    )
    account_idx = api_accounts[api_idx]
    call_probability = np.where(weekday(day) >= 5, 0.5, 0.92)
    has_calls = rng.random(len(account_idx)) < call_probability
    account_idx, day = account_idx[has_calls], day[has_calls]
    base_calls = np.array([300.0, 2500.0, 20000.0])[accounts.tier[account_idx]] * np.exp(
        0.3 * accounts.health[account_idx]
    )
    tenure = np.clip((day * DAY - accounts.first_sub_start[account_idx]) / (180.0 * DAY), 0.2, 1.5)
    calls = np.round(rng.lognormal(0, 0.6, len(account_idx)) * base_calls * tenure).astype(np.int64)
    return {"account_id": accounts.account_id[account_idx], "usage_date": day, "api_calls": calls}


def simulate_devices(ctx: Ctx) -> tuple[dict, dict]:
    accounts = ctx.world.accounts
    rng = ctx.rng("activity.devices")
    n_accounts = len(accounts.account_id)
    tier = accounts.tier
    min_devices, max_devices = np.array([0, 1, 3])[tier], np.array([3, 6, 10])[tier]
    devices_per_account = np.where(
        accounts.converts,
        rng.integers(min_devices, max_devices + 1),
        rng.integers(0, 2, n_accounts),
    )
    account_idx, _ = expand(devices_per_account)
    n_devices = len(account_idx)
    registered = (
        accounts.created[account_idx] + HOUR + rng.exponential(30 * DAY, n_devices).astype(np.int64)
    )
    kept = registered < _active_until(ctx, accounts)[account_idx]
    account_idx, registered = account_idx[kept], registered[kept]
    n_devices = len(account_idx)
    retired = np.where(
        rng.random(n_devices) < 0.12, registered + rng.integers(30 * DAY, 300 * DAY, n_devices), INF
    )
    retired = np.where(
        accounts.life_end[account_idx] != INF,
        np.minimum(retired, accounts.life_end[account_idx] + rng.integers(0, 7 * DAY, n_devices)),
        retired,
    )
    order = np.lexsort((account_idx, registered))
    account_idx, registered, retired = account_idx[order], registered[order], retired[order]
    device_type_weights = np.array(
        [[0.2, 0.6, 0.15, 0.05], [0.35, 0.4, 0.1, 0.15], [0.45, 0.25, 0.05, 0.25]]
    )
    draw = rng.random(n_devices)
    device_type_idx = (
        (draw[:, None] > np.cumsum(device_type_weights[tier[account_idx]], axis=1))
        .sum(axis=1)
        .clip(0, 3)
    )
    device_ids = np.arange(1, n_devices + 1, dtype=np.int64)
    devices = {
        "device_id": device_ids,
        "account_id": accounts.account_id[account_idx],
        "device_type": np.array(["server", "workstation", "mobile", "iot"], dtype=object)[
            device_type_idx
        ],
        "registered_at": registered,
        "retired_at": np.where(retired < ctx.end_sec, retired, NAT),
    }
    # daily stats on ~40% of the days the device is managed
    stats_rng = ctx.rng("activity.device_daily_stats")
    managed_until = np.minimum(retired, ctx.end_sec)
    from_sec = np.maximum(registered + DAY, ctx.start_sec)
    device_idx, day = _active_days(ctx, from_sec=from_sec - from_sec % DAY, until_sec=managed_until)
    kept = stats_rng.random(len(device_idx)) < 0.4
    device_idx, day = device_idx[kept], day[kept]
    n_stats = len(device_idx)
    account_health = accounts.health[account_idx[device_idx]]
    health_score = np.clip(stats_rng.normal(84 + 7 * account_health, 9, n_stats), 0, 100)
    volume_gb = stats_rng.lognormal(
        np.log(np.array([0.8, 3.0, 12.0])[tier[account_idx[device_idx]]]), 0.8, n_stats
    )
    stats = {
        "device_id": device_ids[device_idx],
        "stat_date": day,
        "health_score": np.round(health_score, 2),
        "volume_processed_gb": np.round(volume_gb, 3),
    }
    return devices, stats


def simulate_data_exports(ctx: Ctx) -> dict:
    accounts = ctx.world.accounts
    users = ctx.world.users
    rng = ctx.rng("activity.data_exports")
    account_until = _active_until(ctx, accounts)
    from_sec = np.maximum(accounts.created, ctx.start_sec)
    span = np.maximum(account_until - from_sec, 0)
    exports_per_account = rng.poisson(span / DAY * 0.012 * np.array([1.0, 2.0, 4.0])[accounts.tier])
    account_idx, _ = expand(exports_per_account)
    created_at = from_sec[account_idx] + (rng.random(len(account_idx)) * span[account_idx]).astype(
        np.int64
    )
    user_idx = random_user_of_account(ctx, rng, account_idx, admin_share=0.7)
    created_at = np.maximum(created_at, users.signup[user_idx] + 60)
    before_end = created_at < ctx.end_sec
    account_idx, created_at, user_idx = (
        account_idx[before_end],
        created_at[before_end],
        user_idx[before_end],
    )
    order = np.lexsort((account_idx, created_at))
    account_idx, created_at, user_idx = account_idx[order], created_at[order], user_idx[order]
    return {
        "export_id": np.arange(1, len(account_idx) + 1, dtype=np.int64),
        "account_id": accounts.account_id[account_idx],
        "user_id": users.user_id[user_idx],
        "export_type": choice(
            rng, ["backup", "csv_export", "api_export"], [0.6, 0.3, 0.1], len(account_idx)
        ),
        "created_at": created_at,
    }


def simulate_app_errors(ctx: Ctx) -> dict:
    users, sessions, accounts = ctx.world.users, ctx.world.sessions, ctx.world.accounts
    rng = ctx.rng("activity.app_errors")
    n_sessions = len(sessions.session_id)
    account_health = accounts.health[users.acct[sessions.uidx]]
    crashed = rng.random(n_sessions) < 0.015
    had_errors = ~crashed & (rng.random(n_sessions) < 0.04 * np.exp(-0.4 * account_health))
    errors_per_session = np.where(
        crashed, 1, np.where(had_errors, rng.integers(1, 3, n_sessions), 0)
    )
    session_idx, _ = expand(errors_per_session)
    is_crash = crashed[session_idx]
    occurred_at = np.where(
        is_crash,
        sessions.start[session_idx] + sessions.dur[session_idx],
        sessions.start[session_idx]
        + (rng.random(len(session_idx)) * sessions.dur[session_idx]).astype(np.int64),
    )
    error_type = np.where(
        is_crash,
        "crash",
        choice(
            rng,
            ["network", "validation", "timeout", "render"],
            [0.35, 0.3, 0.2, 0.15],
            len(session_idx),
        ),
    )
    before_end = occurred_at < ctx.end_sec
    session_idx, occurred_at, error_type, is_crash = (
        session_idx[before_end],
        occurred_at[before_end],
        error_type[before_end],
        is_crash[before_end],
    )
    order = np.lexsort((session_idx, occurred_at))
    session_idx, occurred_at, error_type, is_crash = (
        session_idx[order],
        occurred_at[order],
        error_type[order],
        is_crash[order],
    )
    return {
        "error_id": np.arange(1, len(session_idx) + 1, dtype=np.int64),
        "session_id": sessions.session_id[session_idx],
        "user_id": users.user_id[sessions.uidx[session_idx]],
        "error_type": error_type.astype(object),
        "is_crash": is_crash,
        "occurred_at": occurred_at,
    }


def simulate_support(ctx: Ctx) -> tuple[dict, dict]:
    accounts, users = ctx.world.accounts, ctx.world.users
    rng = ctx.rng("activity.support_tickets")
    users_per_account = users.account_count
    open_until = np.minimum(
        np.where(accounts.life_end == INF, INF, accounts.life_end + 7 * DAY), ctx.end_sec
    )
    from_sec = np.maximum(accounts.created, ctx.start_sec)
    span = np.maximum(open_until - from_sec, 0)
    ticket_rate = 0.006 * np.sqrt(users_per_account) * np.exp(-0.5 * accounts.health)
    account_idx, _ = expand(rng.poisson(span / DAY * ticket_rate))
    n_tickets = len(account_idx)
    created_at = from_sec[account_idx] + (rng.random(n_tickets) * span[account_idx]).astype(
        np.int64
    )
    user_idx = random_user_of_account(ctx, rng, account_idx, admin_share=0.5)
    created_at = np.maximum(created_at, users.signup[user_idx] + HOUR)
    before_end = created_at < ctx.end_sec
    account_idx, created_at, user_idx = (
        account_idx[before_end],
        created_at[before_end],
        user_idx[before_end],
    )
    order = np.lexsort((account_idx, created_at))
    account_idx, created_at, user_idx = account_idx[order], created_at[order], user_idx[order]
    n_tickets = len(account_idx)
    priority_idx = rng.choice(4, n_tickets, p=[0.3, 0.45, 0.18, 0.07])
    first_response_hours = np.array([12.0, 6.0, 2.0, 0.5])[priority_idx]
    resolution_hours = np.array([72.0, 36.0, 12.0, 4.0])[priority_idx]
    first_response = created_at + 60 + rng.exponential(first_response_hours * HOUR).astype(np.int64)
    resolved = first_response + rng.exponential(resolution_hours * HOUR).astype(np.int64)
    resolved = np.where((rng.random(n_tickets) < 0.01) | (resolved >= ctx.end_sec), NAT, resolved)
    first_response = np.where(first_response >= ctx.end_sec, NAT, first_response)
    ticket_ids = np.arange(1, n_tickets + 1, dtype=np.int64)
    tickets = {
        "ticket_id": ticket_ids,
        "account_id": accounts.account_id[account_idx],
        "user_id": users.user_id[user_idx],
        "priority": np.array(["low", "normal", "high", "urgent"], dtype=object)[priority_idx],
        "channel": choice(rng, ["email", "chat", "phone"], [0.5, 0.35, 0.15], n_tickets),
        "created_at": created_at,
        "first_response_at": first_response,
        "resolved_at": resolved,
    }

    survey_rng = ctx.rng("activity.survey_responses")
    # NPS: several answers per account per quarter of its life (more users, more answers),
    # so that a month's company NPS rests on a few hundred answers, not a few dozen
    survey_from = np.maximum(
        np.where(accounts.first_sub_start != NAT, accounts.first_sub_start, accounts.created),
        ctx.start_sec,
    )
    survey_span = np.maximum(_active_until(ctx, accounts) - survey_from, 0)
    nps_account_idx, _ = expand(
        survey_rng.poisson(
            survey_span
            / (91.0 * DAY)
            * NPS_ANSWERS_PER_QUARTER
            * np.minimum(1.0 + users_per_account / 4.0, 8.0)
        )
    )
    nps_at = survey_from[nps_account_idx] + (
        survey_rng.random(len(nps_account_idx)) * survey_span[nps_account_idx]
    ).astype(np.int64)
    nps_user_idx = random_user_of_account(ctx, survey_rng, nps_account_idx, admin_share=0.3)
    nps_at = np.maximum(nps_at, users.signup[nps_user_idx] + DAY)
    nps = np.clip(
        np.round(survey_rng.normal(7.3 + 1.6 * accounts.health[nps_account_idx], 1.7)), 0, 10
    ).astype(np.int64)
    # CSAT after more than half of the resolved tickets
    csat_tickets = np.flatnonzero(
        (resolved != NAT) & (survey_rng.random(n_tickets) < CSAT_RESPONSE_RATE)
    )
    csat_at = (
        resolved[csat_tickets]
        + survey_rng.exponential(12 * HOUR, len(csat_tickets)).astype(np.int64)
        + 60
    )
    slow_resolution = (resolved[csat_tickets] - created_at[csat_tickets]) > 48 * HOUR
    csat = np.clip(
        np.round(
            survey_rng.normal(
                4.0 + 0.35 * accounts.health[account_idx[csat_tickets]] - 0.5 * slow_resolution, 0.9
            )
        ),
        1,
        5,
    ).astype(np.int64)
    response_account_idx = np.concatenate([nps_account_idx, account_idx[csat_tickets]])
    response_user_idx = np.concatenate([nps_user_idx, user_idx[csat_tickets]])
    responded_at = np.concatenate([nps_at, csat_at])
    survey_type = np.concatenate(
        [
            np.full(len(nps_account_idx), "nps", dtype=object),
            np.full(len(csat_tickets), "csat", dtype=object),
        ]
    )
    score = np.concatenate([nps, csat])
    before_end = responded_at < ctx.end_sec
    response_account_idx, response_user_idx, responded_at, survey_type, score = (
        response_account_idx[before_end],
        response_user_idx[before_end],
        responded_at[before_end],
        survey_type[before_end],
        score[before_end],
    )
    order = np.lexsort((response_user_idx, responded_at))
    surveys = {
        "response_id": np.arange(1, len(responded_at) + 1, dtype=np.int64),
        "account_id": accounts.account_id[response_account_idx[order]],
        "user_id": users.user_id[response_user_idx[order]],
        "survey_type": survey_type[order],
        "score": score[order],
        "responded_at": responded_at[order],
    }
    return tickets, surveys
