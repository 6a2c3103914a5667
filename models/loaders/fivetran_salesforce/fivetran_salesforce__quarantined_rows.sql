{{ config(enabled=loader_enabled('fivetran_salesforce')) }}

-- Salesforce rows the mapping cannot put into the contract, with the reason
-- (stg_quarantined_rows unions them in). Accounts, tasks and events are never
-- quarantined: an account without a billing key is a prospect, and a task that is not a
-- call or email is set aside.
{%- set classified_models = [
    'fivetran_salesforce__users_classified',
    'fivetran_salesforce__leads_classified',
    'fivetran_salesforce__opportunities_classified',
    'fivetran_salesforce__stage_entries_classified',
    'fivetran_salesforce__quotas_classified',
] %}
with

unioned as (
    {% for model_name in classified_models %}
        select
            source_table,
            record_key,
            disposition_reason as quarantine_reason,
            record_text,
            synced_at as loaded_at
        from {{ ref(model_name) }}
        where row_disposition = 'quarantined'
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(record_key as {{ dbt.type_string() }}) as record_key,
        cast(quarantine_reason as {{ dbt.type_string() }}) as quarantine_reason,
        cast(record_text as {{ dbt.type_string() }}) as record_text,
        cast(loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from unioned
)

select * from final
