{{
    config(
        materialized='incremental',
        unique_key=['date_day'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

-- Managed devices per account and day, point in time: devices registered and not retired
-- by the end of the day, and the device reports, summed health scores and volume
-- processed in [d-29, d].
--
-- Incremental by day (macros/metrics/incremental_days.sql): a run recomputes the late-data
-- lookback, carries the active device count forward from the day before it, and reads 29
-- days of account days and device stats before it that the 30-day windows reach back to.
with

account_days as (
    select * from {{ ref('int_account_days') }}
    where {{ recomputed_days_filter('date_day', 29) }}
),

devices as (
    select * from {{ ref('stg_activity__devices') }}
),

device_daily_stats as (
    select * from {{ ref('stg_activity__device_daily_stats') }}
    where {{ recomputed_days_filter('stat_date', 29) }}
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

-- only the recomputed days' changes: the running total starts from the day before them
device_changes as (
    select
        account_id,
        change_date,
        sum(devices_delta) as devices_delta
    from device_edges
    where {{ recomputed_days_filter('change_date') }}
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

-- the running total covers the recomputed days only (the 29 days before them are there
-- for the windows)
recomputed_device_changes as (
    select
        account_id,
        date_day,
        devices_delta
    from daily_inputs
    where {{ recomputed_days_filter('date_day') }}
),

active_devices as (
    {{ running_totals('recomputed_device_changes', 'account_id', [
        ('devices_delta', 'active_device_count'),
    ]) }}
),

{%- set window_for = 'partition by account_id order by date_day rows between ' %}

-- the spine is dense per account, so "rows between" is exactly a window of days
device_windows as (
    select
        account_id,
        date_day,
        sum(device_reports) over ({{ window_for }}29 preceding and current row)
            as device_reports_30d,
        sum(device_health_sum) over ({{ window_for }}29 preceding and current row)
            as device_health_sum_30d,
        sum(volume_processed_gb) over ({{ window_for }}29 preceding and current row)
            as volume_processed_30d
    from daily_inputs
),

final as (
    select
        active_devices.account_id,
        active_devices.date_day,
        active_devices.active_device_count,
        device_windows.device_reports_30d,
        device_windows.device_health_sum_30d,
        device_windows.volume_processed_30d
    from active_devices
    inner join device_windows
        on
            active_devices.account_id = device_windows.account_id
            and active_devices.date_day = device_windows.date_day
)

select * from final
