{#
    ARR from MRR, written once: annual recurring revenue is 12 x monthly recurring revenue
    (no seasonality, no one-off fees). The company ARR (int_revenue_kpis_daily) and an
    account's ARR (int_account_health_daily) both use it.
#}
{% macro arr_from_mrr(mrr_expression) -%}
    (12 * ({{ mrr_expression }}))
{%- endmacro %}
