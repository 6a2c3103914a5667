-- Each subscription period with its monthly amount after discount (annual plans count
-- a twelfth of their price), in its own currency and in USD, and the calendar days it
-- counts towards MRR.
--
-- FX choice: a subscription is converted at the rate of the day it started (the latest
-- rate on or before that day) and keeps that USD value for its whole life. Converting
-- every day at that day's rate would make FX noise show up as daily expansion and
-- contraction in the MRR bridge although no customer changed anything; with the locked
-- rate the bridge moves only when a subscription starts, changes or ends. A plan change
-- starts a new subscription row, so it is re-priced at the rate of the change day.
with

subscriptions as (
    select * from {{ ref('stg_billing__subscriptions') }}
),

exchange_rates as (
    select * from {{ ref('stg_billing__exchange_rates') }}
),

priced as (
    select
        subscription_id,
        account_id,
        plan_tier,
        billing_interval,
        currency,
        list_amount,
        quantity,
        discount_pct,
        -- DuckDB divides decimals in double precision and Postgres exactly; rounding both
        -- through double_to_numeric keeps the cents identical on both engines
        {{ double_to_numeric(
            "list_amount * quantity * (100 - discount_pct) / 100.0"
            ~ " / case when billing_interval = 'year' then 12 else 1 end", 18, 6
        ) }} as monthly_amount_local,
        started_at,
        ended_at,
        {{ period_first_day('started_at') }} as start_date,
        cast(ended_at as date) as end_date
    from subscriptions
),

-- the latest rate on or before the start day (macros/metrics/exchange_rates.sql)
start_rates as (
    {{ usd_per_unit_on_or_before(
        'priced', 'subscription_id', 'currency', 'start_date', 'exchange_rates') }}
),

final as (
    select
        priced.subscription_id,
        priced.account_id,
        priced.plan_tier,
        priced.billing_interval,
        priced.currency,
        priced.list_amount,
        priced.quantity,
        priced.discount_pct,
        priced.monthly_amount_local,
        cast(start_rates.usd_per_unit as numeric(18, 8)) as usd_per_unit_at_start,
        -- widened before multiplying: DuckDB types numeric(18, 6) x numeric(18, 8) as
        -- numeric(18, 14), which overflows from 10,000 a month (the large preset did)
        cast(
            cast(priced.monthly_amount_local as numeric(38, 6))
            * cast(start_rates.usd_per_unit as numeric(38, 8)) as numeric(18, 6)
        ) as monthly_amount_usd,
        priced.started_at,
        priced.ended_at,
        priced.start_date,
        priced.end_date,
        -- the project's one time rule (macros/metrics/periods.sql): a subscription
        -- counts on the days whose end it covers, from its start day to the day before
        -- its end day, open ones up to the as-of day; a plan change on a day counts the
        -- new plan only, so MRR is never double counted
        {{ period_last_day('priced.ended_at') }} as last_counted_date
    from priced
    left join start_rates
        on priced.subscription_id = start_rates.subscription_id
)

select * from final
