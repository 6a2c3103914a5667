-- Product engagement, adoption and device signals per account and day, each from events
-- on or before the day (point in time), over trailing windows ending on the day.
with

account_days as (
    select * from {{ ref('int_account_days') }}
),

users as (
    select * from {{ ref('stg_activity__users') }}
),

user_activity_daily as (
    select * from {{ ref('int_user_activity_daily') }}
),

feature_events as (
    select * from {{ ref('stg_activity__feature_events') }}
),

features as (
    select * from {{ ref('stg_activity__features') }}
),

api_usage_daily as (
    select * from {{ ref('stg_activity__api_usage_daily') }}
),

data_exports as (
    select * from {{ ref('stg_activity__data_exports') }}
),

devices as (
    select * from {{ ref('stg_activity__devices') }}
),

device_daily_stats as (
    select * from {{ ref('stg_activity__device_daily_stats') }}
),

user_changes as (
    select
        account_id,
        cast(signed_up_at as date) as change_date,
        1 as signed_up_users,
        0 as activated_users
    from users
    union all
    select
        account_id,
        cast(activated_at as date) as change_date,
        0 as signed_up_users,
        1 as activated_users
    from users
    where activated_at is not null
),

user_changes_by_day as (
    select
        account_id,
        change_date,
        sum(signed_up_users) as signed_up_users,
        sum(activated_users) as activated_users
    from user_changes
    group by account_id, change_date
),

sessions_by_day as (
    select
        account_id,
        activity_date,
        sum(session_count) as session_count
    from user_activity_daily
    group by account_id, activity_date
),

monthly_active_user_changes as (
    {{ active_user_interval_changes(ref('int_user_activity_daily'), 30, ['account_id']) }}
),

-- Per-user engagement = min(active days in [d-29, d], 20) / 20 x 100. A user's active-day
-- count only changes on an active day (+1) and 30 days later (-1), so the capped value is
-- tracked at those change points and summed per account: no user x day cross join.
user_active_day_edges as (
    select
        account_id,
        user_id,
        activity_date as change_date,
        1 as active_days_delta
    from user_activity_daily
    union all
    select
        account_id,
        user_id,
        {{ add_days('activity_date', 30) }} as change_date,
        -1 as active_days_delta
    from user_activity_daily
),

user_active_day_changes as (
    select
        account_id,
        user_id,
        change_date,
        sum(active_days_delta) as active_days_delta
    from user_active_day_edges
    group by account_id, user_id, change_date
),

user_active_days_30d as (
    select
        account_id,
        user_id,
        change_date,
        sum(active_days_delta) over (
            partition by account_id, user_id
            order by change_date
            rows between unbounded preceding and current row
        ) as active_days_30d
    from user_active_day_changes
),

user_capped_active_day_deltas as (
    select
        account_id,
        change_date,
        least(active_days_30d, 20) - coalesce(lag(least(active_days_30d, 20)) over (
            partition by account_id, user_id order by change_date
        ), 0) as capped_active_days_delta
    from user_active_days_30d
),

capped_active_day_changes as (
    select
        account_id,
        change_date,
        sum(capped_active_days_delta) as capped_active_days_delta
    from user_capped_active_day_deltas
    group by account_id, change_date
),

feature_use_days as (
    select distinct
        feature_events.account_id,
        -- the rolling distinct-count macro counts "user_id"s: here the thing counted is
        -- the feature
        feature_events.feature_key as user_id,
        cast(feature_events.occurred_at as date) as activity_date,
        features.is_core
    from feature_events
    inner join features
        on feature_events.feature_key = features.feature_key
),

feature_adoption_changes as (
    {{ active_user_interval_changes('feature_use_days', 30, ['account_id']) }}
),

core_feature_adoption_changes as (
    {{ active_user_interval_changes(
        '(select * from feature_use_days where is_core) as core_feature_use_days',
        30, ['account_id']) }}
),

feature_releases_by_day as (
    select
        cast(released_at as date) as release_date,
        count(*) as released_features,
        sum(case when is_core then 1 else 0 end) as released_core_features
    from features
    group by cast(released_at as date)
),

exports_by_day as (
    select
        account_id,
        cast(created_at as date) as export_date,
        count(*) as export_count
    from data_exports
    group by account_id, cast(created_at as date)
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

account_first_days as (
    select
        account_id,
        min(date_day) as first_day
    from account_days
    group by account_id
),

-- features released before the account's first day still count as available: their
-- running total starts from every release up to that day
features_released_before as (
    select
        account_first_days.account_id,
        sum(feature_releases_by_day.released_features) as released_features,
        sum(feature_releases_by_day.released_core_features) as released_core_features
    from account_first_days
    inner join feature_releases_by_day
        on account_first_days.first_day > feature_releases_by_day.release_date
    group by account_first_days.account_id
),

daily_inputs as (
    select
        account_days.account_id,
        account_days.date_day,
        coalesce(user_changes_by_day.signed_up_users, 0) as signed_up_users,
        coalesce(user_changes_by_day.activated_users, 0) as activated_users,
        coalesce(sessions_by_day.session_count, 0) as session_count,
        coalesce(monthly_active_user_changes.active_users_delta, 0) as active_users_delta,
        coalesce(capped_active_day_changes.capped_active_days_delta, 0)
            as capped_active_days_delta,
        coalesce(feature_adoption_changes.active_users_delta, 0) as features_delta,
        coalesce(core_feature_adoption_changes.active_users_delta, 0) as core_features_delta,
        coalesce(feature_releases_by_day.released_features, 0) as released_features,
        coalesce(feature_releases_by_day.released_core_features, 0)
            as released_core_features,
        coalesce(api_usage_daily.api_calls, 0) as api_calls,
        coalesce(exports_by_day.export_count, 0) as export_count,
        coalesce(device_changes.devices_delta, 0) as devices_delta,
        coalesce(device_stats_by_day.device_reports, 0) as device_reports,
        coalesce(device_stats_by_day.device_health_sum, 0) as device_health_sum,
        coalesce(device_stats_by_day.volume_processed_gb, 0) as volume_processed_gb,
        coalesce(features_released_before.released_features, 0)
            as features_released_before,
        coalesce(features_released_before.released_core_features, 0)
            as core_features_released_before
    from account_days
    left join user_changes_by_day
        on
            account_days.account_id = user_changes_by_day.account_id
            and account_days.date_day = user_changes_by_day.change_date
    left join sessions_by_day
        on
            account_days.account_id = sessions_by_day.account_id
            and account_days.date_day = sessions_by_day.activity_date
    left join monthly_active_user_changes
        on
            account_days.account_id = monthly_active_user_changes.account_id
            and account_days.date_day = monthly_active_user_changes.change_date
    left join capped_active_day_changes
        on
            account_days.account_id = capped_active_day_changes.account_id
            and account_days.date_day = capped_active_day_changes.change_date
    left join feature_adoption_changes
        on
            account_days.account_id = feature_adoption_changes.account_id
            and account_days.date_day = feature_adoption_changes.change_date
    left join core_feature_adoption_changes
        on
            account_days.account_id = core_feature_adoption_changes.account_id
            and account_days.date_day = core_feature_adoption_changes.change_date
    left join feature_releases_by_day
        on account_days.date_day = feature_releases_by_day.release_date
    left join api_usage_daily
        on
            account_days.account_id = api_usage_daily.account_id
            and account_days.date_day = api_usage_daily.usage_date
    left join exports_by_day
        on
            account_days.account_id = exports_by_day.account_id
            and account_days.date_day = exports_by_day.export_date
    left join device_changes
        on
            account_days.account_id = device_changes.account_id
            and account_days.date_day = device_changes.change_date
    left join device_stats_by_day
        on
            account_days.account_id = device_stats_by_day.account_id
            and account_days.date_day = device_stats_by_day.stat_date
    left join features_released_before
        on account_days.account_id = features_released_before.account_id
),

{%- set running = 'partition by daily_inputs.account_id order by daily_inputs.date_day rows between unbounded preceding and current row' %}
{%- set last_7 = 'partition by daily_inputs.account_id order by daily_inputs.date_day rows between 6 preceding and current row' %}
{%- set last_30 = 'partition by daily_inputs.account_id order by daily_inputs.date_day rows between 29 preceding and current row' %}
{%- set prior_30 = 'partition by daily_inputs.account_id order by daily_inputs.date_day rows between 59 preceding and 30 preceding' %}

windowed as (
    select
        daily_inputs.account_id,
        daily_inputs.date_day,
        sum(daily_inputs.signed_up_users) over ({{ running }}) as user_count,
        sum(daily_inputs.activated_users) over ({{ running }}) as activated_user_count,
        sum(daily_inputs.active_users_delta) over ({{ running }}) as monthly_active_users,
        sum(daily_inputs.capped_active_days_delta) over ({{ running }})
            as capped_active_days_30d,
        sum(daily_inputs.features_delta) over ({{ running }}) as features_adopted,
        sum(daily_inputs.core_features_delta) over ({{ running }}) as core_features_adopted,
        daily_inputs.features_released_before
        + sum(daily_inputs.released_features) over ({{ running }}) as features_available,
        daily_inputs.core_features_released_before
        + sum(daily_inputs.released_core_features) over ({{ running }})
            as core_features_available,
        sum(daily_inputs.devices_delta) over ({{ running }}) as active_device_count,
        sum(daily_inputs.session_count) over ({{ last_7 }}) as sessions_7d,
        sum(daily_inputs.session_count) over ({{ last_30 }}) as sessions_30d,
        coalesce(sum(daily_inputs.session_count) over ({{ prior_30 }}), 0)
            as sessions_prior_30d,
        sum(daily_inputs.api_calls) over ({{ last_30 }}) as api_calls_30d,
        sum(daily_inputs.export_count) over ({{ last_30 }}) as exports_30d,
        sum(daily_inputs.device_reports) over ({{ last_30 }}) as device_reports_30d,
        sum(daily_inputs.device_health_sum) over ({{ last_30 }}) as device_health_sum_30d,
        sum(daily_inputs.volume_processed_gb) over ({{ last_30 }}) as volume_processed_30d
    from daily_inputs
)

select * from windowed
