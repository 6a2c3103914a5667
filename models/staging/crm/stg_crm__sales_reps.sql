with

source as (
    select * from {{ ref('base_crm__sales_reps') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(rep_id as bigint) as rep_id,
        cast(rep_name as {{ dbt.type_string() }}) as rep_name,
        {{ hash_pii('email') }} as email_hash,
        cast(team as {{ dbt.type_string() }}) as team,
        cast(region as {{ dbt.type_string() }}) as region,
        {{ to_utc('hired_at') }} as hired_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
