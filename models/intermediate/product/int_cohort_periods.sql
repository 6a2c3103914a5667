-- One row per cohort period type (month, week), signup cohort and period since the cohort
-- started (0-12), for the periods that have started by the as-of day: the cohort's size,
-- the members active in the period, and the period's dates. Period 0 retains every member
-- by definition (the cohort is its members); who was active in the signup period is kept
-- as active_users.
with

users as (
    select * from {{ ref('stg_activity__users') }}
),

user_activity_daily as (
    select * from {{ ref('int_user_activity_daily') }}
),

period_types as (
    select period_type_values.cohort_period_type
    from (values ('month'), ('week')) as period_type_values (cohort_period_type)
),

period_offsets as (
    select offset_values.periods_since_start
    from (
        values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12)
    ) as offset_values (periods_since_start)
),

cohort_members as (
    select
        period_types.cohort_period_type,
        users.user_id,
        {{ cohort_period_start('period_types.cohort_period_type', 'users.signed_up_at') }}
            as cohort_start_date
    from users
    cross join period_types
    where users.signed_up_at < {{ as_of_end() }}
),

-- each member's active periods: one row per member and period with a session
active_members as (
    select
        cohort_period_type,
        cohort_start_date,
        period_start_date,
        count(*) as active_users
    from (
        select distinct
            cohort_members.cohort_period_type,
            cohort_members.cohort_start_date,
            cohort_members.user_id,
            {{ cohort_period_start(
                'cohort_members.cohort_period_type', 'user_activity_daily.activity_date') }}
                as period_start_date
        from cohort_members
        inner join user_activity_daily
            on cohort_members.user_id = user_activity_daily.user_id
    ) as member_active_periods
    where cohort_start_date <= period_start_date
    group by cohort_period_type, cohort_start_date, period_start_date
),

cohort_periods_dated as (
    select
        cohorts.cohort_period_type,
        cohorts.cohort_start_date,
        period_offsets.periods_since_start,
        cohorts.cohort_size,
        {{ cohort_periods_after(
            'cohorts.cohort_period_type', 'period_offsets.periods_since_start',
            'cohorts.cohort_start_date') }} as period_start_date,
        {{ cohort_periods_after(
            'cohorts.cohort_period_type', 'period_offsets.periods_since_start + 1',
            'cohorts.cohort_start_date') }} as period_end_exclusive
    from (
        select
            cohort_period_type,
            cohort_start_date,
            count(*) as cohort_size
        from cohort_members
        group by cohort_period_type, cohort_start_date
    ) as cohorts
    cross join period_offsets
),

-- only periods that have started; revenue is measured on the period's last day, or on
-- the as-of day while the period is open
final as (
    select
        cohort_periods_dated.cohort_period_type,
        cohort_periods_dated.cohort_start_date,
        cohort_periods_dated.periods_since_start,
        cohort_periods_dated.period_start_date,
        {{ add_days('cohort_periods_dated.period_end_exclusive', -1) }} as period_end_date,
        least(
            {{ add_days('cohort_periods_dated.period_end_exclusive', -1) }}, {{ as_of_date() }}
        ) as measured_on_date,
        cohort_periods_dated.period_end_exclusive <= {{ add_days(as_of_date(), 1) }}
            as is_complete,
        cohort_periods_dated.cohort_size,
        coalesce(active_members.active_users, 0) as active_users,
        case
            when cohort_periods_dated.periods_since_start = 0
                then cohort_periods_dated.cohort_size
            else coalesce(active_members.active_users, 0)
        end as retained_users
    from cohort_periods_dated
    left join active_members
        on
            cohort_periods_dated.cohort_period_type = active_members.cohort_period_type
            and cohort_periods_dated.cohort_start_date = active_members.cohort_start_date
            and cohort_periods_dated.period_start_date = active_members.period_start_date
    where cohort_periods_dated.period_start_date <= {{ as_of_date() }}
)

select * from final
