-- MQLs per owning rep and UTC day: the 30-day count (metrics_sales.total_mqls) and the
-- 90-day MQLs with how many had reached SQL by the end of the day (mql_conversion_rate).
-- MQL events: int_leads_marketing_qualified; leads without an owner have no rep.
with

leads_marketing_qualified as (
    select * from {{ ref('int_leads_marketing_qualified') }}
),

rep_mqls as (
    select
        owner_rep_id as rep_id,
        mql_date,
        sql_date,
        mql_count
    from leads_marketing_qualified
),

windows as (
    {{ trailing_window_sums('rep_mqls', ['rep_id'], [
        {'column': 'mql_count', 'days': 30, 'name': 'mqls_30d'},
        {'column': 'mql_count', 'days': 90, 'name': 'mqls_90d'},
        {'column': 'mql_count', 'days': 90, 'name': 'mqls_90d_reached_sql',
         'reached_by': 'sql_date'},
    ], date_column='mql_date') }}
),

final as (
    select
        rep_id,
        date_day,
        mql_count as mqls,
        mqls_30d,
        mqls_90d,
        mqls_90d_reached_sql
    from windows
)

select * from final
