-- Net and gross revenue retention (12-month cohorts) at each month end and on the latest
-- day, with the MRR movements of the trailing 30 days that explain the trend.
with

metrics_company_overview as (
    select * from {{ ref('metrics_company_overview') }}
),

latest as (
    select max(metric_date) as latest_date
    from metrics_company_overview
)

select
    metrics_company_overview.metric_date,
    metrics_company_overview.net_revenue_retention,
    metrics_company_overview.gross_revenue_retention,
    metrics_company_overview.total_mrr,
    metrics_company_overview.expansion_mrr,
    metrics_company_overview.contraction_mrr,
    metrics_company_overview.churned_mrr
from metrics_company_overview
cross join latest
where
    metrics_company_overview.net_revenue_retention is not null
    and (
        metrics_company_overview.metric_date
        = cast({{ dbt.last_day('metrics_company_overview.metric_date', 'month') }} as date)
        or metrics_company_overview.metric_date = latest.latest_date
    )
order by metrics_company_overview.metric_date
