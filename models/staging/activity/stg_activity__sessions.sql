with

source as (
    select * from {{ ref('base_activity__sessions') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(session_id as bigint) as session_id,
        cast(user_id as bigint) as user_id,
        cast(account_id as bigint) as account_id,
        cast(platform as {{ dbt.type_string() }}) as platform,
        {{ to_utc('started_at') }} as started_at,
        cast(duration_seconds as integer) as duration_seconds,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
