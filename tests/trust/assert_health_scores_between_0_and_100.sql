-- Trust invariant: the customer health score and its five sub-scores are 0-100, per
-- account and as the company average.
with

customer_success as (
    select * from {{ ref('metrics_customer_success') }}
),

company_overview as (
    select * from {{ ref('metrics_company_overview') }}
),

account_violations as (
    select
        metric_date,
        cast(account_id as {{ dbt.type_string() }}) as entity_id,
        customer_health_score as score
    from customer_success
    where
        customer_health_score < 0 or customer_health_score > 100
        or usage_score < 0 or usage_score > 100
        or adoption_score < 0 or adoption_score > 100
        or support_score < 0 or support_score > 100
        or payment_score < 0 or payment_score > 100
        or engagement_score < 0 or engagement_score > 100
),

company_violations as (
    select
        metric_date,
        'company' as entity_id,
        avg_health_score as score
    from company_overview
    where avg_health_score < 0 or avg_health_score > 100
),

violations as (
    select * from account_violations
    union all
    select * from company_violations
)

select * from violations
