{{
    config(
        materialized='incremental',
        unique_key=['metric_date', 'domain', 'entity_id', 'metric_name'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

-- metrics_unified_domains with prior-period values, changes and rolling averages, for
-- dashboards that show "vs yesterday / last week / last month". A table, not a view:
-- the self-joins and windows cost seconds per dashboard query as a view (figures in the
-- YAML description), and a few milliseconds to read once materialized.

with

metrics_unified_domains as (
    select * from {{ ref('metrics_unified_domains') }}
    -- the recomputed days need 30 days of history before them for value_prev_month
    where metric_date >= {{ add_days(incremental_start_date(), -30) }}
),

with_rolling_averages as (
    select
        metric_date,
        domain,
        entity_type,
        entity_id,
        entity_name,
        metric_name,
        metric_value,
        importance_tier,
        unit,
        is_final,
        computed_at,
        -- days without a value (no row) are left out of the average, not counted as 0
        avg(metric_value) over (
            partition by domain, entity_id, metric_name
            order by metric_date
            range between interval '6 days' preceding and current row
        ) as rolling_7d_avg,
        avg(metric_value) over (
            partition by domain, entity_id, metric_name
            order by metric_date
            range between interval '27 days' preceding and current row
        ) as rolling_28d_avg
    from metrics_unified_domains
),

with_prior_values as (
    select
        current_day.*,
        prior_day.metric_value as value_prev_day,
        prior_week.metric_value as value_prev_week,
        prior_month.metric_value as value_prev_month
    from with_rolling_averages as current_day
    -- a prior day without a value has no row: the left join leaves NULL, never 0
    left join metrics_unified_domains as prior_day
        on
            current_day.domain = prior_day.domain
            and current_day.entity_id = prior_day.entity_id
            and current_day.metric_name = prior_day.metric_name
            and prior_day.metric_date = {{ add_days('current_day.metric_date', -1) }}
    left join metrics_unified_domains as prior_week
        on
            current_day.domain = prior_week.domain
            and current_day.entity_id = prior_week.entity_id
            and current_day.metric_name = prior_week.metric_name
            and prior_week.metric_date = {{ add_days('current_day.metric_date', -7) }}
    left join metrics_unified_domains as prior_month
        on
            current_day.domain = prior_month.domain
            and current_day.entity_id = prior_month.entity_id
            and current_day.metric_name = prior_month.metric_name
            and prior_month.metric_date = {{ add_days('current_day.metric_date', -30) }}
    where
        current_day.metric_date >= {{ incremental_start_date() }}
        and current_day.metric_date <= {{ incremental_end_date() }}
),

final as (
    select
        metric_date,
        domain,
        entity_type,
        entity_id,
        entity_name,
        metric_name,
        metric_value,
        importance_tier,
        unit,
        is_final,
        computed_at,
        value_prev_day,
        value_prev_week,
        value_prev_month,
        -- pct_change is NULL when the prior value is 0 or missing
        cast({{ pct_change('metric_value', 'value_prev_day') }} as {{ type_double() }})
            as change_dod_pct,
        cast({{ pct_change('metric_value', 'value_prev_week') }} as {{ type_double() }})
            as change_wow_pct,
        cast({{ pct_change('metric_value', 'value_prev_month') }} as {{ type_double() }})
            as change_mom_pct,
        cast(rolling_7d_avg as {{ type_double() }}) as rolling_7d_avg,
        cast(rolling_28d_avg as {{ type_double() }}) as rolling_28d_avg
    from with_prior_values
)

select * from final
