{#
    Wide to long in one scan: one output row per input row and metric column whose value is
    not null. Output columns: key_columns (a list of "expression as name" strings), then
    metric_name, then one double column per entry of value_columns.

    value_columns maps each output column to the suffix of the wide column it comes from:
    the default, [('metric_value', '')], reads the metric column itself; metrics_api adds
    ('value_prev_day', '__prev_day') and so on, so a metric's comparisons unpivot with it.
    A row is kept when its metric_value (the first entry) is not null.

    This replaces a union of one select per metric column, which read each mart once per
    metric (about 100 scans). DuckDB has UNPIVOT (INCLUDE NULLS, because it would otherwise
    drop a row when any of its value columns is null); PostgreSQL and the default use a
    lateral VALUES list, one row per metric column.
#}
{% macro unpivot_metric_columns(
        relation, key_columns, metric_columns, where='1 = 1',
        value_columns=[('metric_value', '')]) -%}
    {{ return(adapter.dispatch('unpivot_metric_columns', 'saas_metrics')(
        relation, key_columns, metric_columns, where, value_columns)) }}
{%- endmacro %}


{% macro default__unpivot_metric_columns(
        relation, key_columns, metric_columns, where, value_columns) -%}
    select
        {%- for key in key_columns %}
            {{ key }},
        {%- endfor %}
        metric_values.metric_name,
        {%- for output_name, suffix in value_columns %}
            metric_values.{{ output_name }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ relation }} as wide_rows
    cross join lateral (
        values
        {%- for metric in metric_columns %}
            (
                cast('{{ metric }}' as {{ dbt.type_string() }}),
                {%- for output_name, suffix in value_columns %}
                    cast(wide_rows.{{ metric ~ suffix }} as {{ type_double() }})
                    {{- "," if not loop.last }}
                {%- endfor %}
            ){{ "," if not loop.last }}
        {%- endfor %}
    ) as metric_values (
        metric_name,
        {%- for output_name, suffix in value_columns %}
            {{ output_name }}{{ "," if not loop.last }}
        {%- endfor %}
    )
    where
        ({{ where }})
        and metric_values.{{ value_columns[0][0] }} is not null
{%- endmacro %}


{% macro duckdb__unpivot_metric_columns(
        relation, key_columns, metric_columns, where, value_columns) -%}
    select * from (
        select
            {%- for key in key_columns %}
                {{ key }},
            {%- endfor %}
            {%- for metric in metric_columns %}
                {%- set outer_loop = loop %}
                {%- for output_name, suffix in value_columns %}
                    cast({{ metric ~ suffix }} as {{ type_double() }}) as {{ metric ~ suffix }}
                    {{- "," if not (loop.last and outer_loop.last) }}
                {%- endfor %}
            {%- endfor %}
        from {{ relation }}
        where {{ where }}
    ) as wide_rows
    unpivot include nulls (
        (
            {%- for output_name, suffix in value_columns %}
                {{ output_name }}{{ "," if not loop.last }}
            {%- endfor %}
        )
        for metric_name in (
            {%- for metric in metric_columns %}
                (
                    {%- for output_name, suffix in value_columns %}
                        {{ metric ~ suffix }}{{ "," if not loop.last }}
                    {%- endfor %}
                ) as {{ metric }}{{ "," if not loop.last }}
            {%- endfor %}
        )
    )
    where {{ value_columns[0][0] }} is not null
{%- endmacro %}
