-- Cohort retention in long form: one row per cohort period type (month, week), cohort
-- and period since the cohort started (0-12), for periods that have started by the as-of
-- day. It joins the cohorts' users (int_cohort_periods) and revenue (int_cohort_revenue)
-- and divides. Rebuilt in full on every run: its size is cohorts x 13, and every open
-- period changes daily. Definitions are in metrics_cohort_retention.yml.
with

cohort_periods as (
    select * from {{ ref('int_cohort_periods') }}
),

cohort_revenue as (
    select * from {{ ref('int_cohort_revenue') }}
),

final as (
    select
        cast(cohort_periods.cohort_period_type as {{ dbt.type_string() }}) as cohort_period_type,
        cast(cohort_periods.cohort_start_date as date) as cohort_start_date,
        cast(cohort_periods.periods_since_start as integer) as periods_since_start,
        cast(cohort_periods.period_start_date as date) as period_start_date,
        cast(cohort_periods.period_end_date as date) as period_end_date,
        cast(cohort_periods.is_complete as boolean) as is_complete,
        cast(cohort_periods.cohort_size as bigint) as cohort_size,
        cast(cohort_periods.retained_users as bigint) as retained_users,
        -- an open period is not a drop: its percentages stay NULL until it has ended;
        -- period 0 is 100 by definition, open or not (retained_users = cohort_size)
        cast(
            case
                when cohort_periods.is_complete or cohort_periods.periods_since_start = 0
                    then {{ safe_pct('cohort_periods.retained_users', 'cohort_periods.cohort_size') }}
            end
            as {{ type_double() }}
        ) as logo_retention_pct,
        cast(coalesce(cohort_revenue.revenue_accounts, 0) as bigint) as revenue_accounts,
        cast(coalesce(cohort_revenue.starting_mrr, 0) as numeric(38, 6)) as starting_mrr,
        cast(coalesce(cohort_revenue.retained_mrr, 0) as numeric(38, 6)) as retained_mrr,
        cast(
            case
                when cohort_periods.is_complete
                    then {{ safe_pct('cohort_revenue.retained_mrr', 'cohort_revenue.starting_mrr') }}
            end
            as {{ type_double() }}
        ) as revenue_retention_pct,
        cast(
            case
                when cohort_periods.periods_since_start = 0 then cohort_periods.active_users
            end
            as bigint
        ) as active_in_signup_period_users,
        cast(
            case
                when cohort_periods.periods_since_start = 0 and cohort_periods.is_complete
                    then {{ safe_pct('cohort_periods.active_users', 'cohort_periods.cohort_size') }}
            end
            as {{ type_double() }}
        ) as active_in_signup_period_pct
    from cohort_periods
    left join cohort_revenue
        on
            cohort_periods.cohort_period_type = cohort_revenue.cohort_period_type
            and cohort_periods.cohort_start_date = cohort_revenue.cohort_start_date
            and cohort_periods.periods_since_start = cohort_revenue.periods_since_start
)

select * from final
