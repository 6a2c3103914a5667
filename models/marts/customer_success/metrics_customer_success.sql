{{
    config(
        materialized='incremental',
        unique_key=['metric_date', 'account_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

-- depends_on: {{ ref('metric_raw_requirements') }}
-- depends_on: {{ ref('int_raw_tables_staged') }}

-- One row per customer and day from the account's first subscription to the as-of day
-- (int_account_health_daily.is_customer).
-- Every value is computed over the full history upstream (int_account_health_daily); this
-- model only keeps the days an incremental run rebuilds (the late-data lookback) and
-- casts to the contract.
with

account_health_daily as (
    select * from {{ ref('int_account_health_daily') }}
),

final as (
    select
        account_health_daily.date_day as metric_date,
        account_health_daily.account_id,
        cast(account_health_daily.customer_name as {{ dbt.type_string() }}) as customer_name,
        cast(account_health_daily.plan_tier as {{ dbt.type_string() }}) as plan_tier,
        cast(account_health_daily.segment as {{ dbt.type_string() }}) as segment,
        cast(account_health_daily.region as {{ dbt.type_string() }}) as region,
        cast(account_health_daily.signup_channel as {{ dbt.type_string() }}) as signup_channel,
        cast(account_health_daily.health_category as {{ dbt.type_string() }}) as health_category,
        cast(account_health_daily.credit_utilization_bucket as {{ dbt.type_string() }}) as credit_utilization_bucket,
        cast(account_health_daily.current_mrr as numeric(38, 6)) as current_mrr,
        cast(account_health_daily.previous_month_mrr as numeric(38, 6)) as previous_month_mrr,
        cast(account_health_daily.arr as numeric(38, 6)) as arr,
        cast(account_health_daily.customer_health_score as {{ type_double() }}) as customer_health_score,
        cast(account_health_daily.health_score_change_1d as {{ type_double() }}) as health_score_change_1d,
        cast(account_health_daily.usage_score as {{ type_double() }}) as usage_score,
        cast(account_health_daily.adoption_score as {{ type_double() }}) as adoption_score,
        cast(account_health_daily.support_score as {{ type_double() }}) as support_score,
        cast(account_health_daily.payment_score as {{ type_double() }}) as payment_score,
        cast(account_health_daily.engagement_score as {{ type_double() }}) as engagement_score,
        cast(account_health_daily.churn_risk_score as {{ type_double() }}) as churn_risk_score,
        cast(account_health_daily.composite_success_score as {{ type_double() }}) as composite_success_score,
        cast(account_health_daily.monthly_active_users as bigint) as monthly_active_users,
        cast(account_health_daily.user_activation_rate as {{ type_double() }}) as user_activation_rate,
        cast(account_health_daily.avg_engagement_score as {{ type_double() }}) as avg_engagement_score,
        cast(account_health_daily.features_adopted as bigint) as features_adopted,
        cast(account_health_daily.core_feature_adoption_rate as {{ type_double() }}) as core_feature_adoption_rate,
        cast(account_health_daily.support_tickets_30d as bigint) as support_tickets_30d,
        cast(account_health_daily.ticket_resolution_rate as {{ type_double() }}) as ticket_resolution_rate,
        cast(account_health_daily.avg_ticket_resolution_hours as {{ type_double() }}) as avg_ticket_resolution_hours,
        cast(account_health_daily.active_device_count as bigint) as active_device_count,
        cast(account_health_daily.avg_device_health_score as {{ type_double() }}) as avg_device_health_score,
        cast(account_health_daily.volume_processed_30d as {{ type_double() }}) as volume_processed_30d,
        cast(account_health_daily.nps_score as {{ type_double() }}) as nps_score,
        cast(account_health_daily.csat_score as {{ type_double() }}) as csat_score,
        cast(account_health_daily.time_to_value_days as bigint) as time_to_value_days,
        cast(account_health_daily.expansion_potential_score as {{ type_double() }}) as expansion_potential_score,
        cast(account_health_daily.failed_payments_90d as bigint) as failed_payments_90d,
        cast(account_health_daily.outstanding_balance as numeric(38, 6)) as outstanding_balance,
        cast(account_health_daily.overdue_balance as numeric(38, 6)) as overdue_balance,
        cast(account_health_daily.ar_current as numeric(38, 6)) as ar_current,
        cast(account_health_daily.ar_1_30 as numeric(38, 6)) as ar_1_30,
        cast(account_health_daily.ar_31_60 as numeric(38, 6)) as ar_31_60,
        cast(account_health_daily.ar_61_90 as numeric(38, 6)) as ar_61_90,
        cast(account_health_daily.ar_90_plus as numeric(38, 6)) as ar_90_plus,
        cast(account_health_daily.credit_utilization_pct as {{ type_double() }}) as credit_utilization_pct
    from account_health_daily
    -- a customer is an account from its first subscription on, churned or not
    where
        account_health_daily.is_customer
        and account_health_daily.date_day >= {{ incremental_start_date() }}
)

-- metrics whose raw tables have no rows are NULL (partial sources)
{{ select_metrics_with_data('final', 'customer_success') }}
