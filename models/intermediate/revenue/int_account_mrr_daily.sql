{{
    config(
        materialized='incremental',
        unique_key=['date_day'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

-- MRR per account and day in USD, with the day's MRR movement: one row for every day
-- from the account's first subscription to the as-of day, including days with MRR 0
-- after a churn (so the churn and a later return are visible), never before the first
-- subscription.
--
-- Movements compare the day with the day before (mrr-playbook's categories, by day):
--   new          0 -> positive, the account never had MRR before
--   reactivation 0 -> positive, the account had MRR before (a return after churn is
--                never expansion)
--   expansion    positive -> higher;  contraction  positive -> lower but positive
--   churn        positive -> 0 (the churned amount is the previous day's MRR)
-- so for every account and every span of days:
--   MRR at the end = MRR before + new + expansion + reactivation - contraction - churn.
-- Open-ended subscriptions count up to the as-of day, so the current month never shows
-- a churn that has not happened (the playbook's false current-month churn).
--
-- Incremental by day (macros/metrics/incremental_days.sql): a run recomputes the late-data
-- lookback plus the day before it (the first recomputed day's previous-day MRR), from the
-- subscriptions counting on those days, and carries "had MRR before" forward from the
-- table itself (any day with MRR before those days). Each account's first day still comes
-- from all its subscriptions.
{%- if is_incremental() %}
    {%- set first_computed_day = add_days(incremental_start_date('date_day'), -1) %}
    {%- set counting_on_computed_days = 'start_date <= ' ~ incremental_end_date()
        ~ ' and last_counted_date >= ' ~ first_computed_day %}
    {%- set before_computed_days = 'date_day < ' ~ first_computed_day %}
{%- else %}
    {%- set first_computed_day = '(select min(first_subscription_date) from account_bounds)' %}
    {%- set counting_on_computed_days = '1 = 1' %}
    {%- set before_computed_days = '1 = 0' %}
{%- endif %}
with

subscriptions_priced as (
    select * from {{ ref('int_subscriptions_priced') }}
),

account_bounds as (
    select
        account_id,
        min(start_date) as first_subscription_date
    from subscriptions_priced
    group by account_id
),

-- the subscriptions counting on a computed day (on a full build, all of them)
subscriptions_counting as (
    select * from subscriptions_priced
    where {{ counting_on_computed_days }}
),

-- the spine comes from the subscriptions themselves (not the calendar model) so an
-- account's first day always has "no MRR the day before", whatever metrics_start_date is;
-- an incremental run starts it the day before the first recomputed day
days as (
    {{ day_spine(first_computed_day, incremental_end_date()) }}
),

account_days as (
    select
        account_bounds.account_id,
        account_bounds.first_subscription_date,
        days.date_day
    from account_bounds
    inner join days
        on account_bounds.first_subscription_date <= days.date_day
),

subscription_mrr_by_day as (
    select
        account_days.account_id,
        account_days.date_day,
        sum(subscriptions_priced.monthly_amount_usd) as mrr_usd,
        count(subscriptions_priced.subscription_id) as active_subscriptions
    from account_days
    inner join subscriptions_counting as subscriptions_priced
        on
            account_days.account_id = subscriptions_priced.account_id
            and account_days.date_day between subscriptions_priced.start_date
            and subscriptions_priced.last_counted_date
    group by account_days.account_id, account_days.date_day
),

-- the tier of the largest subscription counting that day (ties: the latest started)
current_plans as (
    select
        account_days.account_id,
        account_days.date_day,
        subscriptions_priced.plan_tier,
        row_number() over (
            partition by account_days.account_id, account_days.date_day
            order by
                subscriptions_priced.monthly_amount_usd desc,
                subscriptions_priced.started_at desc
        ) as plan_rank
    from account_days
    inner join subscriptions_counting as subscriptions_priced
        on
            account_days.account_id = subscriptions_priced.account_id
            and account_days.date_day between subscriptions_priced.start_date
            and subscriptions_priced.last_counted_date
),

daily_mrr as (
    select
        account_days.account_id,
        account_days.date_day,
        cast(coalesce(subscription_mrr_by_day.mrr_usd, 0) as numeric(38, 6)) as mrr_usd,
        cast(
            coalesce(subscription_mrr_by_day.active_subscriptions, 0) as bigint
        ) as active_subscriptions,
        current_plans.plan_tier as current_plan_tier
    from account_days
    left join subscription_mrr_by_day
        on
            account_days.account_id = subscription_mrr_by_day.account_id
            and account_days.date_day = subscription_mrr_by_day.date_day
    left join current_plans
        on
            account_days.account_id = current_plans.account_id
            and account_days.date_day = current_plans.date_day
            and current_plans.plan_rank = 1
),

-- accounts with MRR on a day before the computed ones, from the table itself (on a full
-- build, none: every day is computed)
mrr_before_computed_days as (
    select
        account_id,
        max(case when mrr_usd > 0 then 1 else 0 end) as had_mrr_before
    from {{ this if is_incremental() else 'daily_mrr' }}
    where {{ before_computed_days }}
    group by account_id
),

with_previous_day as (
    select
        daily_mrr.account_id,
        daily_mrr.date_day,
        daily_mrr.mrr_usd,
        daily_mrr.active_subscriptions,
        daily_mrr.current_plan_tier,
        cast(coalesce(lag(daily_mrr.mrr_usd) over (
            partition by daily_mrr.account_id order by daily_mrr.date_day
        ), 0) as numeric(38, 6)) as previous_day_mrr_usd,
        -- MRR > 0 on any earlier day: a later start is a reactivation, not new
        greatest(
            coalesce(max(case when daily_mrr.mrr_usd > 0 then 1 else 0 end) over (
                partition by daily_mrr.account_id order by daily_mrr.date_day
                rows between unbounded preceding and 1 preceding
            ), 0),
            coalesce(mrr_before_computed_days.had_mrr_before, 0)
        ) as had_mrr_before
    from daily_mrr
    left join mrr_before_computed_days
        on daily_mrr.account_id = mrr_before_computed_days.account_id
),

classified as (
    select
        account_id,
        date_day,
        mrr_usd,
        previous_day_mrr_usd,
        active_subscriptions,
        current_plan_tier,
        case
            when previous_day_mrr_usd = 0 and mrr_usd > 0 and had_mrr_before = 0 then 'new'
            when previous_day_mrr_usd = 0 and mrr_usd > 0 then 'reactivation'
            when previous_day_mrr_usd > 0 and mrr_usd = 0 then 'churn'
            when mrr_usd > previous_day_mrr_usd then 'expansion'
            when mrr_usd < previous_day_mrr_usd then 'contraction'
        end as mrr_change_category
    from with_previous_day
),

final as (
    select
        account_id,
        date_day,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        mrr_usd,
        previous_day_mrr_usd,
        active_subscriptions,
        current_plan_tier,
        mrr_change_category,
        cast(
            case when mrr_change_category = 'new' then mrr_usd else 0 end
            as numeric(38, 6)
        ) as new_mrr_usd,
        cast(
            case when mrr_change_category = 'expansion' then mrr_usd - previous_day_mrr_usd else 0 end
            as numeric(38, 6)
        ) as expansion_mrr_usd,
        cast(
            case when mrr_change_category = 'reactivation' then mrr_usd else 0 end
            as numeric(38, 6)
        ) as reactivation_mrr_usd,
        cast(
            case when mrr_change_category = 'contraction' then previous_day_mrr_usd - mrr_usd else 0 end
            as numeric(38, 6)
        ) as contraction_mrr_usd,
        cast(
            case when mrr_change_category = 'churn' then previous_day_mrr_usd else 0 end
            as numeric(38, 6)
        ) as churned_mrr_usd
    from classified
)

select * from final
-- on an incremental run, the day before the recomputed days was only the previous day
where {{ recomputed_days_filter('date_day') }}
