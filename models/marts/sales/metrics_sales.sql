{{
    config(
        materialized='incremental',
        unique_key=['metric_date', 'rep_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

-- Walking skeleton: the rep x day grain; the sales issue adds the metrics.
with

sales_reps as (
    select * from {{ ref('stg_crm__sales_reps') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

final as (
    select
        calendar_days.date_day as metric_date,
        sales_reps.rep_id,
        sales_reps.rep_name,
        sales_reps.team,
        sales_reps.region
    from sales_reps
    inner join calendar_days
        on calendar_days.date_day >= cast(sales_reps.hired_at as date)
    where calendar_days.date_day >= {{ incremental_start_date() }}
)

select * from final
