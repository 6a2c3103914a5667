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
#}
{% macro incremental_start_date(date_column='metric_date', default_start=none) -%}
    {%- if is_incremental() -%}
        {{ add_days('(select max(' ~ date_column ~ ') from ' ~ this ~ ')', -1 * var('late_data_lookback_days')) }}
    {%- elif var('metrics_start_date') -%}
        cast('{{ var("metrics_start_date") }}' as date)
    {%- else -%}
        {{ default_start if default_start is not none else "cast('1900-01-01' as date)" }}
    {%- endif -%}
{%- endmacro %}
