{{ config(enabled=loader_enabled('segment')) }}

-- Every identify, track and page call Segment landed, one row each, with the user and
-- account it maps to and what becomes of it: mapped, collapsed as a second copy of a
-- message id (Segment delivers at least once, so a retried call can land twice; the
-- first received copy wins), or quarantined:
--   no_user         no user_id: an anonymous visitor (e.g. before logging in); anonymous
--                   calls are not product usage, and they are not stitched to a later user
--   missing_parent  a user_id that is not in Segment's users table
--   no_account      its user has no account trait (the user is quarantined too)
-- Times stay naive UTC here; the contract models turn them into timestamptz.
with

identifies as (
    {{ raw_table_select('segment', 'identifies', warn=true) }}
),

tracks as (
    {{ raw_table_select('segment', 'tracks', warn=true) }}
),

pages as (
    {{ raw_table_select('segment', 'pages', warn=true) }}
),

users_classified as (
    select * from {{ ref('segment__users_classified') }}
),

calls as (
    select
        'segment.identifies' as source_table,
        id as message_id,
        user_id as segment_user_id,
        anonymous_id,
        cast(null as {{ dbt.type_string() }}) as event,
        cast(null as {{ dbt.type_string() }}) as platform,
        cast(timestamp as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(received_at as {{ dbt.type_timestamp() }}) as received_at,
        cast(coalesce(uuid_ts, received_at) as {{ dbt.type_timestamp() }}) as loaded_at,
        cast(null as {{ dbt.type_string() }}) as path
    from identifies
    union all
    select
        'segment.tracks' as source_table,
        id as message_id,
        user_id as segment_user_id,
        anonymous_id,
        event,
        {{ segment_platform() }} as platform,
        cast(timestamp as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(received_at as {{ dbt.type_timestamp() }}) as received_at,
        cast(coalesce(uuid_ts, received_at) as {{ dbt.type_timestamp() }}) as loaded_at,
        cast(null as {{ dbt.type_string() }}) as path
    from tracks
    union all
    select
        'segment.pages' as source_table,
        id as message_id,
        user_id as segment_user_id,
        anonymous_id,
        cast(null as {{ dbt.type_string() }}) as event,
        {{ segment_platform() }} as platform,
        cast(timestamp as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(received_at as {{ dbt.type_timestamp() }}) as received_at,
        cast(coalesce(uuid_ts, received_at) as {{ dbt.type_timestamp() }}) as loaded_at,
        path
    from pages
),

calls_ranked as (
    select
        *,
        case
            when message_id is null then 1
            else row_number() over (
                partition by source_table, message_id
                order by received_at, loaded_at
            )
        end as copy_rank
    from calls
),

-- the user row each call belongs to (its kept copy)
users_kept as (
    select
        segment_user_id,
        user_id,
        account_id,
        quarantine_reason
    from users_classified
    where not is_collapsed_copy and segment_user_id is not null
),

final as (
    select
        calls_ranked.source_table,
        calls_ranked.message_id,
        calls_ranked.segment_user_id,
        users_kept.user_id,
        users_kept.account_id,
        calls_ranked.event,
        calls_ranked.platform,
        calls_ranked.occurred_at,
        calls_ranked.loaded_at,
        calls_ranked.copy_rank > 1 as is_collapsed_copy,
        case
            when calls_ranked.copy_rank > 1 then null
            when calls_ranked.segment_user_id is null then 'no_user'
            when users_kept.segment_user_id is null then 'missing_parent'
            when users_kept.quarantine_reason is not null then 'no_account'
        end as quarantine_reason,
        -- the anonymous id identifies a device or browser: hashed like personal data
        'id=' || coalesce(calls_ranked.message_id, 'null')
        || ', user_id=' || coalesce(calls_ranked.segment_user_id, 'null')
        || ', anonymous_id=' || coalesce({{ hash_pii('calls_ranked.anonymous_id') }}, 'null')
        || ', event=' || coalesce(calls_ranked.event, 'null')
        || ', path=' || coalesce(calls_ranked.path, 'null')
        || ', timestamp='
        || coalesce(cast(calls_ranked.occurred_at as {{ dbt.type_string() }}), 'null')
            as record_text
    from calls_ranked
    left join users_kept
        on calls_ranked.segment_user_id = users_kept.segment_user_id
)

select * from final
