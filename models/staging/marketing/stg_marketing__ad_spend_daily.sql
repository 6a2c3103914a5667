with

source as (
    select * from {{ ref('base_marketing__ad_spend_daily') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(campaign_id as bigint) as campaign_id,
        cast(spend_date as date) as spend_date,
        cast(spend_usd as numeric(18, 2)) as spend_usd,
        cast(impressions as bigint) as impressions,
        cast(clicks as bigint) as clicks,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
