{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- Every row of Stripe's charge table, classified. Each charge is one payment attempt.
-- Set aside: charges deleted at the source and test-mode ones. Quarantined: a charge
-- with no customer (no_account), one not tied to a mapped invoice (missing_parent: the
-- contract's attempts are on invoices), and a charge still pending (unmapped_value: the
-- contract knows only succeeded and failed; it maps once Stripe settles it).
with

charge as (
    {{ raw_table_select('fivetran_stripe', 'charge', warn=true) }}
),

invoices as (
    select invoice_id
    from {{ ref('fivetran_stripe__invoice_rows') }}
    where row_status = 'used'
),

classified as (
    select
        charge.*,
        case
            when coalesce(charge._fivetran_deleted, false) then 'set_aside'
            when not coalesce(charge.livemode, true) then 'set_aside'
            when charge.customer_id is null then 'quarantined'
            when invoices.invoice_id is null then 'quarantined'
            when charge.status not in ('succeeded', 'failed') then 'quarantined'
            else 'used'
        end as row_status,
        case
            when charge.customer_id is null then 'no_account'
            when invoices.invoice_id is null then 'missing_parent'
            else 'unmapped_value'
        end as failed_reason
    from charge
    left join invoices
        on charge.invoice_id = invoices.invoice_id
),

final as (
    select
        'fivetran_stripe.charge' as source_table,
        coalesce(id, 'null') as record_key,
        row_status,
        case when row_status = 'quarantined' then failed_reason end as quarantine_reason,
        {{ fivetran_stripe_record_text(['id', 'customer_id', 'invoice_id', 'amount', 'currency',
            'status', 'failure_code', 'created', '_fivetran_synced']) }} as record_text,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as loaded_at,
        id as charge_id,
        customer_id,
        invoice_id,
        amount,
        upper(currency) as currency,
        status,
        failure_code,
        created as attempted_at,
        _fivetran_synced as synced_at
    from classified
)

select * from final
