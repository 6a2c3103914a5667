{{
    config(
        materialized='incremental',
        unique_key=['metric_date'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

with

user_activity_daily as (
    select * from {{ ref('int_user_activity_daily') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

daily_activity as (
    select
        activity_date,
        count(distinct user_id) as daily_active_users
    from user_activity_daily
    group by activity_date
),

monthly_active_user_changes as (
    {{ active_user_interval_changes(ref('int_user_activity_daily'), 30) }}
),

monthly_active_users as (
    select
        calendar_days.date_day,
        sum(coalesce(monthly_active_user_changes.active_users_delta, 0)) over (
            order by calendar_days.date_day
            rows between unbounded preceding and current row
        ) as monthly_active_users
    from calendar_days
    left join monthly_active_user_changes
        on calendar_days.date_day = monthly_active_user_changes.change_date
),

final as (
    select
        monthly_active_users.date_day as metric_date,
        cast(coalesce(daily_activity.daily_active_users, 0) as bigint) as daily_active_users,
        cast(monthly_active_users.monthly_active_users as bigint) as monthly_active_users
    from monthly_active_users
    left join daily_activity
        on monthly_active_users.date_day = daily_activity.activity_date
    where monthly_active_users.date_day >= {{ incremental_start_date() }}
)

select * from final
