with

source as (
    select * from {{ ref('base_activity__device_daily_stats') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(device_id as bigint) as device_id,
        cast(stat_date as date) as stat_date,
        cast(health_score as numeric(5, 2)) as health_score,
        cast(volume_processed_gb as numeric(18, 3)) as volume_processed_gb,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
