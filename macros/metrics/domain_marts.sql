{#
    The four domain marts that unpivot into metrics_unified_domains. Every other numeric
    column of a mart is a metric and must have a row in seeds/metric_catalog.csv; adding
    a metric is one mart column plus one catalog row.
#}
{% macro domain_marts() -%}
    {{ return([
        {
            'domain': 'customer_success',
            'model': 'metrics_customer_success',
            'entity_type': 'account',
            'entity_id': 'account_id',
            'entity_name': 'customer_name',
            'dimension_columns': ['metric_date', 'account_id', 'customer_name', 'plan_tier',
                                  'segment', 'health_category', 'credit_utilization_bucket',
                                  'signup_channel', 'region'],
        },
        {
            'domain': 'sales',
            'model': 'metrics_sales',
            'entity_type': 'sales_rep',
            'entity_id': 'rep_id',
            'entity_name': 'rep_name',
            'dimension_columns': ['metric_date', 'rep_id', 'rep_name', 'team', 'region'],
        },
        {
            'domain': 'product',
            'model': 'metrics_product_analytics',
            'entity_type': 'product',
            'entity_id': none,
            'entity_name': none,
            'dimension_columns': ['metric_date'],
        },
        {
            'domain': 'marketing',
            'model': 'metrics_marketing',
            'entity_type': 'channel',
            'entity_id': 'channel',
            'entity_name': 'channel_name',
            'dimension_columns': ['metric_date', 'channel', 'channel_name', 'channel_type'],
        },
    ]) }}
{%- endmacro %}


{#
    The metric columns of a mart: every column that is not a dimension. At parse time
    the relation does not exist yet, so this returns [] then.
#}
{% macro mart_metric_columns(mart) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set relation = ref(mart.model) -%}
    {%- set columns = adapter.get_columns_in_relation(relation) -%}
    {#- not built yet (dbt compile, sqlfluff): nothing to unpivot; dbt build always builds
        the marts first because the unified model depends on them -#}
    {%- set metrics = [] -%}
    {%- for column in columns -%}
        {%- if column.name | lower not in mart.dimension_columns -%}
            {%- do metrics.append(column.name | lower) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(metrics) }}
{%- endmacro %}
