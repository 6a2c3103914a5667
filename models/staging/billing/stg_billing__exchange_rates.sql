with

source as (
    select * from {{ ref('base_billing__exchange_rates') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(rate_date as date) as rate_date,
        cast(usd_per_unit as numeric(18, 8)) as usd_per_unit,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
