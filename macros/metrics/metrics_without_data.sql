{#
    Partial sources: a metric whose raw tables have no staged rows is NULL in its mart
    (so it is absent from metrics_unified_domains), never a fake 0 or a default score.
    Which raw tables a metric needs: seeds/metric_raw_requirements.csv
    (docs/metric_sources.md). A table missing from the warehouse reads as empty
    (raw_table_select), so "missing" and "empty" mean the same here.

    metrics_without_data(domain) lists them as '<domain>.<metric>' (every domain when
    domain is none).

    select_metrics_with_data('final', 'marketing') ends a mart: it selects the mart's
    contract columns from the CTE, each one replaced by a typed NULL when it is a metric
    of the domain without data, or when its meta.derived_from names one: a metric name of
    the same domain, or '<domain>.<metric>' (a list where it needs several), for columns
    computed from metrics (health_category) or in the company overview (dau).
#}
{% macro metrics_without_data(domain=none) -%}
    {%- set missing = [] -%}
    {%- set requirements = ref('metric_raw_requirements') -%}
    {%- set reconciliation = ref('int_raw_tables_staged') -%}
    {#- in a unit test both are fixtures (no schema): every table counts as having data -#}
    {%- if execute and requirements.schema and reconciliation.schema
        and load_relation(requirements) is not none
        and load_relation(reconciliation) is not none -%}
        {%- set query -%}
            select
                metric_raw_requirements.domain,
                metric_raw_requirements.metric_name
            from {{ requirements }} as metric_raw_requirements
            left join {{ reconciliation }} as raw_tables_staged
                on metric_raw_requirements.raw_table = raw_tables_staged.source_table
            {%- if domain %}
            where metric_raw_requirements.domain = '{{ domain }}'
            {%- endif %}
            group by metric_raw_requirements.domain, metric_raw_requirements.metric_name
            having min(coalesce(raw_tables_staged.staged_rows, 0)) = 0
        {%- endset -%}
        {%- for row in run_query(query) -%}
            {%- do missing.append((row[0] ~ '.' ~ row[1]) | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(missing) }}
{%- endmacro %}


{% macro select_metrics_with_data(cte_name, domain=none) -%}
    {%- set missing = metrics_without_data(domain) -%}
    {%- set nulled = [] -%}
    {%- set columns = [] -%}
    {%- for column in model.columns.values() -%}
        {%- set needs = [] -%}
        {%- if domain -%}
            {%- do needs.append(domain ~ '.' ~ column.name) -%}
        {%- endif -%}
        {%- set derived = column.meta.get('derived_from') or [] -%}
        {%- for name in ([derived] if derived is string else derived) -%}
            {%- do needs.append(name if '.' in name else domain ~ '.' ~ name) -%}
        {%- endfor -%}
        {%- set without_data = [] -%}
        {%- for name in needs if name | lower in missing -%}
            {%- do without_data.append(name) -%}
        {%- endfor -%}
        {%- if without_data -%}
            {%- do nulled.append(column.name) -%}
            {%- do columns.append('cast(null as ' ~ column.data_type ~ ') as ' ~ column.name) -%}
        {%- else -%}
            {%- do columns.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not nulled -%}
        select * from {{ cte_name }}
    {%- else %}
        -- no staged rows in a raw table these need: {{ nulled | join(', ') }}
        select
            {{ columns | join(',\n            ') }}
        from {{ cte_name }}
    {%- endif -%}
{%- endmacro %}
