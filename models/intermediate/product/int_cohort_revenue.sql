-- Revenue of each signup cohort per period since its start (the periods of
-- int_cohort_periods): the cohort's accounts that had their first paid day by the period's
-- measuring day (the revenue base), their starting MRR and their MRR on that day.
with

users as (
    select * from {{ ref('stg_activity__users') }}
),

cohort_periods as (
    select * from {{ ref('int_cohort_periods') }}
),

account_mrr_daily as (
    select * from {{ ref('int_account_mrr_daily') }}
),

-- an account's revenue belongs to the cohort of its first user (its founding signup), so
-- each account sits in exactly one cohort per period type
account_first_signups as (
    select
        account_id,
        min(signed_up_at) as first_signed_up_at
    from users
    where signed_up_at < {{ as_of_end() }}
    group by account_id
),

period_types as (
    select distinct cohort_period_type
    from cohort_periods
),

account_cohorts as (
    select
        period_types.cohort_period_type,
        account_first_signups.account_id,
        {{ cohort_period_start(
            'period_types.cohort_period_type', 'account_first_signups.first_signed_up_at') }}
            as cohort_start_date
    from account_first_signups
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

final as (
    select
        cohort_periods.cohort_period_type,
        cohort_periods.cohort_start_date,
        cohort_periods.periods_since_start,
        count(*) as revenue_accounts,
        cast(sum(account_first_paid_days.first_paid_mrr) as numeric(38, 6)) as starting_mrr,
        cast(sum(coalesce(account_mrr_daily.mrr_usd, 0)) as numeric(38, 6)) as retained_mrr
    from cohort_periods
    inner join account_cohorts
        on
            cohort_periods.cohort_period_type = account_cohorts.cohort_period_type
            and cohort_periods.cohort_start_date = account_cohorts.cohort_start_date
    inner join account_first_paid_days
        on
            account_cohorts.account_id = account_first_paid_days.account_id
            and cohort_periods.measured_on_date >= account_first_paid_days.first_paid_date
    left join account_mrr_daily
        on
            account_cohorts.account_id = account_mrr_daily.account_id
            and cohort_periods.measured_on_date = account_mrr_daily.date_day
    group by
        cohort_periods.cohort_period_type,
        cohort_periods.cohort_start_date,
        cohort_periods.periods_since_start
)

select * from final
