-- Leads per source channel and UTC day: MQLs of the 30 days ending on the day
-- (metrics_marketing.total_mqls; MQL events: int_leads_marketing_qualified), and leads
-- created in the 90 days ending on the day with how many had become customers by its end
-- (lead_conversion_rate).
with

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

leads_marketing_qualified as (
    select * from {{ ref('int_leads_marketing_qualified') }}
),

channel_mqls as (
    select
        source_channel as channel,
        mql_date,
        mql_count
    from leads_marketing_qualified
),

mql_windows as (
    {{ trailing_window_sums('channel_mqls', ['channel'], [
        ('mql_count', 30, 'mqls_30d'),
    ], date_column='mql_date') }}
),

created_leads as (
    select
        source_channel as channel,
        cast(created_at as date) as created_date,
        cast(converted_at as date) as converted_date,
        1 as lead_count
    from leads
),

lead_windows as (
    {{ trailing_window_sums('created_leads', ['channel'], [
        {'column': 'lead_count', 'days': 90, 'name': 'leads_90d'},
        {'column': 'lead_count', 'days': 90, 'name': 'leads_90d_converted',
         'reached_by': 'converted_date'},
    ], date_column='created_date') }}
),

final as (
    select
        coalesce(mql_windows.channel, lead_windows.channel) as channel,
        coalesce(mql_windows.date_day, lead_windows.date_day) as date_day,
        coalesce(mql_windows.mql_count, 0) as mqls,
        coalesce(mql_windows.mqls_30d, 0) as mqls_30d,
        coalesce(lead_windows.leads_90d, 0) as leads_90d,
        coalesce(lead_windows.leads_90d_converted, 0) as leads_90d_converted
    from mql_windows
    full outer join lead_windows
        on
            mql_windows.channel = lead_windows.channel
            and mql_windows.date_day = lead_windows.date_day
)

select * from final
