{{
    config(
        materialized='incremental',
        unique_key=['metric_date', 'landing_page', 'channel'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

-- Landing page visits and conversions (seed 000) per UTC day, page and channel.
with

web_sessions as (
    select * from {{ ref('stg_marketing__web_sessions') }}
),

final as (
    select
        cast(started_at as date) as metric_date,
        cast(landing_page as {{ dbt.type_string() }}) as landing_page,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(count(*) as bigint) as visits,
        cast(sum(case when is_bounce then 1 else 0 end) as bigint) as bounced_visits,
        cast(sum(case when is_conversion then 1 else 0 end) as bigint) as conversions,
        cast(
            {{ safe_pct('sum(case when is_conversion then 1 else 0 end)', 'count(*)') }}
            as {{ type_double() }}
        ) as conversion_rate
    from web_sessions
    where
        started_at < {{ as_of_end() }}
        and cast(started_at as date) >= {{ incremental_start_date() }}
    group by cast(started_at as date), landing_page, channel
)

select * from final
