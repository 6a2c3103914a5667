-- Trust invariant: the users active on a day are among those active in the week, who are
-- among those active in the 30 days. Returns the days where that fails, in the product
-- mart and in the company overview.
with

product_analytics as (
    select * from {{ ref('metrics_product_analytics') }}
),

company_overview as (
    select * from {{ ref('metrics_company_overview') }}
),

violations as (
    select
        'metrics_product_analytics' as model_name,
        metric_date,
        daily_active_users as dau,
        weekly_active_users as wau,
        monthly_active_users as mau
    from product_analytics
    where
        daily_active_users > weekly_active_users
        or weekly_active_users > monthly_active_users
    union all
    select
        'metrics_company_overview' as model_name,
        metric_date,
        dau,
        wau,
        mau
    from company_overview
    where dau > wau or wau > mau
)

select * from violations
