-- Adoption of each release's headline feature over the release's first 7 days (release
-- day included), one row per release and day of that window up to the as-of day: active
-- users so far in the window, and those of them who used the feature after it shipped.
-- Small: a few releases x 7 days; the events are read only inside release windows.
with

releases as (
    select * from {{ ref('stg_activity__releases') }}
),

user_activity_daily as (
    select * from {{ ref('int_user_activity_daily') }}
),

feature_events as (
    select * from {{ ref('stg_activity__feature_events') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

releases_shipped as (
    select
        release_id,
        version,
        feature_key,
        released_at,
        cast(released_at as date) as released_date,
        {{ add_days('cast(released_at as date)', 7) }} as window_end_exclusive
    from releases
    where released_at < {{ as_of_end() }}
),

release_days as (
    select
        releases_shipped.release_id,
        calendar_days.date_day
    from releases_shipped
    inner join calendar_days
        on
            releases_shipped.released_date <= calendar_days.date_day
            and releases_shipped.window_end_exclusive > calendar_days.date_day
),

-- a user is in the window's audience from their first active day in it
window_active_users as (
    select
        releases_shipped.release_id,
        user_activity_daily.user_id,
        min(user_activity_daily.activity_date) as first_active_date
    from releases_shipped
    inner join user_activity_daily
        on
            releases_shipped.released_date <= user_activity_daily.activity_date
            and releases_shipped.window_end_exclusive > user_activity_daily.activity_date
    group by releases_shipped.release_id, user_activity_daily.user_id
),

-- only uses after the release time count: earlier uses are of the previous version
window_feature_users as (
    select
        releases_shipped.release_id,
        feature_events.user_id,
        min(cast(feature_events.occurred_at as date)) as first_use_date
    from releases_shipped
    inner join feature_events
        on
            releases_shipped.feature_key = feature_events.feature_key
            and releases_shipped.released_at <= feature_events.occurred_at
            and releases_shipped.window_end_exclusive > feature_events.occurred_at
            and feature_events.occurred_at < {{ as_of_end() }}
    group by releases_shipped.release_id, feature_events.user_id
),

-- adopters are a subset of the audience, so adoption never exceeds 100 %
window_adopters as (
    select
        window_active_users.release_id,
        greatest(
            window_active_users.first_active_date, window_feature_users.first_use_date
        ) as adopted_date
    from window_active_users
    inner join window_feature_users
        on
            window_active_users.release_id = window_feature_users.release_id
            and window_active_users.user_id = window_feature_users.user_id
),

new_audience_per_day as (
    select
        release_id,
        first_active_date as date_day,
        count(*) as new_active_users
    from window_active_users
    group by release_id, first_active_date
),

new_adopters_per_day as (
    select
        release_id,
        adopted_date as date_day,
        count(*) as new_adopters
    from window_adopters
    group by release_id, adopted_date
),

cumulative as (
    select
        release_days.release_id,
        release_days.date_day,
        sum(coalesce(new_audience_per_day.new_active_users, 0)) over (
            partition by release_days.release_id
            order by release_days.date_day
            rows between unbounded preceding and current row
        ) as window_active_users,
        sum(coalesce(new_adopters_per_day.new_adopters, 0)) over (
            partition by release_days.release_id
            order by release_days.date_day
            rows between unbounded preceding and current row
        ) as window_adopters
    from release_days
    left join new_audience_per_day
        on
            release_days.release_id = new_audience_per_day.release_id
            and release_days.date_day = new_audience_per_day.date_day
    left join new_adopters_per_day
        on
            release_days.release_id = new_adopters_per_day.release_id
            and release_days.date_day = new_adopters_per_day.date_day
),

final as (
    select
        cumulative.release_id,
        releases_shipped.version,
        releases_shipped.feature_key,
        releases_shipped.released_at,
        releases_shipped.released_date,
        cumulative.date_day,
        cast(cumulative.window_active_users as bigint) as window_active_users,
        cast(cumulative.window_adopters as bigint) as window_adopters
    from cumulative
    inner join releases_shipped
        on cumulative.release_id = releases_shipped.release_id
)

select * from final
