{{
    config(
        materialized='incremental',
        unique_key=['metric_date', 'rep_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

-- depends_on: {{ ref('metric_raw_requirements') }}
-- depends_on: {{ ref('int_raw_tables_staged') }}

-- Sales metrics per rep and UTC day: joins the reps' topic intermediates
-- (models/intermediate/sales) and divides. Pipeline and closed deals are point in time,
-- from the opportunity stage history as it stood at the end of each day.
-- Definitions: metrics_sales.yml.
with

sales_reps as (
    select * from {{ ref('stg_crm__sales_reps') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

reps_pipeline_daily as (
    select * from {{ ref('int_reps_pipeline_daily') }}
),

reps_deal_outcomes_daily as (
    select * from {{ ref('int_reps_deal_outcomes_daily') }}
),

reps_quarter_quotas as (
    select * from {{ ref('int_reps_quarter_quotas') }}
),

reps_activities_daily as (
    select * from {{ ref('int_reps_activities_daily') }}
),

reps_leads_daily as (
    select * from {{ ref('int_reps_leads_daily') }}
),

reps_renewals_daily as (
    select * from {{ ref('int_reps_renewals_daily') }}
),

rep_days as (
    select
        calendar_days.date_day,
        calendar_days.quarter_start_date,
        sales_reps.rep_id,
        sales_reps.rep_name,
        sales_reps.team,
        sales_reps.region
    from sales_reps
    inner join calendar_days
        on calendar_days.date_day >= cast(sales_reps.hired_at as date)
    where calendar_days.date_day >= {{ incremental_start_date() }}
),

rep_days_joined as (
    select
        rep_days.date_day,
        rep_days.rep_id,
        rep_days.rep_name,
        rep_days.team,
        rep_days.region,
        {%- for column in [
            'open_opportunities', 'total_pipeline_value', 'forecast_amount',
            'pipeline_closing_this_quarter', 'stalled_deal_count',
        ] %}
            coalesce(reps_pipeline_daily.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        {%- for column in [
            'deals_won_mtd', 'revenue_closed_mtd', 'revenue_closed_qtd', 'deals_closed_90d',
            'deals_won_90d',
        ] %}
            coalesce(reps_deal_outcomes_daily.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        reps_deal_outcomes_daily.revenue_won_90d,
        reps_deal_outcomes_daily.sales_cycle_days_won_90d,
        reps_quarter_quotas.quarter_quota_usd,
        coalesce(reps_activities_daily.calls_made_30d, 0) as calls_made_30d,
        coalesce(reps_activities_daily.emails_sent_30d, 0) as emails_sent_30d,
        coalesce(reps_activities_daily.meetings_held_30d, 0) as meetings_held_30d,
        coalesce(reps_leads_daily.mqls_30d, 0) as mqls_30d,
        coalesce(reps_leads_daily.mqls_90d, 0) as mqls_90d,
        coalesce(reps_leads_daily.mqls_90d_reached_sql, 0) as mqls_90d_reached_sql,
        coalesce(reps_renewals_daily.renewals_due_90d, 0) as renewals_due_90d,
        coalesce(reps_renewals_daily.renewals_renewed_90d, 0) as renewals_renewed_90d
    from rep_days
    left join reps_pipeline_daily
        on
            rep_days.rep_id = reps_pipeline_daily.rep_id
            and rep_days.date_day = reps_pipeline_daily.date_day
    left join reps_deal_outcomes_daily
        on
            rep_days.rep_id = reps_deal_outcomes_daily.rep_id
            and rep_days.date_day = reps_deal_outcomes_daily.date_day
    left join reps_quarter_quotas
        on
            rep_days.rep_id = reps_quarter_quotas.rep_id
            and rep_days.quarter_start_date = reps_quarter_quotas.quarter_start_date
    left join reps_activities_daily
        on
            rep_days.rep_id = reps_activities_daily.rep_id
            and rep_days.date_day = reps_activities_daily.date_day
    left join reps_leads_daily
        on
            rep_days.rep_id = reps_leads_daily.rep_id
            and rep_days.date_day = reps_leads_daily.date_day
    left join reps_renewals_daily
        on
            rep_days.rep_id = reps_renewals_daily.rep_id
            and rep_days.date_day = reps_renewals_daily.date_day
),

final as (
    select
        date_day as metric_date,
        rep_id,
        cast(rep_name as {{ dbt.type_string() }}) as rep_name,
        cast(team as {{ dbt.type_string() }}) as team,
        cast(region as {{ dbt.type_string() }}) as region,
        cast(total_pipeline_value as numeric(38, 6)) as total_pipeline_value,
        cast(open_opportunities as bigint) as open_opportunities,
        -- no quota left (met, or none set): coverage has no meaning, so NULL
        cast(
            case
                when quarter_quota_usd - revenue_closed_qtd > 0
                    then {{ safe_divide('pipeline_closing_this_quarter',
                                        'quarter_quota_usd - revenue_closed_qtd') }}
            end
            as {{ type_double() }}
        ) as pipeline_coverage_ratio,
        cast(deals_won_mtd as bigint) as deals_won_mtd,
        cast(revenue_closed_mtd as numeric(38, 6)) as revenue_closed_mtd,
        cast({{ safe_pct('deals_won_90d', 'deals_closed_90d') }} as {{ type_double() }})
            as win_rate,
        cast({{ safe_divide('revenue_won_90d', 'deals_won_90d') }} as numeric(38, 6))
            as avg_deal_size,
        cast(
            {{ safe_divide('sales_cycle_days_won_90d', 'deals_won_90d') }}
            as {{ type_double() }}
        ) as avg_sales_cycle_days,
        cast(calls_made_30d as bigint) as calls_made_30d,
        cast(emails_sent_30d as bigint) as emails_sent_30d,
        cast(meetings_held_30d as bigint) as meetings_held_30d,
        cast(mqls_30d as bigint) as total_mqls,
        cast({{ safe_pct('mqls_90d_reached_sql', 'mqls_90d') }} as {{ type_double() }})
            as mql_conversion_rate,
        cast({{ safe_pct('revenue_closed_qtd', 'quarter_quota_usd') }} as {{ type_double() }})
            as quota_attainment_pct,
        cast(forecast_amount as numeric(38, 6)) as forecast_amount,
        cast(stalled_deal_count as bigint) as stalled_deal_count,
        cast({{ safe_pct('renewals_renewed_90d', 'renewals_due_90d') }} as {{ type_double() }})
            as renewal_rate,
        cast(revenue_closed_qtd as numeric(38, 6)) as revenue_closed_qtd,
        cast(quarter_quota_usd as numeric(38, 6)) as quarter_quota_amount,
        cast(pipeline_closing_this_quarter as numeric(38, 6)) as pipeline_closing_this_quarter
    from rep_days_joined
)

-- metrics whose raw tables have no rows are NULL (partial sources)
{{ select_metrics_with_data('final', 'sales') }}
