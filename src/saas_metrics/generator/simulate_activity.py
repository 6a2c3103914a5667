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
    n_acc = len(accounts.account_id)
    tier = accounts.tier
    lo = np.array([1, 5, 20])[tier]
    hi = np.array([5, 25, 80])[tier]
    n_users = rng.integers(lo, hi + 1)
    n_users = np.where((tier == 0) & (rng.random(n_acc) < 0.25), 1, n_users)
    n_users = np.where(accounts.converts, n_users, rng.integers(1, 4, n_acc))
    # the installed base has grown its team before the window: fewer later joiners
    n_users = np.where(accounts.is_installed_base, np.maximum(n_users, 2), n_users)
    a, pos = expand(n_users)
    created = accounts.created[a]
    until = _active_until(ctx, accounts)[a]
    span = np.where(
        pos == 0,
        rng.integers(60, 600, len(a)),
        (rng.exponential(45 * DAY, len(a)) * np.array([1.0, 1.5, 2.5])[tier[a]]).astype(np.int64)
        + HOUR,
    )
    signup = created + span
    signup = np.where(pos == 0, np.minimum(signup, ctx.end_sec - 1), signup)
    keep = (pos == 0) | (signup < until)
    a, pos, signup = a[keep], pos[keep], signup[keep]
    order = np.lexsort((a, signup))
    a, pos, signup = a[order], pos[order], signup[order]
    n = len(a)
    uid = np.arange(1, n + 1, dtype=np.int64)
    h = accounts.health[a]
    role = np.where(pos == 0, "admin", choice(rng, ROLES, [0.1, 0.7, 0.2], n)).astype(object)
    # the first user starts the account's trial, unless the account bought without one
    account_trials = accounts.trial_days[a] > 0
    first_user_trials = (pos == 0) & account_trials
    trial = np.where(
        first_user_trials | ((pos > 0) & account_trials & (rng.random(n) < 0.08)),
        signup + rng.integers(0, 60, n),
        NAT,
    )
    activated_ok = rng.random(n) < sigmoid(1.2 + 0.7 * h)
    activated = signup + 600 + rng.exponential(1.5 * DAY, n).astype(np.int64)
    activated = np.where(activated_ok & (activated < ctx.end_sec), activated, NAT)
    fv = activated + HOUR + rng.exponential(4 * DAY, n).astype(np.int64)
    fv = np.where((activated != NAT) & (rng.random(n) < 0.8) & (fv < ctx.end_sec), fv, NAT)
    first, last = person_names(rng, n)
    dom = accounts.domain[a].astype(str)
    # per-user lifetime and propensities used by the activity tables
    leave = np.where(
        rng.random(n) < 0.1, signup + rng.exponential(200 * DAY, n).astype(np.int64), INF
    )
    churn_end = np.where(
        accounts.life_end[a] == INF, INF, accounts.life_end[a] + rng.integers(0, 5 * DAY, n)
    )
    user_end = np.minimum(np.minimum(leave, churn_end), ctx.end_sec)
    role_f = np.select([role == "admin", role == "member"], [0.5, 0.38], 0.14)
    p_daily = (
        role_f
        * 2
        * DAILY_LOGIN_SCALE
        * sigmoid(0.3 + 0.9 * h + rng.normal(0, 0.4, n))
        * np.where(activated != NAT, 1.0, 0.35)
    )
    # index of users by account for "random user of the account" picks
    by_acc = np.lexsort((signup, a))
    counts = np.bincount(a, minlength=n_acc)
    ctx.world.users = UserState(
        user_id=uid,
        acct=a,
        signup=signup,
        user_end=user_end,
        p_daily=p_daily,
        mobile=rng.random(n) < 0.3,
        pos=pos,
        by_account=by_acc,
        account_offset=np.cumsum(counts) - counts,
        account_count=counts,
    )
    return {
        "user_id": uid,
        "account_id": accounts.account_id[a],
        "email": emails(first, last, uid, dom),
        "full_name": full_names(first, last),
        "role": role,
        "signed_up_at": signup,
        "activated_at": activated,
        "trial_started_at": trial,
        "first_value_at": fv,
    }


def random_user_of_account(
    ctx: Ctx, rng: np.random.Generator, acct_idx: np.ndarray, admin_share: float = 0.0
) -> np.ndarray:
    """Index into users of a random user (admin = first user with probability admin_share)."""
    users = ctx.world.users
    by_acc, off, cnt = users.by_account, users.account_offset, users.account_count
    k = (rng.random(len(acct_idx)) * cnt[acct_idx]).astype(np.int64)
    k = np.where(rng.random(len(acct_idx)) < admin_share, 0, k)
    return by_acc[off[acct_idx] + k]


def simulate_sessions(ctx: Ctx) -> dict:
    accounts, users = ctx.world.accounts, ctx.world.users
    rng = ctx.rng("activity.sessions")
    # product activity starts with the window; the installed base's earlier usage is not
    # simulated (only its billing history is), which keeps the heavy tables the same size
    d0 = np.maximum(users.signup // DAY, ctx.start_day)
    d1 = (users.user_end - 1) // DAY
    length = np.maximum(d1 - d0 + 1, 0)
    life_end_day = np.where(accounts.life_end == INF, 10**9, accounts.life_end // DAY)[users.acct]
    wk_factor = np.array([1.0, 1.05, 1.05, 1.0, 0.9, 0.3, 0.25])
    out_user, out_start = [], []
    budget = 4_000_000
    i = 0
    n = len(length)
    while i < n:
        cum = np.cumsum(length[i:])
        j = i + max(1, int(np.searchsorted(cum, budget)))
        j = min(j, n)
        uidx, pos = expand(length[i:j])
        uidx = uidx + i
        day = d0[uidx] + pos
        decay = np.clip((life_end_day[uidx] - day) / 60.0, 0.2, 1.0)
        p = users.p_daily[uidx] * wk_factor[weekday(day)] * decay
        act = rng.random(len(uidx)) < p
        uidx, day = uidx[act], day[act]
        second = rng.random(len(uidx)) < 0.25
        uidx = np.concatenate([uidx, uidx[second]])
        day = np.concatenate([day, day[second]])
        start = day * DAY + time_of_day(rng, len(day))
        start = np.maximum(start, users.signup[uidx] + 60)
        ok = start < users.user_end[uidx]
        out_user.append(uidx[ok])
        out_start.append(start[ok])
        i = j
    uidx = np.concatenate(out_user) if out_user else np.zeros(0, np.int64)
    start = np.concatenate(out_start) if out_start else np.zeros(0, np.int64)
    order = np.lexsort((uidx, start))
    uidx, start = uidx[order], start[order]
    m = len(uidx)
    dur = np.clip(rng.lognormal(np.log(540), 0.9, m), 10, 6 * HOUR).astype(np.int64)
    mobile = rng.random(m) < np.where(users.mobile[uidx], 0.75, 0.13)
    sid = np.arange(1, m + 1, dtype=np.int64)
    ctx.world.sessions = SessionState(session_id=sid, uidx=uidx, start=start, dur=dur)
    return {
        "session_id": sid,
        "user_id": users.user_id[uidx],
        "account_id": accounts.account_id[users.acct[uidx]],
        "platform": np.where(mobile, "mobile", "desktop").astype(object),
        "started_at": start,
        "duration_seconds": dur,
    }


def _feature_release_times(ctx: Ctx) -> np.ndarray:
    rng = ctx.rng("activity.features")
    out = []
    for _, _, core, _, frac in FEATURES:
        if frac is None:
            out.append(
                ctx.start_sec - int(rng.integers(120, 1200 if core else 400)) * DAY + 15 * HOUR
            )
        else:
            out.append((ctx.start_day + int(frac * (ctx.days - 1))) * DAY + 16 * HOUR)
    return np.array(out, dtype=np.int64)


def simulate_features(ctx: Ctx) -> dict:
    rel = _feature_release_times(ctx)
    ctx.world.feature_release = rel
    return {
        "feature_key": np.array([f[0] for f in FEATURES], dtype=object),
        "feature_name": np.array([f[1] for f in FEATURES], dtype=object),
        "is_core": np.array([f[2] for f in FEATURES]),
        "released_at": rel,
    }


def simulate_releases(ctx: Ctx) -> dict:
    rng = ctx.rng("activity.releases")
    rel = ctx.world.feature_release
    keys = np.array([f[0] for f in FEATURES], dtype=object)
    w = np.array([f[3] for f in FEATURES])
    n_regular = rng.poisson(1.5 / 30 * ctx.days)
    days = ctx.start_day + rng.integers(0, ctx.days, n_regular)
    days = days + np.where(weekday(days) >= 5, -2, 0)  # ship on weekdays
    days = np.clip(days, ctx.start_day, ctx.end_day)
    t = days * DAY + 14 * HOUR + rng.integers(0, 4 * HOUR, n_regular)
    feat = np.empty(n_regular, dtype=object)
    for i in range(n_regular):
        avail = rel <= t[i]
        feat[i] = keys[rng.choice(np.flatnonzero(avail), p=w[avail] / w[avail].sum())]
    ga = [(int(rel[i]), keys[i]) for i, f in enumerate(FEATURES) if f[4] is not None]
    times = np.concatenate([t, np.array([g[0] for g in ga], dtype=np.int64)])
    feats = np.concatenate([feat, np.array([g[1] for g in ga], dtype=object)])
    is_ga = np.concatenate([np.zeros(n_regular, bool), np.ones(len(ga), bool)])
    order = np.lexsort((is_ga, times))
    times, feats, is_ga = times[order], feats[order], is_ga[order]
    versions, minor, patch = [], 0, 0
    for g in is_ga:
        if g:
            minor, patch = minor + 1, 0
        else:
            patch += 1
        versions.append(f"4.{minor}.{patch}")
    return {
        "release_id": np.arange(1, len(times) + 1, dtype=np.int64),
        "version": np.array(versions, dtype=object),
        "feature_key": feats,
        "released_at": times,
    }


def simulate_feature_events(ctx: Ctx) -> dict:
    accounts, users, sessions = ctx.world.accounts, ctx.world.users, ctx.world.sessions
    rng = ctx.rng("activity.feature_events")
    rel = ctx.world.feature_release
    keys = np.array([f[0] for f in FEATURES], dtype=object)
    w = np.array([f[3] for f in FEATURES])
    core = np.array([f[2] for f in FEATURES])
    counts = rng.choice(4, len(sessions.session_id), p=[0.3, 0.35, 0.22, 0.13])
    s, _ = expand(counts)
    n = len(s)
    t = sessions.start[s] + (rng.random(n) * sessions.dur[s]).astype(np.int64)
    cand = rng.choice(len(keys), n, p=w / w.sum())
    age = (t - rel[cand]) / (20.0 * DAY)
    adopted = (age > 0) & (rng.random(n) < 1 - np.exp(-np.maximum(age, 0)))
    core_idx = np.flatnonzero(core)
    fallback = core_idx[rng.choice(len(core_idx), n, p=w[core_idx] / w[core_idx].sum())]
    feat = np.where(adopted, cand, fallback)
    ok = t < ctx.end_sec
    s, t, feat = s[ok], t[ok], feat[ok]
    order = np.lexsort((s, t))
    s, t, feat = s[order], t[order], feat[order]
    uidx = sessions.uidx[s]
    return {
        "feature_event_id": np.arange(1, len(s) + 1, dtype=np.int64),
        "user_id": users.user_id[uidx],
        "account_id": accounts.account_id[users.acct[uidx]],
        "feature_key": keys[feat],
        "occurred_at": t,
    }


def _active_days(ctx: Ctx, from_sec: np.ndarray, until_sec: np.ndarray):
    d0 = from_sec // DAY
    d1 = (until_sec - 1) // DAY
    length = np.maximum(d1 - d0 + 1, 0)
    idx, pos = expand(length)
    return idx, d0[idx] + pos


def simulate_api_usage(ctx: Ctx) -> dict:
    accounts = ctx.world.accounts
    rng = ctx.rng("activity.api_usage_daily")
    n = len(accounts.account_id)
    uses = (
        accounts.converts
        & (accounts.first_sub_start != NAT)
        & (rng.random(n) < np.array([0.15, 0.4, 0.7])[accounts.tier])
    )
    ai = np.flatnonzero(uses)
    frm = np.maximum(accounts.first_sub_start[ai], ctx.start_sec)
    idx, day = _active_days(ctx, frm, _active_until(ctx, accounts)[ai])
    a = ai[idx]
    p = np.where(weekday(day) >= 5, 0.5, 0.92)
    ok = rng.random(len(a)) < p
    a, day = a[ok], day[ok]
    base = np.array([300.0, 2500.0, 20000.0])[accounts.tier[a]] * np.exp(0.3 * accounts.health[a])
    tenure = np.clip((day * DAY - accounts.first_sub_start[a]) / (180.0 * DAY), 0.2, 1.5)
    calls = np.round(rng.lognormal(0, 0.6, len(a)) * base * tenure).astype(np.int64)
    return {"account_id": accounts.account_id[a], "usage_date": day, "api_calls": calls}


def simulate_devices(ctx: Ctx) -> tuple[dict, dict]:
    accounts = ctx.world.accounts
    rng = ctx.rng("activity.devices")
    n_acc = len(accounts.account_id)
    tier = accounts.tier
    lo, hi = np.array([0, 1, 3])[tier], np.array([3, 6, 10])[tier]
    cnt = np.where(accounts.converts, rng.integers(lo, hi + 1), rng.integers(0, 2, n_acc))
    a, _ = expand(cnt)
    m = len(a)
    reg = accounts.created[a] + HOUR + rng.exponential(30 * DAY, m).astype(np.int64)
    ok = reg < _active_until(ctx, accounts)[a]
    a, reg = a[ok], reg[ok]
    m = len(a)
    retired = np.where(rng.random(m) < 0.12, reg + rng.integers(30 * DAY, 300 * DAY, m), INF)
    retired = np.where(
        accounts.life_end[a] != INF,
        np.minimum(retired, accounts.life_end[a] + rng.integers(0, 7 * DAY, m)),
        retired,
    )
    order = np.lexsort((a, reg))
    a, reg, retired = a[order], reg[order], retired[order]
    dtype_p = np.array([[0.2, 0.6, 0.15, 0.05], [0.35, 0.4, 0.1, 0.15], [0.45, 0.25, 0.05, 0.25]])
    u = rng.random(m)
    dt_idx = (u[:, None] > np.cumsum(dtype_p[tier[a]], axis=1)).sum(axis=1).clip(0, 3)
    dev_id = np.arange(1, m + 1, dtype=np.int64)
    devices = {
        "device_id": dev_id,
        "account_id": accounts.account_id[a],
        "device_type": np.array(["server", "workstation", "mobile", "iot"], dtype=object)[dt_idx],
        "registered_at": reg,
        "retired_at": np.where(retired < ctx.end_sec, retired, NAT),
    }
    # daily stats on ~40% of the days the device is managed
    srng = ctx.rng("activity.device_daily_stats")
    until = np.minimum(retired, ctx.end_sec)
    frm = np.maximum(reg + DAY, ctx.start_sec)
    idx, day = _active_days(ctx, frm - frm % DAY, until)
    ok = srng.random(len(idx)) < 0.4
    idx, day = idx[ok], day[ok]
    k = len(idx)
    h = accounts.health[a[idx]]
    health = np.clip(srng.normal(84 + 7 * h, 9, k), 0, 100)
    vol = srng.lognormal(np.log(np.array([0.8, 3.0, 12.0])[tier[a[idx]]]), 0.8, k)
    stats = {
        "device_id": dev_id[idx],
        "stat_date": day,
        "health_score": np.round(health, 2),
        "volume_processed_gb": np.round(vol, 3),
    }
    return devices, stats


def simulate_data_exports(ctx: Ctx) -> dict:
    accounts = ctx.world.accounts
    users = ctx.world.users
    rng = ctx.rng("activity.data_exports")
    until = _active_until(ctx, accounts)
    frm = np.maximum(accounts.created, ctx.start_sec)
    span = np.maximum(until - frm, 0)
    cnt = rng.poisson(span / DAY * 0.012 * np.array([1.0, 2.0, 4.0])[accounts.tier])
    a, _ = expand(cnt)
    t = frm[a] + (rng.random(len(a)) * span[a]).astype(np.int64)
    u = random_user_of_account(ctx, rng, a, admin_share=0.7)
    t = np.maximum(t, users.signup[u] + 60)
    ok = t < ctx.end_sec
    a, t, u = a[ok], t[ok], u[ok]
    order = np.lexsort((a, t))
    a, t, u = a[order], t[order], u[order]
    return {
        "export_id": np.arange(1, len(a) + 1, dtype=np.int64),
        "account_id": accounts.account_id[a],
        "user_id": users.user_id[u],
        "export_type": choice(rng, ["backup", "csv_export", "api_export"], [0.6, 0.3, 0.1], len(a)),
        "created_at": t,
    }


def simulate_app_errors(ctx: Ctx) -> dict:
    users, sessions, accounts = ctx.world.users, ctx.world.sessions, ctx.world.accounts
    rng = ctx.rng("activity.app_errors")
    m = len(sessions.session_id)
    h = accounts.health[users.acct[sessions.uidx]]
    crash = rng.random(m) < 0.015
    err = ~crash & (rng.random(m) < 0.04 * np.exp(-0.4 * h))
    n_err = np.where(crash, 1, np.where(err, rng.integers(1, 3, m), 0))
    s, _ = expand(n_err)
    is_crash = crash[s]
    t = np.where(
        is_crash,
        sessions.start[s] + sessions.dur[s],
        sessions.start[s] + (rng.random(len(s)) * sessions.dur[s]).astype(np.int64),
    )
    etype = np.where(
        is_crash,
        "crash",
        choice(rng, ["network", "validation", "timeout", "render"], [0.35, 0.3, 0.2, 0.15], len(s)),
    )
    ok = t < ctx.end_sec
    s, t, etype, is_crash = s[ok], t[ok], etype[ok], is_crash[ok]
    order = np.lexsort((s, t))
    s, t, etype, is_crash = s[order], t[order], etype[order], is_crash[order]
    return {
        "error_id": np.arange(1, len(s) + 1, dtype=np.int64),
        "session_id": sessions.session_id[s],
        "user_id": users.user_id[sessions.uidx[s]],
        "error_type": etype.astype(object),
        "is_crash": is_crash,
        "occurred_at": t,
    }


def simulate_support(ctx: Ctx) -> tuple[dict, dict]:
    accounts, users = ctx.world.accounts, ctx.world.users
    rng = ctx.rng("activity.support_tickets")
    ucnt = users.account_count
    until = np.minimum(
        np.where(accounts.life_end == INF, INF, accounts.life_end + 7 * DAY), ctx.end_sec
    )
    frm = np.maximum(accounts.created, ctx.start_sec)
    span = np.maximum(until - frm, 0)
    rate = 0.006 * np.sqrt(ucnt) * np.exp(-0.5 * accounts.health)
    a, _ = expand(rng.poisson(span / DAY * rate))
    n = len(a)
    t = frm[a] + (rng.random(n) * span[a]).astype(np.int64)
    u = random_user_of_account(ctx, rng, a, admin_share=0.5)
    t = np.maximum(t, users.signup[u] + HOUR)
    ok = t < ctx.end_sec
    a, t, u = a[ok], t[ok], u[ok]
    order = np.lexsort((a, t))
    a, t, u = a[order], t[order], u[order]
    n = len(a)
    pr = rng.choice(4, n, p=[0.3, 0.45, 0.18, 0.07])
    first_h = np.array([12.0, 6.0, 2.0, 0.5])[pr]
    res_h = np.array([72.0, 36.0, 12.0, 4.0])[pr]
    first = t + 60 + rng.exponential(first_h * HOUR).astype(np.int64)
    resolved = first + rng.exponential(res_h * HOUR).astype(np.int64)
    resolved = np.where((rng.random(n) < 0.01) | (resolved >= ctx.end_sec), NAT, resolved)
    first = np.where(first >= ctx.end_sec, NAT, first)
    tid = np.arange(1, n + 1, dtype=np.int64)
    tickets = {
        "ticket_id": tid,
        "account_id": accounts.account_id[a],
        "user_id": users.user_id[u],
        "priority": np.array(["low", "normal", "high", "urgent"], dtype=object)[pr],
        "channel": choice(rng, ["email", "chat", "phone"], [0.5, 0.35, 0.15], n),
        "created_at": t,
        "first_response_at": first,
        "resolved_at": resolved,
    }

    srng = ctx.rng("activity.survey_responses")
    # NPS: several answers per account per quarter of its life (more users, more answers),
    # so that a month's company NPS rests on a few hundred answers, not a few dozen
    frm2 = np.maximum(
        np.where(accounts.first_sub_start != NAT, accounts.first_sub_start, accounts.created),
        ctx.start_sec,
    )
    span2 = np.maximum(_active_until(ctx, accounts) - frm2, 0)
    na, _ = expand(srng.poisson(span2 / (91.0 * DAY) * NPS_ANSWERS_PER_QUARTER * np.minimum(1.0 + ucnt / 4.0, 8.0)))
    nt = frm2[na] + (srng.random(len(na)) * span2[na]).astype(np.int64)
    nu = random_user_of_account(ctx, srng, na, admin_share=0.3)
    nt = np.maximum(nt, users.signup[nu] + DAY)
    nps = np.clip(np.round(srng.normal(7.3 + 1.6 * accounts.health[na], 1.7)), 0, 10).astype(np.int64)
    # CSAT after more than half of the resolved tickets
    rs = np.flatnonzero((resolved != NAT) & (srng.random(n) < CSAT_RESPONSE_RATE))
    ct = resolved[rs] + srng.exponential(12 * HOUR, len(rs)).astype(np.int64) + 60
    slow = (resolved[rs] - t[rs]) > 48 * HOUR
    csat = np.clip(
        np.round(srng.normal(4.0 + 0.35 * accounts.health[a[rs]] - 0.5 * slow, 0.9)), 1, 5
    ).astype(np.int64)
    acct = np.concatenate([na, a[rs]])
    uu = np.concatenate([nu, u[rs]])
    tt = np.concatenate([nt, ct])
    stype = np.concatenate(
        [np.full(len(na), "nps", dtype=object), np.full(len(rs), "csat", dtype=object)]
    )
    score = np.concatenate([nps, csat])
    ok = tt < ctx.end_sec
    acct, uu, tt, stype, score = acct[ok], uu[ok], tt[ok], stype[ok], score[ok]
    order = np.lexsort((uu, tt))
    surveys = {
        "response_id": np.arange(1, len(tt) + 1, dtype=np.int64),
        "account_id": accounts.account_id[acct[order]],
        "user_id": users.user_id[uu[order]],
        "survey_type": stype[order],
        "score": score[order],
        "responded_at": tt[order],
    }
    return tickets, surveys
