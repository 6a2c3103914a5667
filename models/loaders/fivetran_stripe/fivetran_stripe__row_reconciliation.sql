{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- Row accounting per Stripe table the mapping reads: raw rows (counted on the table
-- itself) = rows used + rows set aside by a documented rule (older history versions,
-- deleted or test-mode rows, drafts, one-off lines, a plan or discount another table
-- already holds) + rows quarantined (counted in fivetran_stripe__quarantined_rows).
-- stg_row_reconciliation unions these rows and its test requires nothing unaccounted.
{%- set loader_tables = [
    'customer', 'subscription_history', 'subscription', 'subscription_item', 'price',
    'plan', 'product', 'coupon', 'subscription_discount', 'discount', 'invoice',
    'invoice_line_item', 'charge',
] %}
{%- set classified_models = [
    'fivetran_stripe__customer_rows', 'fivetran_stripe__subscription_rows',
    'fivetran_stripe__subscription_item_rows', 'fivetran_stripe__price_rows',
    'fivetran_stripe__product_rows', 'fivetran_stripe__discount_rows',
    'fivetran_stripe__invoice_rows', 'fivetran_stripe__invoice_line_item_rows',
    'fivetran_stripe__charge_rows',
] %}
with

{% for table_name in loader_tables %}
    raw_{{ table_name }} as (
        select
            'fivetran_stripe.{{ table_name }}' as source_table,
            count(*) as raw_rows
        from ({{ raw_table_select('fivetran_stripe', table_name) }}) as loader_rows
    ),
{% endfor %}

raw_counts as (
    {% for table_name in loader_tables %}
        select
            source_table,
            raw_rows
        from raw_{{ table_name }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

classified as (
    {% for model_name in classified_models %}
        select
            source_table,
            row_status
        from {{ ref(model_name) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

classified_counts as (
    select
        source_table,
        sum(case when row_status = 'used' then 1 else 0 end) as staged_rows,
        sum(case when row_status = 'set_aside' then 1 else 0 end) as collapsed_duplicate_rows
    from classified
    group by source_table
),

quarantined_counts as (
    select
        source_table,
        count(*) as quarantined_rows
    from {{ ref('fivetran_stripe__quarantined_rows') }}
    group by source_table
),

final as (
    select
        cast(raw_counts.source_table as {{ dbt.type_string() }}) as source_table,
        cast(raw_counts.raw_rows as bigint) as raw_rows,
        cast(coalesce(classified_counts.staged_rows, 0) as bigint) as staged_rows,
        cast(coalesce(classified_counts.collapsed_duplicate_rows, 0) as bigint)
            as collapsed_duplicate_rows,
        cast(coalesce(quarantined_counts.quarantined_rows, 0) as bigint) as quarantined_rows
    from raw_counts
    left join classified_counts
        on raw_counts.source_table = classified_counts.source_table
    left join quarantined_counts
        on raw_counts.source_table = quarantined_counts.source_table
)

select * from final
