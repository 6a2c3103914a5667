-- Receivables per account and day, point in time: an invoice is outstanding on day d
-- when it was issued by the end of d and not paid by the end of d. Void invoices are never
-- outstanding (the raw data carries no void time, so a void invoice is treated as void
-- from issue); uncollectible ones stay outstanding (nothing was paid) and age into 90+.
-- Days past due on d = d - due day; 0 or less is "current", 1 or more is overdue.
-- Invoices convert to USD at the rate of their issue day (latest rate on or before it,
-- macros/metrics/exchange_rates.sql).
with

account_days as (
    select * from {{ ref('int_account_days') }}
),

invoices as (
    select * from {{ ref('stg_billing__invoices') }}
),

exchange_rates as (
    select * from {{ ref('stg_billing__exchange_rates') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

invoices_dated as (
    select
        invoice_id,
        account_id,
        currency,
        amount_due,
        cast(issued_at as date) as issued_date,
        cast(due_at as date) as due_date,
        cast(paid_at as date) as paid_date
    from invoices
    where status != 'void'
),

issue_rates as (
    {{ usd_per_unit_on_or_before(
        'invoices_dated', 'invoice_id', 'currency', 'issued_date', 'exchange_rates') }}
),

invoices_in_usd as (
    select
        invoices_dated.invoice_id,
        invoices_dated.account_id,
        invoices_dated.issued_date,
        invoices_dated.due_date,
        invoices_dated.paid_date,
        cast(invoices_dated.amount_due * issue_rates.usd_per_unit as numeric(38, 6))
            as amount_due_usd
    from invoices_dated
    inner join issue_rates
        on invoices_dated.invoice_id = issue_rates.invoice_id
),

-- one row per invoice and day it is outstanding; most invoices are paid on their issue
-- day and produce no row at all. An unpaid invoice is outstanding up to the as-of day;
-- two plain bounds (no OR) let the engines use a range join instead of a nested loop.
outstanding_invoice_days as (
    select
        invoices_in_usd.account_id,
        calendar_days.date_day,
        invoices_in_usd.amount_due_usd,
        {{ dbt.datediff('invoices_in_usd.due_date', 'calendar_days.date_day', 'day') }}
            as days_past_due
    from invoices_in_usd
    inner join calendar_days
        on
            invoices_in_usd.issued_date <= calendar_days.date_day
            and calendar_days.date_day < coalesce(
                invoices_in_usd.paid_date, {{ add_days(as_of_date(), 1) }}
            )
),

receivables_by_day as (
    select
        account_id,
        date_day,
        sum(amount_due_usd) as outstanding_balance,
        sum(case when days_past_due >= 1 then amount_due_usd else 0 end) as overdue_balance,
        sum(case when days_past_due <= 0 then amount_due_usd else 0 end) as ar_current,
        sum(case when days_past_due between 1 and 30 then amount_due_usd else 0 end) as ar_1_30,
        sum(case when days_past_due between 31 and 60 then amount_due_usd else 0 end) as ar_31_60,
        sum(case when days_past_due between 61 and 90 then amount_due_usd else 0 end) as ar_61_90,
        sum(case when days_past_due > 90 then amount_due_usd else 0 end) as ar_90_plus
    from outstanding_invoice_days
    group by account_id, date_day
),

final as (
    select
        account_days.account_id,
        account_days.date_day,
        {%- for column in ['outstanding_balance', 'overdue_balance', 'ar_current', 'ar_1_30',
                           'ar_31_60', 'ar_61_90', 'ar_90_plus'] %}
        cast(coalesce(receivables_by_day.{{ column }}, 0) as numeric(38, 6)) as {{ column }}
        {{- ',' if not loop.last }}
    {%- endfor %}
    from account_days
    left join receivables_by_day
        on
            account_days.account_id = receivables_by_day.account_id
            and account_days.date_day = receivables_by_day.date_day
)

select * from final
