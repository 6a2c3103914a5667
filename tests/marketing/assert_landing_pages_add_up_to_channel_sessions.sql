-- Landing page visits, summed over pages, equal each channel's website_sessions on
-- every day (both read the same web sessions). Returns the channel-days that disagree.
with

landing_pages as (
    select
        metric_date,
        channel,
        sum(visits) as visits,
        sum(conversions) as conversions
    from {{ ref('marketing_landing_pages_daily') }}
    group by metric_date, channel
),

channels as (
    select
        metric_date,
        channel,
        website_sessions,
        website_conversion_rate
    from {{ ref('metrics_marketing') }}
)

select
    channels.metric_date,
    channels.channel,
    channels.website_sessions,
    landing_pages.visits
from channels
left join landing_pages
    on
        channels.metric_date = landing_pages.metric_date
        and channels.channel = landing_pages.channel
where
    channels.website_sessions <> coalesce(landing_pages.visits, 0)
    or (
        channels.website_sessions > 0
        and abs(
            channels.website_conversion_rate
            - 100.0 * landing_pages.conversions / channels.website_sessions
        ) > 1e-6
    )
