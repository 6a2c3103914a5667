with

source as (
    select * from {{ ref('base_crm__opportunities') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(opportunity_id as bigint) as opportunity_id,
        cast(lead_id as bigint) as lead_id,
        cast(account_id as bigint) as account_id,
        cast(owner_rep_id as bigint) as owner_rep_id,
        cast(opportunity_type as {{ dbt.type_string() }}) as opportunity_type,
        cast(amount_usd as numeric(18, 2)) as amount_usd,
        {{ to_utc('created_at') }} as created_at,
        cast(expected_close_date as date) as expected_close_date,
        cast(current_stage as {{ dbt.type_string() }}) as current_stage,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
