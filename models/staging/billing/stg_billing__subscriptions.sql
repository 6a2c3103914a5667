with

source as (
    select * from {{ ref('base_billing__subscriptions') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(subscription_id as bigint) as subscription_id,
        cast(account_id as bigint) as account_id,
        cast(plan_tier as {{ dbt.type_string() }}) as plan_tier,
        cast(billing_interval as {{ dbt.type_string() }}) as billing_interval,
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(list_amount as numeric(18, 2)) as list_amount,
        cast(quantity as integer) as quantity,
        -- the contract: a null discount means no discount (a Stripe row without a coupon)
        cast(coalesce(discount_pct, 0) as numeric(5, 2)) as discount_pct,
        {{ to_utc('started_at') }} as started_at,
        {{ to_utc('ended_at') }} as ended_at,
        cast(cancel_reason as {{ dbt.type_string() }}) as cancel_reason,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
