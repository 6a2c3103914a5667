with

source as (
    select * from {{ ref('base_billing__payment_attempts') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(payment_attempt_id as bigint) as payment_attempt_id,
        cast(invoice_id as bigint) as invoice_id,
        cast(account_id as bigint) as account_id,
        {{ to_utc('attempted_at') }} as attempted_at,
        cast(amount as numeric(18, 2)) as amount,
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(status as {{ dbt.type_string() }}) as status,
        cast(failure_code as {{ dbt.type_string() }}) as failure_code,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
