-- Each rep's closed deals as they stood at the end of each UTC day: won month and quarter
-- to date, and won and closed (won or lost) with a close date in the 90 days ending on
-- the day: the parts of win_rate, avg_deal_size and avg_sales_cycle_days. A deal's close
-- date is the day it entered the closing stage it is in on that day, so a deal reopened
-- later leaves these counts from the day it reopened. Every opportunity has an owner, so
-- summing over reps gives the company's counts (metrics_company_overview.win_rate).
with

opportunity_days_snapshotted as (
    select * from {{ ref('int_opportunity_days_snapshotted') }}
),

closed_deal_days as (
    select
        owner_rep_id as rep_id,
        date_day,
        is_won,
        amount_usd,
        closed_date >= month_start_date as is_closed_this_month,
        closed_date >= quarter_start_date as is_closed_this_quarter,
        closed_date >= {{ add_days('date_day', -89) }} as is_closed_in_90d,
        {{ days_between('created_at', 'closed_date') }} as sales_cycle_days
    from opportunity_days_snapshotted
    where not is_open
),

final as (
    select
        rep_id,
        date_day,
        sum(case when is_won and is_closed_this_month then 1 else 0 end) as deals_won_mtd,
        sum(case when is_won and is_closed_this_month then amount_usd else 0 end)
            as revenue_closed_mtd,
        sum(case when is_won and is_closed_this_quarter then amount_usd else 0 end)
            as revenue_closed_qtd,
        sum(case when is_won and is_closed_in_90d then 1 else 0 end) as deals_won_90d,
        sum(case when is_closed_in_90d then 1 else 0 end) as deals_closed_90d,
        sum(case when is_won and is_closed_in_90d then amount_usd end) as revenue_won_90d,
        sum(case when is_won and is_closed_in_90d then sales_cycle_days end)
            as sales_cycle_days_won_90d
    from closed_deal_days
    group by rep_id, date_day
)

select * from final
