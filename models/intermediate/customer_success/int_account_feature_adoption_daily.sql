{{
    config(
        materialized='incremental',
        unique_key=['date_day'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

-- Feature adoption per account and day, point in time: distinct features and core features
-- used in [d-29, d], and the features and core features released by the end of the day.
--
-- Incremental by day (macros/metrics/incremental_days.sql): a run recomputes the late-data
-- lookback, carries the counts forward from the day before it, and reads the 30 days of
-- feature use before it that the rolling counts need.
with

all_account_days as (
    select * from {{ ref('int_account_days') }}
),

account_days as (
    select * from all_account_days
    where {{ recomputed_days_filter('date_day') }}
),

feature_events as (
    select * from {{ ref('stg_activity__feature_events') }}
    where {{ recomputed_days_filter('cast(occurred_at as date)', 30) }}
),

features as (
    select * from {{ ref('stg_activity__features') }}
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

-- features released before the account's first day still count as available: their
-- running total starts from every release up to that day
features_released_before as (
    select
        account_first_days.account_id,
        account_first_days.first_day,
        sum(feature_releases_by_day.released_features) as released_features,
        sum(feature_releases_by_day.released_core_features) as released_core_features
    from (
        select
            account_id,
            min(date_day) as first_day
        from all_account_days
        group by account_id
    ) as account_first_days
    inner join feature_releases_by_day
        on account_first_days.first_day > feature_releases_by_day.release_date
    group by account_first_days.account_id, account_first_days.first_day
),

daily_inputs as (
    select
        account_days.account_id,
        account_days.date_day,
        coalesce(feature_adoption_changes.active_users_delta, 0) as features_delta,
        coalesce(core_feature_adoption_changes.active_users_delta, 0) as core_features_delta,
        -- features released that day; on the account's first day, also every feature
        -- released before it
        coalesce(feature_releases_by_day.released_features, 0)
        + coalesce(features_released_before.released_features, 0) as released_features,
        coalesce(feature_releases_by_day.released_core_features, 0)
        + coalesce(features_released_before.released_core_features, 0)
            as released_core_features
    from account_days
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
    left join features_released_before
        on
            account_days.account_id = features_released_before.account_id
            and account_days.date_day = features_released_before.first_day
),

final as (
    {{ running_totals('daily_inputs', 'account_id', [
        ('features_delta', 'features_adopted'),
        ('core_features_delta', 'core_features_adopted'),
        ('released_features', 'features_available'),
        ('released_core_features', 'core_features_available'),
    ]) }}
)

select * from final
