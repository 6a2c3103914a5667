-- Referral invitations belong to the referral channel (seed 000: referrals sent and
-- converted): invitations customers sent, and invitees who signed up, per UTC day and
-- over the 30 days ending on the day.
with

referrals as (
    select * from {{ ref('stg_marketing__referrals') }}
),

referral_events as (
    select
        'referral' as channel,
        cast(sent_at as date) as event_date,
        1 as referrals_sent,
        0 as referrals_converted
    from referrals
    union all
    select
        'referral' as channel,
        cast(converted_at as date) as event_date,
        0 as referrals_sent,
        1 as referrals_converted
    from referrals
    where converted_at is not null
),

final as (
    {{ trailing_window_sums('referral_events', ['channel'], [
        ('referrals_sent', 30), ('referrals_converted', 30),
    ], date_column='event_date') }}
)

select * from final
