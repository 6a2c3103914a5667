-- Pipeline coverage per rep on the latest day: open pipeline expected to close this
-- quarter against the quota still to close, worst covered first.
with

metrics_sales as (
    select * from {{ ref('metrics_sales') }}
),

latest as (
    select max(metric_date) as latest_date
    from metrics_sales
)

select
    metrics_sales.rep_id,
    metrics_sales.rep_name,
    metrics_sales.team,
    metrics_sales.pipeline_closing_this_quarter,
    metrics_sales.quarter_quota_amount,
    metrics_sales.revenue_closed_qtd,
    metrics_sales.pipeline_coverage_ratio,
    metrics_sales.win_rate
from metrics_sales
inner join latest
    on metrics_sales.metric_date = latest.latest_date
order by metrics_sales.pipeline_coverage_ratio, metrics_sales.rep_id
