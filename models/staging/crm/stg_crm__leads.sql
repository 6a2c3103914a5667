with

source as (
    select * from {{ ref('base_crm__leads') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(lead_id as bigint) as lead_id,
        {{ hash_pii('email') }} as email_hash,
        {{ hash_pii('full_name') }} as full_name_hash,
        cast(company_name as {{ dbt.type_string() }}) as company_name,
        cast(source_channel as {{ dbt.type_string() }}) as source_channel,
        cast(owner_rep_id as bigint) as owner_rep_id,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('mql_at') }} as mql_at,
        {{ to_utc('sql_at') }} as sql_at,
        {{ to_utc('converted_at') }} as converted_at,
        cast(converted_account_id as bigint) as converted_account_id,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
