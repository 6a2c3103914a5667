{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- billing.payment_attempts from Stripe charges on invoices: one attempt per charge,
-- failed ones included (their failure_code says why).
with

charges as (
    select * from {{ ref('fivetran_stripe__charge_rows') }}
    where row_status = 'used'
),

final as (
    select
        cast({{ text_key_to_id('charge_id') }} as bigint) as payment_attempt_id,
        cast({{ text_key_to_id('invoice_id') }} as bigint) as invoice_id,
        cast({{ text_key_to_id('customer_id') }} as bigint) as account_id,
        {{ utc_timestamp_to_tz('attempted_at') }} as attempted_at,
        cast({{ fivetran_stripe_major_units('amount', 'currency') }} as numeric(18, 2)) as amount,
        cast(currency as text) as currency,
        cast(status as text) as status,
        cast(case when status = 'failed' then failure_code end as text) as failure_code,
        {{ utc_timestamp_to_tz('synced_at') }} as _loaded_at
    from charges
)

select * from final
