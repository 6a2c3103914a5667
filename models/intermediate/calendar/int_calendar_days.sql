-- Every UTC day from the first account signup (or var metrics_start_date) to the as-of
-- day: the spine every daily model joins to, so a day without activity still has a row.
-- A team without billing data (partial sources) starts at the first day of whatever it
-- has: product activity, CRM or marketing.
with

accounts as (
    select * from {{ ref('stg_billing__accounts') }}
),

sessions as (
    select * from {{ ref('stg_activity__sessions') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

ad_spend_daily as (
    select * from {{ ref('stg_marketing__ad_spend_daily') }}
),

web_sessions as (
    select * from {{ ref('stg_marketing__web_sessions') }}
),

first_days_without_billing as (
    select min(cast(started_at as date)) as first_day from sessions
    union all
    select min(cast(created_at as date)) as first_day from opportunities
    union all
    select min(cast(created_at as date)) as first_day from leads
    union all
    select min(spend_date) as first_day from ad_spend_daily
    union all
    select min(cast(started_at as date)) as first_day from web_sessions
),

bounds as (
    select
        {% if var('metrics_start_date') -%}
        cast('{{ var("metrics_start_date") }}' as date) as first_day,
        {%- else -%}
            coalesce(
                (select min(cast(created_at as date)) from accounts),
                (select min(first_day) from first_days_without_billing),
                {{ as_of_date() }}
            ) as first_day,
        {%- endif %}
        {{ as_of_date() }} as last_day
),

days as (
    {{ day_spine('(select first_day from bounds)', '(select last_day from bounds)') }}
),

final as (
    select
        date_day,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start_date
    from days
)

select * from final
