-- Support tickets per account and day, point in time: a ticket counts as resolved on a
-- day only if it was resolved by the end of that day. (Surveys: int_account_surveys_daily.)
with

account_days as (
    select * from {{ ref('int_account_days') }}
),

support_tickets as (
    select * from {{ ref('stg_activity__support_tickets') }}
),

tickets as (
    select
        account_id,
        cast(created_at as date) as created_date,
        cast(resolved_at as date) as resolved_date,
        -- whole seconds, summed as integers: a floating-point rolling sum could differ in
        -- its last bits between a full and an incremental build
        cast(round({{ hours_between('created_at', 'resolved_at') }} * 3600) as bigint)
            as resolution_seconds
    from support_tickets
),

tickets_opened_by_day as (
    select
        account_id,
        created_date,
        count(*) as tickets_opened
    from tickets
    group by account_id, created_date
),

tickets_resolved_by_day as (
    select
        account_id,
        resolved_date,
        count(*) as tickets_resolved,
        sum(resolution_seconds) as resolution_seconds
    from tickets
    where resolved_date is not null
    group by account_id, resolved_date
),

-- A ticket opened on c and resolved on r counts towards "opened in [d-29, d] and resolved
-- by d" on the days d in [r, c + 29]: +1 on r, -1 on c + 30.
resolved_in_window_edges as (
    select
        account_id,
        resolved_date as change_date,
        1 as tickets_delta
    from tickets
    where resolved_date is not null and resolved_date < {{ add_days('created_date', 30) }}
    union all
    select
        account_id,
        {{ add_days('created_date', 30) }} as change_date,
        -1 as tickets_delta
    from tickets
    where resolved_date is not null and resolved_date < {{ add_days('created_date', 30) }}
),

resolved_in_window_changes as (
    select
        account_id,
        change_date,
        sum(tickets_delta) as tickets_delta
    from resolved_in_window_edges
    group by account_id, change_date
),

daily_inputs as (
    select
        account_days.account_id,
        account_days.date_day,
        coalesce(tickets_opened_by_day.tickets_opened, 0) as tickets_opened,
        coalesce(tickets_resolved_by_day.tickets_resolved, 0) as tickets_resolved,
        coalesce(tickets_resolved_by_day.resolution_seconds, 0) as resolution_seconds,
        coalesce(resolved_in_window_changes.tickets_delta, 0) as resolved_in_window_delta
    from account_days
    left join tickets_opened_by_day
        on
            account_days.account_id = tickets_opened_by_day.account_id
            and account_days.date_day = tickets_opened_by_day.created_date
    left join tickets_resolved_by_day
        on
            account_days.account_id = tickets_resolved_by_day.account_id
            and account_days.date_day = tickets_resolved_by_day.resolved_date
    left join resolved_in_window_changes
        on
            account_days.account_id = resolved_in_window_changes.account_id
            and account_days.date_day = resolved_in_window_changes.change_date
),

{%- set window_for = 'partition by account_id order by date_day rows between ' %}

windowed as (
    select
        account_id,
        date_day,
        sum(tickets_opened) over ({{ window_for }}29 preceding and current row)
            as support_tickets_30d,
        sum(resolved_in_window_delta) over (
            {{ window_for }}unbounded preceding and current row
        ) as tickets_opened_30d_resolved,
        sum(tickets_resolved) over ({{ window_for }}29 preceding and current row)
            as tickets_resolved_30d,
        sum(resolution_seconds) over ({{ window_for }}29 preceding and current row)
            as resolution_seconds_30d
    from daily_inputs
),

final as (
    select
        account_id,
        date_day,
        support_tickets_30d,
        tickets_resolved_30d,
        -- the parts of the two ratios, so MetricFlow re-aggregates them over any accounts
        tickets_opened_30d_resolved,
        resolution_seconds_30d,
        {{ safe_pct('tickets_opened_30d_resolved', 'support_tickets_30d') }}
            as ticket_resolution_rate,
        {{ safe_divide('resolution_seconds_30d', 'tickets_resolved_30d * 3600') }}
            as avg_ticket_resolution_hours
    from windowed
)

select * from final
