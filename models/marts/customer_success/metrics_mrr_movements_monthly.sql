-- The MRR bridge per customer and calendar month: MRR at the end of the previous month,
-- the month's movements, MRR at the end of the month (the as-of day for the current
-- month, which is month to date). A churn and a return in the same month show as both a
-- churn and a reactivation, never as a net expansion.
with

account_mrr_daily as (
    select * from {{ ref('int_account_mrr_daily') }}
),

accounts as (
    select * from {{ ref('stg_billing__accounts') }}
),

months as (
    select
        account_id,
        month_start_date,
        min(date_day) as first_day,
        max(date_day) as last_day,
        sum(new_mrr_usd) as new_mrr,
        sum(expansion_mrr_usd) as expansion_mrr,
        sum(reactivation_mrr_usd) as reactivation_mrr,
        sum(contraction_mrr_usd) as contraction_mrr,
        sum(churned_mrr_usd) as churned_mrr,
        sum(case when mrr_change_category = 'new' then 1 else 0 end) as new_customers,
        sum(case when mrr_change_category = 'churn' then 1 else 0 end) as churned_customers,
        sum(case when mrr_change_category = 'reactivation' then 1 else 0 end)
            as reactivated_customers
    from account_mrr_daily
    group by account_id, month_start_date
),

final as (
    select
        months.month_start_date,
        months.account_id,
        cast(accounts.account_name as {{ dbt.type_string() }}) as customer_name,
        cast(accounts.segment as {{ dbt.type_string() }}) as segment,
        months.last_day as month_end_date,
        -- MRR at the end of the day before the month's first row: the previous month's
        -- ending MRR, or 0 in the account's first month
        cast(first_days.previous_day_mrr_usd as numeric(38, 6)) as beginning_mrr,
        cast(months.new_mrr as numeric(38, 6)) as new_mrr,
        cast(months.expansion_mrr as numeric(38, 6)) as expansion_mrr,
        cast(months.reactivation_mrr as numeric(38, 6)) as reactivation_mrr,
        cast(months.contraction_mrr as numeric(38, 6)) as contraction_mrr,
        cast(months.churned_mrr as numeric(38, 6)) as churned_mrr,
        cast(last_days.mrr_usd as numeric(38, 6)) as ending_mrr,
        cast(months.new_customers as bigint) as new_customers,
        cast(months.churned_customers as bigint) as churned_customers,
        cast(months.reactivated_customers as bigint) as reactivated_customers
    from months
    inner join account_mrr_daily as first_days
        on
            months.account_id = first_days.account_id
            and months.first_day = first_days.date_day
    inner join account_mrr_daily as last_days
        on
            months.account_id = last_days.account_id
            and months.last_day = last_days.date_day
    inner join accounts
        on months.account_id = accounts.account_id
)

select * from final
