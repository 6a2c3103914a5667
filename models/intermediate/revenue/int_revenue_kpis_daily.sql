-- Company-level revenue KPIs, one row per calendar day: the single definition the
-- company overview and the marketing mart (LTV:CAC) reuse. Everything comes from the
-- account MRR bridge (int_account_mrr_daily), so the trailing-30-day movements here add
-- up exactly to the change in total MRR over the window.
with

account_mrr_daily as (
    select * from {{ ref('int_account_mrr_daily') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

company_days as (
    select
        date_day,
        sum(mrr_usd) as total_mrr,
        sum(case when mrr_usd > 0 then 1 else 0 end) as active_customers,
        sum(case when mrr_change_category = 'new' then 1 else 0 end) as new_customer_events,
        sum(case when mrr_change_category = 'churn' then 1 else 0 end) as churn_events,
        sum(new_mrr_usd) as new_mrr,
        sum(expansion_mrr_usd) as expansion_mrr,
        sum(contraction_mrr_usd) as contraction_mrr,
        sum(churned_mrr_usd) as churned_mrr,
        sum(reactivation_mrr_usd) as reactivation_mrr
    from account_mrr_daily
    group by date_day
),

-- every calendar day, zeros before the first subscription, so "rows between 29
-- preceding" is exactly the trailing 30 days
dense_days as (
    select
        calendar_days.date_day,
        cast(coalesce(company_days.total_mrr, 0) as numeric(38, 6)) as total_mrr,
        cast(coalesce(company_days.active_customers, 0) as bigint) as active_customers,
        coalesce(company_days.new_customer_events, 0) as new_customer_events,
        coalesce(company_days.churn_events, 0) as churn_events,
        coalesce(company_days.new_mrr, 0) as new_mrr,
        coalesce(company_days.expansion_mrr, 0) as expansion_mrr,
        coalesce(company_days.contraction_mrr, 0) as contraction_mrr,
        coalesce(company_days.churned_mrr, 0) as churned_mrr,
        coalesce(company_days.reactivation_mrr, 0) as reactivation_mrr
    from calendar_days
    left join company_days
        on calendar_days.date_day = company_days.date_day
),

trailing_30_days as (
    select
        date_day,
        total_mrr,
        active_customers,
        {%- for column in ['new_customer_events', 'churn_events', 'new_mrr', 'expansion_mrr',
                           'contraction_mrr', 'churned_mrr', 'reactivation_mrr'] %}
            sum({{ column }}) over (
                order by date_day rows between 29 preceding and current row
            ) as {{ column }}_30d,
        {%- endfor %}
        -- the day 30 days before (d-30): the base of the churn rates; null when the
        -- history is shorter
        lag(total_mrr, 30) over (order by date_day) as total_mrr_30d_ago,
        lag(active_customers, 30) over (order by date_day) as active_customers_30d_ago
    from dense_days
),

rates as (
    select
        *,
        {{ safe_pct('churn_events_30d', 'active_customers_30d_ago') }} as customer_churn_rate,
        {{ safe_pct('churned_mrr_30d + contraction_mrr_30d', 'total_mrr_30d_ago') }}
            as revenue_churn_rate,
        {{ safe_divide('total_mrr', 'active_customers') }} as arpa
    from trailing_30_days
),

final as (
    select
        date_day,
        total_mrr,
        cast({{ arr_from_mrr('total_mrr') }} as numeric(38, 6)) as arr,
        active_customers,
        cast(new_customer_events_30d as bigint) as new_customers,
        cast(churn_events_30d as bigint) as churned_customers,
        cast(customer_churn_rate as {{ type_double() }}) as customer_churn_rate,
        cast(revenue_churn_rate as {{ type_double() }}) as revenue_churn_rate,
        cast(arpa as {{ type_double() }}) as arpa,
        -- lifetime value: ARPA over the monthly (30-day) customer churn rate as a fraction
        cast({{ safe_divide('arpa', 'customer_churn_rate / 100.0') }} as {{ type_double() }})
            as ltv,
        cast(new_mrr_30d as numeric(38, 6)) as new_mrr,
        cast(expansion_mrr_30d as numeric(38, 6)) as expansion_mrr,
        cast(contraction_mrr_30d as numeric(38, 6)) as contraction_mrr,
        cast(churned_mrr_30d as numeric(38, 6)) as churned_mrr,
        cast(reactivation_mrr_30d as numeric(38, 6)) as reactivation_mrr,
        cast(total_mrr_30d_ago as numeric(38, 6)) as total_mrr_30d_ago,
        cast(active_customers_30d_ago as bigint) as active_customers_30d_ago
    from rates
)

select * from final
