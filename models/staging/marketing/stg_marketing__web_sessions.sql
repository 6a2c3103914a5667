with

source as (
    select * from {{ ref('base_marketing__web_sessions') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(web_session_id as bigint) as web_session_id,
        cast(visitor_id as {{ dbt.type_string() }}) as visitor_id,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(landing_page as {{ dbt.type_string() }}) as landing_page,
        {{ to_utc('started_at') }} as started_at,
        cast(pageviews as integer) as pageviews,
        cast(is_bounce as boolean) as is_bounce,
        cast(is_conversion as boolean) as is_conversion,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
