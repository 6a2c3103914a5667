with

source as (
    select * from {{ ref('base_marketing__social_posts') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(post_id as bigint) as post_id,
        cast(platform as {{ dbt.type_string() }}) as platform,
        {{ to_utc('posted_at') }} as posted_at,
        cast(impressions as bigint) as impressions,
        cast(engagements as bigint) as engagements,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
