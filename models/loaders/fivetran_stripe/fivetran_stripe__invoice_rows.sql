{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- Every row of Stripe's invoice table, classified. Set aside: drafts (not issued yet),
-- invoices deleted at the source and test-mode ones. Quarantined: an invoice with no
-- customer (no_account); a one-off invoice (no subscription: the contract bills a
-- subscription) or one whose subscription has no paid period, e.g. it never left its
-- trial (missing_parent). An invoice belongs to the contract period of its subscription
-- that had started when it was created (the latest such; the first one for an invoice
-- created before any, like the $0 invoice that opens a trial).
with

invoice as (
    {{ raw_table_select('fivetran_stripe', 'invoice', warn=true) }}
),

periods as (
    select * from {{ ref('fivetran_stripe__subscription_periods') }}
),

invoice_periods as (
    select
        invoice.id as invoice_id,
        periods.contract_subscription_id,
        row_number() over (
            partition by invoice.id
            order by
                case when periods.started_at <= invoice.created then 0 else 1 end,
                case when periods.started_at <= invoice.created then periods.started_at end
                desc nulls last,
                periods.started_at,
                periods.contract_subscription_id asc
        ) as period_rank
    from invoice
    inner join periods
        on invoice.subscription_id = periods.subscription_id
),

classified as (
    select
        invoice.*,
        invoice_periods.contract_subscription_id,
        case
            when coalesce(invoice._fivetran_deleted, false) then 'set_aside'
            when coalesce(invoice.is_deleted, false) then 'set_aside'
            when not coalesce(invoice.livemode, true) then 'set_aside'
            when invoice.status = 'draft' then 'set_aside'
            when invoice.customer_id is null then 'quarantined'
            when invoice_periods.contract_subscription_id is null then 'quarantined'
            else 'used'
        end as row_status,
        case
            when invoice.customer_id is null then 'no_account'
            else 'missing_parent'
        end as failed_reason
    from invoice
    left join invoice_periods
        on
            invoice.id = invoice_periods.invoice_id
            and invoice_periods.period_rank = 1
),

final as (
    select
        'fivetran_stripe.invoice' as source_table,
        coalesce(id, 'null') as record_key,
        row_status,
        case when row_status = 'quarantined' then failed_reason end as quarantine_reason,
        {{ fivetran_stripe_record_text(['id', 'customer_id', 'subscription_id', 'currency',
            'amount_due', 'status', 'created', '_fivetran_synced']) }} as record_text,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as loaded_at,
        id as invoice_id,
        customer_id,
        contract_subscription_id,
        upper(currency) as currency,
        amount_due,
        status,
        coalesce(status_transitions_finalized_at, created) as issued_at,
        -- an invoice charged automatically has no due date: it is due when issued
        coalesce(due_date, status_transitions_finalized_at, created) as due_at,
        case
            when status = 'paid'
                then coalesce(status_transitions_paid_at, status_transitions_finalized_at, created)
        end as paid_at,
        _fivetran_synced as synced_at
    from classified
)

select * from final
