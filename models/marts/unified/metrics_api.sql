{{
    config(
        materialized='incremental',
        unique_key=['metric_date', 'domain', 'entity_id', 'metric_name'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

-- The rows of metrics_unified_domains with prior-period values, changes and rolling
-- averages, for dashboards that show "vs yesterday / last week / last month". A table,
-- not a view: the windows cost every dashboard query far more as a view than reading
-- the stored rows (figures in the YAML description).
--
-- The comparisons are computed on the wide domain marts, before unpivoting: one row per
-- entity and day there, against one row per entity, day and metric here (about 35 times
-- fewer rows to sort). Windowing the long table took 84 s of a 213 s medium build.
-- depends_on: {{ ref('metrics_customer_success') }}
-- depends_on: {{ ref('metrics_sales') }}
-- depends_on: {{ ref('metrics_product_analytics') }}
-- depends_on: {{ ref('metrics_marketing') }}
{%- set marts = domain_marts() %}
{%- set comparisons = [
    ('metric_value', ''),
    ('value_prev_day', '__prev_day'),
    ('value_prev_week', '__prev_week'),
    ('value_prev_month', '__prev_month'),
    ('rolling_7d_avg', '__rolling_7d_avg'),
    ('rolling_28d_avg', '__rolling_28d_avg'),
] %}

with

metric_catalog as (
    select * from {{ ref('metric_catalog') }}
),

{%- set built = [] %}
{%- for mart in marts %}
    {%- set metrics = mart_metric_columns(mart) %}
    {%- if metrics %}
        {%- do built.append(mart.domain) %}
        {%- set entity_key = mart.entity_id or "'product'" %}

{{ mart.domain }}_days as (
    select * from {{ ref(mart.model) }}
    -- the recomputed days need 30 days of history before them for value_prev_month
    where
        metric_date >= {{ add_days(incremental_start_date(), -30) }}
        and metric_date <= {{ incremental_end_date() }}
),

-- the value exactly n days before is the entity's row on day d-n (a self-join on the
-- mart's unique key): no row, or a null value that day, gives NULL, never 0. Averages
-- leave out days without a value, as the long table has no row for them.
{{ mart.domain }}_compared as (
    select
        this_day.metric_date,
        cast({{ "this_day." ~ mart.entity_id if mart.entity_id else "'product'" }}
            as {{ dbt.type_string() }}) as entity_id,
        cast({{ "this_day." ~ mart.entity_name if mart.entity_name else "'Product'" }}
            as {{ dbt.type_string() }}) as entity_name,
        {%- for metric in metrics %}
            cast(this_day.{{ metric }} as {{ type_double() }}) as {{ metric }},
            cast(day_before.{{ metric }} as {{ type_double() }}) as {{ metric }}__prev_day,
            cast(week_before.{{ metric }} as {{ type_double() }}) as {{ metric }}__prev_week,
            cast(month_before.{{ metric }} as {{ type_double() }})
                as {{ metric }}__prev_month,
            avg(cast(this_day.{{ metric }} as {{ type_double() }})) over last_7_days
                as {{ metric }}__rolling_7d_avg,
            avg(cast(this_day.{{ metric }} as {{ type_double() }})) over last_28_days
                as {{ metric }}__rolling_28d_avg{{ "," if not loop.last }}
        {%- endfor %}
    from {{ mart.domain }}_days as this_day
    {%- for alias, days in [('day_before', 1), ('week_before', 7), ('month_before', 30)] %}
        left join {{ mart.domain }}_days as {{ alias }}
            on
                {% if mart.entity_id -%}
                    this_day.{{ mart.entity_id }} = {{ alias }}.{{ mart.entity_id }} and
                {% endif -%}
                {{ alias }}.metric_date = {{ add_days('this_day.metric_date', -1 * days) }}
    {%- endfor %}
    window
        last_7_days as (
            {% if mart.entity_id -%}
                partition by this_day.{{ mart.entity_id }}
            {% endif -%}
            order by this_day.metric_date
            range between interval '6 days' preceding and current row
        ),
        last_28_days as (
            {% if mart.entity_id -%}
                partition by this_day.{{ mart.entity_id }}
            {% endif -%}
            order by this_day.metric_date
            range between interval '27 days' preceding and current row
        )
),

{{ mart.domain }}_unpivoted as (
    select
        cast('{{ mart.domain }}' as {{ dbt.type_string() }}) as domain,
        cast('{{ mart.entity_type }}' as {{ dbt.type_string() }}) as entity_type,
        unpivoted_rows.*
    from (
        {{ unpivot_metric_columns(
            mart.domain ~ '_compared',
            ['metric_date', 'entity_id', 'entity_name'],
            metrics,
            "metric_date >= " ~ incremental_start_date()
            ~ " and metric_date <= " ~ incremental_end_date(),
            comparisons) }}
    ) as unpivoted_rows
),
    {%- endif %}
{%- endfor %}

unpivoted as (
    {%- for domain in built %}
        select * from {{ domain }}_unpivoted
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- else %}
        {#- the marts are not built yet (dbt compile, sqlfluff): an empty, typed result #}
        select
            '' as domain,
            '' as entity_type,
            cast(null as date) as metric_date,
            '' as entity_id,
            '' as entity_name,
            '' as metric_name,
            cast(null as {{ type_double() }}) as metric_value,
            cast(null as {{ type_double() }}) as value_prev_day,
            cast(null as {{ type_double() }}) as value_prev_week,
            cast(null as {{ type_double() }}) as value_prev_month,
            cast(null as {{ type_double() }}) as rolling_7d_avg,
            cast(null as {{ type_double() }}) as rolling_28d_avg
        where 1 = 0
    {%- endfor %}
),

final as (
    select
        unpivoted.metric_date,
        unpivoted.domain,
        unpivoted.entity_type,
        unpivoted.entity_id,
        unpivoted.entity_name,
        unpivoted.metric_name,
        unpivoted.metric_value,
        cast(metric_catalog.importance_tier as {{ dbt.type_string() }}) as importance_tier,
        cast(metric_catalog.unit as {{ dbt.type_string() }}) as unit,
        -- final: the day is outside the late-data lookback, so no later run rewrites it
        unpivoted.metric_date
        < {{ add_days(as_of_date(), -1 * var('late_data_lookback_days')) }} as is_final,
        cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }}) as computed_at,
        unpivoted.value_prev_day,
        unpivoted.value_prev_week,
        unpivoted.value_prev_month,
        -- pct_change is NULL when the prior value is 0 or missing
        cast({{ pct_change('metric_value', 'value_prev_day') }} as {{ type_double() }})
            as change_dod_pct,
        cast({{ pct_change('metric_value', 'value_prev_week') }} as {{ type_double() }})
            as change_wow_pct,
        cast({{ pct_change('metric_value', 'value_prev_month') }} as {{ type_double() }})
            as change_mom_pct,
        unpivoted.rolling_7d_avg,
        unpivoted.rolling_28d_avg
    from unpivoted
    inner join metric_catalog
        on
            unpivoted.domain = metric_catalog.domain
            and unpivoted.metric_name = metric_catalog.metric_name
)

select * from final
