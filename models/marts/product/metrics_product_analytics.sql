{{
    config(
        materialized='incremental',
        unique_key=['metric_date'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

-- depends_on: {{ ref('metric_raw_requirements') }}
-- depends_on: {{ ref('int_raw_tables_staged') }}

-- One row per day for the whole product: it joins the day's usage (int_active_users_daily),
-- funnel (int_product_funnel_daily) and release adoption (int_latest_release_adoption_daily)
-- and divides; definitions are in metrics_product_analytics.yml.
with

active_users_daily as (
    select * from {{ ref('int_active_users_daily') }}
),

product_funnel_daily as (
    select * from {{ ref('int_product_funnel_daily') }}
),

latest_release_adoption_daily as (
    select * from {{ ref('int_latest_release_adoption_daily') }}
),

-- one row per day in scope with every input the metrics divide
daily_inputs as (
    select
        active_users_daily.*,
        product_funnel_daily.signups,
        product_funnel_daily.activated_users,
        product_funnel_daily.trials_started,
        product_funnel_daily.paid_conversions,
        product_funnel_daily.signups_30d,
        product_funnel_daily.activated_signups_30d,
        latest_release_adoption_daily.window_active_users,
        latest_release_adoption_daily.window_adopters
    from active_users_daily
    inner join product_funnel_daily
        on active_users_daily.metric_date = product_funnel_daily.date_day
    left join latest_release_adoption_daily
        on active_users_daily.metric_date = latest_release_adoption_daily.date_day
    where
        active_users_daily.metric_date >= {{ incremental_start_date() }}
        and active_users_daily.metric_date <= {{ incremental_end_date() }}
),

final as (
    select
        metric_date,
        cast(daily_active_users as bigint) as daily_active_users,
        cast(weekly_active_users as bigint) as weekly_active_users,
        cast(monthly_active_users as bigint) as monthly_active_users,
        cast({{ safe_divide('daily_active_users', 'monthly_active_users') }} as {{ type_double() }}) as dau_mau_ratio,
        cast({{ safe_divide('weekly_active_users', 'monthly_active_users') }} as {{ type_double() }}) as wau_mau_ratio,
        cast({{ safe_divide('session_seconds', 'sessions') }} / 60.0 as {{ type_double() }}) as avg_session_duration,
        cast({{ safe_divide('sessions', 'daily_active_users') }} as {{ type_double() }}) as sessions_per_user,
        cast({{ safe_divide('features_used_user_days', 'daily_active_users') }} as {{ type_double() }}) as avg_features_used_per_user,
        cast(power_users as bigint) as power_users,
        cast({{ safe_pct('power_users', 'monthly_active_users') }} as {{ type_double() }}) as power_user_percentage,
        cast({{ safe_pct('desktop_sessions', 'sessions') }} as {{ type_double() }}) as desktop_usage_pct,
        cast({{ safe_pct('mobile_sessions', 'sessions') }} as {{ type_double() }}) as mobile_usage_pct,
        cast({{ safe_pct('retained_users_30d', 'prior_monthly_active_users') }} as {{ type_double() }}) as avg_30d_retention_rate,
        cast(signups as bigint) as signups,
        cast(activated_users as bigint) as activated_users,
        cast(trials_started as bigint) as trials_started,
        cast(paid_conversions as bigint) as paid_conversions,
        cast({{ safe_pct('activated_signups_30d', 'signups_30d') }} as {{ type_double() }}) as activation_rate,
        cast({{ safe_pct('window_adopters', 'window_active_users') }} as {{ type_double() }}) as feature_release_adoption_7d,
        cast({{ safe_pct('error_sessions', 'sessions') }} as {{ type_double() }}) as error_rate_pct,
        cast(100.0 - {{ safe_pct('crash_sessions', 'sessions') }} as {{ type_double() }}) as crash_free_session_rate
    from daily_inputs
)

-- metrics whose raw tables have no rows are NULL (partial sources)
{{ select_metrics_with_data('final', 'product') }}
