{{
    config(
        materialized='incremental',
        unique_key=['metric_date', 'domain', 'entity_id', 'metric_name'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

-- The four domain marts in long form: one row per day, domain, entity and metric with a
-- value. Which columns are metrics comes from the marts themselves; tier, unit and status
-- from the metric catalog. A mart column missing from the catalog fails the build.
-- depends_on: {{ ref('metrics_customer_success') }}
-- depends_on: {{ ref('metrics_sales') }}
-- depends_on: {{ ref('metrics_product_analytics') }}
-- depends_on: {{ ref('metrics_marketing') }}
{%- set marts = domain_marts() %}
{#- the catalog seed is read at run time to name any mart column it lacks #}
{%- set cataloged = [] %}
{%- if execute and load_relation(ref('metric_catalog')) is not none %}
    {%- for row in run_query('select domain, metric_name from ' ~ ref('metric_catalog')) %}
        {%- do cataloged.append(row[0] ~ '.' ~ row[1]) %}
    {%- endfor %}
{%- endif %}

with

metric_catalog as (
    select * from {{ ref('metric_catalog') }}
),

unpivoted as (
    {%- set unions = namespace(count=0) %}
    {%- for mart in marts %}
        {%- set metrics = mart_metric_columns(mart) %}
        {%- for metric in metrics %}
            {%- if cataloged and (mart.domain ~ '.' ~ metric) not in cataloged %}
                {{ exceptions.raise_compiler_error(
                    "Column " ~ mart.model ~ "." ~ metric
                    ~ " is not in seeds/metric_catalog.csv (domain " ~ mart.domain
                    ~ "). Add a catalog row for it, or list it as a dimension in "
                    ~ "macros/metrics/domain_marts.sql") }}
            {%- endif %}
        {%- endfor %}
        {%- if metrics %}
            {%- if unions.count > 0 %}
                union all
            {%- endif %}
            {%- set unions.count = unions.count + 1 %}
            -- one scan per mart (macros/metrics/unpivot.sql)
            select
                metric_date,
                '{{ mart.domain }}' as domain,
                '{{ mart.entity_type }}' as entity_type,
                entity_id,
                entity_name,
                metric_name,
                metric_value
            from (
                {{ unpivot_metric_columns(
                    ref(mart.model),
                    [
                        'metric_date',
                        ("cast(" ~ mart.entity_id ~ " as " ~ dbt.type_string() ~ ")"
                            if mart.entity_id else "'product'") ~ " as entity_id",
                        ("cast(" ~ mart.entity_name ~ " as " ~ dbt.type_string() ~ ")"
                            if mart.entity_name else "'Product'") ~ " as entity_name",
                    ],
                    metrics,
                    "metric_date >= " ~ incremental_start_date()
                    ~ " and metric_date <= " ~ incremental_end_date()) }}
            ) as {{ mart.domain }}_metrics
        {%- endif %}
    {%- endfor %}
    {%- if unions.count == 0 %}
        {#- the marts are not built yet (dbt compile, sqlfluff): an empty, typed result #}
        select
            cast(null as date) as metric_date,
            '' as domain,
            '' as entity_type,
            '' as entity_id,
            '' as entity_name,
            '' as metric_name,
            cast(null as {{ type_double() }}) as metric_value
        where 1 = 0
    {%- endif %}
),

final as (
    select
        unpivoted.metric_date,
        cast(unpivoted.domain as {{ dbt.type_string() }}) as domain,
        cast(unpivoted.entity_type as {{ dbt.type_string() }}) as entity_type,
        cast(unpivoted.entity_id as {{ dbt.type_string() }}) as entity_id,
        cast(unpivoted.entity_name as {{ dbt.type_string() }}) as entity_name,
        cast(unpivoted.metric_name as {{ dbt.type_string() }}) as metric_name,
        unpivoted.metric_value,
        cast(metric_catalog.importance_tier as {{ dbt.type_string() }}) as importance_tier,
        cast(metric_catalog.unit as {{ dbt.type_string() }}) as unit,
        -- final: the day is outside the late-data lookback, so no later run rewrites it
        unpivoted.metric_date
        < {{ add_days(as_of_date(), -1 * var('late_data_lookback_days')) }} as is_final,
        cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }}) as computed_at
    from unpivoted
    inner join metric_catalog
        on
            unpivoted.domain = metric_catalog.domain
            and unpivoted.metric_name = metric_catalog.metric_name
)

select * from final
