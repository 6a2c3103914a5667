-- The spec's 12-month NRR/GRR cohort per day: the accounts paying on d-365, their MRR
-- then, their MRR on d, and their MRR on d capped at its d-365 value (GRR counts losses
-- only, so expansion cannot hide churn). int_account_mrr_daily is dense from an account's
-- first day to the as-of day, so a churned account is still there on d, with MRR 0.
with

account_mrr_daily as (
    select * from {{ ref('int_account_mrr_daily') }}
),

cohorts as (
    select
        current_day.date_day,
        count(*) as cohort_accounts,
        sum(cohort_day.mrr_usd) as cohort_base_mrr,
        sum(current_day.mrr_usd) as cohort_current_mrr,
        sum(
            case
                when current_day.mrr_usd < cohort_day.mrr_usd then current_day.mrr_usd
                else cohort_day.mrr_usd
            end
        ) as cohort_retained_mrr
    from account_mrr_daily as cohort_day
    inner join account_mrr_daily as current_day
        on
            cohort_day.account_id = current_day.account_id
            and current_day.date_day = {{ add_days('cohort_day.date_day', 365) }}
    where cohort_day.mrr_usd > 0
    group by current_day.date_day
)

select * from cohorts
