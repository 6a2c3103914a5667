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
                and (node.source_name ~ '.' ~ node.name) not in listed -%}
                {{ exceptions.raise_compiler_error(
                    "Raw table " ~ node.source_name ~ "." ~ node.name ~ " is in the sources YAML but "
                    ~ "not in macros/staging/raw_tables.sql, so its quarantine would be missed") }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
