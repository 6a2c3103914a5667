{{
    config(
        materialized='incremental',
        unique_key=['metric_date'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

-- Product-wide usage counts per day: active users over 1, 7 and 30 days, power users,
-- users retained from the previous 30 days, and the day's session totals. Built once
-- here so every mart that shows DAU/WAU/MAU uses the same numbers.
--
-- Rolling distinct users never join days to events: each user's active days become
-- non-overlapping intervals of the days they count in, and a running sum of +1/-1 edges
-- over the calendar gives the count (O(user-days), whatever the window). An incremental
-- run reads only the 60 days of activity before the first rebuilt day: no window here
-- looks further back (the retention windows reach d-59).
{%- set history_start = add_days(incremental_start_date(), -60) %}

with

user_activity_daily as (
    select * from {{ ref('int_user_activity_daily') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

user_days as (
    select *
    from user_activity_daily
    where activity_date >= {{ history_start }}
),

days_in_scope as (
    select date_day
    from calendar_days
    where date_day >= {{ history_start }}
),

weekly_active_user_changes as (
    {{ active_user_interval_changes('user_days', 7) }}
),

monthly_active_user_changes as (
    {{ active_user_interval_changes('user_days', 30) }}
),

-- power users: a user's count of active days in the trailing 30 days steps +1 on an
-- active day and -1 thirty days later; between two steps it is constant, so the user is
-- a power user from a step that reaches 20 until the next step
active_day_count_edges as (
    select
        user_id,
        activity_date as change_date,
        1 as active_days_delta
    from user_days
    union all
    select
        user_id,
        {{ add_days('activity_date', 30) }} as change_date,
        -1 as active_days_delta
    from user_days
),

active_day_count_steps as (
    select
        user_id,
        change_date,
        sum(active_days_delta) as active_days_delta
    from active_day_count_edges
    group by user_id, change_date
),

active_day_counts as (
    select
        user_id,
        change_date,
        sum(active_days_delta) over (
            partition by user_id
            order by change_date
            rows between unbounded preceding and current row
        ) as active_days_30d,
        lead(change_date) over (partition by user_id order by change_date) as next_change_date
    from active_day_count_steps
),

power_user_changes as (
    select
        change_date,
        sum(power_users_delta) as power_users_delta
    from (
        select
            change_date,
            1 as power_users_delta
        from active_day_counts
        where active_days_30d >= 20
        union all
        select
            next_change_date as change_date,
            -1 as power_users_delta
        from active_day_counts
        where active_days_30d >= 20
    ) as power_user_edges
    group by change_date
),

-- retained users on d: active in [d-59, d-30] and again in [d-29, d]. Take the user's
-- first active day a in [d-29, d] and the active day p before it: the user is retained
-- exactly when p >= d-59. So each pair of consecutive active days (p, a) counts on the
-- days d in [max(a, p+30), min(a+29, p+59)], and at most one pair counts per user and day
active_day_pairs as (
    select
        user_id,
        activity_date,
        lag(activity_date) over (
            partition by user_id order by activity_date
        ) as previous_activity_date
    from (
        select distinct
            user_id,
            activity_date
        from user_days
    ) as distinct_user_days
),

retained_intervals as (
    select
        greatest(activity_date, {{ add_days('previous_activity_date', 30) }}) as covered_from,
        least(
            {{ add_days('activity_date', 30) }},
            {{ add_days('previous_activity_date', 60) }}
        ) as covered_until_exclusive
    from active_day_pairs
    where
        previous_activity_date is not null
        and activity_date <= {{ add_days('previous_activity_date', 59) }}
),

retained_user_changes as (
    select
        change_date,
        sum(retained_users_delta) as retained_users_delta
    from (
        select
            covered_from as change_date,
            1 as retained_users_delta
        from retained_intervals
        union all
        select
            covered_until_exclusive as change_date,
            -1 as retained_users_delta
        from retained_intervals
    ) as retained_edges
    group by change_date
),

daily_totals as (
    select
        activity_date,
        count(*) as daily_active_users,
        sum(session_count) as sessions,
        sum(desktop_session_count) as desktop_sessions,
        sum(mobile_session_count) as mobile_sessions,
        sum(session_seconds) as session_seconds,
        sum(error_session_count) as error_sessions,
        sum(crash_session_count) as crash_sessions,
        sum(features_used_count) as features_used_user_days
    from user_days
    group by activity_date
),

running_counts as (
    select
        days_in_scope.date_day,
        sum(coalesce(weekly_active_user_changes.active_users_delta, 0)) over (
            order by days_in_scope.date_day rows between unbounded preceding and current row
        ) as weekly_active_users,
        sum(coalesce(monthly_active_user_changes.active_users_delta, 0)) over (
            order by days_in_scope.date_day rows between unbounded preceding and current row
        ) as monthly_active_users,
        sum(coalesce(power_user_changes.power_users_delta, 0)) over (
            order by days_in_scope.date_day rows between unbounded preceding and current row
        ) as power_users,
        sum(coalesce(retained_user_changes.retained_users_delta, 0)) over (
            order by days_in_scope.date_day rows between unbounded preceding and current row
        ) as retained_users_30d
    from days_in_scope
    left join weekly_active_user_changes
        on days_in_scope.date_day = weekly_active_user_changes.change_date
    left join monthly_active_user_changes
        on days_in_scope.date_day = monthly_active_user_changes.change_date
    left join power_user_changes
        on days_in_scope.date_day = power_user_changes.change_date
    left join retained_user_changes
        on days_in_scope.date_day = retained_user_changes.change_date
),

with_prior_month as (
    select
        *,
        -- the spine has one row per day, so 30 rows back is d-30; NULL until 30 days of
        -- history exist
        lag(monthly_active_users, 30) over (order by date_day) as prior_monthly_active_users
    from running_counts
),

final as (
    select
        with_prior_month.date_day as metric_date,
        cast(coalesce(daily_totals.daily_active_users, 0) as bigint) as daily_active_users,
        cast(with_prior_month.weekly_active_users as bigint) as weekly_active_users,
        cast(with_prior_month.monthly_active_users as bigint) as monthly_active_users,
        cast(with_prior_month.power_users as bigint) as power_users,
        cast(with_prior_month.retained_users_30d as bigint) as retained_users_30d,
        cast(with_prior_month.prior_monthly_active_users as bigint) as prior_monthly_active_users,
        cast(coalesce(daily_totals.sessions, 0) as bigint) as sessions,
        cast(coalesce(daily_totals.desktop_sessions, 0) as bigint) as desktop_sessions,
        cast(coalesce(daily_totals.mobile_sessions, 0) as bigint) as mobile_sessions,
        cast(coalesce(daily_totals.session_seconds, 0) as bigint) as session_seconds,
        cast(coalesce(daily_totals.error_sessions, 0) as bigint) as error_sessions,
        cast(coalesce(daily_totals.crash_sessions, 0) as bigint) as crash_sessions,
        cast(coalesce(daily_totals.features_used_user_days, 0) as bigint) as features_used_user_days
    from with_prior_month
    left join daily_totals
        on with_prior_month.date_day = daily_totals.activity_date
    where
        with_prior_month.date_day >= {{ incremental_start_date() }}
        and with_prior_month.date_day <= {{ incremental_end_date() }}
)

select * from final
