{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- Every row of Stripe's invoice_line_item table, classified. Used: the lines that state
-- what a subscription billed (type subscription) or changed in the middle of a period
-- (proration lines); they are the price and quantity history (subscription_item only
-- holds the current state). Set aside: lines deleted at the source, test-mode lines and
-- one-off lines (no subscription, or an invoice item added by hand: not recurring
-- revenue; the invoice's amount still carries them). Quarantined: a line whose
-- subscription is not in the data (missing_parent) or whose price is unknown or not a
-- recurring unit price (unknown_price).
with

invoice_line_item as (
    {{ raw_table_select('fivetran_stripe', 'invoice_line_item', warn=true) }}
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

mapped as (
    select
        invoice_line_item.*,
        coalesce(invoice_line_item.price_id, invoice_line_item.plan_id) as billed_price_id,
        coalesce(invoice_line_item.proration, false) as is_proration
    from invoice_line_item
),

classified as (
    select
        mapped.*,
        case
            when coalesce(mapped._fivetran_deleted, false) then 'set_aside'
            when not coalesce(mapped.livemode, true) then 'set_aside'
            when mapped.subscription_id is null then 'set_aside'
            when
                coalesce(mapped.type, 'subscription') <> 'subscription'
                and not mapped.is_proration then 'set_aside'
            when subscriptions.subscription_id is null then 'quarantined'
            when not coalesce(prices.is_usable, false) then 'quarantined'
            else 'used'
        end as row_status,
        case
            when subscriptions.subscription_id is null then 'missing_parent'
            else 'unknown_price'
        end as failed_reason
    from mapped
    left join subscriptions
        on mapped.subscription_id = subscriptions.subscription_id
    left join prices
        on mapped.billed_price_id = prices.price_id
),

final as (
    select
        'fivetran_stripe.invoice_line_item' as source_table,
        coalesce(id, 'null') || '|' || coalesce(invoice_id, 'null') as record_key,
        row_status,
        case when row_status = 'quarantined' then failed_reason end as quarantine_reason,
        {{ fivetran_stripe_record_text(['id', 'invoice_id', 'subscription_id',
            'subscription_item_id', 'billed_price_id', 'quantity', 'amount', 'period_start',
            'period_end', 'is_proration', '_fivetran_synced']) }} as record_text,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as loaded_at,
        id as invoice_line_item_id,
        invoice_id,
        subscription_id,
        -- a legacy line without an item stands for the subscription's one plan
        coalesce(subscription_item_id, subscription_id || ':' || billed_price_id)
            as subscription_item_id,
        billed_price_id as price_id,
        quantity,
        amount,
        period_start,
        period_end,
        is_proration,
        _fivetran_synced as synced_at
    from classified
)

select * from final
