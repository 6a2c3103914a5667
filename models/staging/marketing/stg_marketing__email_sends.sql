with

source as (
    select * from {{ ref('base_marketing__email_sends') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(email_send_id as bigint) as email_send_id,
        cast(campaign_id as bigint) as campaign_id,
        {{ hash_pii('recipient_email') }} as recipient_email_hash,
        {{ to_utc('sent_at') }} as sent_at,
        {{ to_utc('opened_at') }} as opened_at,
        {{ to_utc('clicked_at') }} as clicked_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
