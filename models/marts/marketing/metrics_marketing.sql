{{
    config(
        materialized='incremental',
        unique_key=['metric_date', 'channel'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

-- Walking skeleton: the channel x day grain; the marketing issue adds the metrics.
with

marketing_channels as (
    select * from {{ ref('marketing_channels') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

final as (
    select
        calendar_days.date_day as metric_date,
        marketing_channels.channel,
        marketing_channels.channel_name,
        marketing_channels.channel_type
    from marketing_channels
    cross join calendar_days
    where calendar_days.date_day >= {{ incremental_start_date() }}
)

select * from final
