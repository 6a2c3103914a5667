{{
    config(
        materialized='incremental',
        unique_key=['metric_date', 'channel'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

-- depends_on: {{ ref('metric_raw_requirements') }}
-- depends_on: {{ ref('int_raw_tables_staged') }}

-- Marketing metrics per channel and UTC day: joins the channels' topic intermediates
-- (models/intermediate/marketing) and divides. Attribution follows the var
-- attribution_model (int_marketing_conversions_attributed). Definitions:
-- metrics_marketing.yml.
with

marketing_channels as (
    select * from {{ ref('marketing_channels') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

{% set channel_intermediates = [
    'int_channels_spend_daily', 'int_channels_signups_daily', 'int_channels_leads_daily',
    'int_channels_attribution_daily', 'int_channels_web_sessions_daily',
    'int_channels_email_sends_daily', 'int_channels_social_posts_daily',
    'int_channels_referrals_daily',
] %}
{%- for intermediate in channel_intermediates %}
    {{ intermediate | replace('int_', '', 1) }} as (
        select * from {{ ref(intermediate) }}
    ),
{% endfor %}
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

channel_days_joined as (
    select
        channel_days.*,
        coalesce(channels_spend_daily.ad_spend_usd, 0) as ad_spend_usd,
        coalesce(channels_spend_daily.ad_spend_7d, 0) as ad_spend_7d,
        coalesce(channels_spend_daily.ad_spend_30d, 0) as ad_spend_30d,
        coalesce(channels_signups_daily.signups, 0) as signups,
        coalesce(channels_signups_daily.signup_channel_mrr, 0) as signup_channel_mrr,
        coalesce(channels_leads_daily.mqls_30d, 0) as mqls_30d,
        coalesce(channels_leads_daily.leads_90d, 0) as leads_90d,
        coalesce(channels_leads_daily.leads_90d_converted, 0) as leads_90d_converted,
        coalesce(channels_attribution_daily.attributed_revenue_usd_30d, 0)
            as attributed_revenue_usd_30d,
        coalesce(channels_attribution_daily.attributed_customers_30d, 0)
            as attributed_customers_30d,
        channels_attribution_daily.credited_touches_30d,
        coalesce(channels_web_sessions_daily.website_sessions, 0) as website_sessions,
        coalesce(channels_web_sessions_daily.bounced_sessions, 0) as bounced_sessions,
        coalesce(channels_web_sessions_daily.website_conversions, 0) as website_conversions,
        channels_email_sends_daily.marketing_emails_sent_30d,
        channels_email_sends_daily.marketing_emails_opened_30d,
        channels_email_sends_daily.marketing_emails_clicked_30d,
        channels_social_posts_daily.social_impressions_30d,
        channels_social_posts_daily.social_engagements_30d,
        -- referral counts belong to the referral channel only: NULL elsewhere, not 0
        case
            when channel_days.channel = 'referral'
                then coalesce(channels_referrals_daily.referrals_sent_30d, 0)
        end as referrals_sent_30d,
        case
            when channel_days.channel = 'referral'
                then coalesce(channels_referrals_daily.referrals_converted_30d, 0)
        end as referrals_converted_30d,
        revenue_kpis_daily.ltv
    from channel_days
    {% for intermediate in channel_intermediates %}
        {% set cte = intermediate | replace('int_', '', 1) %}
        left join {{ cte }}
            on
                channel_days.channel = {{ cte }}.channel
                and channel_days.date_day = {{ cte }}.date_day
    {% endfor %}
    left join revenue_kpis_daily
        on channel_days.date_day = revenue_kpis_daily.date_day
),

-- money ratios need spend: a channel without spend in the window (organic, referral,
-- direct, email here) has no ROI, cost per MQL or CAC rather than 0 or an error
with_acquisition_cost as (
    select
        *,
        case
            when ad_spend_30d > 0
                then {{ safe_divide('ad_spend_30d', 'attributed_customers_30d') }}
        end as customer_acquisition_cost
    from channel_days_joined
),

final as (
    select
        date_day as metric_date,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(channel_name as {{ dbt.type_string() }}) as channel_name,
        cast(channel_type as {{ dbt.type_string() }}) as channel_type,
        cast(ad_spend_usd as numeric(38, 6)) as total_ad_spend_active,
        cast(ad_spend_7d as numeric(38, 6)) as ad_spend_7d,
        cast(ad_spend_30d as numeric(38, 6)) as ad_spend_30d,
        cast(
            case
                when ad_spend_30d > 0
                    then {{ safe_divide('attributed_revenue_usd_30d - ad_spend_30d',
                                        'ad_spend_30d') }}
            end
            as {{ type_double() }}
        ) as overall_roi,
        cast(mqls_30d as bigint) as total_mqls,
        cast({{ safe_pct('leads_90d_converted', 'leads_90d') }} as {{ type_double() }})
            as lead_conversion_rate,
        {{ double_to_numeric(
            "case when ad_spend_30d > 0 then " ~ safe_divide('ad_spend_30d', 'mqls_30d') ~ " end"
        ) }} as cost_per_mql,
        cast(
            {{ safe_divide('credited_touches_30d', 'attributed_customers_30d') }}
            as {{ type_double() }}
        ) as avg_touchpoints_to_conversion,
        cast(attributed_revenue_usd_30d as numeric(38, 6)) as attributed_revenue,
        cast(website_sessions as bigint) as website_sessions,
        cast({{ safe_pct('bounced_sessions', 'website_sessions') }} as {{ type_double() }})
            as bounce_rate,
        cast({{ safe_pct('website_conversions', 'website_sessions') }} as {{ type_double() }})
            as website_conversion_rate,
        {{ double_to_numeric('customer_acquisition_cost') }} as customer_acquisition_cost,
        cast(signups as bigint) as signups,
        cast(
            {{ safe_pct('marketing_emails_opened_30d', 'marketing_emails_sent_30d') }}
            as {{ type_double() }}
        ) as email_open_rate,
        cast(
            {{ safe_pct('marketing_emails_clicked_30d', 'marketing_emails_sent_30d') }}
            as {{ type_double() }}
        ) as email_click_rate,
        cast(
            {{ safe_pct('social_engagements_30d', 'social_impressions_30d') }}
            as {{ type_double() }}
        ) as social_engagement_rate,
        cast(
            {{ safe_divide('ltv', 'customer_acquisition_cost') }} as {{ type_double() }}
        ) as lifetime_value_cac_ratio,
        cast(attributed_customers_30d as {{ type_double() }}) as attributed_customers_30d,
        cast(signup_channel_mrr as numeric(38, 6)) as signup_channel_mrr,
        cast(referrals_sent_30d as bigint) as referrals_sent_30d,
        cast(referrals_converted_30d as bigint) as referrals_converted_30d
    from with_acquisition_cost
)

-- metrics whose raw tables have no rows are NULL (partial sources)
{{ select_metrics_with_data('final', 'marketing') }}
