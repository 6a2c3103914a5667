with

source as (
    select * from {{ ref('base_crm__sales_activities') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(activity_id as bigint) as activity_id,
        cast(rep_id as bigint) as rep_id,
        cast(opportunity_id as bigint) as opportunity_id,
        cast(activity_type as {{ dbt.type_string() }}) as activity_type,
        {{ to_utc('occurred_at') }} as occurred_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
