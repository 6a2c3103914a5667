"""CRM: sales reps and quotas, leads, opportunities with stage history, rep activities."""

from __future__ import annotations

import numpy as np

from .common import (
    DAY,
    FIRST,
    HOUR,
    LAST,
    NAT,
    Ctx,
    LeadState,
    OpportunityState,
    RepState,
    choice,
    company_domains,
    company_names,
    emails,
    expand,
    full_names,
    month_start_day,
    person_names,
    time_of_day,
    weekday,
)
from .simulate_billing import (
    CHANNELS,
    FX_FACTOR,
    INF,
    SEAT_PRICE_USD,
    add_months_to_second,
    history_start_day,
)

STAGES = np.array(
    ["prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost"],
    dtype=object,
)
P, Q, PR, N, WON, LOST = range(6)


def simulate_reps(ctx: Ctx) -> dict:
    rng = ctx.rng("crm.sales_reps")
    n = int(np.clip(round(6 + ctx.accounts / 150), 8, 40))
    combos = rng.permutation(len(FIRST) * len(LAST))[:n]
    first, last = FIRST[combos // len(LAST)], LAST[combos % len(LAST)]
    team = np.concatenate([np.array([0, 1, 2]), rng.choice(3, n - 3, p=[0.5, 0.3, 0.2])])
    veteran = np.arange(n) < max(3, int(0.75 * n))
    hire_day = np.where(
        veteran,
        # veterans were hired before the installed base's history starts
        history_start_day(ctx) - 120 - rng.integers(30, 1000, n),
        ctx.start_day + rng.integers(0, max(1, int(0.8 * ctx.days)), n),
    )
    hired = hire_day * DAY + 9 * HOUR + rng.integers(0, 4 * HOUR, n)
    order = np.argsort(hired, kind="stable")
    first, last, team, hired = first[order], last[order], team[order], hired[order]
    rid = np.arange(1, n + 1, dtype=np.int64)
    ctx.world.reps = RepState(
        rep_id=rid, hired=hired, team=team, veterans=np.flatnonzero(hired < ctx.start_sec)
    )
    return {
        "rep_id": rid,
        "rep_name": full_names(first, last),
        "email": emails(
            first, last, np.full(n, "", dtype=object), np.full(n, "saas-metrics.example")
        ),
        "team": np.array(["smb", "mid_market", "enterprise"], dtype=object)[team],
        "region": choice(rng, ["na", "emea", "apac", "latam"], [0.45, 0.3, 0.15, 0.1], n),
        "hired_at": hired,
    }


def _owner(ctx: Ctx, rng, created: np.ndarray) -> np.ndarray:
    """A random rep already hired when the record was created (a veteran, else the first)."""
    reps = ctx.world.reps
    created = np.asarray(created, dtype=np.int64)
    anyone = rng.integers(0, len(reps.rep_id), len(created))
    veteran = reps.veterans[rng.integers(0, len(reps.veterans), len(created))]
    owner = np.where(reps.hired[anyone] <= created, anyone, veteran)
    return np.where(reps.hired[owner] <= created, owner, 0)  # reps are sorted by hire time


def simulate_leads(ctx: Ctx) -> dict:
    accounts = ctx.world.accounts
    rng = ctx.rng("crm.leads")
    end = ctx.end_sec
    conv = np.flatnonzero(accounts.channel != "direct")
    nc = len(conv)
    n_other = max(3 * ctx.accounts - nc, 0)
    # converted leads: one per non-direct account, created before the account
    c_created = accounts.created[conv] - (HOUR + rng.exponential(20 * DAY, nc)).astype(np.int64)
    c_span = accounts.created[conv] - c_created
    c_mql = c_created + (c_span * rng.uniform(0.05, 0.4, nc)).astype(np.int64)
    sales_led = rng.random(nc) < np.array([0.35, 0.75, 0.95])[accounts.tier[conv]]
    c_sql = np.where(sales_led, c_mql + (c_span * rng.uniform(0.05, 0.4, nc)).astype(np.int64), NAT)
    # other leads: spread over the window with growth
    day = ctx.start_day + rng.choice(ctx.days, n_other, p=ctx.growth_weights())
    o_created = day * DAY + time_of_day(rng, n_other)
    o_created = np.minimum(o_created, end - 1)
    o_mql = np.where(
        rng.random(n_other) < 0.4,
        o_created + (HOUR + rng.exponential(3 * DAY, n_other)).astype(np.int64),
        NAT,
    )
    o_sql = np.where(
        (o_mql != NAT) & (rng.random(n_other) < 0.35),
        o_mql + (HOUR + rng.exponential(7 * DAY, n_other)).astype(np.int64),
        NAT,
    )
    o_mql = np.where(o_mql < end, o_mql, NAT)
    o_sql = np.where((o_mql != NAT) & (o_sql < end), o_sql, NAT)
    o_chan = choice(rng, CHANNELS, [0.24, 0.14, 0.1, 0.22, 0.12, 0.06, 0.12], n_other)
    created = np.concatenate([c_created, o_created])
    mql = np.concatenate([c_mql, o_mql])
    sql = np.concatenate([c_sql, o_sql])
    converted = np.concatenate([accounts.created[conv], np.full(n_other, NAT)])
    acct = np.concatenate([conv, np.full(n_other, -1)])
    chan = np.concatenate([accounts.channel[conv], o_chan])
    company = np.concatenate([accounts.name[conv].astype(str), company_names(rng, n_other)])
    order = np.lexsort((acct, created))
    created, mql, sql, converted, acct, chan, company = (
        x[order] for x in (created, mql, sql, converted, acct, chan, company)
    )
    n = len(created)
    lid = np.arange(1, n + 1, dtype=np.int64)
    first, last = person_names(rng, n)
    owner = _owner(ctx, rng, created)
    email = emails(first, last, lid, company_domains(company, lid))
    ctx.world.leads = LeadState(
        lead_id=lid,
        created=created,
        sql=sql,
        converted=converted,
        acct=acct,
        owner=owner,
        chan=chan,
        email=email,
    )
    return {
        "lead_id": lid,
        "email": email,
        "full_name": full_names(first, last),
        "company_name": company.astype(object),
        "source_channel": chan,
        "owner_rep_id": ctx.world.reps.rep_id[owner],
        "created_at": created,
        "mql_at": mql,
        "sql_at": sql,
        "converted_at": converted,
        "converted_account_id": np.where(acct >= 0, accounts.account_id[np.maximum(acct, 0)], -1),
    }


def _path(r, created: int, outcome: str, close: int) -> list[tuple[int, int]]:
    """Stage entries (stage, time) for one deal; outcome won/lost/open/stalled."""
    if outcome == "won":
        stages = [P, Q, PR, N]
        if r.random() < 0.12:
            stages += [PR, N]  # moved back a stage, then forward again
        stages.append(WON)
        cuts = np.sort(r.random(len(stages) - 1))
        times = (
            [created] + [created + int(c * max(close - created, 0)) for c in cuts[:-1]] + [close]
        )
        path = list(zip(stages, times))
        if r.random() < 0.05:  # reopened later
            t = close + int(r.integers(20, 90)) * DAY
            path.append((N, t))
            path.append((WON if r.random() < 0.6 else LOST, t + int(r.integers(5, 30)) * DAY))
        return path
    k = int(r.integers(0, 4))
    stages = [P, Q, PR, N][: k + 1]
    mean_gap = 30 * DAY if outcome == "stalled" else 9 * DAY
    if outcome == "lost":
        stages.append(LOST)
    times, t = [], created
    for _ in range(len(stages)):
        times.append(t)
        t = t + HOUR + int(r.exponential(mean_gap))
    if outcome == "stalled":
        stages, times = stages[:1], times[:1]
    return list(zip(stages, times))


def simulate_opportunities(ctx: Ctx) -> tuple[dict, dict]:
    accounts, subscriptions, leads = ctx.world.accounts, ctx.world.subscriptions, ctx.world.leads
    reps = ctx.world.reps
    rng = ctx.rng("crm.opportunities")
    end = ctx.end_sec
    fx = FX_FACTOR

    def monthly_usd(j: int) -> float:
        """Monthly USD value of subscription row j after its discount."""
        months = 12 if subscriptions.annual[j] else 1
        return float(
            subscriptions.amount[j] * subscriptions.seats[j] / fx[int(subscriptions.cur[j])] / months * (1 - subscriptions.disc[j] / 100)
        )

    deals = []  # (created, outcome, close, lead_idx, acct_idx, owner_idx, type, amount)
    # new business from SQL leads
    first_sub = {}
    for j in range(len(subscriptions.subscription_id)):
        first_sub.setdefault(int(subscriptions.acct[j]), j)
    for i in np.flatnonzero(leads.sql != NAT):
        sql = int(leads.sql[i])
        a = int(leads.acct[i])
        if a >= 0:
            conv = int(leads.converted[i])
            created = sql + int(rng.integers(0, max(1, min(3 * DAY, (conv - sql) // 2))))
            j = first_sub.get(a)
            if j is not None:
                amt = monthly_usd(j) * 12
                deals.append((created, "won", conv, i, a, int(leads.owner[i]), "new_business", amt))
            else:
                amt = float(SEAT_PRICE_USD[int(accounts.tier[a])] * accounts.seats[a] * 12)
                deals.append((created, "lost", 0, i, a, int(leads.owner[i]), "new_business", amt))
        else:
            created = sql + int(rng.integers(HOUR, 3 * DAY))
            if created >= end:
                continue
            recent = created > end - 120 * DAY
            u = rng.random()
            outcome = (
                ("open" if u < 0.6 else "lost") if recent else ("stalled" if u < 0.15 else "lost")
            )
            amt = float(
                SEAT_PRICE_USD[rng.choice(3, p=[0.55, 0.33, 0.12])]
                * 12
                * 6
                * rng.lognormal(0.2, 0.6)
            )
            deals.append((created, outcome, 0, i, -1, int(leads.owner[i]), "new_business", amt))
    # expansions (more seats or a bigger plan) and renewals (annual anniversaries)
    acct_s = subscriptions.acct.astype(np.int64)
    start_s, end_s = subscriptions.start.astype(np.int64), subscriptions.end.astype(np.int64)
    prev_end = {}
    for j in range(len(acct_s)):
        a = int(acct_s[j])
        st = int(start_s[j])
        pj = prev_end.get(a)
        if pj is not None and int(end_s[pj]) == st and monthly_usd(j) > monthly_usd(pj):
            amt = (monthly_usd(j) - monthly_usd(pj)) * 12
            created = st - int(rng.integers(10, 40)) * DAY
            deals.append(
                (
                    created,
                    "won",
                    st,
                    -1,
                    a,
                    int(_owner(ctx, rng, np.array([created]))[0]),
                    "expansion",
                    float(amt),
                )
            )
        prev_end[a] = j
        if subscriptions.annual[j]:
            ann = st
            while True:
                ann = int(np.asarray(_add_year(ann)))
                created = ann - 60 * DAY
                stop = int(end_s[j]) if end_s[j] != NAT else INF
                # a period that ends in a plan or seat change on its anniversary is
                # renewed by the next period (its own deal), not by a renewal deal
                plan_change = ann == stop and subscriptions.reason[j] is None
                if created >= end or ann > stop or plan_change:
                    break
                amt = monthly_usd(j) * 12
                outcome = "lost" if ann == stop and subscriptions.reason[j] is not None else "won"
                deals.append(
                    (
                        created,
                        outcome,
                        ann,
                        -1,
                        a,
                        int(_owner(ctx, rng, np.array([created]))[0]),
                        "renewal",
                        amt,
                    )
                )
    # order, ids, stage histories
    deals.sort(key=lambda d: (d[0], d[3], d[4], d[6]))
    opp_cols = {
        k: [] for k in ("created", "lead", "acct", "owner", "type", "amount", "ecd", "stage")
    }
    hist_opp, hist_stage, hist_t = [], [], []
    oid = 0
    r = ctx.rng("crm.opportunity_stage_history")
    for created, outcome, close, li, a, owner, typ, amt in deals:
        if created >= end:
            continue
        if outcome == "lost" and close == 0:
            close = created + int(r.exponential(30 * DAY))
        path = [(s, t) for s, t in _path(r, created, outcome, close) if t < end]
        oid += 1
        for s, t in path:
            hist_opp.append(oid)
            hist_stage.append(s)
            hist_t.append(t)
        exp_close = (close if outcome == "won" else created + int(r.integers(20, 90)) * DAY) // DAY
        opp_cols["created"].append(created)
        opp_cols["lead"].append(int(leads.lead_id[li]) if li >= 0 else -1)
        opp_cols["acct"].append(int(accounts.account_id[a]) if a >= 0 else -1)
        opp_cols["owner"].append(int(reps.rep_id[owner]))
        opp_cols["type"].append(typ)
        opp_cols["amount"].append(round(amt, 2))
        opp_cols["ecd"].append(exp_close + int(r.integers(-5, 6)))
        opp_cols["stage"].append(STAGES[path[-1][0]])
    ho, hs, ht = (np.array(x, dtype=np.int64) for x in (hist_opp, hist_stage, hist_t))
    ctx.world.opportunities = OpportunityState(
        opp_id=np.arange(1, oid + 1, dtype=np.int64),
        created=np.array(opp_cols["created"], dtype=np.int64),
        owner=np.array(opp_cols["owner"], dtype=np.int64),
        amount=np.array(opp_cols["amount"], dtype=float),
        stage=np.array(opp_cols["stage"], dtype=object),
        last_change=_last_change(ho, ht, oid),
    )
    opportunities = {
        "opportunity_id": np.arange(1, oid + 1, dtype=np.int64),
        "lead_id": np.array(opp_cols["lead"], dtype=np.int64),
        "account_id": np.array(opp_cols["acct"], dtype=np.int64),
        "owner_rep_id": np.array(opp_cols["owner"], dtype=np.int64),
        "opportunity_type": np.array(opp_cols["type"], dtype=object),
        "amount_usd": np.array(opp_cols["amount"], dtype=float),
        "created_at": opp_cols["created"],
        "expected_close_date": np.array(opp_cols["ecd"], dtype=np.int64),
        "current_stage": np.array(opp_cols["stage"], dtype=object),
    }
    opportunities["created_at"] = np.array(opportunities["created_at"], dtype=np.int64)
    order = np.lexsort((hs, ho, ht))
    hist = {
        "stage_history_id": np.arange(1, len(ho) + 1, dtype=np.int64),
        "opportunity_id": ho[order],
        "stage": STAGES[hs[order]],
        "entered_at": ht[order],
    }
    return opportunities, hist


def _add_year(sec: int) -> int:
    return add_months_to_second(sec, 12)


def _last_change(opp_ids: np.ndarray, t: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n + 1, NAT, dtype=np.int64)
    np.maximum.at(out, opp_ids, t)
    return out


def simulate_quotas(ctx: Ctx) -> dict:
    reps, opportunities = ctx.world.reps, ctx.world.opportunities
    rng = ctx.rng("crm.rep_quotas")
    won = opportunities.stage == "closed_won"
    months = max(ctx.days / 30.4, 1)
    per_rep_month = max(opportunities.amount[won].sum() / months / len(reps.rep_id), 1000.0)
    first_m = month_start_day(np.maximum(reps.hired // DAY, ctx.start_day))
    last_m = int(month_start_day(np.array([ctx.end_day]))[0])
    rows_r, rows_m = [], []
    for i, m0 in enumerate(first_m):
        m = np.arange(
            np.datetime64(int(m0), "D").astype("M8[M]"),
            np.datetime64(last_m, "D").astype("M8[M]") + 1,
        )
        rows_r.append(np.full(len(m), i))
        rows_m.append(m.astype("M8[D]").astype(np.int64))
    ri = np.concatenate(rows_r)
    mo = np.concatenate(rows_m)
    team_f = np.array([0.6, 1.0, 2.0])[reps.team[ri]]
    growth = 1 + 0.4 * (mo - ctx.start_day) / max(ctx.days, 1)
    quota = np.round(per_rep_month * 1.1 * team_f * growth * rng.uniform(0.9, 1.1, len(ri)), -2)
    return {"rep_id": reps.rep_id[ri], "quota_month": mo, "quota_amount_usd": quota}


def simulate_sales_activities(ctx: Ctx) -> dict:
    reps, opportunities = ctx.world.reps, ctx.world.opportunities
    rng = ctx.rng("crm.sales_activities")
    last = opportunities.last_change[opportunities.opp_id]
    span = np.maximum(last - opportunities.created, 0) + 7 * DAY
    o, _ = expand(rng.poisson(3 + span / (6.0 * DAY)))
    t1 = opportunities.created[o] + (rng.random(len(o)) * span[o]).astype(np.int64)
    rep_o = opportunities.owner[o]
    opp_o = opportunities.opp_id[o]
    # unlinked activities: per rep and working day
    d0 = np.maximum(reps.hired // DAY, ctx.start_day)
    idx, pos = expand(np.maximum(ctx.end_day - d0 + 1, 0))
    day = d0[idx] + pos
    cnt = np.where(weekday(day) >= 5, 0, rng.poisson(4, len(day)))
    k, _ = expand(cnt)
    t2 = day[k] * DAY + time_of_day(rng, len(k), 15, 2.5)
    t2 = np.maximum(t2, reps.hired[idx[k]])
    rep = np.concatenate([rep_o, reps.rep_id[idx[k]]])
    opp = np.concatenate([opp_o, np.full(len(k), -1)])
    t = np.concatenate([t1, t2])
    ok = t < ctx.end_sec
    rep, opp, t = rep[ok], opp[ok], t[ok]
    order = np.lexsort((opp, rep, t))
    n = len(t)
    return {
        "activity_id": np.arange(1, n + 1, dtype=np.int64),
        "rep_id": rep[order],
        "opportunity_id": opp[order],
        "activity_type": choice(rng, ["call", "email", "meeting"], [0.35, 0.45, 0.2], n),
        "occurred_at": t[order],
    }
