with

source as (
    select * from {{ ref('base_marketing__touchpoints') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(touchpoint_id as bigint) as touchpoint_id,
        cast(lead_id as bigint) as lead_id,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(campaign_id as bigint) as campaign_id,
        {{ to_utc('touched_at') }} as touched_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
