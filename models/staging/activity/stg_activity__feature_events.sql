with

source as (
    select * from {{ ref('base_activity__feature_events') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(feature_event_id as bigint) as feature_event_id,
        cast(user_id as bigint) as user_id,
        cast(account_id as bigint) as account_id,
        cast(feature_key as {{ dbt.type_string() }}) as feature_key,
        {{ to_utc('occurred_at') }} as occurred_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
