{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- billing.subscriptions from Stripe subscriptions, items, prices, coupons and invoice
-- lines: one row per period of one item with one price, quantity and discount
-- (fivetran_stripe__subscription_periods says how a Stripe subscription is cut).
with

periods as (
    select * from {{ ref('fivetran_stripe__subscription_periods') }}
),

final as (
    select
        cast(contract_subscription_id as bigint) as subscription_id,
        cast({{ text_key_to_id('customer_id') }} as bigint) as account_id,
        cast(plan_tier as text) as plan_tier,
        cast(billing_interval as text) as billing_interval,
        cast(currency as text) as currency,
        cast(list_amount as numeric(18, 2)) as list_amount,
        cast(quantity as integer) as quantity,
        cast(discount_pct as numeric(5, 2)) as discount_pct,
        {{ utc_timestamp_to_tz('started_at') }} as started_at,
        {{ utc_timestamp_to_tz('ended_at') }} as ended_at,
        cast(cancel_reason as text) as cancel_reason,
        {{ utc_timestamp_to_tz('synced_at') }} as _loaded_at
    from periods
)

select * from final
