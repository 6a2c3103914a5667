with

source as (
    select * from {{ ref('base_activity__releases') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(release_id as bigint) as release_id,
        cast(version as {{ dbt.type_string() }}) as version,
        cast(feature_key as {{ dbt.type_string() }}) as feature_key,
        {{ to_utc('released_at') }} as released_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
