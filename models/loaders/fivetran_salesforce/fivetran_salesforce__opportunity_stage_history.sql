{{ config(enabled=loader_enabled('fivetran_salesforce')) }}

-- crm.opportunity_stage_history from Salesforce's opportunity_history and
-- opportunity_field_history (mapping: fivetran_salesforce__stage_entries_classified):
-- each time an opportunity entered a contract stage. An entry the mapping adds (the
-- creation stage of a field-history opportunity) has the id of '<opportunity id>:created'.
with

stage_entries_classified as (
    select * from {{ ref('fivetran_salesforce__stage_entries_classified') }}
),

final as (
    select
        cast({{ text_key_to_id('record_key') }} as bigint) as stage_history_id,
        cast({{ text_key_to_id('opportunity_key') }} as bigint) as opportunity_id,
        cast(stage as {{ dbt.type_string() }}) as stage,
        {{ utc_timestamp_to_tz('entered_at') }} as entered_at,
        {{ utc_timestamp_to_tz('synced_at') }} as _loaded_at
    from stage_entries_classified
    where row_disposition = 'mapped'
)

select * from final
