{# 8-byte float on every engine (dbt.type_float() is 4 bytes on DuckDB). #}
{% macro type_double() -%}
    double precision
{%- endmacro %}


{#
    Division that never errors and never truncates: NULL when the denominator is 0 or
    NULL, and always in floating point (Postgres divides integers as integers).
#}
{% macro safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as {{ type_double() }})
        / nullif(cast({{ denominator }} as {{ type_double() }}), 0))
{%- endmacro %}


{# A percentage 0-100 from a part and a whole; NULL when the whole is 0. #}
{% macro safe_pct(part, whole) -%}
    (100.0 * {{ safe_divide(part, whole) }})
{%- endmacro %}


{#
    Percent change from a prior value; NULL when the prior value is 0 or missing. Divides
    by the absolute prior value so a rise from a negative value (NPS) is a positive change.
#}
{% macro pct_change(current_value, prior_value) -%}
    (100.0 * ({{ current_value }} - {{ prior_value }})
        / nullif(abs(cast({{ prior_value }} as {{ type_double() }})), 0))
{%- endmacro %}


{# least/greatest for scores: clamp a value into [low, high]. #}
{% macro clamp(expression, low, high) -%}
    least(greatest({{ expression }}, {{ low }}), {{ high }})
{%- endmacro %}


{#
    A double as numeric(precision, scale), rounded the same way on every engine.
    PostgreSQL converts float8 to numeric through 15 significant digits (DBL_DIG) and then
    rounds half away from zero, so 83.22573849999999 becomes 83.225739; DuckDB rounds the
    exact binary value and gives 83.225738. The DuckDB version goes through the same 15
    digits. Use it where a money column (or any numeric) is computed in double precision;
    an expression that is already numeric needs only a plain cast.
#}
{% macro double_to_numeric(expression, precision=38, scale=6) -%}
    {{ return(adapter.dispatch('double_to_numeric', 'saas_metrics')(expression, precision, scale)) }}
{%- endmacro %}

{% macro default__double_to_numeric(expression, precision, scale) -%}
    cast(cast({{ expression }} as {{ type_double() }}) as numeric({{ precision }}, {{ scale }}))
{%- endmacro %}

{% macro duckdb__double_to_numeric(expression, precision, scale) -%}
    cast(
        printf('%.15g', cast({{ expression }} as {{ type_double() }}))
        as numeric({{ precision }}, {{ scale }})
    )
{%- endmacro %}
