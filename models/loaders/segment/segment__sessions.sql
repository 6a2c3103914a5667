{{ config(enabled=loader_enabled('segment')) }}

-- activity.sessions from Segment's track and page calls of mapped users. Segment has no
-- sessions, so they are cut from the calls the way Segment's own dbt package does it: a
-- user's calls on one platform belong to one session until a gap longer than
-- segment_session_inactivity_minutes (default 30) starts the next one. Identify calls
-- are not usage and start no session. A session counts on the day it started, even when
-- it runs past midnight; one with a single call lasts 0 seconds (Segment records no end).
{%- set inactivity_seconds = var('segment_session_inactivity_minutes', 30) * 60 %}

with

events_classified as (
    select * from {{ ref('segment__events_classified') }}
),

usage_calls as (
    select
        segment_user_id,
        user_id,
        account_id,
        platform,
        occurred_at,
        loaded_at,
        message_id
    from events_classified
    where
        not is_collapsed_copy
        and quarantine_reason is null
        and source_table in ('segment.tracks', 'segment.pages')
),

calls_with_previous as (
    select
        *,
        lag(occurred_at) over (
            partition by user_id, platform
            order by occurred_at, message_id
        ) as previous_occurred_at
    from usage_calls
),

calls_with_gap as (
    select
        *,
        {{ dbt.datediff('previous_occurred_at', 'occurred_at', 'second') }} as gap_seconds
    from calls_with_previous
),

-- a gap of exactly the limit keeps the session going; only a longer one ends it
calls_numbered as (
    select
        *,
        sum(
            case
                when previous_occurred_at is null then 1
                when gap_seconds > {{ inactivity_seconds }} then 1
                else 0
            end
        ) over (
            partition by user_id, platform
            order by occurred_at, message_id
            rows between unbounded preceding and current row
        ) as session_number
    from calls_with_gap
),

sessions as (
    select
        segment_user_id,
        user_id,
        account_id,
        platform,
        session_number,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at,
        max(loaded_at) as loaded_at
    from calls_numbered
    group by segment_user_id, user_id, account_id, platform, session_number
),

final as (
    select
        -- the user, the platform and the start make a session; a late call before the
        -- start moves it, and the session gets a new id
        cast({{ text_key_to_id(
            "segment_user_id || '|' || platform || '|' || cast(started_at as "
            ~ dbt.type_string() ~ ")") }} as {{ dbt.type_bigint() }}) as session_id,
        cast(user_id as {{ dbt.type_bigint() }}) as user_id,
        cast(account_id as {{ dbt.type_bigint() }}) as account_id,
        cast(platform as {{ dbt.type_string() }}) as platform,
        {{ utc_timestamp_to_tz('started_at') }} as started_at,
        cast({{ dbt.datediff('started_at', 'ended_at', 'second') }} as {{ dbt.type_int() }})
            as duration_seconds,
        {{ utc_timestamp_to_tz('loaded_at') }} as _loaded_at
    from sessions
)

select * from final
