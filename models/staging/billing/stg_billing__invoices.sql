with

source as (
    select * from {{ ref('base_billing__invoices') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(invoice_id as bigint) as invoice_id,
        cast(account_id as bigint) as account_id,
        cast(subscription_id as bigint) as subscription_id,
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(amount_due as numeric(18, 2)) as amount_due,
        {{ to_utc('issued_at') }} as issued_at,
        {{ to_utc('due_at') }} as due_at,
        {{ to_utc('paid_at') }} as paid_at,
        cast(status as {{ dbt.type_string() }}) as status,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
