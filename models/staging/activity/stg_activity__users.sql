with

source as (
    select * from {{ ref('base_activity__users') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(user_id as bigint) as user_id,
        cast(account_id as bigint) as account_id,
        {{ hash_pii('email') }} as email_hash,
        {{ hash_pii('full_name') }} as full_name_hash,
        cast(role as {{ dbt.type_string() }}) as role,
        {{ to_utc('signed_up_at') }} as signed_up_at,
        {{ to_utc('activated_at') }} as activated_at,
        {{ to_utc('trial_started_at') }} as trial_started_at,
        {{ to_utc('first_value_at') }} as first_value_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
