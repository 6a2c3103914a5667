-- The alert rules of seeds/alert_thresholds.csv applied to every day. A full table, not
-- incremental: a changed threshold must re-evaluate the whole history, and the rows are
-- few. Company rules read metrics_company_overview (every column but metric_date is a
-- metric, unpivoted here); domain rules read metrics_unified_domains, one alert per entity.
{%- set overview_metrics = [] %}
{%- if execute %}
    {%- for column in graph.nodes['model.saas_metrics.metrics_company_overview'].columns %}
        {%- if column != 'metric_date' %}{% do overview_metrics.append(column) %}{% endif %}
    {%- endfor %}
{%- endif %}

with

alert_thresholds as (
    select * from {{ ref('alert_thresholds') }}
),

metrics_company_overview as (
    select * from {{ ref('metrics_company_overview') }}
),

metrics_unified_domains as (
    select * from {{ ref('metrics_unified_domains') }}
),

company_values as (
    {%- for metric in overview_metrics %}
        select
            metric_date,
            'company' as scope,
            'company' as entity_id,
            'Company' as entity_name,
            '{{ metric }}' as metric_name,
            cast({{ metric }} as {{ type_double() }}) as metric_value
        from metrics_company_overview
        where {{ metric }} is not null
        {{ 'union all' if not loop.last }}
    {%- endfor %}
    {%- if not overview_metrics %}
        select
            metric_date,
            'company' as scope,
            'company' as entity_id,
            'Company' as entity_name,
            'none' as metric_name,
            cast(null as {{ type_double() }}) as metric_value
        from metrics_company_overview
        where 1 = 0
    {%- endif %}
),

domain_values as (
    select
        metrics_unified_domains.metric_date,
        metrics_unified_domains.domain as scope,
        metrics_unified_domains.entity_id,
        metrics_unified_domains.entity_name,
        metrics_unified_domains.metric_name,
        metrics_unified_domains.metric_value
    from metrics_unified_domains
    -- only the metrics some rule watches: the long table is large
    inner join alert_thresholds
        on
            metrics_unified_domains.domain = alert_thresholds.scope
            and metrics_unified_domains.metric_name = alert_thresholds.metric_name
),

metric_values as (
    select * from company_values
    union all
    select * from domain_values
),

firing as (
    select
        metric_values.metric_date,
        alert_thresholds.alert_name,
        alert_thresholds.scope,
        metric_values.entity_id,
        metric_values.entity_name,
        alert_thresholds.metric_name,
        metric_values.metric_value,
        alert_thresholds.comparison,
        alert_thresholds.threshold_value,
        alert_thresholds.severity,
        alert_thresholds.alert_description
    from alert_thresholds
    inner join metric_values
        on
            alert_thresholds.scope = metric_values.scope
            and alert_thresholds.metric_name = metric_values.metric_name
    where
        (alert_thresholds.comparison = 'gt' and metric_values.metric_value > alert_thresholds.threshold_value)
        or (alert_thresholds.comparison = 'gte' and metric_values.metric_value >= alert_thresholds.threshold_value)
        or (alert_thresholds.comparison = 'lt' and metric_values.metric_value < alert_thresholds.threshold_value)
        or (alert_thresholds.comparison = 'lte' and metric_values.metric_value <= alert_thresholds.threshold_value)
),

final as (
    select
        metric_date,
        cast(alert_name as {{ dbt.type_string() }}) as alert_name,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(entity_id as {{ dbt.type_string() }}) as entity_id,
        cast(entity_name as {{ dbt.type_string() }}) as entity_name,
        cast(metric_name as {{ dbt.type_string() }}) as metric_name,
        cast(metric_value as {{ type_double() }}) as metric_value,
        cast(comparison as {{ dbt.type_string() }}) as comparison,
        cast(threshold_value as {{ type_double() }}) as threshold_value,
        cast(severity as {{ dbt.type_string() }}) as severity,
        cast(alert_description as {{ dbt.type_string() }}) as alert_description
    from firing
)

select * from final
