-- Every UTC day from the first account signup (or var metrics_start_date) to the as-of
-- day: the spine every daily model joins to, so a day without activity still has a row.
with

accounts as (
    select * from {{ ref('stg_billing__accounts') }}
),

bounds as (
    select
        {% if var('metrics_start_date') -%}
        cast('{{ var("metrics_start_date") }}' as date) as first_day,
        {%- else -%}
            coalesce(min(cast(created_at as date)), {{ as_of_date() }}) as first_day,
        {%- endif %}
        {{ as_of_date() }} as last_day
    from accounts
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
