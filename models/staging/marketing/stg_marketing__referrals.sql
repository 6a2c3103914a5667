with

source as (
    select * from {{ ref('base_marketing__referrals') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(referral_id as bigint) as referral_id,
        cast(referrer_account_id as bigint) as referrer_account_id,
        {{ hash_pii('referred_email') }} as referred_email_hash,
        {{ to_utc('sent_at') }} as sent_at,
        cast(converted_account_id as bigint) as converted_account_id,
        {{ to_utc('converted_at') }} as converted_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
