-- Feature adoption per account and day, point in time: distinct features and core features
-- used in [d-29, d], and the features and core features released by the end of the day.
with

account_days as (
    select * from {{ ref('int_account_days') }}
),

feature_events as (
    select * from {{ ref('stg_activity__feature_events') }}
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
        sum(feature_releases_by_day.released_features) as released_features,
        sum(feature_releases_by_day.released_core_features) as released_core_features
    from (
        select
            account_id,
            min(date_day) as first_day
        from account_days
        group by account_id
    ) as account_first_days
    inner join feature_releases_by_day
        on account_first_days.first_day > feature_releases_by_day.release_date
    group by account_first_days.account_id
),

daily_inputs as (
    select
        account_days.account_id,
        account_days.date_day,
        coalesce(feature_adoption_changes.active_users_delta, 0) as features_delta,
        coalesce(core_feature_adoption_changes.active_users_delta, 0) as core_features_delta,
        coalesce(feature_releases_by_day.released_features, 0) as released_features,
        coalesce(feature_releases_by_day.released_core_features, 0)
            as released_core_features,
        coalesce(features_released_before.released_features, 0)
            as features_released_before,
        coalesce(features_released_before.released_core_features, 0)
            as core_features_released_before
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
        on account_days.account_id = features_released_before.account_id
),

{%- set running = 'partition by account_id order by date_day'
                  ~ ' rows between unbounded preceding and current row' %}

final as (
    select
        account_id,
        date_day,
        sum(features_delta) over ({{ running }}) as features_adopted,
        sum(core_features_delta) over ({{ running }}) as core_features_adopted,
        features_released_before
        + sum(released_features) over ({{ running }}) as features_available,
        core_features_released_before
        + sum(released_core_features) over ({{ running }}) as core_features_available
    from daily_inputs
)

select * from final
