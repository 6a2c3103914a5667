{{ config(enabled=loader_enabled('segment')) }}

-- activity.features from the seed segment_event_features (the team's list of which
-- track events use which feature): one row per feature_key. Several events of one
-- feature repeat its name, flag and release; should they disagree, a feature is core when
-- any row says so, and it was released at its earliest release.
with

event_features as (
    select * from {{ ref('segment_event_features') }}
),

final as (
    select
        cast(feature_key as {{ dbt.type_string() }}) as feature_key,
        cast(max(nullif(trim(feature_name), '')) as {{ dbt.type_string() }}) as feature_name,
        max(case when is_core then 1 else 0 end) = 1 as is_core,
        {{ utc_timestamp_to_tz('min(released_at)') }} as released_at,
        -- a seed has no load time: the run that read it is when it was loaded
        {{ utc_timestamp_to_tz(
            "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as "
            ~ dbt.type_timestamp() ~ ")") }} as _loaded_at
    from event_features
    where feature_key is not null
    group by feature_key
)

select * from final
