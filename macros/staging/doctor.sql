{#
    `saas-metrics doctor`: rows that staging would quarantine, counted per raw table and
    reason, with the same rules staging uses (base_checked_rows), on the raw tables alone:
    the rules that read other tables (orphan_fk, no_exchange_rate) need the parents'
    staging, so the build reports those. Prints one JSON line per table for the CLI.

    dbt run-operation doctor_quarantine_counts --args '{tables: [billing.accounts, ...]}'
#}
{% macro doctor_quarantine_counts(tables) -%}
    {%- for key in tables -%}
        {%- set source_name, table_name = key.split('.') -%}
        {%- set query -%}
            select quarantine_reason, count(*) as row_count
            from ({{ base_checked_rows(source_name, table_name, cross_table=false) }}) as checked
            where quarantine_reason is not null
            group by quarantine_reason
        {%- endset -%}
        {%- set counts = {} -%}
        {%- for row in run_query(query) -%}
            {%- do counts.update({row[0]: row[1] | int}) -%}
        {%- endfor -%}
        {%- do print('DOCTOR_QUARANTINE ' ~ tojson({'table': key, 'reasons': counts})) -%}
    {%- endfor -%}
{%- endmacro %}
