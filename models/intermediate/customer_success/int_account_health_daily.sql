{{
    config(
        materialized='incremental',
        unique_key=['date_day'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

-- Every customer success metric per account and day, over the account's whole history
-- (signup to as-of), so that the day-over-day and 30-day comparisons (health trend,
-- previous_month_mrr) always see the day they compare with; the incremental mart only
-- copies the days it rebuilds. Formulas: see metrics_customer_success.yml.
--
-- Incremental by day (macros/metrics/incremental_days.sql): a run recomputes the late-data
-- lookback from the 30 days before it that the comparisons reach back to.
{#- the health bands, written only here: at risk below 60, healthy from 80 #}
{%- set healthy_min_score = 80 %}
{%- set stable_min_score = 60 %}
{#- the columns each topic model contributes, joined on account and day #}
{%- set topic_models = {
    'account_users_daily': ['user_count', 'activated_user_count', 'monthly_active_users',
                            'capped_active_days_30d'],
    'account_usage_daily': ['sessions_7d', 'sessions_30d', 'sessions_prior_30d',
                            'api_calls_30d', 'exports_30d'],
    'account_feature_adoption_daily': ['features_adopted', 'core_features_adopted',
                                       'features_available', 'core_features_available'],
    'account_devices_daily': ['active_device_count', 'device_reports_30d',
                              'device_health_sum_30d', 'volume_processed_30d'],
    'account_support_daily': ['support_tickets_30d', 'ticket_resolution_rate',
                              'avg_ticket_resolution_hours'],
    'account_surveys_daily': ['nps_score', 'csat_score'],
    'account_payments_daily': ['failed_payments_90d'],
    'account_receivables_daily': ['outstanding_balance', 'overdue_balance', 'ar_current',
                                  'ar_1_30', 'ar_31_60', 'ar_61_90', 'ar_90_plus'],
} %}
with

account_days as (
    select * from {{ ref('int_account_days') }}
    where {{ recomputed_days_filter('date_day', 30) }}
),

accounts as (
    select * from {{ ref('stg_billing__accounts') }}
),

users as (
    select * from {{ ref('stg_activity__users') }}
),

account_mrr_daily as (
    select * from {{ ref('int_account_mrr_daily') }}
    where {{ recomputed_days_filter('date_day', 30) }}
),

account_users_daily as (
    select * from {{ ref('int_account_users_daily') }}
    where {{ recomputed_days_filter('date_day', 30) }}
),

account_usage_daily as (
    select * from {{ ref('int_account_usage_daily') }}
    where {{ recomputed_days_filter('date_day', 30) }}
),

account_feature_adoption_daily as (
    select * from {{ ref('int_account_feature_adoption_daily') }}
    where {{ recomputed_days_filter('date_day', 30) }}
),

account_devices_daily as (
    select * from {{ ref('int_account_devices_daily') }}
    where {{ recomputed_days_filter('date_day', 30) }}
),

account_support_daily as (
    select * from {{ ref('int_account_support_daily') }}
    where {{ recomputed_days_filter('date_day', 30) }}
),

account_surveys_daily as (
    select * from {{ ref('int_account_surveys_daily') }}
    where {{ recomputed_days_filter('date_day', 30) }}
),

account_payments_daily as (
    select * from {{ ref('int_account_payments_daily') }}
    where {{ recomputed_days_filter('date_day', 30) }}
),

account_receivables_daily as (
    select * from {{ ref('int_account_receivables_daily') }}
    where {{ recomputed_days_filter('date_day', 30) }}
),

first_value as (
    select
        account_id,
        min(first_value_at) as first_value_at
    from users
    group by account_id
),

-- a customer is an account from its first subscription on, churned or not (the rows of
-- metrics_customer_success)
customer_first_days as (
    select
        account_id,
        min(date_day) as first_subscription_date
    from {{ ref('int_account_mrr_daily') }}
    group by account_id
),

joined as (
    select
        account_days.account_id,
        account_days.date_day,
        {%- for topic_model, columns in topic_models.items() %}
            {%- for column in columns %}
                {{ topic_model }}.{{ column }},
            {%- endfor %}
        {%- endfor %}
        accounts.account_name,
        accounts.plan_tier as signup_plan_tier,
        accounts.segment,
        accounts.region,
        accounts.signup_channel,
        accounts.credit_limit_usd,
        accounts.created_at,
        first_value.first_value_at,
        cast(coalesce(account_mrr_daily.mrr_usd, 0) as numeric(38, 6)) as current_mrr,
        account_mrr_daily.current_plan_tier,
        coalesce(account_days.date_day >= customer_first_days.first_subscription_date, false)
            as is_customer
    from account_days
    inner join accounts
        on account_days.account_id = accounts.account_id
    left join first_value
        on account_days.account_id = first_value.account_id
    left join customer_first_days
        on account_days.account_id = customer_first_days.account_id
    left join account_mrr_daily
        on
            account_days.account_id = account_mrr_daily.account_id
            and account_days.date_day = account_mrr_daily.date_day
    {%- for topic_model in topic_models %}
        inner join {{ topic_model }}
            on
                account_days.account_id = {{ topic_model }}.account_id
                and account_days.date_day = {{ topic_model }}.date_day
    {%- endfor %}
),

sub_scores as (
    select
        *,
        -- an account without users has no expected logins: usage 0, never a division by 0
        case
            when user_count = 0 then 0.0
            else {{ clamp(safe_divide('100.0 * sessions_30d', 'user_count * 20'), 0, 100) }}
        end as usage_score,
        coalesce(
            {{ clamp(safe_pct('features_adopted', 'features_available'), 0, 100) }}, 0.0
        ) as adoption_score,
        cast(greatest(100 - 20 * support_tickets_30d, 0) as {{ type_double() }})
            as support_score,
        cast(greatest(100 - 25 * failed_payments_90d, 0) as {{ type_double() }})
            as payment_score,
        cast(
            case when monthly_active_users > 1 then 20 else 0 end
            + case when api_calls_30d > 100 then 20 else 0 end
            -- 10 managed devices earn the full 20 points
            + least(2.0 * active_device_count, 20)
            + case when exports_30d > 0 then 20 else 0 end
            + case when sessions_7d > 0 then 20 else 0 end
            as {{ type_double() }}
        ) as engagement_score
    from joined
),

health as (
    select
        *,
        {{ var('health_weight_usage') }} * usage_score
        + {{ var('health_weight_adoption') }} * adoption_score
        + {{ var('health_weight_support') }} * support_score
        + {{ var('health_weight_payment') }} * payment_score
        + {{ var('health_weight_engagement') }} * engagement_score as customer_health_score
    from sub_scores
),

-- the rows are dense per account, so lag(n) is the day n days earlier
comparisons as (
    select
        *,
        customer_health_score - lag(customer_health_score) over (
            partition by account_id order by date_day
        ) as health_score_change_1d,
        customer_health_score - lag(customer_health_score, 30) over (
            partition by account_id order by date_day
        ) as health_score_change_30d,
        cast(coalesce(lag(current_mrr, 30) over (
            partition by account_id order by date_day
        ), 0) as numeric(38, 6)) as previous_month_mrr
    from health
),

derived as (
    select
        *,
        case
            when sessions_prior_30d > 0
                then {{ clamp(
                    safe_pct('sessions_prior_30d - sessions_30d', 'sessions_prior_30d'), 0, 100) }}
            else 0.0
        end as usage_decline_pct,
        {{ safe_pct('outstanding_balance', 'credit_limit_usd') }} as credit_utilization_pct
    from comparisons
),

final as (
    select
        account_id,
        date_day,
        account_name as customer_name,
        coalesce(current_plan_tier, signup_plan_tier) as plan_tier,
        segment,
        region,
        signup_channel,
        case
            when customer_health_score >= {{ healthy_min_score }} then 'Healthy'
            when customer_health_score >= {{ stable_min_score }} then 'Stable'
            else 'At Risk'
        end as health_category,
        is_customer,
        -- health and risk are about paying customers: churned accounts keep rows at MRR 0
        current_mrr > 0 as is_paying_customer,
        current_mrr > 0 and customer_health_score < {{ stable_min_score }} as is_at_risk,
        case
            when credit_utilization_pct is null then null
            when credit_utilization_pct < 25 then '0-25%'
            when credit_utilization_pct < 50 then '25-50%'
            when credit_utilization_pct < 75 then '50-75%'
            when credit_utilization_pct <= 100 then '75-100%'
            else '100%+'
        end as credit_utilization_bucket,
        current_mrr,
        previous_month_mrr,
        cast({{ arr_from_mrr('current_mrr') }} as numeric(38, 6)) as arr,
        customer_health_score,
        health_score_change_1d,
        health_score_change_30d,
        usage_score,
        adoption_score,
        support_score,
        payment_score,
        engagement_score,
        {{ clamp(
            '0.40 * (100 - customer_health_score)'
            ~ ' + 0.20 * ' ~ clamp('-2 * coalesce(health_score_change_30d, 0)', 0, 100)
            ~ ' + 0.15 * least(25 * failed_payments_90d, 100)'
            ~ ' + 0.10 * least(20 * support_tickets_30d, 100)'
            ~ ' + 0.15 * usage_decline_pct', 0, 100) }} as churn_risk_score,
        {{ clamp(
            '0.60 * customer_health_score'
            ~ ' + 0.20 * ' ~ clamp('50 + coalesce(health_score_change_30d, 0)', 0, 100)
            ~ ' + 0.20 * case when current_mrr > previous_month_mrr then 100'
            ~ ' when current_mrr = previous_month_mrr then 50 else 0 end', 0, 100) }}
            as composite_success_score,
        monthly_active_users,
        {{ safe_pct('activated_user_count', 'user_count') }} as user_activation_rate,
        -- per user min(active days in 30d, 20) / 20 x 100, averaged over the account's users
        {{ safe_divide('100.0 * capped_active_days_30d', '20 * user_count') }}
            as avg_engagement_score,
        features_adopted,
        {{ safe_pct('core_features_adopted', 'core_features_available') }}
            as core_feature_adoption_rate,
        support_tickets_30d,
        ticket_resolution_rate,
        avg_ticket_resolution_hours,
        active_device_count,
        {{ safe_divide('device_health_sum_30d', 'device_reports_30d') }}
            as avg_device_health_score,
        volume_processed_30d,
        nps_score,
        csat_score,
        case
            when cast(first_value_at as date) <= date_day
                then {{ days_between('created_at', 'first_value_at') }}
        end as time_to_value_days,
        -- only a paying account can expand
        case
            when current_mrr > 0
                then
                    case when customer_health_score >= {{ healthy_min_score }} then 30 else 0 end
                    + case when usage_score >= 80 then 25 else 0 end
                    + case
                        when user_count > 0 and monthly_active_users >= 0.8 * user_count
                            then 25
                        else 0
                    end
                    + case
                        when coalesce(current_plan_tier, signup_plan_tier) != 'enterprise'
                            then 20
                        else 0
                    end
        end as expansion_potential_score,
        failed_payments_90d,
        outstanding_balance,
        overdue_balance,
        ar_current,
        ar_1_30,
        ar_31_60,
        ar_61_90,
        ar_90_plus,
        credit_utilization_pct,
        usage_decline_pct
    from derived
)

select * from final
where {{ recomputed_days_filter('date_day') }}
