-- Row accounting per raw table: every raw row is staged, collapsed as an older version
-- or copy of a staged key, or quarantined. Counted from three independent places (the
-- raw table, the staging model, the quarantine model), so a row lost anywhere shows.
-- A contract table a loader mapping produces counts the mapping's rows as its raw rows,
-- and each loader table the mapping reads has a row of its own (models/loaders/).
with

{% for source_name, table_name in raw_tables() %}
    {{ source_name }}__{{ table_name }} as (
        select
            '{{ source_name }}.{{ table_name }}' as source_table,
            (
                select count(*)
                from ({{ raw_table_select(source_name, table_name) }}) as raw_table
            ) as raw_rows,
            (select count(*) from {{ ref('stg_' ~ source_name ~ '__' ~ table_name) }}) as staged_rows,
            (
                select count(*) from {{ ref('base_' ~ source_name ~ '__' ~ table_name) }}
                where quarantine_reason is null and version_rank > 1
            ) as collapsed_duplicate_rows,
            (
                select count(*) from {{ ref('stg_quarantined_rows') }}
                where source_table = '{{ source_name }}.{{ table_name }}'
            ) as quarantined_rows
    ),

{% endfor %}
unioned as (
    {% for source_name, table_name in raw_tables() %}
        select * from {{ source_name }}__{{ table_name }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
    {#- each loader table a mapping reads: raw = mapped + set aside by rule + quarantined #}
    {% for loader_model in loader_models('row_reconciliation') %}
        union all
        select
            source_table,
            raw_rows,
            staged_rows,
            collapsed_duplicate_rows,
            quarantined_rows
        from {{ ref(loader_model) }}
    {% endfor %}
),

final as (
    select
        source_table,
        raw_rows,
        staged_rows,
        collapsed_duplicate_rows,
        quarantined_rows,
        raw_rows - staged_rows - collapsed_duplicate_rows - quarantined_rows as unaccounted_rows
    from unioned
)

select * from final
