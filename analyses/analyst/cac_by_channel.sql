-- Customer acquisition cost by channel on the latest day (trailing 30 days of spend and
-- new customers), with LTV:CAC; channels without spend have no CAC.
with

metrics_marketing as (
    select * from {{ ref('metrics_marketing') }}
),

latest as (
    select max(metric_date) as latest_date
    from metrics_marketing
)

select
    metrics_marketing.channel,
    metrics_marketing.channel_name,
    metrics_marketing.ad_spend_30d,
    metrics_marketing.customer_acquisition_cost,
    metrics_marketing.lifetime_value_cac_ratio,
    metrics_marketing.attributed_revenue
from metrics_marketing
inner join latest
    on metrics_marketing.metric_date = latest.latest_date
order by metrics_marketing.customer_acquisition_cost desc nulls last, metrics_marketing.channel asc
