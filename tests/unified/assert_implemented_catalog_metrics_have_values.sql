-- Catalog integrity: every metric the catalog calls implemented has at least one value
-- in metrics_unified_domains. A row here is a metric marked implemented that no mart
-- fills (flip it to placeholder, or fix the mart).
with

metric_catalog as (
    select * from {{ ref('metric_catalog') }}
),

metrics_unified_domains as (
    select * from {{ ref('metrics_unified_domains') }}
),

metrics_with_values as (
    select distinct
        domain,
        metric_name
    from metrics_unified_domains
)

select
    metric_catalog.domain,
    metric_catalog.metric_name
from metric_catalog
left join metrics_with_values
    on
        metric_catalog.domain = metrics_with_values.domain
        and metric_catalog.metric_name = metrics_with_values.metric_name
where
    metric_catalog.status = 'implemented'
    and metrics_with_values.metric_name is null
