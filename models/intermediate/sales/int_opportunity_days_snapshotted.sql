-- Each opportunity on each UTC day from its first stage entry to the as-of day, as the
-- stage history stood at the end of that day: the stage, since when, whether it is open,
-- won or lost and (when closed) the day it entered its closing stage. A deal that was won
-- and then reopened is open again from the reopening day on, so it leaves the won
-- totals of later days while earlier days keep it.
-- Owner, amount and expected close date come from the opportunity as loaded (the CRM
-- keeps no history of them).
with

opportunity_stages_dated as (
    select * from {{ ref('int_opportunity_stages_dated') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

stage_days as (
    select
        calendar_days.date_day,
        calendar_days.month_start_date,
        calendar_days.quarter_start_date,
        opportunity_stages_dated.opportunity_id,
        opportunity_stages_dated.stage,
        opportunity_stages_dated.is_open,
        opportunity_stages_dated.entered_at as stage_entered_at,
        opportunity_stages_dated.entered_date as stage_entered_date
    from opportunity_stages_dated
    inner join calendar_days
        on
            opportunity_stages_dated.valid_from_date <= calendar_days.date_day
            and opportunity_stages_dated.valid_to_date >= calendar_days.date_day
),

final as (
    select
        stage_days.date_day,
        stage_days.month_start_date,
        stage_days.quarter_start_date,
        stage_days.opportunity_id,
        opportunities.owner_rep_id,
        opportunities.opportunity_type,
        opportunities.amount_usd,
        opportunities.created_at,
        opportunities.expected_close_date,
        stage_days.stage,
        stage_days.is_open,
        stage_days.stage = 'closed_won' as is_won,
        stage_days.stage = 'closed_lost' as is_lost,
        stage_days.stage_entered_at,
        stage_days.stage_entered_date,
        case
            when not stage_days.is_open then stage_days.stage_entered_date
        end as closed_date,
        {{ days_between('stage_days.stage_entered_date', 'stage_days.date_day') }}
            as days_in_stage,
        {{ days_between('opportunities.created_at', 'stage_days.date_day') }}
            as days_since_created
    from stage_days
    inner join opportunities
        on stage_days.opportunity_id = opportunities.opportunity_id
)

select * from final
