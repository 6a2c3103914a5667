-- The funnel model and the rep mart read the same point-in-time deal snapshots: on every
-- day, the open stages of sales_pipeline_by_stage hold exactly the deals and amount of
-- the reps' open_opportunities and total_pipeline_value. Returns the days that disagree.
with

pipeline_by_stage as (
    select
        metric_date,
        sum(deal_count) as deal_count,
        sum(amount_usd) as amount_usd
    from {{ ref('sales_pipeline_by_stage') }}
    where is_open
    group by metric_date
),

reps as (
    select
        metric_date,
        sum(open_opportunities) as deal_count,
        sum(total_pipeline_value) as amount_usd
    from {{ ref('metrics_sales') }}
    group by metric_date
)

select
    pipeline_by_stage.metric_date,
    pipeline_by_stage.deal_count as stage_deals,
    reps.deal_count as rep_deals,
    pipeline_by_stage.amount_usd as stage_amount,
    reps.amount_usd as rep_amount
from pipeline_by_stage
inner join reps
    on pipeline_by_stage.metric_date = reps.metric_date
where
    pipeline_by_stage.deal_count <> reps.deal_count
    or abs(pipeline_by_stage.amount_usd - reps.amount_usd) > 0.01
