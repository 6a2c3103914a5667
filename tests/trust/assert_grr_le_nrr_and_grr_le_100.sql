-- Trust invariant: gross revenue retention caps every account at its MRR a year ago, so it
-- can never pass 100 % or the net retention of the same cohort.
with

company_overview as (
    select * from {{ ref('metrics_company_overview') }}
),

violations as (
    select
        metric_date,
        gross_revenue_retention,
        net_revenue_retention
    from company_overview
    where
        gross_revenue_retention > 100 + 1e-9
        or gross_revenue_retention < 0
        or gross_revenue_retention > net_revenue_retention + 1e-9
)

select * from violations
