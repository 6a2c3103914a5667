{#
    Custom schemas are used verbatim (staging, intermediate, reference) instead of dbt's
    default "<target schema>_<custom>", so every environment has the same layout and the
    public marts sit alone in the target schema (main on DuckDB, metrics on Postgres).
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
