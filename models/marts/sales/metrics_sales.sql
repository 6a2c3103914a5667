{{
    config(
        materialized='incremental',
        unique_key=['metric_date', 'rep_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

-- depends_on: {{ ref('metric_raw_requirements') }}
-- depends_on: {{ ref('stg_row_reconciliation') }}

-- Sales metrics per rep and UTC day, point in time: pipeline, stage and closed deals on a
-- day come from the opportunity stage history as it stood at the end of that day
-- (int_opportunity_days_snapshotted), so a deal that moved backwards or was reopened
-- after closing counts where it stood then. Definitions: metrics_sales.yml.
with

sales_reps as (
    select * from {{ ref('stg_crm__sales_reps') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

opportunity_days_snapshotted as (
    select * from {{ ref('int_opportunity_days_snapshotted') }}
),

stage_probabilities as (
    select * from {{ ref('stage_probabilities') }}
),

rep_quotas as (
    select * from {{ ref('stg_crm__rep_quotas') }}
),

sales_activities as (
    select * from {{ ref('stg_crm__sales_activities') }}
),

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

subscription_renewals_dated as (
    select * from {{ ref('int_subscription_renewals_dated') }}
),

rep_days as (
    select
        calendar_days.date_day,
        calendar_days.month_start_date,
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

-- one pass over the deal snapshots gives every pipeline and closed-deal figure
deal_totals as (
    select
        opportunity_days_snapshotted.owner_rep_id as rep_id,
        opportunity_days_snapshotted.date_day,
        sum(case when opportunity_days_snapshotted.is_open then 1 else 0 end)
            as open_opportunities,
        sum(
            case
                when opportunity_days_snapshotted.is_open
                    then opportunity_days_snapshotted.amount_usd
                else 0
            end
        ) as total_pipeline_value,
        sum(
            case
                when opportunity_days_snapshotted.is_open
                    then
                        opportunity_days_snapshotted.amount_usd
                        * stage_probabilities.win_probability
                else 0
            end
        ) as forecast_amount,
        -- overdue deals still open are expected this quarter too
        sum(
            case
                when
                    opportunity_days_snapshotted.is_open
                    and opportunity_days_snapshotted.expected_close_date
                    < {{ dbt.dateadd('month', 3, 'opportunity_days_snapshotted.quarter_start_date') }}
                    then opportunity_days_snapshotted.amount_usd
                else 0
            end
        ) as pipeline_closing_this_quarter,
        sum(
            case
                when
                    opportunity_days_snapshotted.is_open
                    and opportunity_days_snapshotted.days_in_stage >= 30
                    then 1
                else 0
            end
        ) as stalled_deal_count,
        sum(
            case
                when
                    opportunity_days_snapshotted.is_won
                    and opportunity_days_snapshotted.closed_date
                    >= opportunity_days_snapshotted.month_start_date
                    then 1
                else 0
            end
        ) as deals_won_mtd,
        sum(
            case
                when
                    opportunity_days_snapshotted.is_won
                    and opportunity_days_snapshotted.closed_date
                    >= opportunity_days_snapshotted.month_start_date
                    then opportunity_days_snapshotted.amount_usd
                else 0
            end
        ) as revenue_closed_mtd,
        sum(
            case
                when
                    opportunity_days_snapshotted.is_won
                    and opportunity_days_snapshotted.closed_date
                    >= opportunity_days_snapshotted.quarter_start_date
                    then opportunity_days_snapshotted.amount_usd
                else 0
            end
        ) as revenue_closed_qtd,
        sum(
            case
                when
                    not opportunity_days_snapshotted.is_open
                    and opportunity_days_snapshotted.closed_date
                    >= {{ add_days('opportunity_days_snapshotted.date_day', -89) }}
                    then 1
                else 0
            end
        ) as deals_closed_90d,
        sum(
            case
                when
                    opportunity_days_snapshotted.is_won
                    and opportunity_days_snapshotted.closed_date
                    >= {{ add_days('opportunity_days_snapshotted.date_day', -89) }}
                    then 1
                else 0
            end
        ) as deals_won_90d,
        sum(
            case
                when
                    opportunity_days_snapshotted.is_won
                    and opportunity_days_snapshotted.closed_date
                    >= {{ add_days('opportunity_days_snapshotted.date_day', -89) }}
                    then opportunity_days_snapshotted.amount_usd
            end
        ) as revenue_won_90d,
        sum(
            case
                when
                    opportunity_days_snapshotted.is_won
                    and opportunity_days_snapshotted.closed_date
                    >= {{ add_days('opportunity_days_snapshotted.date_day', -89) }}
                    then {{ days_between('opportunity_days_snapshotted.created_at',
                                         'opportunity_days_snapshotted.closed_date') }}
            end
        ) as sales_cycle_days_won_90d
    from opportunity_days_snapshotted
    inner join stage_probabilities
        on opportunity_days_snapshotted.stage = stage_probabilities.stage
    where opportunity_days_snapshotted.date_day >= {{ incremental_start_date() }}
    group by opportunity_days_snapshotted.owner_rep_id, opportunity_days_snapshotted.date_day
),

-- the quota of a quarter is the sum of its monthly quotas: a plan set in advance, so
-- the months still ahead in the quarter count from its first day
quarter_quotas as (
    select
        rep_id,
        cast({{ dbt.date_trunc('quarter', 'quota_month') }} as date) as quarter_start_date,
        sum(quota_amount_usd) as quarter_quota_usd
    from rep_quotas
    group by rep_id, cast({{ dbt.date_trunc('quarter', 'quota_month') }} as date)
),

activity_counts_daily as (
    select
        rep_id,
        cast(occurred_at as date) as activity_date,
        sum(case when activity_type = 'call' then 1 else 0 end) as calls,
        sum(case when activity_type = 'email' then 1 else 0 end) as emails,
        sum(case when activity_type = 'meeting' then 1 else 0 end) as meetings
    from sales_activities
    where occurred_at < {{ as_of_end() }}
    group by rep_id, cast(occurred_at as date)
),

activity_totals as (
    select
        rep_days.rep_id,
        rep_days.date_day,
        sum(activity_counts_daily.calls) as calls_made_30d,
        sum(activity_counts_daily.emails) as emails_sent_30d,
        sum(activity_counts_daily.meetings) as meetings_held_30d
    from rep_days
    inner join activity_counts_daily
        on
            rep_days.rep_id = activity_counts_daily.rep_id
            and rep_days.date_day >= activity_counts_daily.activity_date
            and activity_counts_daily.activity_date
            >= {{ add_days('rep_days.date_day', -29) }}
    group by rep_days.rep_id, rep_days.date_day
),

marketing_qualified_leads as (
    select
        owner_rep_id as rep_id,
        cast(mql_at as date) as mql_date,
        sql_at
    from leads
    where mql_at is not null and owner_rep_id is not null
),

lead_totals as (
    select
        rep_days.rep_id,
        rep_days.date_day,
        sum(
            case
                when
                    marketing_qualified_leads.mql_date
                    >= {{ add_days('rep_days.date_day', -29) }}
                    then 1
                else 0
            end
        ) as total_mqls,
        count(*) as mqls_90d,
        -- an MQL counts as converted once it reached SQL by the end of the day
        sum(
            case
                when
                    marketing_qualified_leads.sql_at
                    < {{ dbt.dateadd('day', 1, 'rep_days.date_day') }}
                    then 1
                else 0
            end
        ) as mqls_90d_reached_sql
    from rep_days
    inner join marketing_qualified_leads
        on
            rep_days.rep_id = marketing_qualified_leads.rep_id
            and rep_days.date_day >= marketing_qualified_leads.mql_date
            and marketing_qualified_leads.mql_date >= {{ add_days('rep_days.date_day', -89) }}
    group by rep_days.rep_id, rep_days.date_day
),

renewal_totals as (
    select
        rep_days.rep_id,
        rep_days.date_day,
        count(*) as renewals_due_90d,
        sum(case when subscription_renewals_dated.is_renewed then 1 else 0 end)
            as renewals_renewed_90d
    from rep_days
    inner join subscription_renewals_dated
        on
            rep_days.rep_id = subscription_renewals_dated.rep_id
            and rep_days.date_day >= subscription_renewals_dated.renewal_date
            and subscription_renewals_dated.renewal_date
            >= {{ add_days('rep_days.date_day', -89) }}
    group by rep_days.rep_id, rep_days.date_day
),

rep_days_joined as (
    select
        rep_days.date_day,
        rep_days.rep_id,
        rep_days.rep_name,
        rep_days.team,
        rep_days.region,
        coalesce(deal_totals.open_opportunities, 0) as open_opportunities,
        coalesce(deal_totals.total_pipeline_value, 0) as total_pipeline_value,
        coalesce(deal_totals.forecast_amount, 0) as forecast_amount,
        coalesce(deal_totals.pipeline_closing_this_quarter, 0) as pipeline_closing_this_quarter,
        coalesce(deal_totals.stalled_deal_count, 0) as stalled_deal_count,
        coalesce(deal_totals.deals_won_mtd, 0) as deals_won_mtd,
        coalesce(deal_totals.revenue_closed_mtd, 0) as revenue_closed_mtd,
        coalesce(deal_totals.revenue_closed_qtd, 0) as revenue_closed_qtd,
        coalesce(deal_totals.deals_closed_90d, 0) as deals_closed_90d,
        coalesce(deal_totals.deals_won_90d, 0) as deals_won_90d,
        deal_totals.revenue_won_90d,
        deal_totals.sales_cycle_days_won_90d,
        quarter_quotas.quarter_quota_usd,
        coalesce(activity_totals.calls_made_30d, 0) as calls_made_30d,
        coalesce(activity_totals.emails_sent_30d, 0) as emails_sent_30d,
        coalesce(activity_totals.meetings_held_30d, 0) as meetings_held_30d,
        coalesce(lead_totals.total_mqls, 0) as total_mqls,
        coalesce(lead_totals.mqls_90d, 0) as mqls_90d,
        coalesce(lead_totals.mqls_90d_reached_sql, 0) as mqls_90d_reached_sql,
        coalesce(renewal_totals.renewals_due_90d, 0) as renewals_due_90d,
        coalesce(renewal_totals.renewals_renewed_90d, 0) as renewals_renewed_90d
    from rep_days
    left join deal_totals
        on
            rep_days.rep_id = deal_totals.rep_id
            and rep_days.date_day = deal_totals.date_day
    left join quarter_quotas
        on
            rep_days.rep_id = quarter_quotas.rep_id
            and rep_days.quarter_start_date = quarter_quotas.quarter_start_date
    left join activity_totals
        on
            rep_days.rep_id = activity_totals.rep_id
            and rep_days.date_day = activity_totals.date_day
    left join lead_totals
        on
            rep_days.rep_id = lead_totals.rep_id
            and rep_days.date_day = lead_totals.date_day
    left join renewal_totals
        on
            rep_days.rep_id = renewal_totals.rep_id
            and rep_days.date_day = renewal_totals.date_day
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
        cast(
            {{ safe_divide('revenue_won_90d', 'deals_won_90d') }} as numeric(38, 6)
        ) as avg_deal_size,
        cast(
            {{ safe_divide('sales_cycle_days_won_90d', 'deals_won_90d') }}
            as {{ type_double() }}
        ) as avg_sales_cycle_days,
        cast(calls_made_30d as bigint) as calls_made_30d,
        cast(emails_sent_30d as bigint) as emails_sent_30d,
        cast(meetings_held_30d as bigint) as meetings_held_30d,
        cast(total_mqls as bigint) as total_mqls,
        cast({{ safe_pct('mqls_90d_reached_sql', 'mqls_90d') }} as {{ type_double() }})
            as mql_conversion_rate,
        cast(
            {{ safe_pct('revenue_closed_qtd', 'quarter_quota_usd') }} as {{ type_double() }}
        ) as quota_attainment_pct,
        cast(forecast_amount as numeric(38, 6)) as forecast_amount,
        cast(stalled_deal_count as bigint) as stalled_deal_count,
        cast(
            {{ safe_pct('renewals_renewed_90d', 'renewals_due_90d') }} as {{ type_double() }}
        ) as renewal_rate,
        cast(revenue_closed_qtd as numeric(38, 6)) as revenue_closed_qtd,
        cast(quarter_quota_usd as numeric(38, 6)) as quarter_quota_amount,
        cast(pipeline_closing_this_quarter as numeric(38, 6)) as pipeline_closing_this_quarter
    from rep_days_joined
)

-- metrics whose raw tables have no rows are NULL (partial sources)
{{ select_metrics_with_data('final', 'sales') }}
