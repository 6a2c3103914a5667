-- Each customer's month starts where the previous month ended, and ends at the MRR the
-- customer success mart reports for that day: so no movement can be lost between months
-- and the bridge agrees with current_mrr. Returns the account-months that break it.
with

monthly as (
    select * from {{ ref('metrics_mrr_movements_monthly') }}
),

customer_success as (
    select * from {{ ref('metrics_customer_success') }}
),

chained as (
    select
        account_id,
        month_start_date,
        month_end_date,
        beginning_mrr,
        ending_mrr,
        lag(ending_mrr) over (
            partition by account_id order by month_start_date
        ) as previous_month_ending_mrr
    from monthly
)

select
    chained.*,
    customer_success.current_mrr
from chained
left join customer_success
    on
        chained.account_id = customer_success.account_id
        and chained.month_end_date = customer_success.metric_date
where
    abs(chained.beginning_mrr - coalesce(chained.previous_month_ending_mrr, 0)) >= 0.000001
    or customer_success.current_mrr is null
    or abs(chained.ending_mrr - customer_success.current_mrr) >= 0.000001
