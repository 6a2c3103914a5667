{# The as-of day (var as_of_date, default today UTC) as a date literal. #}
{% macro as_of_date() -%}
    cast('{{ var("as_of_date") }}' as date)
{%- endmacro %}


{# Exclusive end of the as-of day: midnight UTC after it. #}
{% macro as_of_end() -%}
    cast({{ dbt.dateadd('day', 1, as_of_date()) }} as {{ dbt.type_timestamp() }})
{%- endmacro %}


{# Shift a date by a number of days and keep it a date on every engine. #}
{% macro add_days(date_expression, days) -%}
    cast({{ dbt.dateadd('day', days, date_expression) }} as date)
{%- endmacro %}


{#
    One row per day from start_date to end_date inclusive, column date_day.
    dbt.date_spine builds the same with cross joins; generate_series is simpler and
    both engines have it.
#}
{% macro day_spine(start_date, end_date) -%}
    {{ return(adapter.dispatch('day_spine', 'saas_metrics')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__day_spine(start_date, end_date) -%}
    select cast(day_series as date) as date_day
    from generate_series(
        cast({{ start_date }} as timestamp),
        cast({{ end_date }} as timestamp),
        interval '1 day'
    ) as day_series
{%- endmacro %}

{% macro duckdb__day_spine(start_date, end_date) -%}
    select cast(day_series.generate_series as date) as date_day
    from generate_series(
        cast({{ start_date }} as timestamp),
        cast({{ end_date }} as timestamp),
        interval '1 day'
    ) as day_series
{%- endmacro %}


{#
    The first metric day an incremental model recomputes: the last built day minus the
    late-data lookback. On a full refresh: the var metrics_start_date, else the default.
    A backfill (saas-metrics backfill) sets the var backfill_start_date: incremental
    models then recompute from that day instead, without a full refresh.
#}
{% macro incremental_start_date(date_column='metric_date', default_start=none) -%}
    {%- if is_incremental() and var('backfill_start_date', none) -%}
        cast('{{ var("backfill_start_date") }}' as date)
    {%- elif is_incremental() -%}
        {{ add_days('(select max(' ~ date_column ~ ') from ' ~ this ~ ')', -1 * var('late_data_lookback_days')) }}
    {%- elif var('metrics_start_date') -%}
        cast('{{ var("metrics_start_date") }}' as date)
    {%- else -%}
        {{ default_start if default_start is not none else "cast('1900-01-01' as date)" }}
    {%- endif -%}
{%- endmacro %}


{#
    The last metric day an incremental run writes: the var backfill_end_date during a
    backfill, else the as-of day. Models that honour it leave later days untouched.
#}
{% macro incremental_end_date() -%}
    {%- if is_incremental() and var('backfill_end_date', none) -%}
        cast('{{ var("backfill_end_date") }}' as date)
    {%- else -%}
        {{ as_of_date() }}
    {%- endif -%}
{%- endmacro %}
