-- MRR by plan tier at each month end over the last 12 months (the latest month: as of
-- the last built day), from metrics_customer_success.
with

metrics_customer_success as (
    select * from {{ ref('metrics_customer_success') }}
),

latest as (
    select max(metric_date) as latest_date
    from metrics_customer_success
),

month_end_rows as (
    select
        metrics_customer_success.metric_date,
        metrics_customer_success.plan_tier,
        metrics_customer_success.current_mrr
    from metrics_customer_success
    cross join latest
    where
        metrics_customer_success.metric_date > {{ dbt.dateadd('month', -12, 'latest.latest_date') }}
        and (
            metrics_customer_success.metric_date
            = cast({{ dbt.last_day('metrics_customer_success.metric_date', 'month') }} as date)
            or metrics_customer_success.metric_date = latest.latest_date
        )
)

select
    metric_date as month_end_date,
    plan_tier,
    sum(current_mrr) as mrr_usd,
    sum(case when current_mrr > 0 then 1 else 0 end) as paying_customers
from month_end_rows
group by metric_date, plan_tier
order by month_end_date, plan_tier
