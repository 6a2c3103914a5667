{{ config(enabled=loader_enabled('fivetran_salesforce')) }}

-- Every Salesforce task and event row with what the mapping does with it. A task is a
-- call or an email by its TaskSubtype (Call, Email, ListEmail) or, for a plain task, its
-- Type picklist (seed fivetran_salesforce_value_mappings, field activity_type); a task
-- that is neither (a to-do) or is not completed yet is set aside. Every event is a
-- meeting. Deleted rows are set aside. The deal is the related record (WhatId) when it
-- is an opportunity (id prefix 006).
with

salesforce_tasks as (
    {{ raw_table_select('fivetran_salesforce', 'task', warn=true) }}
),

salesforce_events as (
    {{ raw_table_select('fivetran_salesforce', 'event', warn=true) }}
),

tasks_with_values as (
    select
        'fivetran_salesforce.task' as source_table,
        salesforce_tasks.id as activity_key,
        salesforce_tasks.owner_id as owner_user_key,
        salesforce_tasks.what_id,
        salesforce_tasks.task_subtype,
        salesforce_tasks.type,
        coalesce(subtype_mappings.contract_value, type_mappings.contract_value)
            as activity_type,
        -- completion time when Salesforce has it, else the task's day, else its creation
        coalesce(
            salesforce_tasks.completed_date_time,
            cast(salesforce_tasks.activity_date as {{ dbt.type_timestamp() }}),
            salesforce_tasks.created_date
        ) as occurred_at,
        coalesce(salesforce_tasks.is_deleted, false)
        or coalesce(salesforce_tasks._fivetran_deleted, false) as is_deleted,
        coalesce(salesforce_tasks.is_closed, true) as is_completed,
        cast(salesforce_tasks._fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at
    from salesforce_tasks
    {{ fivetran_salesforce_join_value('subtype_mappings', 'activity_type',
                                      'salesforce_tasks.task_subtype') }}
    {{ fivetran_salesforce_join_value('type_mappings', 'activity_type',
                                      'salesforce_tasks.type') }}
),

events_with_values as (
    select
        'fivetran_salesforce.event' as source_table,
        id as activity_key,
        owner_id as owner_user_key,
        what_id,
        cast(null as {{ dbt.type_string() }}) as task_subtype,
        cast(null as {{ dbt.type_string() }}) as type,
        'meeting' as activity_type,
        start_date_time as occurred_at,
        coalesce(is_deleted, false) or coalesce(_fivetran_deleted, false) as is_deleted,
        true as is_completed,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at
    from salesforce_events
),

activities_with_values as (
    select * from tasks_with_values
    union all
    select * from events_with_values
),

reasons as (
    select
        *,
        case
            when is_deleted then 'deleted'
            when not is_completed then 'not_completed'
            when activity_type is null then 'not_a_call_email_or_meeting'
        end as disposition_reason
    from activities_with_values
),

final as (
    select
        source_table,
        activity_key as record_key,
        {{ fivetran_salesforce_disposition('disposition_reason') }} as row_disposition,
        disposition_reason,
        activity_key,
        owner_user_key,
        case when what_id like '006%' then what_id end as opportunity_key,
        activity_type,
        occurred_at,
        synced_at
    from reasons
)

select * from final
