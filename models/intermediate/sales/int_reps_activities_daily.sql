-- Calls, emails and meetings a rep logged per UTC day, and over the 30 days ending on
-- the day. Activities are counted up to the end of the as-of day.
with

sales_activities as (
    select * from {{ ref('stg_crm__sales_activities') }}
),

activities_by_type as (
    select
        rep_id,
        cast(occurred_at as date) as activity_date,
        case when activity_type = 'call' then 1 else 0 end as calls_made,
        case when activity_type = 'email' then 1 else 0 end as emails_sent,
        case when activity_type = 'meeting' then 1 else 0 end as meetings_held
    from sales_activities
    where occurred_at < {{ as_of_end() }}
),

final as (
    {{ trailing_window_sums('activities_by_type', ['rep_id'], [
        ('calls_made', 30), ('emails_sent', 30), ('meetings_held', 30),
    ], date_column='activity_date') }}
)

select * from final
