{#
    Partial sources: a metric whose raw tables have no staged rows is NULL in its mart
    (so it is absent from metrics_unified_domains), never a fake 0 or a default score.
    Which raw tables a metric needs: seeds/metric_raw_requirements.csv
    (docs/metric_sources.md). A table missing from the warehouse reads as empty
    (raw_table_select), so "missing" and "empty" mean the same here.

    select_metrics_with_data('final', 'marketing') ends a domain mart: it selects the
    mart's contract columns from the CTE, each metric replaced by a typed NULL when a
    table it needs has no staged rows.
#}
{% macro metrics_without_data(domain) -%}
    {%- set missing = [] -%}
    {%- set requirements = ref('metric_raw_requirements') -%}
    {%- set reconciliation = ref('stg_row_reconciliation') -%}
    {#- in a unit test both are fixtures (no schema): every table counts as having data -#}
    {%- if execute and requirements.schema and reconciliation.schema
        and load_relation(requirements) is not none
        and load_relation(reconciliation) is not none -%}
        {%- set query -%}
            select metric_raw_requirements.metric_name
            from {{ requirements }} as metric_raw_requirements
            left join {{ reconciliation }} as stg_row_reconciliation
                on metric_raw_requirements.raw_table = stg_row_reconciliation.source_table
            where metric_raw_requirements.domain = '{{ domain }}'
            group by metric_raw_requirements.metric_name
            having min(coalesce(stg_row_reconciliation.staged_rows, 0)) = 0
        {%- endset -%}
        {%- for row in run_query(query) -%}
            {%- do missing.append(row[0] | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(missing) }}
{%- endmacro %}


{% macro select_metrics_with_data(cte_name, domain) -%}
    {%- set missing = metrics_without_data(domain) -%}
    {%- if not missing -%}
        select * from {{ cte_name }}
    {%- else -%}
        {%- set columns = [] -%}
        {%- for column in model.columns.values() -%}
            {#- a dimension computed from a metric (meta.derived_from) goes with it -#}
            {%- if column.name | lower in missing
                or (column.meta.get('derived_from') or '') | lower in missing -%}
                {%- do columns.append('cast(null as ' ~ column.data_type ~ ') as ' ~ column.name) -%}
            {%- else -%}
                {%- do columns.append(column.name) -%}
            {%- endif -%}
        {%- endfor %}
        -- no staged rows in a raw table these metrics need: {{ missing | join(', ') }}
        select
            {{ columns | join(',\n            ') }}
        from {{ cte_name }}
    {%- endif -%}
{%- endmacro %}
