{{ config(enabled=loader_enabled('fivetran_salesforce')) }}

-- Row accounting per Salesforce table the mapping reads (stg_row_reconciliation unions
-- it in): raw_rows counted in the loader's table itself, staged_rows (mapped) and
-- collapsed_duplicate_rows (set aside by a documented rule: deleted, an older
-- history-mode version, not a rep, a history row that keeps the stage, a task that is not
-- a call or email, ...) from the mapping's classified rows, quarantined_rows from the
-- quarantine model. A row lost by a join anywhere makes raw differ from the sum. Stage
-- entries the mapping adds (creation stages of field-history opportunities) are no
-- loader rows and are not counted.
{%- set loader_tables = [
    ('user', 'fivetran_salesforce__users_classified'),
    ('account', 'fivetran_salesforce__accounts_classified'),
    ('opportunity', 'fivetran_salesforce__opportunities_classified'),
    ('opportunity_history', 'fivetran_salesforce__stage_entries_classified'),
    ('opportunity_field_history', 'fivetran_salesforce__stage_entries_classified'),
    ('lead', 'fivetran_salesforce__leads_classified'),
    ('task', 'fivetran_salesforce__activities_classified'),
    ('event', 'fivetran_salesforce__activities_classified'),
    ('forecasting_quota', 'fivetran_salesforce__quotas_classified'),
] %}
with

{% for table_name, classified_model in loader_tables %}
    counted_{{ table_name }} as (
        select
            'fivetran_salesforce.{{ table_name }}' as source_table,
            (
                select count(*)
                from ({{ raw_table_select('fivetran_salesforce', table_name) }}) as raw_table
            ) as raw_rows,
            (
                select count(*) from {{ ref(classified_model) }}
                where
                    source_table = 'fivetran_salesforce.{{ table_name }}'
                    and row_disposition = 'mapped'
                    {% if table_name.endswith('history') %}and not is_added_by_mapping{% endif %}
            ) as staged_rows,
            (
                select count(*) from {{ ref(classified_model) }}
                where
                    source_table = 'fivetran_salesforce.{{ table_name }}'
                    and row_disposition = 'set_aside'
                    {% if table_name.endswith('history') %}and not is_added_by_mapping{% endif %}
            ) as collapsed_duplicate_rows,
            (
                select count(*) from {{ ref('fivetran_salesforce__quarantined_rows') }}
                where source_table = 'fivetran_salesforce.{{ table_name }}'
            ) as quarantined_rows
    ),

{% endfor %}
final as (
    {% for table_name, classified_model in loader_tables %}
        select
            cast(source_table as {{ dbt.type_string() }}) as source_table,
            cast(raw_rows as bigint) as raw_rows,
            cast(staged_rows as bigint) as staged_rows,
            cast(collapsed_duplicate_rows as bigint) as collapsed_duplicate_rows,
            cast(quarantined_rows as bigint) as quarantined_rows
        from counted_{{ table_name }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
