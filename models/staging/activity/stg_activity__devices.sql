with

source as (
    select * from {{ ref('base_activity__devices') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(device_id as bigint) as device_id,
        cast(account_id as bigint) as account_id,
        cast(device_type as {{ dbt.type_string() }}) as device_type,
        {{ to_utc('registered_at') }} as registered_at,
        {{ to_utc('retired_at') }} as retired_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
