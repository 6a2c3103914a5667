{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- billing.invoices from Stripe invoices: amounts from cents to the currency's units,
-- issued when finalized, due at due_date (or when issued, for invoices charged
-- automatically), paid at the paid transition.
with

invoices as (
    select * from {{ ref('fivetran_stripe__invoice_rows') }}
    where row_status = 'used'
),

final as (
    select
        cast({{ text_key_to_id('invoice_id') }} as bigint) as invoice_id,
        cast({{ text_key_to_id('customer_id') }} as bigint) as account_id,
        cast(contract_subscription_id as bigint) as subscription_id,
        cast(currency as text) as currency,
        cast({{ fivetran_stripe_major_units('amount_due', 'currency') }} as numeric(18, 2))
            as amount_due,
        {{ utc_timestamp_to_tz('issued_at') }} as issued_at,
        {{ utc_timestamp_to_tz('due_at') }} as due_at,
        {{ utc_timestamp_to_tz('paid_at') }} as paid_at,
        cast(status as text) as status,
        {{ utc_timestamp_to_tz('synced_at') }} as _loaded_at
    from invoices
)

select * from final
