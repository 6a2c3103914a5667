{# Convert a timestamptz to a naive UTC timestamp, whatever the session time zone. #}
{% macro to_utc(column) -%}
    {{ return(adapter.dispatch('to_utc', 'saas_metrics')(column)) }}
{%- endmacro %}

{% macro default__to_utc(column) -%}
    cast(({{ column }} at time zone 'UTC') as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__to_utc(column) -%}
    cast(timezone('UTC', {{ column }}) as {{ dbt.type_timestamp() }})
{%- endmacro %}


{# Whole days from one timestamp or date to another, as the calendar counts them. #}
{% macro days_between(start_expression, end_expression) -%}
    {{ dbt.datediff('cast(' ~ start_expression ~ ' as date)', 'cast(' ~ end_expression ~ ' as date)', 'day') }}
{%- endmacro %}


{# Hours from one timestamp to another, with fractions (for resolution times). #}
{% macro hours_between(start_expression, end_expression) -%}
    {{ return(adapter.dispatch('hours_between', 'saas_metrics')(start_expression, end_expression)) }}
{%- endmacro %}

{% macro default__hours_between(start_expression, end_expression) -%}
    (extract(epoch from ({{ end_expression }}) - ({{ start_expression }})) / 3600.0)
{%- endmacro %}

{% macro duckdb__hours_between(start_expression, end_expression) -%}
    (epoch({{ end_expression }}) - epoch({{ start_expression }})) / 3600.0
{%- endmacro %}
