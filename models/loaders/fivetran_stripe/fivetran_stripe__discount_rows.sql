{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- Every row of Stripe's subscription_discount and discount tables (a coupon applied to a
-- subscription from `start`), and of coupon, classified. A discount is used with its
-- coupon's terms: percent_off, or amount_off (turned into a percent of the list amount
-- later), for once (one month), repeating (duration_in_months) or forever. Set aside:
-- removed discounts (_fivetran_deleted), a discount id that subscription_discount
-- already holds, and discounts on a customer or an invoice rather than a subscription
-- (not supported). Quarantined: a discount whose coupon or subscription is not in the
-- data (missing_parent). Coupons are reference data: all used.
with

subscription_discount as (
    {{ raw_table_select('fivetran_stripe', 'subscription_discount', warn=true) }}
),

discount as (
    {{ raw_table_select('fivetran_stripe', 'discount', warn=true) }}
),

coupon as (
    {{ raw_table_select('fivetran_stripe', 'coupon', warn=true) }}
),

subscriptions as (
    select distinct subscription_id
    from {{ ref('fivetran_stripe__subscription_rows') }}
    where subscription_id is not null
),

unioned as (
    select
        'fivetran_stripe.subscription_discount' as source_table,
        1 as table_priority,
        subscription_discount.*
    from subscription_discount
    union all
    select
        'fivetran_stripe.discount' as source_table,
        2 as table_priority,
        discount.*
    from discount
),

ranked as (
    select
        unioned.*,
        row_number() over (
            partition by unioned.id order by unioned.table_priority asc, unioned._fivetran_synced desc
        ) as id_rank
    from unioned
),

discounts_classified as (
    select
        ranked.source_table,
        coalesce(ranked.id, 'null') as record_key,
        case
            when ranked.id_rank > 1 then 'set_aside'
            when coalesce(ranked._fivetran_deleted, false) then 'set_aside'
            when ranked.subscription_id is null then 'set_aside'
            when coupon.id is null or subscriptions.subscription_id is null then 'quarantined'
            else 'used'
        end as row_status,
        {{ fivetran_stripe_record_text(['ranked.id', 'ranked.subscription_id', 'ranked.coupon_id',
            'ranked.start', 'ranked._fivetran_synced']) }} as record_text,
        cast(ranked._fivetran_synced as {{ dbt.type_timestamp() }}) as loaded_at,
        ranked.id as discount_id,
        ranked.subscription_id,
        ranked.coupon_id,
        coupon.percent_off,
        coupon.amount_off,
        upper(coupon.currency) as coupon_currency,
        coupon.duration,
        ranked.start as discount_started_at,
        {{ fivetran_stripe_discount_end('ranked.start', 'coupon.duration',
            'coupon.duration_in_months') }} as discount_ended_at
    from ranked
    left join coupon
        on ranked.coupon_id = coupon.id
    left join subscriptions
        on ranked.subscription_id = subscriptions.subscription_id
),

coupons_classified as (
    select
        'fivetran_stripe.coupon' as source_table,
        coalesce(id, 'null') as record_key,
        'used' as row_status,
        {{ fivetran_stripe_record_text(['id', 'percent_off', 'amount_off', 'currency', 'duration',
            'duration_in_months', '_fivetran_synced']) }} as record_text,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as loaded_at,
        cast(null as {{ dbt.type_string() }}) as discount_id,
        cast(null as {{ dbt.type_string() }}) as subscription_id,
        id as coupon_id,
        percent_off,
        amount_off,
        upper(currency) as coupon_currency,
        duration,
        cast(null as {{ dbt.type_timestamp() }}) as discount_started_at,
        cast(null as {{ dbt.type_timestamp() }}) as discount_ended_at
    from coupon
),

final as (
    select
        source_table,
        record_key,
        row_status,
        case when row_status = 'quarantined' then 'missing_parent' end as quarantine_reason,
        record_text,
        loaded_at,
        discount_id,
        subscription_id,
        coupon_id,
        percent_off,
        amount_off,
        coupon_currency,
        duration,
        discount_started_at,
        discount_ended_at
    from discounts_classified
    union all
    select
        source_table,
        record_key,
        row_status,
        cast(null as {{ dbt.type_string() }}) as quarantine_reason,
        record_text,
        loaded_at,
        discount_id,
        subscription_id,
        coupon_id,
        percent_off,
        amount_off,
        coupon_currency,
        duration,
        discount_started_at,
        discount_ended_at
    from coupons_classified
)

select * from final
