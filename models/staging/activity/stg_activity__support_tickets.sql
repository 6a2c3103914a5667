with

source as (
    select * from {{ ref('base_activity__support_tickets') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(ticket_id as bigint) as ticket_id,
        cast(account_id as bigint) as account_id,
        cast(user_id as bigint) as user_id,
        cast(priority as {{ dbt.type_string() }}) as priority,
        cast(channel as {{ dbt.type_string() }}) as channel,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('first_response_at') }} as first_response_at,
        {{ to_utc('resolved_at') }} as resolved_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
