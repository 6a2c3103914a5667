-- Each rep's open pipeline at the end of each UTC day, as the stage history stood then
-- (int_opportunity_days_snapshotted). Overdue deals still open count as expected this
-- quarter: the rep still forecasts them.
with

opportunity_days_snapshotted as (
    select * from {{ ref('int_opportunity_days_snapshotted') }}
),

stage_probabilities as (
    select * from {{ ref('stage_probabilities') }}
),

open_deal_days as (
    select
        opportunity_days_snapshotted.owner_rep_id as rep_id,
        opportunity_days_snapshotted.date_day,
        opportunity_days_snapshotted.amount_usd,
        stage_probabilities.win_probability,
        opportunity_days_snapshotted.expected_close_date
        < {{ dbt.dateadd('month', 3, 'opportunity_days_snapshotted.quarter_start_date') }}
            as is_expected_this_quarter,
        opportunity_days_snapshotted.days_in_stage >= 30 as is_stalled
    from opportunity_days_snapshotted
    inner join stage_probabilities
        on opportunity_days_snapshotted.stage = stage_probabilities.stage
    where opportunity_days_snapshotted.is_open
),

final as (
    select
        rep_id,
        date_day,
        count(*) as open_opportunities,
        sum(amount_usd) as total_pipeline_value,
        sum(amount_usd * win_probability) as forecast_amount,
        sum(case when is_expected_this_quarter then amount_usd else 0 end)
            as pipeline_closing_this_quarter,
        sum(case when is_stalled then 1 else 0 end) as stalled_deal_count
    from open_deal_days
    group by rep_id, date_day
)

select * from final
