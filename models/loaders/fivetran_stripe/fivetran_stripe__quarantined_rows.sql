{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- Stripe rows the mapping cannot turn into contract rows, with the reason; staging
-- unions them into stg_quarantined_rows.
{%- set classified_models = [
    'fivetran_stripe__customer_rows', 'fivetran_stripe__subscription_rows',
    'fivetran_stripe__subscription_item_rows', 'fivetran_stripe__price_rows',
    'fivetran_stripe__product_rows', 'fivetran_stripe__discount_rows',
    'fivetran_stripe__invoice_rows', 'fivetran_stripe__invoice_line_item_rows',
    'fivetran_stripe__charge_rows',
] %}
with

{% for model_name in classified_models %}
    {{ model_name.replace('fivetran_stripe__', '') }} as (
        select
            source_table,
            record_key,
            quarantine_reason,
            record_text,
            loaded_at
        from {{ ref(model_name) }}
        where row_status = 'quarantined'
    ),
{% endfor %}

final as (
    {% for model_name in classified_models %}
        select
            cast(source_table as {{ dbt.type_string() }}) as source_table,
            cast(record_key as {{ dbt.type_string() }}) as record_key,
            cast(quarantine_reason as {{ dbt.type_string() }}) as quarantine_reason,
            cast(record_text as {{ dbt.type_string() }}) as record_text,
            cast(loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
        from {{ model_name.replace('fivetran_stripe__', '') }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
