{#
    not_null for a mart metric, unless the raw tables it needs have no staged rows: then
    the metric is NULL by design (partial sources, select_metrics_with_data).
#}
{% test not_null_where_data(model, column_name, domain) %}
    {%- set missing = metrics_without_data(domain) %}
    select {{ column_name }}
    from {{ model }}
    where
        {{ column_name }} is null
        {%- if column_name | lower in missing %}
        -- its raw tables have no rows: NULL is the expected value
        and 1 = 0
        {%- endif %}
{% endtest %}
