{{
    config(
        materialized='incremental',
        unique_key=['metric_date', 'account_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

with

accounts as (
    select * from {{ ref('stg_billing__accounts') }}
),

subscriptions_priced as (
    select * from {{ ref('int_subscriptions_priced') }}
),

account_mrr_daily as (
    select * from {{ ref('int_account_mrr_daily') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

-- a customer is an account from its first subscription on, churned or not
customer_first_days as (
    select
        account_id,
        min(start_date) as first_subscription_date
    from subscriptions_priced
    group by account_id
),

-- rolling windows need every day from signup on, even before the first subscription
account_days as (
    select
        accounts.account_id,
        calendar_days.date_day
    from accounts
    inner join calendar_days
        on calendar_days.date_day >= cast(accounts.created_at as date)
),

monthly_active_user_changes as (
    {{ active_user_interval_changes(ref('int_user_activity_daily'), 30, ['account_id']) }}
),

monthly_active_users as (
    select
        account_days.account_id,
        account_days.date_day,
        sum(coalesce(monthly_active_user_changes.active_users_delta, 0)) over (
            partition by account_days.account_id
            order by account_days.date_day
            rows between unbounded preceding and current row
        ) as monthly_active_users
    from account_days
    left join monthly_active_user_changes
        on
            account_days.account_id = monthly_active_user_changes.account_id
            and account_days.date_day = monthly_active_user_changes.change_date
),

final as (
    select
        monthly_active_users.date_day as metric_date,
        accounts.account_id,
        accounts.account_name as customer_name,
        accounts.plan_tier,
        accounts.segment,
        cast(coalesce(account_mrr_daily.mrr_usd, 0) as numeric(38, 6)) as current_mrr,
        cast(monthly_active_users.monthly_active_users as bigint) as monthly_active_users
    from monthly_active_users
    inner join customer_first_days
        on
            monthly_active_users.account_id = customer_first_days.account_id
            and monthly_active_users.date_day >= customer_first_days.first_subscription_date
    inner join accounts
        on monthly_active_users.account_id = accounts.account_id
    left join account_mrr_daily
        on
            monthly_active_users.account_id = account_mrr_daily.account_id
            and monthly_active_users.date_day = account_mrr_daily.date_day
    where monthly_active_users.date_day >= {{ incremental_start_date() }}
)

select * from final
