-- The monthly cohort retention triangle: one row per signup month, one column per month
-- since signup (logo retention in percent). Months that have not ended are empty, so the
-- triangle's edge never reads as a drop.
with

metrics_cohort_retention as (
    select * from {{ ref('metrics_cohort_retention') }}
),

monthly as (
    select
        cohort_start_date,
        cohort_size,
        periods_since_start,
        logo_retention_pct
    from metrics_cohort_retention
    where cohort_period_type = 'month'
)

select
    cohort_start_date as cohort_month,
    max(cohort_size) as cohort_size,
    {%- for month in range(0, 13) %}
        max(case when periods_since_start = {{ month }} then logo_retention_pct end)
            as month_{{ month }}_pct,
    {%- endfor %}
    max(periods_since_start) as months_observed
from monthly
group by cohort_start_date
order by cohort_start_date
