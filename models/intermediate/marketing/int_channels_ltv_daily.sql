-- The company LTV (int_revenue_kpis_daily) repeated on every channel and UTC day. LTV:CAC
-- divides the company LTV by a channel's CAC; MetricFlow can only slice a metric by channel
-- when every part of it has the channel entity, so the company figure needs a channel key.
with

marketing_channels as (
    select * from {{ ref('marketing_channels') }}
),

revenue_kpis_daily as (
    select * from {{ ref('int_revenue_kpis_daily') }}
),

final as (
    select
        marketing_channels.channel,
        revenue_kpis_daily.date_day,
        revenue_kpis_daily.ltv
    from marketing_channels
    cross join revenue_kpis_daily
)

select * from final
