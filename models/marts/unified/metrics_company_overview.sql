{{
    config(
        materialized='incremental',
        unique_key=['metric_date'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

-- depends_on: {{ ref('metric_raw_requirements') }}
-- depends_on: {{ ref('int_raw_tables_staged') }}

-- Executive KPIs, one row a day. Nothing is defined here: each KPI is a domain's metric
-- or building block summed over its entities (accounts, reps, channels), and every rate is
-- the sum of its numerators over the sum of its denominators, never an average of the
-- entities' rates (a company win rate is all deals won / all deals closed). The
-- definitions live upstream, once: revenue KPIs in int_revenue_kpis_daily, the retention
-- cohort in int_retention_cohorts_daily, health and risk in int_account_health_daily,
-- surveys and payments in their account intermediates, deal outcomes per rep, web
-- sessions and spend per channel.

{#- the domains' additive building blocks, summed over their entities per day (a missing
    row means none that day); columns keep their upstream names -#}
{%- set summed_parts = {
    'int_account_surveys_daily': ['nps_responses_90d', 'nps_promoters_90d',
                                  'nps_detractors_90d', 'csat_responses_30d',
                                  'csat_score_total_30d'],
    'int_account_payments_daily': ['payment_attempts_30d', 'failed_payment_attempts_30d'],
    'int_reps_pipeline_daily': ['total_pipeline_value'],
    'int_reps_deal_outcomes_daily': ['revenue_closed_mtd', 'deals_won_90d',
                                     'deals_closed_90d'],
    'int_channels_spend_daily': ['ad_spend_30d'],
    'int_channels_web_sessions_daily': ['website_sessions', 'website_conversions',
                                        'website_sessions_30d', 'website_conversions_30d'],
} %}
{%- set summed_columns = [] %}
{%- for model, columns in summed_parts.items() %}
    {%- for column in columns %}
        {%- do summed_columns.append((model, column)) %}
    {%- endfor %}
{%- endfor %}

with

revenue_kpis_daily as (
    select * from {{ ref('int_revenue_kpis_daily') }}
),

retention_cohorts_daily as (
    select * from {{ ref('int_retention_cohorts_daily') }}
),

account_health_daily as (
    select * from {{ ref('int_account_health_daily') }}
),

metrics_product_analytics as (
    select * from {{ ref('metrics_product_analytics') }}
),

customer_success_days as (
    select
        date_day,
        -- health and risk are about paying customers; churned accounts keep rows at MRR 0
        avg(case when is_paying_customer then customer_health_score end) as avg_health_score,
        sum(case when is_at_risk then 1 else 0 end) as at_risk_customers,
        sum(case when is_at_risk then current_mrr else 0 end) as mrr_at_risk,
        sum(outstanding_balance) as outstanding_ar,
        sum(overdue_balance) as overdue_ar
    from account_health_daily
    -- the customer success mart's rows: an account from its first subscription day on
    where is_customer
    group by date_day
),

{% for model, columns in summed_parts.items() %}
    {{ model }} as (
        select
            {%- for column in columns %}
                sum({{ column }}) as {{ column }},
            {%- endfor %}
            date_day
        from {{ ref(model) }}
        group by date_day
    ),

{% endfor %}
joined as (
    select
        revenue_kpis_daily.*,
        retention_cohorts_daily.cohort_accounts,
        retention_cohorts_daily.cohort_base_mrr,
        retention_cohorts_daily.cohort_current_mrr,
        retention_cohorts_daily.cohort_retained_mrr,
        customer_success_days.avg_health_score,
        customer_success_days.at_risk_customers,
        customer_success_days.mrr_at_risk,
        customer_success_days.outstanding_ar,
        customer_success_days.overdue_ar,
        metrics_product_analytics.daily_active_users,
        metrics_product_analytics.weekly_active_users,
        metrics_product_analytics.monthly_active_users,
        metrics_product_analytics.dau_mau_ratio,
        {%- for model, column in summed_columns %}
            coalesce({{ model }}.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        {{ safe_divide('coalesce(int_channels_spend_daily.ad_spend_30d, 0)',
                       'revenue_kpis_daily.new_customers') }}
            as blended_cac
    from revenue_kpis_daily
    left join retention_cohorts_daily
        on revenue_kpis_daily.date_day = retention_cohorts_daily.date_day
    left join metrics_product_analytics
        on revenue_kpis_daily.date_day = metrics_product_analytics.metric_date
    left join customer_success_days
        on revenue_kpis_daily.date_day = customer_success_days.date_day
    {%- for model in summed_parts %}
        left join {{ model }}
            on revenue_kpis_daily.date_day = {{ model }}.date_day
    {%- endfor %}
    where
        revenue_kpis_daily.date_day >= {{ incremental_start_date() }}
        and revenue_kpis_daily.date_day <= {{ incremental_end_date() }}
),

final as (
    select
        date_day as metric_date,
        cast(total_mrr as numeric(38, 6)) as total_mrr,
        cast(arr as numeric(38, 6)) as arr,
        cast(active_customers as bigint) as active_customers,
        cast(new_customers as bigint) as new_customers,
        cast(churned_customers as bigint) as churned_customers,
        cast(customer_churn_rate as {{ type_double() }}) as customer_churn_rate,
        cast(revenue_churn_rate as {{ type_double() }}) as revenue_churn_rate,
        {%- for movement in ['new', 'expansion', 'contraction', 'churned', 'reactivation'] %}
            cast({{ movement }}_mrr as numeric(38, 6)) as {{ movement }}_mrr,
        {%- endfor %}
        -- a retention rate over a handful of accounts is noise: NULL below the minimum
        -- cohort (var retention_min_cohort_accounts), and no alert fires on a NULL
        {%- for name, part in [('net', 'cohort_current_mrr'), ('gross', 'cohort_retained_mrr')] %}
            cast(
                case
                    when cohort_accounts >= {{ var('retention_min_cohort_accounts') }}
                        then {{ safe_pct(part, 'cohort_base_mrr') }}
                end as {{ type_double() }}
            ) as {{ name }}_revenue_retention,
        {%- endfor %}
        cast(coalesce(cohort_accounts, 0) as bigint) as retention_cohort_accounts,
        {{ double_to_numeric('arpa') }} as arpa,
        {{ double_to_numeric('ltv') }} as ltv,
        -- blended CAC (spec): all ad spend of the trailing 30 days over all new paying
        -- customers of the same 30 days; the marketing mart's customer_acquisition_cost
        -- is a channel's spend over the customers attributed to it
        {{ double_to_numeric('blended_cac') }} as cac,
        cast({{ safe_divide('ltv', 'blended_cac') }} as {{ type_double() }}) as ltv_cac_ratio,
        cast(daily_active_users as bigint) as dau,
        cast(weekly_active_users as bigint) as wau,
        cast(monthly_active_users as bigint) as mau,
        cast(dau_mau_ratio as {{ type_double() }}) as dau_mau_ratio,
        cast(avg_health_score as {{ type_double() }}) as avg_health_score,
        cast(at_risk_customers as bigint) as at_risk_customers,
        cast(mrr_at_risk as numeric(38, 6)) as mrr_at_risk,
        cast(total_pipeline_value as numeric(38, 6)) as total_pipeline_value,
        cast({{ safe_pct('deals_won_90d', 'deals_closed_90d') }} as {{ type_double() }})
            as win_rate,
        cast(revenue_closed_mtd as numeric(38, 6)) as revenue_closed_mtd,
        cast(
            {{ safe_pct('nps_promoters_90d - nps_detractors_90d', 'nps_responses_90d') }}
            as {{ type_double() }}
        ) as nps_score,
        cast({{ safe_divide('csat_score_total_30d', 'csat_responses_30d') }} as {{ type_double() }})
            as csat_score,
        cast(
            {{ safe_pct('failed_payment_attempts_30d', 'payment_attempts_30d') }}
            as {{ type_double() }}
        ) as payment_failure_rate,
        cast(outstanding_ar as numeric(38, 6)) as outstanding_ar,
        cast(overdue_ar as numeric(38, 6)) as overdue_ar,
        -- the marketing mart's definition (converted visits / visits), over all channels:
        -- on the day, and over the trailing 30 days
        cast({{ safe_pct('website_conversions', 'website_sessions') }} as {{ type_double() }})
            as website_conversion_rate,
        cast(
            {{ safe_pct('website_conversions_30d', 'website_sessions_30d') }}
            as {{ type_double() }}
        ) as website_conversion_rate_30d
    from joined
)

-- KPIs whose raw tables have no rows are NULL (partial sources; meta.derived_from)
{{ select_metrics_with_data('final') }}
