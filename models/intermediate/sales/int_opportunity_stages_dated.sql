-- One row per stage an opportunity entered, with the UTC days on which it was the deal's
-- stage at the end of the day. A deal can move backwards or be reopened after closing, so
-- the stage on a day is the last entry made by the end of that day, never the
-- opportunity's current_stage.
with

opportunity_stage_history as (
    select * from {{ ref('stg_crm__opportunity_stage_history') }}
),

stage_probabilities as (
    select * from {{ ref('stage_probabilities') }}
),

entries_ordered as (
    select
        opportunity_id,
        stage_history_id,
        stage,
        entered_at,
        cast(entered_at as date) as entered_date,
        lead(entered_at) over (
            partition by opportunity_id order by entered_at, stage_history_id
        ) as next_entered_at
    from opportunity_stage_history
    -- later entries than the as-of day are not known yet
    where entered_at < {{ as_of_end() }}
),

final as (
    select
        entries_ordered.opportunity_id,
        entries_ordered.stage_history_id,
        entries_ordered.stage,
        stage_probabilities.is_open,
        entries_ordered.entered_at,
        entries_ordered.entered_date,
        entries_ordered.next_entered_at,
        {{ period_first_day('entries_ordered.entered_at') }} as valid_from_date,
        -- the one time rule (macros/metrics/periods.sql): a stage lasts until the next
        -- entry, which takes over at the end of its own day; an entry superseded the
        -- same day governs no day at all (valid_to_date < valid_from_date)
        {{ period_last_day('entries_ordered.next_entered_at') }} as valid_to_date
    from entries_ordered
    inner join stage_probabilities
        on entries_ordered.stage = stage_probabilities.stage
)

select * from final
