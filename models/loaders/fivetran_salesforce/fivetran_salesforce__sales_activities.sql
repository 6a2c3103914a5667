{{ config(enabled=loader_enabled('fivetran_salesforce')) }}

-- crm.sales_activities from Salesforce tasks (calls, emails) and events (meetings)
-- (mapping: fivetran_salesforce__activities_classified). Task and event ids never collide
-- (Salesforce ids are unique across objects), so both hash into one id space.
with

activities_classified as (
    select * from {{ ref('fivetran_salesforce__activities_classified') }}
),

final as (
    select
        cast({{ text_key_to_id('activity_key') }} as bigint) as activity_id,
        cast({{ text_key_to_id('owner_user_key') }} as bigint) as rep_id,
        cast({{ text_key_to_id('opportunity_key') }} as bigint) as opportunity_id,
        cast(activity_type as {{ dbt.type_string() }}) as activity_type,
        {{ utc_timestamp_to_tz('occurred_at') }} as occurred_at,
        {{ utc_timestamp_to_tz('synced_at') }} as _loaded_at
    from activities_classified
    where row_disposition = 'mapped'
)

select * from final
