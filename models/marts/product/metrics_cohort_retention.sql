-- Cohort retention in long form: one row per cohort period type (month, week), cohort
-- and period since the cohort started (0-12), for periods that have started by the as-of
-- day. Rebuilt in full on every run: its size is cohorts x 13, and every open period
-- changes daily. Definitions are in metrics_cohort_retention.yml.
with

users as (
    select * from {{ ref('stg_activity__users') }}
),

user_activity_daily as (
    select * from {{ ref('int_user_activity_daily') }}
),

account_mrr_daily as (
    select * from {{ ref('int_account_mrr_daily') }}
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

signed_up_users as (
    select
        user_id,
        account_id,
        signed_up_at
    from users
    where signed_up_at < {{ as_of_end() }}
),

cohort_members as (
    select
        period_types.cohort_period_type,
        signed_up_users.user_id,
        {{ cohort_period_start('period_types.cohort_period_type', 'signed_up_users.signed_up_at') }} as cohort_start_date
    from signed_up_users
    cross join period_types
),

-- each user's active periods: one row per user and period with a session (O(user-days))
active_periods as (
    select distinct
        period_types.cohort_period_type,
        user_activity_daily.user_id,
        {{ cohort_period_start('period_types.cohort_period_type', 'user_activity_daily.activity_date') }} as period_start_date
    from user_activity_daily
    cross join period_types
),

cohort_periods as (
    select
        cohorts.cohort_period_type,
        cohorts.cohort_start_date,
        period_offsets.periods_since_start,
        cohorts.cohort_size
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

cohort_periods_dated as (
    select
        cohort_periods.*,
        {{ cohort_periods_after('cohort_periods.cohort_period_type', 'cohort_periods.periods_since_start', 'cohort_periods.cohort_start_date') }}
            as period_start_date,
        {{ cohort_periods_after('cohort_periods.cohort_period_type', 'cohort_periods.periods_since_start + 1', 'cohort_periods.cohort_start_date') }}
            as period_end_exclusive
    from cohort_periods
),

-- only periods that have started; revenue is measured on the period's last day, or on
-- the as-of day while the period is open
periods_started as (
    select
        *,
        {{ add_days('period_end_exclusive', -1) }} as period_end_date,
        least({{ add_days('period_end_exclusive', -1) }}, {{ as_of_date() }}) as measured_on_date,
        period_end_exclusive <= {{ add_days(as_of_date(), 1) }} as is_complete
    from cohort_periods_dated
    where period_start_date <= {{ as_of_date() }}
),

retained_users as (
    select
        cohort_members.cohort_period_type,
        cohort_members.cohort_start_date,
        active_periods.period_start_date,
        count(*) as retained_users
    from cohort_members
    inner join active_periods
        on
            cohort_members.cohort_period_type = active_periods.cohort_period_type
            and cohort_members.user_id = active_periods.user_id
            and cohort_members.cohort_start_date <= active_periods.period_start_date
    group by
        cohort_members.cohort_period_type,
        cohort_members.cohort_start_date,
        active_periods.period_start_date
),

-- an account's revenue belongs to the cohort of its first user (its founding signup), so
-- each account sits in exactly one cohort per period type
account_cohorts as (
    select
        period_types.cohort_period_type,
        first_signups.account_id,
        {{ cohort_period_start('period_types.cohort_period_type', 'first_signups.first_signed_up_at') }} as cohort_start_date
    from (
        select
            account_id,
            min(signed_up_at) as first_signed_up_at
        from signed_up_users
        group by account_id
    ) as first_signups
    cross join period_types
),

-- the revenue base: an account joins it on its first day with MRR above zero, with that
-- day's MRR as its starting MRR
account_first_paid_days as (
    select
        account_id,
        date_day as first_paid_date,
        mrr_usd as first_paid_mrr
    from (
        select
            account_id,
            date_day,
            mrr_usd,
            row_number() over (partition by account_id order by date_day) as paid_day_rank
        from account_mrr_daily
        where mrr_usd > 0 and date_day <= {{ as_of_date() }}
    ) as paid_days
    where paid_day_rank = 1
),

revenue as (
    select
        periods_started.cohort_period_type,
        periods_started.cohort_start_date,
        periods_started.periods_since_start,
        count(*) as revenue_accounts,
        sum(account_first_paid_days.first_paid_mrr) as starting_mrr,
        sum(coalesce(account_mrr_daily.mrr_usd, 0)) as retained_mrr
    from periods_started
    inner join account_cohorts
        on
            periods_started.cohort_period_type = account_cohorts.cohort_period_type
            and periods_started.cohort_start_date = account_cohorts.cohort_start_date
    inner join account_first_paid_days
        on
            account_cohorts.account_id = account_first_paid_days.account_id
            and periods_started.measured_on_date >= account_first_paid_days.first_paid_date
    left join account_mrr_daily
        on
            account_cohorts.account_id = account_mrr_daily.account_id
            and periods_started.measured_on_date = account_mrr_daily.date_day
    group by
        periods_started.cohort_period_type,
        periods_started.cohort_start_date,
        periods_started.periods_since_start
),

final as (
    select
        cast(periods_started.cohort_period_type as {{ dbt.type_string() }}) as cohort_period_type,
        cast(periods_started.cohort_start_date as date) as cohort_start_date,
        cast(periods_started.periods_since_start as integer) as periods_since_start,
        cast(periods_started.period_start_date as date) as period_start_date,
        cast(periods_started.period_end_date as date) as period_end_date,
        cast(periods_started.is_complete as boolean) as is_complete,
        cast(periods_started.cohort_size as bigint) as cohort_size,
        cast(coalesce(retained_users.retained_users, 0) as bigint) as retained_users,
        -- an open period is not a drop: its percentages stay NULL until it has ended
        cast(
            case
                when periods_started.is_complete
                    then {{ safe_pct('coalesce(retained_users.retained_users, 0)', 'periods_started.cohort_size') }}
            end
            as {{ type_double() }}
        ) as logo_retention_pct,
        cast(coalesce(revenue.revenue_accounts, 0) as bigint) as revenue_accounts,
        cast(coalesce(revenue.starting_mrr, 0) as numeric(38, 6)) as starting_mrr,
        cast(coalesce(revenue.retained_mrr, 0) as numeric(38, 6)) as retained_mrr,
        cast(
            case
                when periods_started.is_complete
                    then {{ safe_pct('revenue.retained_mrr', 'revenue.starting_mrr') }}
            end
            as {{ type_double() }}
        ) as revenue_retention_pct
    from periods_started
    left join retained_users
        on
            periods_started.cohort_period_type = retained_users.cohort_period_type
            and periods_started.cohort_start_date = retained_users.cohort_start_date
            and periods_started.period_start_date = retained_users.period_start_date
    left join revenue
        on
            periods_started.cohort_period_type = revenue.cohort_period_type
            and periods_started.cohort_start_date = revenue.cohort_start_date
            and periods_started.periods_since_start = revenue.periods_since_start
)

select * from final
