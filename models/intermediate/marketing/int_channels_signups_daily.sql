-- Accounts created per signup channel and UTC day, and revenue by signup channel (seed
-- 000): the MRR on the day of the accounts that signed up through the channel.
with

accounts as (
    select * from {{ ref('stg_billing__accounts') }}
),

account_mrr_daily as (
    select * from {{ ref('int_account_mrr_daily') }}
),

signups_daily as (
    select
        signup_channel as channel,
        cast(created_at as date) as date_day,
        count(*) as signups
    from accounts
    group by signup_channel, cast(created_at as date)
),

signup_channel_revenue as (
    select
        accounts.signup_channel as channel,
        account_mrr_daily.date_day,
        sum(account_mrr_daily.mrr_usd) as signup_channel_mrr
    from account_mrr_daily
    inner join accounts
        on account_mrr_daily.account_id = accounts.account_id
    group by accounts.signup_channel, account_mrr_daily.date_day
),

final as (
    select
        coalesce(signups_daily.channel, signup_channel_revenue.channel) as channel,
        coalesce(signups_daily.date_day, signup_channel_revenue.date_day) as date_day,
        coalesce(signups_daily.signups, 0) as signups,
        coalesce(signup_channel_revenue.signup_channel_mrr, 0) as signup_channel_mrr
    from signups_daily
    full outer join signup_channel_revenue
        on
            signups_daily.channel = signup_channel_revenue.channel
            and signups_daily.date_day = signup_channel_revenue.date_day
)

select * from final
