with

source as (
    select * from {{ ref('base_activity__app_errors') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(error_id as bigint) as error_id,
        cast(session_id as bigint) as session_id,
        cast(user_id as bigint) as user_id,
        cast(error_type as {{ dbt.type_string() }}) as error_type,
        cast(is_crash as boolean) as is_crash,
        {{ to_utc('occurred_at') }} as occurred_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
