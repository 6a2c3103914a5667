{#
    dbt's `where` config for data tests, with one addition: `where: rows_of_the_latest_build`
    tests only the rows the model's latest build wrote, those with its computed_at (one
    value per build statement). A full refresh writes every row, so it tests the whole
    table; the daily incremental run writes the late-data lookback, so the tests on the
    31-million-row long tables (medium preset) check those days instead of rescanning all
    history. Any other `where` works as in dbt; this overrides dbt's get_where_subquery.
#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where == 'rows_of_the_latest_build' -%}
        {%- set where -%}
            computed_at = (select max(computed_at) from {{ relation }})
        {%- endset -%}
    {%- endif -%}
    {%- if where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
