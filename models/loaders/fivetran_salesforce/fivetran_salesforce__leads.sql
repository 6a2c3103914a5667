{{ config(enabled=loader_enabled('fivetran_salesforce')) }}

-- crm.leads from Salesforce leads (mapping: fivetran_salesforce__leads_classified).
with

leads_classified as (
    select * from {{ ref('fivetran_salesforce__leads_classified') }}
),

final as (
    select
        cast({{ text_key_to_id('lead_key') }} as bigint) as lead_id,
        cast(email as {{ dbt.type_string() }}) as email,
        cast(full_name as {{ dbt.type_string() }}) as full_name,
        cast(company_name as {{ dbt.type_string() }}) as company_name,
        cast(source_channel as {{ dbt.type_string() }}) as source_channel,
        cast({{ text_key_to_id('owner_user_key') }} as bigint) as owner_rep_id,
        {{ utc_timestamp_to_tz('created_date') }} as created_at,
        {{ utc_timestamp_to_tz('mql_at') }} as mql_at,
        {{ utc_timestamp_to_tz('sql_at') }} as sql_at,
        {{ utc_timestamp_to_tz('converted_at') }} as converted_at,
        cast(converted_account_id as bigint) as converted_account_id,
        {{ utc_timestamp_to_tz('synced_at') }} as _loaded_at
    from leads_classified
    where row_disposition = 'mapped'
)

select * from final
