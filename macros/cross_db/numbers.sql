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
