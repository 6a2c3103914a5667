{{
    config(
        materialized='incremental',
        unique_key=['activity_date'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

-- One row per user and day with a session: the user-day grain every active-user metric
-- is built from (a user counts as active on the day of any session). Incremental: a run
-- rebuilds only the days inside the late-data lookback, so the events are read once.
with

sessions as (
    select * from {{ ref('stg_activity__sessions') }}
),

app_errors as (
    select * from {{ ref('stg_activity__app_errors') }}
),

feature_events as (
    select * from {{ ref('stg_activity__feature_events') }}
),

sessions_in_scope as (
    select
        session_id,
        user_id,
        account_id,
        platform,
        duration_seconds,
        cast(started_at as date) as activity_date
    from sessions
    where
        started_at >= {{ incremental_start_date('activity_date') }}
        -- nothing after the as-of day (or a backfill's last day): a rebuild for a past day
        -- sees what existed then
        and started_at < {{ as_of_end() }}
        and cast(started_at as date) <= {{ incremental_end_date() }}
),

-- an error counts against its session when it happened on the day the session started,
-- so a day's error rate never changes after the day has ended
session_errors as (
    select
        sessions_in_scope.session_id,
        max(case when app_errors.is_crash then 1 else 0 end) as has_crash
    from sessions_in_scope
    inner join app_errors
        on
            sessions_in_scope.session_id = app_errors.session_id
            and sessions_in_scope.activity_date = cast(app_errors.occurred_at as date)
    group by sessions_in_scope.session_id
),

sessions_flagged as (
    select
        sessions_in_scope.*,
        case when session_errors.session_id is not null then 1 else 0 end as has_error,
        coalesce(session_errors.has_crash, 0) as has_crash
    from sessions_in_scope
    left join session_errors
        on sessions_in_scope.session_id = session_errors.session_id
),

features_used as (
    select
        user_id,
        cast(occurred_at as date) as activity_date,
        count(distinct feature_key) as features_used_count
    from feature_events
    where
        occurred_at >= {{ incremental_start_date('activity_date') }}
        and occurred_at < {{ as_of_end() }}
        and cast(occurred_at as date) <= {{ incremental_end_date() }}
    group by user_id, cast(occurred_at as date)
),

user_days as (
    select
        user_id,
        account_id,
        activity_date,
        count(*) as session_count,
        sum(case when platform = 'desktop' then 1 else 0 end) as desktop_session_count,
        sum(case when platform = 'mobile' then 1 else 0 end) as mobile_session_count,
        sum(duration_seconds) as session_seconds,
        sum(has_error) as error_session_count,
        sum(has_crash) as crash_session_count
    from sessions_flagged
    group by user_id, account_id, activity_date
),

final as (
    select
        user_days.user_id,
        user_days.account_id,
        user_days.activity_date,
        cast(user_days.session_count as bigint) as session_count,
        cast(user_days.desktop_session_count as bigint) as desktop_session_count,
        cast(user_days.mobile_session_count as bigint) as mobile_session_count,
        cast(user_days.session_seconds as bigint) as session_seconds,
        cast(user_days.error_session_count as bigint) as error_session_count,
        cast(user_days.crash_session_count as bigint) as crash_session_count,
        -- features used by a user with no session that day do not count: the user is
        -- not active then
        cast(coalesce(features_used.features_used_count, 0) as bigint) as features_used_count
    from user_days
    left join features_used
        on
            user_days.user_id = features_used.user_id
            and user_days.activity_date = features_used.activity_date
)

select * from final
