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
-- the windows over the whole long table cost every dashboard query far more as a view
-- than reading the stored rows (figures in the YAML description).

with

metrics_unified_domains as (
    select * from {{ ref('metrics_unified_domains') }}
    -- the recomputed days need 30 days of history before them for value_prev_month
    where metric_date >= {{ add_days(incremental_start_date(), -30) }}
),

-- every comparison is a window over the metric's own series, ordered by day with a RANGE
-- frame in days: the value exactly n days before is the frame [d-n, d-n], which holds no
-- row (so NULL, never 0) when that day had no value. One sort, no self-joins: on
-- Postgres the self-join version was quadratic per series.
with_comparisons as (
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
        {%- for column, days in [('value_prev_day', 1), ('value_prev_week', 7),
                                 ('value_prev_month', 30)] %}
            max(metric_value) over (
                partition by domain, entity_id, metric_name
                order by metric_date
                range between interval '{{ days }} days' preceding
                and interval '{{ days }} days' preceding
            ) as {{ column }},
        {%- endfor %}
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

recomputed_days as (
    select * from with_comparisons
    where
        metric_date >= {{ incremental_start_date() }}
        and metric_date <= {{ incremental_end_date() }}
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
    from recomputed_days
)

select * from final
