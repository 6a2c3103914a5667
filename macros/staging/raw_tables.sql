{#
    Every raw table of the contract, as (source, table). dbt needs refs at parse time,
    before the sources YAML is readable from Jinja, so the list is written out here;
    check_raw_tables_listed() fails the build if it drifts from the sources YAML.
#}
{% macro raw_tables() -%}
    {{ return([
        ('billing', 'accounts'), ('billing', 'subscriptions'), ('billing', 'exchange_rates'),
        ('billing', 'invoices'), ('billing', 'payment_attempts'),
        ('activity', 'users'), ('activity', 'sessions'), ('activity', 'features'),
        ('activity', 'releases'), ('activity', 'feature_events'), ('activity', 'api_usage_daily'),
        ('activity', 'devices'), ('activity', 'device_daily_stats'), ('activity', 'data_exports'),
        ('activity', 'app_errors'), ('activity', 'support_tickets'),
        ('activity', 'survey_responses'),
        ('crm', 'sales_reps'), ('crm', 'rep_quotas'), ('crm', 'leads'), ('crm', 'opportunities'),
        ('crm', 'opportunity_stage_history'), ('crm', 'sales_activities'),
        ('marketing', 'campaigns'), ('marketing', 'ad_spend_daily'), ('marketing', 'touchpoints'),
        ('marketing', 'web_sessions'), ('marketing', 'email_sends'),
        ('marketing', 'social_posts'), ('marketing', 'referrals'),
        ('marketing', 'experiment_exposures'), ('marketing', 'experiment_conversions'),
    ]) }}
{%- endmacro %}


{% macro check_raw_tables_listed() -%}
    {%- if execute -%}
        {%- set listed = [] -%}
        {%- for source_name, table_name in raw_tables() -%}
            {%- do listed.append(source_name ~ '.' ~ table_name) -%}
        {%- endfor -%}
        {%- for node in graph.sources.values() -%}
            {%- if node.package_name == project_name
                and loader_of_loader_source(node.source_name) is none
                and (node.source_name ~ '.' ~ node.name) not in listed -%}
                {{ exceptions.raise_compiler_error(
                    "Raw table " ~ node.source_name ~ "." ~ node.name ~ " is in the sources YAML but "
                    ~ "not in macros/staging/raw_tables.sql, so its quarantine would be missed") }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{#
    raw_table_select(source_name, table_name): a SELECT of the raw table's contract
    columns, in contract order, that works on any subset of a team's sources.

      - The table (or its whole schema) does not exist: an empty result typed from the
        contract, and a warning that names the table. Metrics that need it end up NULL
        (seeds/metric_raw_requirements.csv, docs/metric_sources.md).
      - The table exists but lacks a contract column: a compiler error naming the table
        and the column, never a silent NULL. A column whose meta has `default_if_missing`
        is optional: a missing one reads as that default.
      - Extra columns of the team's table are ignored.

    warn: only the base model of a table warns, so one missing table is one warning.
#}
{% macro raw_table_select(source_name, table_name, warn=false) -%}
    {#- a loader mapping (macros/loaders/loaders.sql) replaces the raw table with its model -#}
    {%- set mapped = mapped_model(source_name, table_name) -%}
    {%- set relation = ref(mapped) if mapped else source(source_name, table_name) -%}
    {%- set loader = loader_of_loader_source(source_name) -%}
    {%- set schema_var = loader.schema_var if loader else 'raw_' ~ source_name ~ '_schema' -%}
    {%- set contract_name = ('the ' ~ loader.loader ~ ' mapping (' ~ loader.docs ~ ')')
        if loader else 'the raw contract' -%}
    {%- set contract_docs = loader.docs if loader else 'docs/raw_contract.md' -%}
    {%- if not execute -%}
        {#- parsing: only register the source dependency; the contract needs the graph -#}
        select * from {{ relation }}
        {{- return('') -}}
    {%- endif -%}
    {%- set node = raw_table_contract(source_name, table_name) -%}
    {%- set existing = raw_relation_if_exists(relation) -%}
    {%- set selected = [] -%}
    {%- if existing is none -%}
        {%- if warn -%}
            {%- do exceptions.warn(
                "Raw table " ~ source_name ~ "." ~ table_name ~ " (" ~ relation
                ~ ") does not exist: it is read as empty, and the metrics that need it are NULL"
                ~ " (docs/metric_sources.md). Load it, or point var " ~ schema_var
                ~ " at the schema that holds it.") -%}
        {%- endif -%}
        {%- for column in node.columns.values() -%}
            {%- do selected.append('cast(null as ' ~ raw_column_type(column.data_type) ~ ') as ' ~ column.name) -%}
        {%- endfor %}
        select {{ selected | join(', ') }}
        where 1 = 0
    {%- else -%}
        {%- set present = [] -%}
        {%- set text_columns = [] -%}
        {%- for column in adapter.get_columns_in_relation(existing) -%}
            {%- do present.append(column.name | lower) -%}
            {%- if column.is_string() -%}
                {%- do text_columns.append(column.name | lower) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set missing = [] -%}
        {%- for column in node.columns.values() -%}
            {#- a text column where the contract wants a number, time or flag (a CSV load
                often lands everything as text) would fail deep inside staging's casts -#}
            {%- if column.name in text_columns and column.data_type != 'text' -%}
                {{ exceptions.raise_compiler_error(
                    "Raw table " ~ source_name ~ "." ~ table_name ~ " (" ~ existing ~ "): column "
                    ~ column.name ~ " is text, but " ~ contract_name ~ " wants " ~ column.data_type
                    ~ ". Cast it in a view over the table (docs/bring-your-own-data.md), or load it"
                    ~ " with that type. `saas-metrics doctor` lists every difference at once.") }}
            {%- endif -%}
            {%- if column.name in present -%}
                {%- do selected.append(column.name) -%}
            {%- elif column.meta.get('default_if_missing') is not none -%}
                {%- do selected.append('cast(' ~ column.meta.get('default_if_missing') ~ ' as '
                    ~ raw_column_type(column.data_type) ~ ') as ' ~ column.name) -%}
            {%- else -%}
                {%- do missing.append(column.name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                "Raw table " ~ source_name ~ "." ~ table_name ~ " (" ~ existing ~ ") has no column "
                ~ missing | join(', ') ~ ", which " ~ contract_name ~ " requires. Add "
                ~ ("it" if missing | length == 1 else "them")
                ~ " (types and meanings: " ~ contract_docs ~ "), or expose the table through a view"
                ~ " that maps your columns to the contract's names. `saas-metrics doctor` lists"
                ~ " every difference at once.") }}
        {%- endif %}
        select {{ selected | join(', ') }}
        from {{ existing }}
    {%- endif -%}
{%- endmacro %}


{# The relation if the raw table exists (its schema too), else none. #}
{% macro raw_relation_if_exists(relation) -%}
    {{ return(adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier)) }}
{%- endmacro %}


{# A contract data type as this engine spells it (the contract uses PostgreSQL's names). #}
{% macro raw_column_type(data_type) -%}
    {{ return(adapter.dispatch('raw_column_type', 'saas_metrics')(data_type)) }}
{%- endmacro %}

{% macro default__raw_column_type(data_type) -%}
    {{ return(data_type) }}
{%- endmacro %}

{# DuckDB has no jsonb: a loader column PostgreSQL lands as jsonb is json there. #}
{% macro duckdb__raw_column_type(data_type) -%}
    {{ return('json' if data_type | lower == 'jsonb' else data_type) }}
{%- endmacro %}
