-- The MRR bridge per customer and day: MRR, the day before, and the movement that links
-- them. Dense from the account's first subscription to the as-of day.
with

account_mrr_daily as (
    select * from {{ ref('int_account_mrr_daily') }}
),

accounts as (
    select * from {{ ref('stg_billing__accounts') }}
),

final as (
    select
        account_mrr_daily.date_day as metric_date,
        account_mrr_daily.account_id,
        cast(accounts.account_name as {{ dbt.type_string() }}) as customer_name,
        cast(account_mrr_daily.current_plan_tier as {{ dbt.type_string() }}) as plan_tier,
        cast(accounts.segment as {{ dbt.type_string() }}) as segment,
        cast(account_mrr_daily.mrr_change_category as {{ dbt.type_string() }})
            as mrr_change_category,
        cast(account_mrr_daily.previous_day_mrr_usd as numeric(38, 6)) as beginning_mrr,
        cast(account_mrr_daily.new_mrr_usd as numeric(38, 6)) as new_mrr,
        cast(account_mrr_daily.expansion_mrr_usd as numeric(38, 6)) as expansion_mrr,
        cast(account_mrr_daily.reactivation_mrr_usd as numeric(38, 6)) as reactivation_mrr,
        cast(account_mrr_daily.contraction_mrr_usd as numeric(38, 6)) as contraction_mrr,
        cast(account_mrr_daily.churned_mrr_usd as numeric(38, 6)) as churned_mrr,
        cast(account_mrr_daily.mrr_usd as numeric(38, 6)) as ending_mrr
    from account_mrr_daily
    inner join accounts
        on account_mrr_daily.account_id = accounts.account_id
)

select * from final
