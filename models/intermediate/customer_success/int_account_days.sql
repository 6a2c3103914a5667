-- One row per account and calendar day from the account's signup day to the as-of day:
-- the dense spine the customer success models take their trailing windows over, so
-- "rows between 29 preceding and current row" is exactly [d-29, d].
with

accounts as (
    select * from {{ ref('stg_billing__accounts') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

final as (
    select
        accounts.account_id,
        calendar_days.date_day
    from accounts
    inner join calendar_days
        on calendar_days.date_day >= cast(accounts.created_at as date)
)

select * from final
