with

source as (
    select * from {{ ref('base_marketing__experiment_exposures') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(exposure_id as bigint) as exposure_id,
        cast(experiment_key as {{ dbt.type_string() }}) as experiment_key,
        cast(variant as {{ dbt.type_string() }}) as variant,
        cast(user_id as bigint) as user_id,
        {{ to_utc('exposed_at') }} as exposed_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
