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
PROSPECTING, QUALIFICATION, PROPOSAL, NEGOTIATION, CLOSED_WON, CLOSED_LOST = range(6)


def simulate_reps(ctx: Ctx) -> dict:
    rng = ctx.rng("crm.sales_reps")
    n_reps = int(np.clip(round(6 + ctx.accounts / 150), 8, 40))
    name_combos = rng.permutation(len(FIRST) * len(LAST))[:n_reps]
    first_names, last_names = FIRST[name_combos // len(LAST)], LAST[name_combos % len(LAST)]
    team_idx = np.concatenate([np.array([0, 1, 2]), rng.choice(3, n_reps - 3, p=[0.5, 0.3, 0.2])])
    veteran = np.arange(n_reps) < max(3, int(0.75 * n_reps))
    hire_day = np.where(
        veteran,
        # veterans were hired before the installed base's history starts
        history_start_day(ctx) - 120 - rng.integers(30, 1000, n_reps),
        ctx.start_day + rng.integers(0, max(1, int(0.8 * ctx.days)), n_reps),
    )
    hired = hire_day * DAY + 9 * HOUR + rng.integers(0, 4 * HOUR, n_reps)
    order = np.argsort(hired, kind="stable")
    first_names, last_names, team_idx, hired = (
        first_names[order],
        last_names[order],
        team_idx[order],
        hired[order],
    )
    rep_ids = np.arange(1, n_reps + 1, dtype=np.int64)
    ctx.world.reps = RepState(
        rep_id=rep_ids, hired=hired, team=team_idx, veterans=np.flatnonzero(hired < ctx.start_sec)
    )
    return {
        "rep_id": rep_ids,
        "rep_name": full_names(first_names, last_names),
        "email": emails(
            first_names,
            last_names,
            np.full(n_reps, "", dtype=object),
            np.full(n_reps, "saas-metrics.example"),
        ),
        "team": np.array(["smb", "mid_market", "enterprise"], dtype=object)[team_idx],
        "region": choice(rng, ["na", "emea", "apac", "latam"], [0.45, 0.3, 0.15, 0.1], n_reps),
        "hired_at": hired,
    }


def _owner(ctx: Ctx, rng: np.random.Generator, created: np.ndarray) -> np.ndarray:
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
    end_sec = ctx.end_sec
    converting_accounts = np.flatnonzero(accounts.channel != "direct")
    n_converted = len(converting_accounts)
    n_other = max(3 * ctx.accounts - n_converted, 0)
    # converted leads: one per non-direct account, created before the account
    converted_created = accounts.created[converting_accounts] - (
        HOUR + rng.exponential(20 * DAY, n_converted)
    ).astype(np.int64)
    converted_span = accounts.created[converting_accounts] - converted_created
    converted_mql = converted_created + (
        converted_span * rng.uniform(0.05, 0.4, n_converted)
    ).astype(np.int64)
    sales_led = (
        rng.random(n_converted) < np.array([0.35, 0.75, 0.95])[accounts.tier[converting_accounts]]
    )
    converted_sql = np.where(
        sales_led,
        converted_mql + (converted_span * rng.uniform(0.05, 0.4, n_converted)).astype(np.int64),
        NAT,
    )
    # other leads: spread over the window with growth
    created_day = ctx.start_day + rng.choice(ctx.days, n_other, p=ctx.growth_weights())
    other_created = created_day * DAY + time_of_day(rng, n_other)
    other_created = np.minimum(other_created, end_sec - 1)
    other_mql = np.where(
        rng.random(n_other) < 0.4,
        other_created + (HOUR + rng.exponential(3 * DAY, n_other)).astype(np.int64),
        NAT,
    )
    other_sql = np.where(
        (other_mql != NAT) & (rng.random(n_other) < 0.35),
        other_mql + (HOUR + rng.exponential(7 * DAY, n_other)).astype(np.int64),
        NAT,
    )
    other_mql = np.where(other_mql < end_sec, other_mql, NAT)
    other_sql = np.where((other_mql != NAT) & (other_sql < end_sec), other_sql, NAT)
    other_channel = choice(rng, CHANNELS, [0.24, 0.14, 0.1, 0.22, 0.12, 0.06, 0.12], n_other)
    created = np.concatenate([converted_created, other_created])
    mql = np.concatenate([converted_mql, other_mql])
    sql = np.concatenate([converted_sql, other_sql])
    converted = np.concatenate([accounts.created[converting_accounts], np.full(n_other, NAT)])
    account_idx = np.concatenate([converting_accounts, np.full(n_other, -1)])
    channel = np.concatenate([accounts.channel[converting_accounts], other_channel])
    company = np.concatenate(
        [accounts.name[converting_accounts].astype(str), company_names(rng, n_other)]
    )
    order = np.lexsort((account_idx, created))
    created, mql, sql, converted, account_idx, channel, company = (
        column[order] for column in (created, mql, sql, converted, account_idx, channel, company)
    )
    n_leads = len(created)
    lead_ids = np.arange(1, n_leads + 1, dtype=np.int64)
    first_names, last_names = person_names(rng, n_leads)
    owner = _owner(ctx, rng, created)
    email = emails(first_names, last_names, lead_ids, company_domains(company, lead_ids))
    ctx.world.leads = LeadState(
        lead_id=lead_ids,
        created=created,
        sql=sql,
        converted=converted,
        acct=account_idx,
        owner=owner,
        chan=channel,
        email=email,
    )
    return {
        "lead_id": lead_ids,
        "email": email,
        "full_name": full_names(first_names, last_names),
        "company_name": company.astype(object),
        "source_channel": channel,
        "owner_rep_id": ctx.world.reps.rep_id[owner],
        "created_at": created,
        "mql_at": mql,
        "sql_at": sql,
        "converted_at": converted,
        "converted_account_id": np.where(
            account_idx >= 0, accounts.account_id[np.maximum(account_idx, 0)], -1
        ),
    }


def _path(
    rng: np.random.Generator, created: int, outcome: str, close: int
) -> list[tuple[int, int]]:
    """Stage entries (stage, time) for one deal; outcome won/lost/open/stalled."""
    if outcome == "won":
        stages = [PROSPECTING, QUALIFICATION, PROPOSAL, NEGOTIATION]
        if rng.random() < 0.12:
            stages += [PROPOSAL, NEGOTIATION]  # moved back a stage, then forward again
        stages.append(CLOSED_WON)
        cuts = np.sort(rng.random(len(stages) - 1))
        times = (
            [created]
            + [created + int(cut * max(close - created, 0)) for cut in cuts[:-1]]
            + [close]
        )
        path = list(zip(stages, times))
        if rng.random() < 0.05:  # reopened later
            entered_at = close + int(rng.integers(20, 90)) * DAY
            path.append((NEGOTIATION, entered_at))
            path.append(
                (
                    CLOSED_WON if rng.random() < 0.6 else CLOSED_LOST,
                    entered_at + int(rng.integers(5, 30)) * DAY,
                )
            )
        return path
    last_open_stage = int(rng.integers(0, 4))
    stages = [PROSPECTING, QUALIFICATION, PROPOSAL, NEGOTIATION][: last_open_stage + 1]
    mean_gap = 30 * DAY if outcome == "stalled" else 9 * DAY
    if outcome == "lost":
        stages.append(CLOSED_LOST)
    times, entered_at = [], created
    for _ in range(len(stages)):
        times.append(entered_at)
        entered_at = entered_at + HOUR + int(rng.exponential(mean_gap))
    if outcome == "stalled":
        stages, times = stages[:1], times[:1]
    return list(zip(stages, times))


def simulate_opportunities(ctx: Ctx) -> tuple[dict, dict]:
    accounts, subscriptions, leads = ctx.world.accounts, ctx.world.subscriptions, ctx.world.leads
    reps = ctx.world.reps
    rng = ctx.rng("crm.opportunities")
    end_sec = ctx.end_sec
    fx_factor = FX_FACTOR

    def monthly_usd(sub_idx: int) -> float:
        """Monthly USD value of subscription row j after its discount."""
        months = 12 if subscriptions.annual[sub_idx] else 1
        return float(
            subscriptions.amount[sub_idx]
            * subscriptions.seats[sub_idx]
            / fx_factor[int(subscriptions.cur[sub_idx])]
            / months
            * (1 - subscriptions.disc[sub_idx] / 100)
        )

    deals = []  # (created, outcome, close, lead_idx, acct_idx, owner_idx, type, amount)
    # new business from SQL leads
    first_sub = {}
    for sub_idx in range(len(subscriptions.subscription_id)):
        first_sub.setdefault(int(subscriptions.acct[sub_idx]), sub_idx)
    for lead_idx in np.flatnonzero(leads.sql != NAT):
        sql = int(leads.sql[lead_idx])
        account_idx = int(leads.acct[lead_idx])
        if account_idx >= 0:
            converted_at = int(leads.converted[lead_idx])
            created = sql + int(rng.integers(0, max(1, min(3 * DAY, (converted_at - sql) // 2))))
            sub_idx = first_sub.get(account_idx)
            if sub_idx is not None:
                amount = monthly_usd(sub_idx) * 12
                deals.append(
                    (
                        created,
                        "won",
                        converted_at,
                        lead_idx,
                        account_idx,
                        int(leads.owner[lead_idx]),
                        "new_business",
                        amount,
                    )
                )
            else:
                amount = float(
                    SEAT_PRICE_USD[int(accounts.tier[account_idx])]
                    * accounts.seats[account_idx]
                    * 12
                )
                deals.append(
                    (
                        created,
                        "lost",
                        0,
                        lead_idx,
                        account_idx,
                        int(leads.owner[lead_idx]),
                        "new_business",
                        amount,
                    )
                )
        else:
            created = sql + int(rng.integers(HOUR, 3 * DAY))
            if created >= end_sec:
                continue
            recent = created > end_sec - 120 * DAY
            draw = rng.random()
            outcome = (
                ("open" if draw < 0.6 else "lost")
                if recent
                else ("stalled" if draw < 0.15 else "lost")
            )
            amount = float(
                SEAT_PRICE_USD[rng.choice(3, p=[0.55, 0.33, 0.12])]
                * 12
                * 6
                * rng.lognormal(0.2, 0.6)
            )
            deals.append(
                (
                    created,
                    outcome,
                    0,
                    lead_idx,
                    -1,
                    int(leads.owner[lead_idx]),
                    "new_business",
                    amount,
                )
            )
    # expansions (more seats or a bigger plan) and renewals (annual anniversaries)
    sub_account = subscriptions.acct.astype(np.int64)
    sub_start, sub_end = subscriptions.start.astype(np.int64), subscriptions.end.astype(np.int64)
    prev_end = {}
    for sub_idx in range(len(sub_account)):
        account_idx = int(sub_account[sub_idx])
        period_start = int(sub_start[sub_idx])
        previous_idx = prev_end.get(account_idx)
        if (
            previous_idx is not None
            and int(sub_end[previous_idx]) == period_start
            and monthly_usd(sub_idx) > monthly_usd(previous_idx)
        ):
            amount = (monthly_usd(sub_idx) - monthly_usd(previous_idx)) * 12
            created = period_start - int(rng.integers(10, 40)) * DAY
            deals.append(
                (
                    created,
                    "won",
                    period_start,
                    -1,
                    account_idx,
                    int(_owner(ctx, rng, np.array([created]))[0]),
                    "expansion",
                    float(amount),
                )
            )
        prev_end[account_idx] = sub_idx
        if subscriptions.annual[sub_idx]:
            anniversary = period_start
            while True:
                anniversary = int(np.asarray(_add_year(anniversary)))
                created = anniversary - 60 * DAY
                stop = int(sub_end[sub_idx]) if sub_end[sub_idx] != NAT else INF
                # a period that ends in a plan or seat change on its anniversary is
                # renewed by the next period (its own deal), not by a renewal deal
                plan_change = anniversary == stop and subscriptions.reason[sub_idx] is None
                if created >= end_sec or anniversary > stop or plan_change:
                    break
                amount = monthly_usd(sub_idx) * 12
                outcome = (
                    "lost"
                    if anniversary == stop and subscriptions.reason[sub_idx] is not None
                    else "won"
                )
                deals.append(
                    (
                        created,
                        outcome,
                        anniversary,
                        -1,
                        account_idx,
                        int(_owner(ctx, rng, np.array([created]))[0]),
                        "renewal",
                        amount,
                    )
                )
    # order, ids, stage histories
    deals.sort(key=lambda deal: (deal[0], deal[3], deal[4], deal[6]))
    opp_cols = {
        column: []
        for column in ("created", "lead", "acct", "owner", "type", "amount", "ecd", "stage")
    }
    hist_opp, hist_stage, hist_times = [], [], []
    n_opps = 0
    stage_rng = ctx.rng("crm.opportunity_stage_history")
    for created, outcome, close, deal_lead_idx, account_idx, owner, opp_type, amount in deals:
        if created >= end_sec:
            continue
        if outcome == "lost" and close == 0:
            close = created + int(stage_rng.exponential(30 * DAY))
        stage_path = _path(stage_rng, created=created, outcome=outcome, close=close)
        path = [(stage, entered_at) for stage, entered_at in stage_path if entered_at < end_sec]
        n_opps += 1
        for stage, entered_at in path:
            hist_opp.append(n_opps)
            hist_stage.append(stage)
            hist_times.append(entered_at)
        expected_close_day = (
            close if outcome == "won" else created + int(stage_rng.integers(20, 90)) * DAY
        ) // DAY
        opp_cols["created"].append(created)
        opp_cols["lead"].append(int(leads.lead_id[deal_lead_idx]) if deal_lead_idx >= 0 else -1)
        opp_cols["acct"].append(int(accounts.account_id[account_idx]) if account_idx >= 0 else -1)
        opp_cols["owner"].append(int(reps.rep_id[owner]))
        opp_cols["type"].append(opp_type)
        opp_cols["amount"].append(round(amount, 2))
        opp_cols["ecd"].append(expected_close_day + int(stage_rng.integers(-5, 6)))
        opp_cols["stage"].append(STAGES[path[-1][0]])
    hist_opp_ids, hist_stages, hist_entered_at = (
        np.array(values, dtype=np.int64) for values in (hist_opp, hist_stage, hist_times)
    )
    ctx.world.opportunities = OpportunityState(
        opp_id=np.arange(1, n_opps + 1, dtype=np.int64),
        created=np.array(opp_cols["created"], dtype=np.int64),
        owner=np.array(opp_cols["owner"], dtype=np.int64),
        amount=np.array(opp_cols["amount"], dtype=float),
        stage=np.array(opp_cols["stage"], dtype=object),
        last_change=_last_change(hist_opp_ids, entered_at=hist_entered_at, n_opps=n_opps),
    )
    opportunities = {
        "opportunity_id": np.arange(1, n_opps + 1, dtype=np.int64),
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
    order = np.lexsort((hist_stages, hist_opp_ids, hist_entered_at))
    hist = {
        "stage_history_id": np.arange(1, len(hist_opp_ids) + 1, dtype=np.int64),
        "opportunity_id": hist_opp_ids[order],
        "stage": STAGES[hist_stages[order]],
        "entered_at": hist_entered_at[order],
    }
    return opportunities, hist


def _add_year(sec: int) -> int:
    return add_months_to_second(sec, 12)


def _last_change(opp_ids: np.ndarray, entered_at: np.ndarray, n_opps: int) -> np.ndarray:
    out = np.full(n_opps + 1, NAT, dtype=np.int64)
    np.maximum.at(out, opp_ids, entered_at)
    return out


def simulate_quotas(ctx: Ctx) -> dict:
    reps, opportunities = ctx.world.reps, ctx.world.opportunities
    rng = ctx.rng("crm.rep_quotas")
    won = opportunities.stage == "closed_won"
    months = max(ctx.days / 30.4, 1)
    per_rep_month = max(opportunities.amount[won].sum() / months / len(reps.rep_id), 1000.0)
    first_month = month_start_day(np.maximum(reps.hired // DAY, ctx.start_day))
    last_month = int(month_start_day(np.array([ctx.end_day]))[0])
    rep_rows, month_rows = [], []
    for rep_position, rep_first_month in enumerate(first_month):
        rep_months = np.arange(
            np.datetime64(int(rep_first_month), "D").astype("M8[M]"),
            np.datetime64(last_month, "D").astype("M8[M]") + 1,
        )
        rep_rows.append(np.full(len(rep_months), rep_position))
        month_rows.append(rep_months.astype("M8[D]").astype(np.int64))
    quota_rep_idx = np.concatenate(rep_rows)
    quota_month = np.concatenate(month_rows)
    team_factor = np.array([0.6, 1.0, 2.0])[reps.team[quota_rep_idx]]
    growth = 1 + 0.4 * (quota_month - ctx.start_day) / max(ctx.days, 1)
    quota = np.round(
        per_rep_month * 1.1 * team_factor * growth * rng.uniform(0.9, 1.1, len(quota_rep_idx)), -2
    )
    return {
        "rep_id": reps.rep_id[quota_rep_idx],
        "quota_month": quota_month,
        "quota_amount_usd": quota,
    }


def simulate_sales_activities(ctx: Ctx) -> dict:
    reps, opportunities = ctx.world.reps, ctx.world.opportunities
    rng = ctx.rng("crm.sales_activities")
    last_change = opportunities.last_change[opportunities.opp_id]
    span = np.maximum(last_change - opportunities.created, 0) + 7 * DAY
    opp_idx, _ = expand(rng.poisson(3 + span / (6.0 * DAY)))
    linked_at = opportunities.created[opp_idx] + (rng.random(len(opp_idx)) * span[opp_idx]).astype(
        np.int64
    )
    linked_rep = opportunities.owner[opp_idx]
    linked_opp = opportunities.opp_id[opp_idx]
    # unlinked activities: per rep and working day
    first_day = np.maximum(reps.hired // DAY, ctx.start_day)
    rep_idx, day_offset = expand(np.maximum(ctx.end_day - first_day + 1, 0))
    day = first_day[rep_idx] + day_offset
    per_day = np.where(weekday(day) >= 5, 0, rng.poisson(4, len(day)))
    unlinked_idx, _ = expand(per_day)
    unlinked_at = day[unlinked_idx] * DAY + time_of_day(rng, len(unlinked_idx), 15, 2.5)
    unlinked_at = np.maximum(unlinked_at, reps.hired[rep_idx[unlinked_idx]])
    rep_ids = np.concatenate([linked_rep, reps.rep_id[rep_idx[unlinked_idx]]])
    opp_ids = np.concatenate([linked_opp, np.full(len(unlinked_idx), -1)])
    occurred_at = np.concatenate([linked_at, unlinked_at])
    before_end = occurred_at < ctx.end_sec
    rep_ids, opp_ids, occurred_at = (
        rep_ids[before_end],
        opp_ids[before_end],
        occurred_at[before_end],
    )
    order = np.lexsort((opp_ids, rep_ids, occurred_at))
    n_activities = len(occurred_at)
    return {
        "activity_id": np.arange(1, n_activities + 1, dtype=np.int64),
        "rep_id": rep_ids[order],
        "opportunity_id": opp_ids[order],
        "activity_type": choice(rng, ["call", "email", "meeting"], [0.35, 0.45, 0.2], n_activities),
        "occurred_at": occurred_at[order],
    }
