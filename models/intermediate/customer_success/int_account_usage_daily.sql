{{
    config(
        materialized='incremental',
        unique_key=['date_day'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

-- Product usage per account and day, point in time, over trailing windows ending on the
-- day: sessions in [d-6, d], [d-29, d] and [d-59, d-30] (for usage decline), API calls
-- and data exports in [d-29, d].
--
-- Incremental by day (macros/metrics/incremental_days.sql): a run recomputes the late-data
-- lookback over the 59 days of account days and inputs before it that the longest
-- window reaches back to.
with

account_days as (
    select * from {{ ref('int_account_days') }}
    where {{ recomputed_days_filter('date_day', 59) }}
),

user_activity_daily as (
    select * from {{ ref('int_user_activity_daily') }}
    where {{ recomputed_days_filter('activity_date', 59) }}
),

api_usage_daily as (
    select * from {{ ref('stg_activity__api_usage_daily') }}
    where {{ recomputed_days_filter('usage_date', 59) }}
),

data_exports as (
    select * from {{ ref('stg_activity__data_exports') }}
    where {{ recomputed_days_filter('cast(created_at as date)', 59) }}
),

sessions_by_day as (
    select
        account_id,
        activity_date,
        sum(session_count) as session_count
    from user_activity_daily
    group by account_id, activity_date
),

exports_by_day as (
    select
        account_id,
        cast(created_at as date) as export_date,
        count(*) as export_count
    from data_exports
    group by account_id, cast(created_at as date)
),

daily_inputs as (
    select
        account_days.account_id,
        account_days.date_day,
        coalesce(sessions_by_day.session_count, 0) as session_count,
        coalesce(api_usage_daily.api_calls, 0) as api_calls,
        coalesce(exports_by_day.export_count, 0) as export_count
    from account_days
    left join sessions_by_day
        on
            account_days.account_id = sessions_by_day.account_id
            and account_days.date_day = sessions_by_day.activity_date
    left join api_usage_daily
        on
            account_days.account_id = api_usage_daily.account_id
            and account_days.date_day = api_usage_daily.usage_date
    left join exports_by_day
        on
            account_days.account_id = exports_by_day.account_id
            and account_days.date_day = exports_by_day.export_date
),

{%- set rows_between = 'partition by account_id order by date_day rows between %s and %s' %}

-- the spine is dense per account, so "rows between" is exactly a window of days; an
-- account younger than 31 days has no prior window: 0 sessions then
final as (
    select
        account_id,
        date_day,
        {%- for column, first_row, last_row, window_name in [
            ('session_count', '6 preceding', 'current row', 'sessions_7d'),
            ('session_count', '29 preceding', 'current row', 'sessions_30d'),
            ('session_count', '59 preceding', '30 preceding', 'sessions_prior_30d'),
            ('api_calls', '29 preceding', 'current row', 'api_calls_30d'),
            ('export_count', '29 preceding', 'current row', 'exports_30d'),
        ] %}
        coalesce(sum({{ column }}) over ({{ rows_between | format(first_row, last_row) }}), 0)
            as {{ window_name }}
        {{- ',' if not loop.last }}
    {%- endfor %}
    from daily_inputs
)

select * from final
where {{ recomputed_days_filter('date_day') }}
