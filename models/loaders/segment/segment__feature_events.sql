{{ config(enabled=loader_enabled('segment')) }}

-- activity.feature_events from Segment: each track call of a mapped user whose event is
-- listed in the seed segment_event_features is one use of that feature. Other track
-- events are not feature uses (they still count towards sessions).
with

events_classified as (
    select * from {{ ref('segment__events_classified') }}
),

event_features as (
    select * from {{ ref('segment_event_features') }}
),

final as (
    select
        cast({{ text_key_to_id('events_classified.message_id') }} as {{ dbt.type_bigint() }})
            as feature_event_id,
        cast(events_classified.user_id as {{ dbt.type_bigint() }}) as user_id,
        cast(events_classified.account_id as {{ dbt.type_bigint() }}) as account_id,
        cast(event_features.feature_key as {{ dbt.type_string() }}) as feature_key,
        {{ utc_timestamp_to_tz('events_classified.occurred_at') }} as occurred_at,
        {{ utc_timestamp_to_tz('events_classified.loaded_at') }} as _loaded_at
    from events_classified
    inner join event_features
        on events_classified.event = event_features.event
    where
        events_classified.source_table = 'segment.tracks'
        and not events_classified.is_collapsed_copy
        and events_classified.quarantine_reason is null
)

select * from final
