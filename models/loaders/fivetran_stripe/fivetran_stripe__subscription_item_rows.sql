{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- Every row of Stripe's subscription_item table (the CURRENT price and quantity of each
-- item), classified. Set aside: items removed from their subscription (_fivetran_deleted,
-- e.g. the old item of an upgrade: its history is in the invoice lines). Quarantined:
-- an item whose subscription is not in the data (missing_parent) or whose price is
-- unknown or not a recurring unit price (unknown_price).
with

subscription_item as (
    {{ raw_table_select('fivetran_stripe', 'subscription_item', warn=true) }}
),

subscriptions as (
    select distinct subscription_id
    from {{ ref('fivetran_stripe__subscription_rows') }}
    where subscription_id is not null
),

prices as (
    select * from {{ ref('fivetran_stripe__price_rows') }}
    where row_status = 'used'
),

classified as (
    select
        subscription_item.*,
        case
            when coalesce(subscription_item._fivetran_deleted, false) then 'set_aside'
            when subscriptions.subscription_id is null then 'quarantined'
            when not coalesce(prices.is_usable, false) then 'quarantined'
            else 'used'
        end as row_status,
        case
            when coalesce(subscription_item._fivetran_deleted, false) then null
            when subscriptions.subscription_id is null then 'missing_parent'
            when not coalesce(prices.is_usable, false) then 'unknown_price'
        end as quarantine_reason
    from subscription_item
    left join subscriptions
        on subscription_item.subscription_id = subscriptions.subscription_id
    left join prices
        on subscription_item.plan_id = prices.price_id
),

final as (
    select
        'fivetran_stripe.subscription_item' as source_table,
        coalesce(id, 'null') as record_key,
        row_status,
        quarantine_reason,
        {{ fivetran_stripe_record_text(['id', 'subscription_id', 'plan_id', 'quantity', 'created',
            '_fivetran_synced']) }} as record_text,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as loaded_at,
        id as subscription_item_id,
        subscription_id,
        plan_id as price_id,
        quantity,
        created as created_at,
        _fivetran_synced as synced_at
    from classified
)

select * from final
