with

source as (
    select * from {{ ref('base_activity__data_exports') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(export_id as bigint) as export_id,
        cast(account_id as bigint) as account_id,
        cast(user_id as bigint) as user_id,
        cast(export_type as {{ dbt.type_string() }}) as export_type,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
