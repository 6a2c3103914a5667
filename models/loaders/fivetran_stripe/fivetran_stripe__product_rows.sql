{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- Stripe products, read only for the plan tier a price's own metadata does not give;
-- all used (a deleted product still prices the subscriptions that bill it).
with

product as (
    {{ raw_table_select('fivetran_stripe', 'product', warn=true) }}
),

final as (
    select
        'fivetran_stripe.product' as source_table,
        coalesce(id, 'null') as record_key,
        'used' as row_status,
        cast(null as {{ dbt.type_string() }}) as quarantine_reason,
        {{ fivetran_stripe_record_text(['id', '_fivetran_synced']) }} as record_text,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as loaded_at,
        id as product_id,
        {{ json_text('metadata', 'plan_tier') }} as plan_tier
    from product
)

select * from final
