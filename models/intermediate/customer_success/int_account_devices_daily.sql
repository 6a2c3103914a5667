-- Managed devices per account and day, point in time: devices registered and not retired
-- by the end of the day, and the device reports, summed health scores and volume
-- processed in [d-29, d].
with

account_days as (
    select * from {{ ref('int_account_days') }}
),

devices as (
    select * from {{ ref('stg_activity__devices') }}
),

device_daily_stats as (
    select * from {{ ref('stg_activity__device_daily_stats') }}
),

-- a device counts from its registration day; retired during a day, it no longer counts
-- that day (the one time rule of macros/metrics/periods.sql, as +1/-1 edges)
device_edges as (
    select
        account_id,
        cast(registered_at as date) as change_date,
        1 as devices_delta
    from devices
    union all
    select
        account_id,
        cast(retired_at as date) as change_date,
        -1 as devices_delta
    from devices
    where retired_at is not null
),

device_changes as (
    select
        account_id,
        change_date,
        sum(devices_delta) as devices_delta
    from device_edges
    group by account_id, change_date
),

device_stats_by_day as (
    select
        devices.account_id,
        device_daily_stats.stat_date,
        count(*) as device_reports,
        sum(device_daily_stats.health_score) as device_health_sum,
        sum(device_daily_stats.volume_processed_gb) as volume_processed_gb
    from device_daily_stats
    inner join devices
        on device_daily_stats.device_id = devices.device_id
    group by devices.account_id, device_daily_stats.stat_date
),

daily_inputs as (
    select
        account_days.account_id,
        account_days.date_day,
        coalesce(device_changes.devices_delta, 0) as devices_delta,
        coalesce(device_stats_by_day.device_reports, 0) as device_reports,
        coalesce(device_stats_by_day.device_health_sum, 0) as device_health_sum,
        coalesce(device_stats_by_day.volume_processed_gb, 0) as volume_processed_gb
    from account_days
    left join device_changes
        on
            account_days.account_id = device_changes.account_id
            and account_days.date_day = device_changes.change_date
    left join device_stats_by_day
        on
            account_days.account_id = device_stats_by_day.account_id
            and account_days.date_day = device_stats_by_day.stat_date
),

{%- set window_for = 'partition by account_id order by date_day rows between ' %}

final as (
    select
        account_id,
        date_day,
        sum(devices_delta) over ({{ window_for }}unbounded preceding and current row)
            as active_device_count,
        sum(device_reports) over ({{ window_for }}29 preceding and current row)
            as device_reports_30d,
        sum(device_health_sum) over ({{ window_for }}29 preceding and current row)
            as device_health_sum_30d,
        sum(volume_processed_gb) over ({{ window_for }}29 preceding and current row)
            as volume_processed_30d
    from daily_inputs
)

select * from final
