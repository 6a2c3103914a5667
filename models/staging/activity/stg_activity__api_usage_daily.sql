with

source as (
    select * from {{ ref('base_activity__api_usage_daily') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(account_id as bigint) as account_id,
        cast(usage_date as date) as usage_date,
        cast(api_calls as bigint) as api_calls,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
