-- Payment attempts per account and day, point in time, over trailing windows ending on
-- the day: the additive parts of the payment score (failed attempts in [d-89, d]) and of
-- the company payment failure rate (attempts and failed attempts in [d-29, d]). Summed
-- over accounts they are the company's counts: every attempt belongs to an account.
with

account_days as (
    select * from {{ ref('int_account_days') }}
),

payment_attempts as (
    select * from {{ ref('stg_billing__payment_attempts') }}
),

attempts_by_day as (
    select
        account_id,
        cast(attempted_at as date) as attempt_date,
        count(*) as payment_attempts,
        sum(case when status = 'failed' then 1 else 0 end) as failed_payment_attempts
    from payment_attempts
    group by account_id, cast(attempted_at as date)
),

daily_inputs as (
    select
        account_days.account_id,
        account_days.date_day,
        coalesce(attempts_by_day.payment_attempts, 0) as payment_attempts,
        coalesce(attempts_by_day.failed_payment_attempts, 0) as failed_payment_attempts
    from account_days
    left join attempts_by_day
        on
            account_days.account_id = attempts_by_day.account_id
            and account_days.date_day = attempts_by_day.attempt_date
),

{%- set trailing_rows = 'partition by account_id order by date_day'
                       ~ ' rows between %d preceding and current row' %}

-- the spine is dense per account, so "n - 1 preceding" is exactly an n-day window
final as (
    select
        account_id,
        date_day,
        {#- failed_payments_90d feeds the health payment score, named as in the mart #}
        {%- for column, days, window_name in [
            ('payment_attempts', 30, 'payment_attempts_30d'),
            ('failed_payment_attempts', 30, 'failed_payment_attempts_30d'),
            ('failed_payment_attempts', 90, 'failed_payments_90d'),
        ] %}
        sum({{ column }}) over ({{ trailing_rows | format(days - 1) }}) as {{ window_name }}
        {{- ',' if not loop.last }}
    {%- endfor %}
    from daily_inputs
)

select * from final
