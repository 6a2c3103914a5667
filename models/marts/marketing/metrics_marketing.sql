{{
    config(
        materialized='incremental',
        unique_key=['metric_date', 'channel'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

-- depends_on: {{ ref('metric_raw_requirements') }}
-- depends_on: {{ ref('stg_row_reconciliation') }}

-- Marketing metrics per channel and UTC day, using only data timestamped by the end of
-- the day. Attribution (attributed_revenue, overall_roi, customer_acquisition_cost,
-- avg_touchpoints_to_conversion) follows the var attribution_model through
-- int_marketing_conversions_attributed. Definitions: metrics_marketing.yml.
with

marketing_channels as (
    select * from {{ ref('marketing_channels') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

campaigns as (
    select * from {{ ref('stg_marketing__campaigns') }}
),

ad_spend_daily as (
    select * from {{ ref('stg_marketing__ad_spend_daily') }}
),

accounts as (
    select * from {{ ref('stg_billing__accounts') }}
),

account_mrr_daily as (
    select * from {{ ref('int_account_mrr_daily') }}
),

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

marketing_conversions_attributed as (
    select * from {{ ref('int_marketing_conversions_attributed') }}
),

web_sessions as (
    select * from {{ ref('stg_marketing__web_sessions') }}
),

email_sends as (
    select * from {{ ref('stg_marketing__email_sends') }}
),

social_posts as (
    select * from {{ ref('stg_marketing__social_posts') }}
),

referrals as (
    select * from {{ ref('stg_marketing__referrals') }}
),

revenue_kpis_daily as (
    select * from {{ ref('int_revenue_kpis_daily') }}
),

channel_days as (
    select
        calendar_days.date_day,
        marketing_channels.channel,
        marketing_channels.channel_name,
        marketing_channels.channel_type
    from marketing_channels
    cross join calendar_days
    where calendar_days.date_day >= {{ incremental_start_date() }}
),

spend_daily as (
    select
        campaigns.channel,
        ad_spend_daily.spend_date,
        sum(ad_spend_daily.spend_usd) as spend_usd
    from ad_spend_daily
    inner join campaigns
        on ad_spend_daily.campaign_id = campaigns.campaign_id
    where ad_spend_daily.spend_date <= {{ as_of_date() }}
    group by campaigns.channel, ad_spend_daily.spend_date
),

spend_totals as (
    select
        channel_days.channel,
        channel_days.date_day,
        sum(case when spend_daily.spend_date = channel_days.date_day then spend_daily.spend_usd end)
            as spend_on_day,
        sum(
            case
                when spend_daily.spend_date >= {{ add_days('channel_days.date_day', -6) }}
                    then spend_daily.spend_usd
            end
        ) as spend_7d,
        sum(spend_daily.spend_usd) as spend_30d
    from channel_days
    inner join spend_daily
        on
            channel_days.channel = spend_daily.channel
            and channel_days.date_day >= spend_daily.spend_date
            and spend_daily.spend_date >= {{ add_days('channel_days.date_day', -29) }}
    group by channel_days.channel, channel_days.date_day
),

signups_daily as (
    select
        signup_channel as channel,
        cast(created_at as date) as signup_date,
        count(*) as signups
    from accounts
    group by signup_channel, cast(created_at as date)
),

-- revenue by signup channel (seed 000): MRR on the day of the accounts that signed up
-- through the channel
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

mql_leads as (
    select
        source_channel as channel,
        cast(mql_at as date) as mql_date
    from leads
    where mql_at is not null
),

mql_totals as (
    select
        channel_days.channel,
        channel_days.date_day,
        count(*) as total_mqls
    from channel_days
    inner join mql_leads
        on
            channel_days.channel = mql_leads.channel
            and channel_days.date_day >= mql_leads.mql_date
            and mql_leads.mql_date >= {{ add_days('channel_days.date_day', -29) }}
    group by channel_days.channel, channel_days.date_day
),

lead_days as (
    select
        source_channel as channel,
        cast(created_at as date) as created_date,
        cast(converted_at as date) as converted_date,
        count(*) as leads
    from leads
    group by source_channel, cast(created_at as date), cast(converted_at as date)
),

-- leads created in the trailing 90 days and whether they had converted by the day's end
lead_conversion_totals as (
    select
        channel_days.channel,
        channel_days.date_day,
        sum(lead_days.leads) as leads_90d,
        sum(
            case
                when lead_days.converted_date <= channel_days.date_day then lead_days.leads
                else 0
            end
        ) as leads_90d_converted
    from channel_days
    inner join lead_days
        on
            channel_days.channel = lead_days.channel
            and channel_days.date_day >= lead_days.created_date
            and lead_days.created_date >= {{ add_days('channel_days.date_day', -89) }}
    group by channel_days.channel, channel_days.date_day
),

attribution_totals as (
    select
        channel_days.channel,
        channel_days.date_day,
        sum(marketing_conversions_attributed.attributed_revenue_usd) as attributed_revenue,
        sum(marketing_conversions_attributed.credit) as attributed_customers,
        sum(
            marketing_conversions_attributed.credit
            * marketing_conversions_attributed.touch_count
        ) as credited_touches
    from channel_days
    inner join marketing_conversions_attributed
        on
            channel_days.channel = marketing_conversions_attributed.channel
            and channel_days.date_day >= marketing_conversions_attributed.conversion_date
            and marketing_conversions_attributed.conversion_date
            >= {{ add_days('channel_days.date_day', -29) }}
    group by channel_days.channel, channel_days.date_day
),

web_sessions_daily as (
    select
        channel,
        cast(started_at as date) as session_date,
        count(*) as website_sessions,
        sum(case when is_bounce then 1 else 0 end) as bounced_sessions,
        sum(case when is_conversion then 1 else 0 end) as converted_sessions
    from web_sessions
    group by channel, cast(started_at as date)
),

-- email sends belong to the email channel; an open or click counts once it happened by
-- the end of the day. Sends are first counted per (sent, opened, clicked) day so the
-- trailing window joins a few hundred rows, not every send.
email_send_days as (
    select
        cast(sent_at as date) as sent_date,
        cast(opened_at as date) as opened_date,
        cast(clicked_at as date) as clicked_date,
        count(*) as sends
    from email_sends
    group by cast(sent_at as date), cast(opened_at as date), cast(clicked_at as date)
),

email_totals as (
    select
        channel_days.channel,
        channel_days.date_day,
        sum(email_send_days.sends) as emails_sent_30d,
        sum(
            case
                when email_send_days.opened_date <= channel_days.date_day
                    then email_send_days.sends
                else 0
            end
        ) as emails_opened_30d,
        sum(
            case
                when email_send_days.clicked_date <= channel_days.date_day
                    then email_send_days.sends
                else 0
            end
        ) as emails_clicked_30d
    from channel_days
    inner join email_send_days
        on
            channel_days.channel = 'email'
            and channel_days.date_day >= email_send_days.sent_date
            and email_send_days.sent_date >= {{ add_days('channel_days.date_day', -29) }}
    group by channel_days.channel, channel_days.date_day
),

-- organic social posts belong to the organic channel. The source holds each post's
-- lifetime impressions and engagements as loaded (no daily history), so this rate is
-- the one metric here that can move for past days when counts grow.
social_totals as (
    select
        channel_days.channel,
        channel_days.date_day,
        sum(social_posts.impressions) as social_impressions_30d,
        sum(social_posts.engagements) as social_engagements_30d
    from channel_days
    inner join social_posts
        on
            channel_days.channel = 'organic'
            and cast(social_posts.posted_at as date) <= channel_days.date_day
            and cast(social_posts.posted_at as date) >= {{ add_days('channel_days.date_day', -29) }}
    group by channel_days.channel, channel_days.date_day
),

-- referral invitations belong to the referral channel (seed 000: referrals sent and
-- converted)
referral_events as (
    select
        cast(sent_at as date) as event_date,
        1 as is_sent,
        0 as is_converted
    from referrals
    union all
    select
        cast(converted_at as date) as event_date,
        0 as is_sent,
        1 as is_converted
    from referrals
    where converted_at is not null
),

referral_totals as (
    select
        channel_days.channel,
        channel_days.date_day,
        sum(referral_events.is_sent) as referrals_sent_30d,
        sum(referral_events.is_converted) as referrals_converted_30d
    from channel_days
    inner join referral_events
        on
            channel_days.channel = 'referral'
            and channel_days.date_day >= referral_events.event_date
            and referral_events.event_date >= {{ add_days('channel_days.date_day', -29) }}
    group by channel_days.channel, channel_days.date_day
),

channel_days_joined as (
    select
        channel_days.date_day,
        channel_days.channel,
        channel_days.channel_name,
        channel_days.channel_type,
        coalesce(spend_totals.spend_on_day, 0) as spend_on_day,
        coalesce(spend_totals.spend_7d, 0) as spend_7d,
        coalesce(spend_totals.spend_30d, 0) as spend_30d,
        coalesce(signups_daily.signups, 0) as signups,
        coalesce(signup_channel_revenue.signup_channel_mrr, 0) as signup_channel_mrr,
        coalesce(mql_totals.total_mqls, 0) as total_mqls,
        coalesce(lead_conversion_totals.leads_90d, 0) as leads_90d,
        coalesce(lead_conversion_totals.leads_90d_converted, 0) as leads_90d_converted,
        coalesce(attribution_totals.attributed_revenue, 0) as attributed_revenue,
        coalesce(attribution_totals.attributed_customers, 0) as attributed_customers,
        attribution_totals.credited_touches,
        coalesce(web_sessions_daily.website_sessions, 0) as website_sessions,
        coalesce(web_sessions_daily.bounced_sessions, 0) as bounced_sessions,
        coalesce(web_sessions_daily.converted_sessions, 0) as converted_sessions,
        email_totals.emails_sent_30d,
        email_totals.emails_opened_30d,
        email_totals.emails_clicked_30d,
        social_totals.social_impressions_30d,
        social_totals.social_engagements_30d,
        case
            when channel_days.channel = 'referral'
                then coalesce(referral_totals.referrals_sent_30d, 0)
        end as referrals_sent_30d,
        case
            when channel_days.channel = 'referral'
                then coalesce(referral_totals.referrals_converted_30d, 0)
        end as referrals_converted_30d,
        revenue_kpis_daily.ltv
    from channel_days
    left join spend_totals
        on
            channel_days.channel = spend_totals.channel
            and channel_days.date_day = spend_totals.date_day
    left join signups_daily
        on
            channel_days.channel = signups_daily.channel
            and channel_days.date_day = signups_daily.signup_date
    left join signup_channel_revenue
        on
            channel_days.channel = signup_channel_revenue.channel
            and channel_days.date_day = signup_channel_revenue.date_day
    left join mql_totals
        on
            channel_days.channel = mql_totals.channel
            and channel_days.date_day = mql_totals.date_day
    left join lead_conversion_totals
        on
            channel_days.channel = lead_conversion_totals.channel
            and channel_days.date_day = lead_conversion_totals.date_day
    left join attribution_totals
        on
            channel_days.channel = attribution_totals.channel
            and channel_days.date_day = attribution_totals.date_day
    left join web_sessions_daily
        on
            channel_days.channel = web_sessions_daily.channel
            and channel_days.date_day = web_sessions_daily.session_date
    left join email_totals
        on
            channel_days.channel = email_totals.channel
            and channel_days.date_day = email_totals.date_day
    left join social_totals
        on
            channel_days.channel = social_totals.channel
            and channel_days.date_day = social_totals.date_day
    left join referral_totals
        on
            channel_days.channel = referral_totals.channel
            and channel_days.date_day = referral_totals.date_day
    left join revenue_kpis_daily
        on channel_days.date_day = revenue_kpis_daily.date_day
),

-- money ratios need spend: a channel without spend in the window (organic, referral,
-- direct, email here) has no ROI, cost per MQL or CAC rather than 0 or an error
with_acquisition_cost as (
    select
        *,
        case
            when spend_30d > 0 then {{ safe_divide('spend_30d', 'attributed_customers') }}
        end as customer_acquisition_cost
    from channel_days_joined
),

final as (
    select
        date_day as metric_date,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(channel_name as {{ dbt.type_string() }}) as channel_name,
        cast(channel_type as {{ dbt.type_string() }}) as channel_type,
        cast(spend_on_day as numeric(38, 6)) as total_ad_spend_active,
        cast(spend_7d as numeric(38, 6)) as ad_spend_7d,
        cast(spend_30d as numeric(38, 6)) as ad_spend_30d,
        cast(
            case
                when spend_30d > 0
                    then {{ safe_divide('attributed_revenue - spend_30d', 'spend_30d') }}
            end
            as {{ type_double() }}
        ) as overall_roi,
        cast(total_mqls as bigint) as total_mqls,
        cast({{ safe_pct('leads_90d_converted', 'leads_90d') }} as {{ type_double() }})
            as lead_conversion_rate,
        {{ double_to_numeric(
            "case when spend_30d > 0 then " ~ safe_divide('spend_30d', 'total_mqls') ~ " end"
        ) }} as cost_per_mql,
        cast(
            {{ safe_divide('credited_touches', 'attributed_customers') }} as {{ type_double() }}
        ) as avg_touchpoints_to_conversion,
        cast(attributed_revenue as numeric(38, 6)) as attributed_revenue,
        cast(website_sessions as bigint) as website_sessions,
        cast({{ safe_pct('bounced_sessions', 'website_sessions') }} as {{ type_double() }})
            as bounce_rate,
        cast({{ safe_pct('converted_sessions', 'website_sessions') }} as {{ type_double() }})
            as website_conversion_rate,
        {{ double_to_numeric('customer_acquisition_cost') }} as customer_acquisition_cost,
        cast(signups as bigint) as signups,
        cast({{ safe_pct('emails_opened_30d', 'emails_sent_30d') }} as {{ type_double() }})
            as email_open_rate,
        cast({{ safe_pct('emails_clicked_30d', 'emails_sent_30d') }} as {{ type_double() }})
            as email_click_rate,
        cast(
            {{ safe_pct('social_engagements_30d', 'social_impressions_30d') }}
            as {{ type_double() }}
        ) as social_engagement_rate,
        cast(
            {{ safe_divide('ltv', 'customer_acquisition_cost') }} as {{ type_double() }}
        ) as lifetime_value_cac_ratio,
        cast(attributed_customers as {{ type_double() }}) as attributed_customers_30d,
        cast(signup_channel_mrr as numeric(38, 6)) as signup_channel_mrr,
        cast(referrals_sent_30d as bigint) as referrals_sent_30d,
        cast(referrals_converted_30d as bigint) as referrals_converted_30d
    from with_acquisition_cost
)

-- metrics whose raw tables have no rows are NULL (partial sources)
{{ select_metrics_with_data('final', 'marketing') }}
