{{
    config(
        materialized='incremental',
        unique_key=['metric_date'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

-- depends_on: {{ ref('metric_raw_requirements') }}
-- depends_on: {{ ref('stg_row_reconciliation') }}

with

active_users_daily as (
    select * from {{ ref('int_active_users_daily') }}
),

release_adoption_daily as (
    select * from {{ ref('int_release_adoption_daily') }}
),

users as (
    select * from {{ ref('stg_activity__users') }}
),

subscriptions_priced as (
    select * from {{ ref('int_subscriptions_priced') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

-- funnel: one milestone date per user; a milestone after the as-of day has not happened
user_milestones as (
    select
        user_id,
        cast(signed_up_at as date) as signup_date,
        case
            when activated_at < {{ as_of_end() }} then cast(activated_at as date)
        end as activation_date,
        case
            when trial_started_at < {{ as_of_end() }} then cast(trial_started_at as date)
        end as trial_start_date
    from users
    where signed_up_at < {{ as_of_end() }}
),

signups_per_day as (
    select
        signup_date as date_day,
        count(*) as signups
    from user_milestones
    group by signup_date
),

activations_per_day as (
    select
        activation_date as date_day,
        count(*) as activated_users
    from user_milestones
    where activation_date is not null
    group by activation_date
),

trials_per_day as (
    select
        trial_start_date as date_day,
        count(*) as trials_started
    from user_milestones
    where trial_start_date is not null
    group by trial_start_date
),

-- a paid conversion is an account's first subscription with a price above zero
paid_conversions_per_day as (
    select
        first_paid_date as date_day,
        count(*) as paid_conversions
    from (
        select
            account_id,
            min(start_date) as first_paid_date
        from subscriptions_priced
        where monthly_amount_local > 0 and started_at < {{ as_of_end() }}
        group by account_id
    ) as first_paid_subscriptions
    group by first_paid_date
),

-- activation rate on d: of the users who signed up in [d-29, d], those activated by the
-- end of d. An activated user counts in the numerator from the later of signup and
-- activation day until their signup leaves the window
activated_signup_changes as (
    select
        change_date,
        sum(activated_signups_delta) as activated_signups_delta
    from (
        select
            greatest(signup_date, activation_date) as change_date,
            1 as activated_signups_delta
        from user_milestones
        where activation_date is not null and activation_date < {{ add_days('signup_date', 30) }}
        union all
        select
            {{ add_days('signup_date', 30) }} as change_date,
            -1 as activated_signups_delta
        from user_milestones
        where activation_date is not null and activation_date < {{ add_days('signup_date', 30) }}
    ) as activated_signup_edges
    group by change_date
),

funnel_daily as (
    select
        calendar_days.date_day,
        coalesce(signups_per_day.signups, 0) as signups,
        coalesce(activations_per_day.activated_users, 0) as activated_users,
        coalesce(trials_per_day.trials_started, 0) as trials_started,
        coalesce(paid_conversions_per_day.paid_conversions, 0) as paid_conversions,
        sum(coalesce(signups_per_day.signups, 0)) over (
            order by calendar_days.date_day rows between 29 preceding and current row
        ) as signups_30d,
        sum(coalesce(activated_signup_changes.activated_signups_delta, 0)) over (
            order by calendar_days.date_day rows between unbounded preceding and current row
        ) as activated_signups_30d
    from calendar_days
    left join signups_per_day
        on calendar_days.date_day = signups_per_day.date_day
    left join activations_per_day
        on calendar_days.date_day = activations_per_day.date_day
    left join trials_per_day
        on calendar_days.date_day = trials_per_day.date_day
    left join paid_conversions_per_day
        on calendar_days.date_day = paid_conversions_per_day.date_day
    left join activated_signup_changes
        on calendar_days.date_day = activated_signup_changes.change_date
),

releases_shipped as (
    select distinct
        release_id,
        released_at,
        released_date
    from release_adoption_daily
),

-- the release a day reports on: the latest one shipped by the end of that day
latest_release_per_day as (
    select
        calendar_days.date_day,
        releases_shipped.release_id,
        releases_shipped.released_date,
        row_number() over (
            partition by calendar_days.date_day
            order by releases_shipped.released_at desc, releases_shipped.release_id desc
        ) as release_rank
    from calendar_days
    inner join releases_shipped
        on calendar_days.date_day >= releases_shipped.released_date
    where calendar_days.date_day >= {{ incremental_start_date() }}
),

-- after its 7-day window a release keeps the adoption it reached on the window's last day
release_adoption_per_day as (
    select
        latest_release_per_day.date_day,
        release_adoption_daily.window_active_users,
        release_adoption_daily.window_adopters
    from latest_release_per_day
    inner join release_adoption_daily
        on
            latest_release_per_day.release_id = release_adoption_daily.release_id
            and release_adoption_daily.date_day = least(
                latest_release_per_day.date_day,
                {{ add_days('latest_release_per_day.released_date', 6) }}
            )
    where latest_release_per_day.release_rank = 1
),

-- one row per day in scope with every input the metrics divide
daily_inputs as (
    select
        active_users_daily.*,
        funnel_daily.signups,
        funnel_daily.activated_users,
        funnel_daily.trials_started,
        funnel_daily.paid_conversions,
        funnel_daily.signups_30d,
        funnel_daily.activated_signups_30d,
        release_adoption_per_day.window_active_users,
        release_adoption_per_day.window_adopters
    from active_users_daily
    inner join funnel_daily
        on active_users_daily.metric_date = funnel_daily.date_day
    left join release_adoption_per_day
        on active_users_daily.metric_date = release_adoption_per_day.date_day
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
