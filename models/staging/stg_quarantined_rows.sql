-- Every raw row that staging refused, with the rule it broke. Nothing is dropped
-- silently: stg_row_reconciliation proves raw = staged + collapsed copies + quarantined.
-- With a loader mapping on, its loader rows that cannot be mapped are here too.
{{ check_raw_tables_listed() }}

with

{% for source_name, table_name in raw_tables() %}
    {{ source_name }}__{{ table_name }} as (
        select
            '{{ source_name }}.{{ table_name }}' as source_table,
            record_key,
            quarantine_reason,
            record_text,
            {{ to_utc('_loaded_at') }} as loaded_at
        from {{ ref('base_' ~ source_name ~ '__' ~ table_name) }}
        where quarantine_reason is not null
    ),

{% endfor %}
unioned as (
    {% for source_name, table_name in raw_tables() %}
        select * from {{ source_name }}__{{ table_name }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {#- loader rows that cannot be mapped onto the contract (models/loaders/) #}
    {% for loader_model in loader_models('quarantined_rows') %}
        union all
        select
            source_table,
            record_key,
            quarantine_reason,
            record_text,
            loaded_at
        from {{ ref(loader_model) }}
    {% endfor %}
)

select * from unioned
