{{
    config(
        materialized='incremental',
        unique_key=['metric_date', 'stage'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

-- Deals per stage and UTC day as the stage history stood at the end of the day (the
-- Sales dashboard's funnel). Every stage has a row every day, zero when empty.
with

opportunity_days_snapshotted as (
    select * from {{ ref('int_opportunity_days_snapshotted') }}
),

stage_probabilities as (
    select * from {{ ref('stage_probabilities') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

stage_days as (
    select
        calendar_days.date_day,
        stage_probabilities.stage,
        stage_probabilities.stage_order,
        stage_probabilities.is_open,
        stage_probabilities.win_probability
    from stage_probabilities
    cross join calendar_days
    where calendar_days.date_day >= {{ incremental_start_date() }}
),

deals_per_stage as (
    select
        date_day,
        stage,
        count(*) as deal_count,
        sum(amount_usd) as amount_usd,
        sum(case when stage_entered_date = date_day then 1 else 0 end) as deals_entered_count
    from opportunity_days_snapshotted
    where date_day >= {{ incremental_start_date() }}
    group by date_day, stage
),

final as (
    select
        stage_days.date_day as metric_date,
        cast(stage_days.stage as {{ dbt.type_string() }}) as stage,
        cast(stage_days.stage_order as integer) as stage_order,
        stage_days.is_open,
        cast(coalesce(deals_per_stage.deal_count, 0) as bigint) as deal_count,
        cast(coalesce(deals_per_stage.amount_usd, 0) as numeric(38, 6)) as amount_usd,
        cast(
            coalesce(deals_per_stage.amount_usd, 0) * stage_days.win_probability
            as numeric(38, 6)
        ) as forecast_amount,
        cast(coalesce(deals_per_stage.deals_entered_count, 0) as bigint)
            as deals_entered_count
    from stage_days
    left join deals_per_stage
        on
            stage_days.date_day = deals_per_stage.date_day
            and stage_days.stage = deals_per_stage.stage
)

select * from final
