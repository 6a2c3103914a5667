-- The 20 paying accounts with the most MRR among those at risk on the latest day: health
-- score below 60 (the company overview's at-risk rule), with the signals behind it.
with

metrics_customer_success as (
    select * from {{ ref('metrics_customer_success') }}
),

latest as (
    select max(metric_date) as latest_date
    from metrics_customer_success
)

select
    metrics_customer_success.account_id,
    metrics_customer_success.customer_name,
    metrics_customer_success.plan_tier,
    metrics_customer_success.current_mrr,
    metrics_customer_success.customer_health_score,
    metrics_customer_success.churn_risk_score,
    metrics_customer_success.support_tickets_30d,
    metrics_customer_success.failed_payments_90d
from metrics_customer_success
inner join latest
    on metrics_customer_success.metric_date = latest.latest_date
where
    metrics_customer_success.current_mrr > 0
    and metrics_customer_success.customer_health_score < 60
order by metrics_customer_success.current_mrr desc, metrics_customer_success.account_id asc
limit 20
