-- Website visits per channel and UTC day: sessions, bounces and conversions (visits that
-- submitted the signup form) on the day and over the 30 days ending on the day. The day's
-- counts are the parts of metrics_marketing.bounce_rate and website_conversion_rate; the
-- 30-day sums are the parts of a 30-day conversion rate.
with

web_sessions as (
    select * from {{ ref('stg_marketing__web_sessions') }}
),

sessions_flagged as (
    select
        channel,
        cast(started_at as date) as session_date,
        1 as website_sessions,
        case when is_bounce then 1 else 0 end as bounced_sessions,
        case when is_conversion then 1 else 0 end as website_conversions
    from web_sessions
),

final as (
    {{ trailing_window_sums('sessions_flagged', ['channel'], [
        ('website_sessions', 30), ('bounced_sessions', 30), ('website_conversions', 30),
    ], date_column='session_date') }}
)

select * from final
