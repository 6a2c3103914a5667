{#
    not_null for a mart metric, unless the raw tables it needs have no staged rows: then
    the metric is NULL by design (partial sources, select_metrics_with_data). metric names
    the domain metric a column is computed from when it is not the column itself (the
    company overview's total_mrr comes from customer_success.current_mrr).
#}
{% test not_null_where_data(model, column_name, domain, metric=none) %}
    {%- set missing = metrics_without_data(domain) %}
    select {{ column_name }}
    from {{ model }}
    where
        {{ column_name }} is null
        {%- if (domain ~ '.' ~ (metric or column_name)) | lower in missing %}
        -- its raw tables have no rows: NULL is the expected value
        and 1 = 0
        {%- endif %}
{% endtest %}
