-- Each subscription period with its monthly amount after discount (annual plans count
-- a twelfth of their price) and the calendar days it counts towards MRR.
with

subscriptions as (
    select * from {{ ref('stg_billing__subscriptions') }}
),

priced as (
    select
        subscription_id,
        account_id,
        plan_tier,
        billing_interval,
        currency,
        list_amount,
        discount_pct,
        cast(
            list_amount * (100 - discount_pct) / 100.0
            / case when billing_interval = 'year' then 12 else 1 end
            as numeric(18, 6)
        ) as monthly_amount_local,
        started_at,
        ended_at,
        cast(started_at as date) as start_date,
        cast(ended_at as date) as end_date,
        lead(started_at) over (
            partition by account_id order by started_at, subscription_id
        ) as next_started_at
    from subscriptions
),

final as (
    select
        subscription_id,
        account_id,
        plan_tier,
        billing_interval,
        currency,
        list_amount,
        discount_pct,
        monthly_amount_local,
        started_at,
        ended_at,
        start_date,
        end_date,
        -- A subscription that ends on a day still counts that day, except when the
        -- account's next subscription starts the same day (an upgrade or downgrade):
        -- then the day counts the new plan only, so MRR is never double counted.
        case
            when ended_at is null then {{ as_of_date() }}
            when cast(next_started_at as date) = end_date
                then {{ add_days('end_date', -1) }}
            else end_date
        end as last_counted_date
    from priced
)

select * from final
