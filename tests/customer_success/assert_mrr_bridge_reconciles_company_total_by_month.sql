-- The company MRR bridge reconciles every month: the sum over customers of beginning MRR
-- plus movements equals the sum of ending MRR, and that ending MRR equals total_mrr of
-- the company KPIs on the month's last day (a second path to the same number). Returns
-- the months that break either rule.
with

monthly as (
    select * from {{ ref('metrics_mrr_movements_monthly') }}
),

revenue_kpis_daily as (
    select * from {{ ref('int_revenue_kpis_daily') }}
),

company_months as (
    select
        month_start_date,
        max(month_end_date) as month_end_date,
        sum(beginning_mrr) as beginning_mrr,
        sum(new_mrr + expansion_mrr + reactivation_mrr - contraction_mrr - churned_mrr)
            as net_movement,
        sum(ending_mrr) as ending_mrr
    from monthly
    group by month_start_date
)

select
    company_months.*,
    revenue_kpis_daily.total_mrr
from company_months
left join revenue_kpis_daily
    on company_months.month_end_date = revenue_kpis_daily.date_day
where
    abs(
        company_months.beginning_mrr + company_months.net_movement
        - company_months.ending_mrr
    ) >= 0.000001
    or revenue_kpis_daily.total_mrr is null
    or abs(company_months.ending_mrr - revenue_kpis_daily.total_mrr) >= 0.000001
