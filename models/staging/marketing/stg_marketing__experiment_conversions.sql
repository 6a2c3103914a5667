with

source as (
    select * from {{ ref('base_marketing__experiment_conversions') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(conversion_id as bigint) as conversion_id,
        cast(experiment_key as {{ dbt.type_string() }}) as experiment_key,
        cast(user_id as bigint) as user_id,
        {{ to_utc('converted_at') }} as converted_at,
        cast(conversion_value_usd as numeric(18, 2)) as conversion_value_usd,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
