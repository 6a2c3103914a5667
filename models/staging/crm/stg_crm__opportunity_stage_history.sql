with

source as (
    select * from {{ ref('base_crm__opportunity_stage_history') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(stage_history_id as bigint) as stage_history_id,
        cast(opportunity_id as bigint) as opportunity_id,
        cast(stage as {{ dbt.type_string() }}) as stage,
        {{ to_utc('entered_at') }} as entered_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
