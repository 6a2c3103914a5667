-- The company's MRR is the sum of the accounts' MRR on every day: a row here is a day on
-- which metrics_company_overview and metrics_customer_success disagree.
with

metrics_company_overview as (
    select * from {{ ref('metrics_company_overview') }}
),

metrics_customer_success as (
    select * from {{ ref('metrics_customer_success') }}
),

account_totals as (
    select
        metric_date,
        sum(current_mrr) as total_mrr
    from metrics_customer_success
    group by metric_date
)

select
    metrics_company_overview.metric_date,
    metrics_company_overview.total_mrr,
    account_totals.total_mrr as sum_of_current_mrr
from metrics_company_overview
inner join account_totals
    on metrics_company_overview.metric_date = account_totals.metric_date
where abs(metrics_company_overview.total_mrr - account_totals.total_mrr) > 0.000001
