-- One row per user and day with a session: the user-day grain every active-user metric
-- is built from (a user counts as active on the day of any session).
with

sessions as (
    select * from {{ ref('stg_activity__sessions') }}
),

final as (
    select
        user_id,
        account_id,
        cast(started_at as date) as activity_date,
        count(*) as session_count,
        sum(case when platform = 'desktop' then 1 else 0 end) as desktop_session_count,
        sum(case when platform = 'mobile' then 1 else 0 end) as mobile_session_count,
        sum(duration_seconds) as session_seconds
    from sessions
    group by user_id, account_id, cast(started_at as date)
)

select * from final
