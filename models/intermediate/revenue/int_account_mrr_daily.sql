-- MRR per account and day in USD: the subscriptions counted that day, converted with
-- that day's exchange rate. Only days with at least one counted subscription have a row.
with

subscriptions_priced as (
    select * from {{ ref('int_subscriptions_priced') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

exchange_rates as (
    select * from {{ ref('stg_billing__exchange_rates') }}
),

subscription_days as (
    select
        subscriptions_priced.account_id,
        subscriptions_priced.subscription_id,
        subscriptions_priced.currency,
        subscriptions_priced.monthly_amount_local,
        calendar_days.date_day
    from subscriptions_priced
    inner join calendar_days
        on
            calendar_days.date_day between subscriptions_priced.start_date
            and subscriptions_priced.last_counted_date
),

subscription_days_in_usd as (
    select
        subscription_days.account_id,
        subscription_days.date_day,
        cast(
            subscription_days.monthly_amount_local * exchange_rates.usd_per_unit
            as numeric(18, 6)
        ) as mrr_usd
    from subscription_days
    inner join exchange_rates
        on
            subscription_days.currency = exchange_rates.currency
            and subscription_days.date_day = exchange_rates.rate_date
),

final as (
    select
        account_id,
        date_day,
        sum(mrr_usd) as mrr_usd,
        count(*) as active_subscriptions
    from subscription_days_in_usd
    group by account_id, date_day
)

select * from final
