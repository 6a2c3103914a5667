{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- The contract's subscription periods: one row per subscription item and span of time
-- with one price, quantity and discount. A Stripe subscription becomes several periods
-- when anything that moves MRR changes: an upgrade, downgrade or seat change from its
-- instant (fivetran_stripe__item_states), a coupon starting or stopping to apply, and
-- the paid span of the subscription (the trial earns nothing; a scheduled cancellation
-- ends it when it takes effect). Spans that change nothing are merged, so a renewal
-- does not start a new period (each period is converted to USD at its start's rate).
--
-- Discounts: the contract holds a percent only. A percent coupon gives it directly; an
-- amount coupon, taken off each invoice, becomes the same share of what the invoice
-- bills: amount_off / (sum over the items of unit amount x quantity) x 100, at most 100.
-- One coupon at a time: when two apply, the one applied last counts.
with

subscriptions as (
    select * from {{ ref('fivetran_stripe__subscription_rows') }}
    where row_status = 'used'
),

item_states as (
    select * from {{ ref('fivetran_stripe__item_states') }}
),

prices as (
    select * from {{ ref('fivetran_stripe__price_rows') }}
    where row_status = 'used'
),

discounts as (
    select * from {{ ref('fivetran_stripe__discount_rows') }}
    where row_status = 'used' and discount_id is not null
),

{%- set open_end = "cast('9999-12-31 00:00:00' as " ~ dbt.type_timestamp() ~ ")" %}

-- each state cut to the subscription's paid span; an open end is a far-future instant
states_clipped as (
    select
        item_states.subscription_id,
        item_states.subscription_item_id,
        item_states.price_id,
        item_states.quantity,
        case
            when item_states.state_started_at > subscriptions.paid_started_at
                then item_states.state_started_at
            else subscriptions.paid_started_at
        end as started_at,
        case
            when
                coalesce(item_states.state_ended_at, {{ open_end }})
                < coalesce(subscriptions.paid_ended_at, {{ open_end }})
                then coalesce(item_states.state_ended_at, {{ open_end }})
            else coalesce(subscriptions.paid_ended_at, {{ open_end }})
        end as ended_at
    from item_states
    inner join subscriptions
        on item_states.subscription_id = subscriptions.subscription_id
),

states_kept as (
    select * from states_clipped
    where ended_at > started_at
),

boundaries as (
    select
        subscription_id,
        started_at as boundary_at
    from states_kept
    union
    select
        subscription_id,
        ended_at as boundary_at
    from states_kept
    union
    select
        subscription_id,
        discount_started_at as boundary_at
    from discounts
    union
    select
        subscription_id,
        coalesce(discount_ended_at, {{ open_end }}) as boundary_at
    from discounts
),

-- the spans between consecutive instants at which anything changes
spans as (
    select
        subscription_id,
        boundary_at as started_at,
        lead(boundary_at) over (partition by subscription_id order by boundary_at) as ended_at
    from boundaries
),

item_spans as (
    select
        states_kept.subscription_id,
        states_kept.subscription_item_id,
        states_kept.price_id,
        states_kept.quantity,
        spans.started_at,
        spans.ended_at,
        prices.currency,
        prices.billing_interval,
        prices.list_amount,
        prices.plan_tier,
        prices.unit_amount_per_billing * states_kept.quantity as billed_amount
    from states_kept
    inner join spans
        on
            states_kept.subscription_id = spans.subscription_id
            and states_kept.started_at <= spans.started_at
            and states_kept.ended_at >= spans.ended_at
    inner join prices
        on states_kept.price_id = prices.price_id
),

span_totals as (
    select
        subscription_id,
        started_at,
        sum(billed_amount) as billed_amount
    from item_spans
    group by subscription_id, started_at
),

span_discounts as (
    select
        span_totals.subscription_id,
        span_totals.started_at,
        case
            when discounts.percent_off is not null then discounts.percent_off
            when discounts.amount_off is not null and span_totals.billed_amount > 0
                then
                    {{ fivetran_stripe_major_units('discounts.amount_off', 'discounts.coupon_currency') }}
                    * 100.0 / span_totals.billed_amount
            else 0
        end as discount_pct,
        row_number() over (
            partition by span_totals.subscription_id, span_totals.started_at
            order by discounts.discount_started_at desc, discounts.discount_id desc
        ) as discount_rank
    from span_totals
    inner join discounts
        on
            span_totals.subscription_id = discounts.subscription_id
            and span_totals.started_at >= discounts.discount_started_at
            and coalesce(discounts.discount_ended_at, {{ open_end }}) > span_totals.started_at
),

item_spans_discounted as (
    select
        item_spans.*,
        -- rounded to the contract's 2 decimals the same way on both engines
        {{ double_to_numeric(
            "case when coalesce(span_discounts.discount_pct, 0) > 100 then 100"
            ~ " else coalesce(span_discounts.discount_pct, 0) end", 5, 2
        ) }} as discount_pct
    from item_spans
    left join span_discounts
        on
            item_spans.subscription_id = span_discounts.subscription_id
            and item_spans.started_at = span_discounts.started_at
            and span_discounts.discount_rank = 1
),

-- a span that continues the previous one of its item unchanged joins its period
flagged as (
    select
        item_spans_discounted.*,
        case
            when
                lag(ended_at) over (partition by subscription_item_id order by started_at)
                = started_at
                and lag(price_id) over (partition by subscription_item_id order by started_at)
                = price_id
                and lag(quantity) over (partition by subscription_item_id order by started_at)
                = quantity
                and lag(discount_pct) over (partition by subscription_item_id order by started_at)
                = discount_pct
                then 0
            else 1
        end as starts_period
    from item_spans_discounted
),

grouped as (
    select
        flagged.*,
        sum(starts_period) over (
            partition by subscription_item_id
            order by started_at
            rows between unbounded preceding and current row
        ) as period_number
    from flagged
),

periods as (
    select
        subscription_id,
        subscription_item_id,
        period_number,
        price_id,
        quantity,
        discount_pct,
        currency,
        billing_interval,
        list_amount,
        plan_tier,
        min(started_at) as started_at,
        max(ended_at) as ended_at
    from grouped
    group by
        subscription_id, subscription_item_id, period_number, price_id, quantity,
        discount_pct, currency, billing_interval, list_amount, plan_tier
),

final as (
    select
        {{ text_key_to_id(
            "periods.subscription_id || ':' || periods.subscription_item_id || ':' || cast("
            ~ "periods.period_number as " ~ dbt.type_string() ~ ")") }} as contract_subscription_id,
        periods.subscription_id,
        periods.subscription_item_id,
        periods.period_number,
        subscriptions.customer_id,
        periods.price_id,
        periods.plan_tier,
        periods.billing_interval,
        periods.currency,
        periods.list_amount,
        periods.quantity,
        periods.discount_pct,
        periods.started_at,
        case when periods.ended_at < {{ open_end }} then periods.ended_at end as ended_at,
        -- the reason belongs to the period that ends with the subscription
        case
            when periods.ended_at = subscriptions.paid_ended_at then subscriptions.cancel_reason
        end as cancel_reason,
        subscriptions.synced_at
    from periods
    inner join subscriptions
        on periods.subscription_id = subscriptions.subscription_id
    -- a subscription still in its trial on the as-of day has no paid period yet
    where periods.started_at < {{ as_of_end() }}
)

select * from final
