{{
    config(
        materialized='incremental',
        unique_key=['metric_date'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

-- depends_on: {{ ref('metric_raw_requirements') }}
-- depends_on: {{ ref('stg_row_reconciliation') }}

-- Executive KPIs, one row a day. Nothing is retyped: revenue KPIs come from
-- int_revenue_kpis_daily, per-entity totals are sums over the domain marts, and only
-- ratios that cannot be summed (win rate, NRR/GRR, payment failure rate, NPS, CSAT,
-- website conversion) are recomputed at company level from their numerators and
-- denominators: a company win rate is total won / total closed, not the average of the
-- reps' win rates.

with

revenue_kpis_daily as (
    select * from {{ ref('int_revenue_kpis_daily') }}
),

account_mrr_daily as (
    select * from {{ ref('int_account_mrr_daily') }}
),

opportunity_days_snapshotted as (
    select * from {{ ref('int_opportunity_days_snapshotted') }}
),

metrics_customer_success as (
    select * from {{ ref('metrics_customer_success') }}
),

metrics_sales as (
    select * from {{ ref('metrics_sales') }}
),

metrics_product_analytics as (
    select * from {{ ref('metrics_product_analytics') }}
),

metrics_marketing as (
    select * from {{ ref('metrics_marketing') }}
),

payment_attempts as (
    select * from {{ ref('stg_billing__payment_attempts') }}
),

survey_responses as (
    select * from {{ ref('stg_activity__survey_responses') }}
),

web_sessions as (
    select * from {{ ref('stg_marketing__web_sessions') }}
),

-- NRR/GRR, spec's 12-month cohort: the accounts paying on d-365, their MRR on d against
-- their MRR then; GRR caps each account at its d-365 MRR so expansion cannot hide losses.
-- int_account_mrr_daily is dense from an account's first day to the as-of day, so a
-- churned account is still there on d, with MRR 0.
retention_cohorts as (
    select
        current_day.date_day,
        count(*) as cohort_accounts,
        sum(cohort_day.mrr_usd) as cohort_base_mrr,
        sum(current_day.mrr_usd) as cohort_current_mrr,
        sum(
            case
                when current_day.mrr_usd < cohort_day.mrr_usd then current_day.mrr_usd
                else cohort_day.mrr_usd
            end
        ) as cohort_retained_mrr
    from account_mrr_daily as cohort_day
    inner join account_mrr_daily as current_day
        on
            cohort_day.account_id = current_day.account_id
            and current_day.date_day = {{ add_days('cohort_day.date_day', 365) }}
    where cohort_day.mrr_usd > 0
    group by current_day.date_day
),

customer_success_days as (
    select
        metric_date,
        sum(current_mrr) as total_mrr_of_accounts,
        -- health and risk are about paying customers; churned accounts keep rows at MRR 0
        avg(case when current_mrr > 0 then customer_health_score end) as avg_health_score,
        sum(case when current_mrr > 0 and customer_health_score < 60 then 1 else 0 end)
            as at_risk_customers,
        sum(case when current_mrr > 0 and customer_health_score < 60 then current_mrr else 0 end)
            as mrr_at_risk,
        sum(outstanding_balance) as outstanding_ar,
        sum(overdue_balance) as overdue_ar
    from metrics_customer_success
    group by metric_date
),

sales_days as (
    select
        metric_date,
        sum(total_pipeline_value) as total_pipeline_value,
        sum(revenue_closed_mtd) as revenue_closed_mtd
    from metrics_sales
    group by metric_date
),

-- win rate at company level: the same trailing-90-day rule as metrics_sales, counted over
-- all opportunities, so it weights every deal equally whatever the rep
deal_days as (
    select
        date_day,
        sum(
            case
                when
                    not is_open
                    and closed_date >= {{ add_days('date_day', -89) }}
                    then 1
                else 0
            end
        ) as deals_closed_90d,
        sum(
            case
                when
                    is_won
                    and closed_date >= {{ add_days('date_day', -89) }}
                    then 1
                else 0
            end
        ) as deals_won_90d
    from opportunity_days_snapshotted
    group by date_day
),

marketing_days as (
    select
        metric_date,
        sum(ad_spend_30d) as ad_spend_30d
    from metrics_marketing
    group by metric_date
),

payment_attempt_days as (
    select
        cast(attempted_at as date) as event_date,
        count(*) as payment_attempts,
        sum(case when status = 'failed' then 1 else 0 end) as failed_payment_attempts
    from payment_attempts
    where attempted_at < {{ as_of_end() }}
    group by cast(attempted_at as date)
),

survey_days as (
    select
        cast(responded_at as date) as event_date,
        sum(case when survey_type = 'nps' then 1 else 0 end) as nps_responses,
        sum(case when survey_type = 'nps' and score >= 9 then 1 else 0 end) as nps_promoters,
        sum(case when survey_type = 'nps' and score <= 6 then 1 else 0 end) as nps_detractors,
        sum(case when survey_type = 'csat' then 1 else 0 end) as csat_responses,
        sum(case when survey_type = 'csat' then score else 0 end) as csat_score_total
    from survey_responses
    where responded_at < {{ as_of_end() }}
    group by cast(responded_at as date)
),

web_session_days as (
    select
        cast(started_at as date) as event_date,
        count(*) as web_sessions,
        sum(case when is_conversion then 1 else 0 end) as converted_web_sessions
    from web_sessions
    where started_at < {{ as_of_end() }}
    group by cast(started_at as date)
),

-- one row per calendar day, zeros on days without events, so "rows between n preceding"
-- is exactly a trailing window of n + 1 days
event_days as (
    select
        revenue_kpis_daily.date_day,
        coalesce(payment_attempt_days.payment_attempts, 0) as payment_attempts,
        coalesce(payment_attempt_days.failed_payment_attempts, 0) as failed_payment_attempts,
        coalesce(survey_days.nps_responses, 0) as nps_responses,
        coalesce(survey_days.nps_promoters, 0) as nps_promoters,
        coalesce(survey_days.nps_detractors, 0) as nps_detractors,
        coalesce(survey_days.csat_responses, 0) as csat_responses,
        coalesce(survey_days.csat_score_total, 0) as csat_score_total,
        coalesce(web_session_days.web_sessions, 0) as web_sessions,
        coalesce(web_session_days.converted_web_sessions, 0) as converted_web_sessions
    from revenue_kpis_daily
    left join payment_attempt_days
        on revenue_kpis_daily.date_day = payment_attempt_days.event_date
    left join survey_days
        on revenue_kpis_daily.date_day = survey_days.event_date
    left join web_session_days
        on revenue_kpis_daily.date_day = web_session_days.event_date
),

event_windows as (
    select
        {%- for column, days in [
            ('payment_attempts', 30), ('failed_payment_attempts', 30),
            ('nps_responses', 90), ('nps_promoters', 90), ('nps_detractors', 90),
            ('csat_responses', 30), ('csat_score_total', 30),
            ('web_sessions', 30), ('converted_web_sessions', 30),
        ] %}
            sum({{ column }}) over (
                order by date_day rows between {{ days - 1 }} preceding and current row
            ) as {{ column }}_{{ days }}d,
        {%- endfor %}
        date_day
    from event_days
),

joined as (
    select
        revenue_kpis_daily.*,
        retention_cohorts.cohort_accounts,
        retention_cohorts.cohort_base_mrr,
        retention_cohorts.cohort_current_mrr,
        retention_cohorts.cohort_retained_mrr,
        customer_success_days.avg_health_score,
        customer_success_days.at_risk_customers,
        customer_success_days.mrr_at_risk,
        customer_success_days.outstanding_ar,
        customer_success_days.overdue_ar,
        sales_days.total_pipeline_value,
        sales_days.revenue_closed_mtd,
        deal_days.deals_closed_90d,
        deal_days.deals_won_90d,
        marketing_days.ad_spend_30d,
        metrics_product_analytics.daily_active_users,
        metrics_product_analytics.weekly_active_users,
        metrics_product_analytics.monthly_active_users,
        metrics_product_analytics.dau_mau_ratio,
        event_windows.payment_attempts_30d,
        event_windows.failed_payment_attempts_30d,
        event_windows.nps_responses_90d,
        event_windows.nps_promoters_90d,
        event_windows.nps_detractors_90d,
        event_windows.csat_responses_30d,
        event_windows.csat_score_total_30d,
        event_windows.web_sessions_30d,
        event_windows.converted_web_sessions_30d
    from revenue_kpis_daily
    left join retention_cohorts
        on revenue_kpis_daily.date_day = retention_cohorts.date_day
    left join customer_success_days
        on revenue_kpis_daily.date_day = customer_success_days.metric_date
    left join sales_days
        on revenue_kpis_daily.date_day = sales_days.metric_date
    left join deal_days
        on revenue_kpis_daily.date_day = deal_days.date_day
    left join marketing_days
        on revenue_kpis_daily.date_day = marketing_days.metric_date
    left join metrics_product_analytics
        on revenue_kpis_daily.date_day = metrics_product_analytics.metric_date
    left join event_windows
        on revenue_kpis_daily.date_day = event_windows.date_day
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
        cast(new_mrr as numeric(38, 6)) as new_mrr,
        cast(expansion_mrr as numeric(38, 6)) as expansion_mrr,
        cast(contraction_mrr as numeric(38, 6)) as contraction_mrr,
        cast(churned_mrr as numeric(38, 6)) as churned_mrr,
        cast(reactivation_mrr as numeric(38, 6)) as reactivation_mrr,
        -- a retention rate over a handful of accounts is noise: NULL below the minimum
        -- cohort (var retention_min_cohort_accounts), and no alert fires on a NULL
        cast(case when cohort_accounts >= {{ var('retention_min_cohort_accounts') }} then
            {{ safe_pct('cohort_current_mrr', 'cohort_base_mrr') }}
        end as {{ type_double() }}) as net_revenue_retention,
        cast(case when cohort_accounts >= {{ var('retention_min_cohort_accounts') }} then
            {{ safe_pct('cohort_retained_mrr', 'cohort_base_mrr') }}
        end as {{ type_double() }}) as gross_revenue_retention,
        cast(coalesce(cohort_accounts, 0) as bigint) as retention_cohort_accounts,
        {{ double_to_numeric('arpa') }} as arpa,
        {{ double_to_numeric('ltv') }} as ltv,
        -- CAC: all ad spend of the trailing 30 days over the new paying customers of the
        -- same 30 days (int_revenue_kpis_daily.new_customers)
        {{ double_to_numeric(safe_divide('ad_spend_30d', 'new_customers')) }} as cac,
        cast(
            {{ safe_divide('ltv', safe_divide('ad_spend_30d', 'new_customers')) }}
            as {{ type_double() }}
        ) as ltv_cac_ratio,
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
        cast(
            {{ safe_pct('converted_web_sessions_30d', 'web_sessions_30d') }}
            as {{ type_double() }}
        ) as website_conversion_rate
    from joined
)

-- KPIs whose raw tables have no rows are NULL (partial sources; meta.derived_from)
{{ select_metrics_with_data('final') }}
