{{
    config(
        materialized='incremental',
        unique_key=['date_day'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

-- Users per account and day, point in time: users signed up and activated by the end of
-- the day, monthly active users ([d-29, d]) and the per-user capped active days behind
-- avg_engagement_score.
--
-- Incremental by day (macros/metrics/incremental_days.sql): a run recomputes the late-data
-- lookback, carries the user counts forward from the day before it, and reads 60 days of
-- activity before it (the 30-day windows of the days just before the first recomputed
-- day, whose capped values the first day's changes are measured against).
with

account_days as (
    select * from {{ ref('int_account_days') }}
    where {{ recomputed_days_filter('date_day') }}
),

users as (
    select * from {{ ref('stg_activity__users') }}
),

user_activity_daily as (
    select * from {{ ref('int_user_activity_daily') }}
    where {{ recomputed_days_filter('activity_date', 60) }}
),

user_changes as (
    select
        account_id,
        cast(signed_up_at as date) as change_date,
        1 as signed_up_users,
        0 as activated_users
    from users
    union all
    select
        account_id,
        cast(activated_at as date) as change_date,
        0 as signed_up_users,
        1 as activated_users
    from users
    where activated_at is not null
),

user_changes_by_day as (
    select
        account_id,
        change_date,
        sum(signed_up_users) as signed_up_users,
        sum(activated_users) as activated_users
    from user_changes
    where {{ recomputed_days_filter('change_date') }}
    group by account_id, change_date
),

monthly_active_user_changes as (
    {{ active_user_interval_changes('user_activity_daily', 30, ['account_id']) }}
),

-- Per-user engagement = min(active days in [d-29, d], 20) / 20 x 100. A user's active-day
-- count only changes on an active day (+1) and 30 days later (-1), so the capped value is
-- tracked at those change points and summed per account: no user x day cross join.
user_active_day_edges as (
    select
        account_id,
        user_id,
        activity_date as change_date,
        1 as active_days_delta
    from user_activity_daily
    union all
    select
        account_id,
        user_id,
        {{ add_days('activity_date', 30) }} as change_date,
        -1 as active_days_delta
    from user_activity_daily
),

user_active_days_30d as (
    select
        account_id,
        user_id,
        change_date,
        sum(sum(active_days_delta)) over (
            partition by account_id, user_id
            order by change_date
            rows between unbounded preceding and current row
        ) as active_days_30d
    from user_active_day_edges
    group by account_id, user_id, change_date
),

capped_active_day_changes as (
    select
        account_id,
        change_date,
        sum(capped_active_days_delta) as capped_active_days_delta
    from (
        select
            account_id,
            change_date,
            least(active_days_30d, 20) - coalesce(lag(least(active_days_30d, 20)) over (
                partition by account_id, user_id order by change_date
            ), 0) as capped_active_days_delta
        from user_active_days_30d
    ) as user_capped_active_day_deltas
    group by account_id, change_date
),

daily_inputs as (
    select
        account_days.account_id,
        account_days.date_day,
        coalesce(user_changes_by_day.signed_up_users, 0) as signed_up_users,
        coalesce(user_changes_by_day.activated_users, 0) as activated_users,
        coalesce(monthly_active_user_changes.active_users_delta, 0) as active_users_delta,
        coalesce(capped_active_day_changes.capped_active_days_delta, 0)
            as capped_active_days_delta
    from account_days
    left join user_changes_by_day
        on
            account_days.account_id = user_changes_by_day.account_id
            and account_days.date_day = user_changes_by_day.change_date
    left join monthly_active_user_changes
        on
            account_days.account_id = monthly_active_user_changes.account_id
            and account_days.date_day = monthly_active_user_changes.change_date
    left join capped_active_day_changes
        on
            account_days.account_id = capped_active_day_changes.account_id
            and account_days.date_day = capped_active_day_changes.change_date
),

-- running totals of the day-level changes: the values on each day
final as (
    {{ running_totals('daily_inputs', 'account_id', [
        ('signed_up_users', 'user_count'),
        ('activated_users', 'activated_user_count'),
        ('active_users_delta', 'monthly_active_users'),
        ('capped_active_days_delta', 'capped_active_days_30d'),
    ]) }}
)

select * from final
