{{ config(enabled=loader_enabled('segment')) }}

-- Segment rows that cannot be mapped onto the contract, with the reason (the rules are
-- in segment__users_classified and segment__events_classified); stg_quarantined_rows
-- unions them in.
with

users_classified as (
    select * from {{ ref('segment__users_classified') }}
),

events_classified as (
    select * from {{ ref('segment__events_classified') }}
),

quarantined_users as (
    select
        'segment.users' as source_table,
        coalesce(segment_user_id, 'null') as record_key,
        quarantine_reason,
        record_text,
        loaded_at
    from users_classified
    where quarantine_reason is not null
),

quarantined_calls as (
    select
        source_table,
        coalesce(message_id, 'null') as record_key,
        quarantine_reason,
        record_text,
        loaded_at
    from events_classified
    where quarantine_reason is not null
),

final as (
    select
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(record_key as {{ dbt.type_string() }}) as record_key,
        cast(quarantine_reason as {{ dbt.type_string() }}) as quarantine_reason,
        cast(record_text as {{ dbt.type_string() }}) as record_text,
        cast(loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from quarantined_users
    union all
    select
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(record_key as {{ dbt.type_string() }}) as record_key,
        cast(quarantine_reason as {{ dbt.type_string() }}) as quarantine_reason,
        cast(record_text as {{ dbt.type_string() }}) as record_text,
        cast(loaded_at as {{ dbt.type_timestamp() }}) as loaded_at
    from quarantined_calls
)

select * from final
