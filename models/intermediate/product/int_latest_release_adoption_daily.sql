-- Per UTC day, the adoption of the release the day reports on (the latest one shipped by
-- the end of the day): users active in its 7-day window and those who adopted its
-- headline feature; the parts of feature_release_adoption_7d. Days before the first
-- release have no row.
with

release_adoption_daily as (
    select * from {{ ref('int_release_adoption_daily') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
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
),

-- after its 7-day window a release keeps the adoption it reached on the window's last day
final as (
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
)

select * from final
