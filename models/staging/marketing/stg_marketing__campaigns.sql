with

source as (
    select * from {{ ref('base_marketing__campaigns') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(campaign_id as bigint) as campaign_id,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(campaign_name as {{ dbt.type_string() }}) as campaign_name,
        {{ to_utc('started_at') }} as started_at,
        {{ to_utc('ended_at') }} as ended_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
