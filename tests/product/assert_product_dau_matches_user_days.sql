-- Reconciliation: the mart's DAU and sessions equal a plain count of the user-day model
-- on every day (days without activity must read 0). Rows are failures.
with

user_days as (
    select
        activity_date,
        count(*) as user_days,
        sum(session_count) as sessions
    from {{ ref('int_user_activity_daily') }}
    group by activity_date
),

product as (
    select * from {{ ref('metrics_product_analytics') }}
),

compared as (
    select
        product.metric_date,
        product.daily_active_users,
        product.sessions_per_user * product.daily_active_users as mart_sessions,
        coalesce(user_days.user_days, 0) as user_days,
        coalesce(user_days.sessions, 0) as sessions
    from product
    left join user_days
        on product.metric_date = user_days.activity_date
)

select * from compared
where
    daily_active_users != user_days
    or abs(coalesce(mart_sessions, 0) - sessions) > 0.000001
