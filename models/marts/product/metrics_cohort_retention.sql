-- Cohort retention in long form: one row per cohort period type (month, week), cohort
-- and period since the cohort started (0-12), for periods that have started by the as-of
-- day. Rebuilt in full on every run: its size is cohorts x 13, and every open period
-- changes daily. Definitions are in metrics_cohort_retention.yml.
{%- set period_types = ['month', 'week'] %}
{%- set max_periods = 12 %}

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

signed_up_users as (
    select
        user_id,
        account_id,
        signed_up_at
    from users
    where signed_up_at < {{ as_of_end() }}
),

period_offsets as (
    {%- for offset in range(max_periods + 1) %}
    select {{ offset }} as periods_since_start{% if not loop.last %} union all{% endif %}
    {%- endfor %}
),

-- an account's revenue belongs to the cohort of its first user (its founding signup), so
-- each account sits in exactly one cohort per period type
account_first_signups as (
    select
        account_id,
        min(signed_up_at) as first_signed_up_at
    from signed_up_users
    group by account_id
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

{% for period_type in period_types %}
cohort_members_{{ period_type }} as (
    select
        user_id,
        cast({{ dbt.date_trunc(period_type, 'signed_up_at') }} as date) as cohort_start_date
    from signed_up_users
),

-- each user's active periods: one row per user and period with a session (O(user-days))
active_periods_{{ period_type }} as (
    select distinct
        user_id,
        cast({{ dbt.date_trunc(period_type, 'activity_date') }} as date) as period_start_date
    from user_activity_daily
),

cohort_periods_{{ period_type }} as (
    select
        cohorts.cohort_start_date,
        period_offsets.periods_since_start,
        cast({{ dbt.dateadd(period_type, 'period_offsets.periods_since_start', 'cohorts.cohort_start_date') }}
            as date) as period_start_date,
        cast({{ dbt.dateadd(period_type, 'period_offsets.periods_since_start + 1', 'cohorts.cohort_start_date') }}
            as date) as period_end_exclusive,
        cohorts.cohort_size
    from (
        select
            cohort_start_date,
            count(*) as cohort_size
        from cohort_members_{{ period_type }}
        group by cohort_start_date
    ) as cohorts
    cross join period_offsets
),

retained_users_{{ period_type }} as (
    select
        cohort_members_{{ period_type }}.cohort_start_date,
        active_periods_{{ period_type }}.period_start_date,
        count(*) as retained_users
    from cohort_members_{{ period_type }}
    inner join active_periods_{{ period_type }}
        on
            cohort_members_{{ period_type }}.user_id = active_periods_{{ period_type }}.user_id
            and active_periods_{{ period_type }}.period_start_date
            >= cohort_members_{{ period_type }}.cohort_start_date
    group by
        cohort_members_{{ period_type }}.cohort_start_date,
        active_periods_{{ period_type }}.period_start_date
),

-- revenue is measured on the period's last day, or on the as-of day while it is open
revenue_{{ period_type }} as (
    select
        cohort_periods_{{ period_type }}.cohort_start_date,
        cohort_periods_{{ period_type }}.periods_since_start,
        count(*) as revenue_accounts,
        sum(account_first_paid_days.first_paid_mrr) as starting_mrr,
        sum(coalesce(account_mrr_daily.mrr_usd, 0)) as retained_mrr
    from cohort_periods_{{ period_type }}
    inner join account_first_signups
        on
            cohort_periods_{{ period_type }}.cohort_start_date
            = cast({{ dbt.date_trunc(period_type, 'account_first_signups.first_signed_up_at') }} as date)
    inner join account_first_paid_days
        on
            account_first_signups.account_id = account_first_paid_days.account_id
            and account_first_paid_days.first_paid_date <= least(
                {{ add_days('cohort_periods_' ~ period_type ~ '.period_end_exclusive', -1) }},
                {{ as_of_date() }}
            )
    left join account_mrr_daily
        on
            account_first_signups.account_id = account_mrr_daily.account_id
            and account_mrr_daily.date_day = least(
                {{ add_days('cohort_periods_' ~ period_type ~ '.period_end_exclusive', -1) }},
                {{ as_of_date() }}
            )
    where cohort_periods_{{ period_type }}.period_start_date <= {{ as_of_date() }}
    group by
        cohort_periods_{{ period_type }}.cohort_start_date,
        cohort_periods_{{ period_type }}.periods_since_start
),

retention_{{ period_type }} as (
    select
        '{{ period_type }}' as cohort_period_type,
        cohort_periods_{{ period_type }}.cohort_start_date,
        cohort_periods_{{ period_type }}.periods_since_start,
        cohort_periods_{{ period_type }}.period_start_date,
        {{ add_days('cohort_periods_' ~ period_type ~ '.period_end_exclusive', -1) }} as period_end_date,
        cohort_periods_{{ period_type }}.period_end_exclusive <= {{ add_days(as_of_date(), 1) }}
            as is_complete,
        cohort_periods_{{ period_type }}.cohort_size,
        coalesce(retained_users_{{ period_type }}.retained_users, 0) as retained_users,
        coalesce(revenue_{{ period_type }}.revenue_accounts, 0) as revenue_accounts,
        coalesce(revenue_{{ period_type }}.starting_mrr, 0) as starting_mrr,
        coalesce(revenue_{{ period_type }}.retained_mrr, 0) as retained_mrr
    from cohort_periods_{{ period_type }}
    left join retained_users_{{ period_type }}
        on
            cohort_periods_{{ period_type }}.cohort_start_date
            = retained_users_{{ period_type }}.cohort_start_date
            and cohort_periods_{{ period_type }}.period_start_date
            = retained_users_{{ period_type }}.period_start_date
    left join revenue_{{ period_type }}
        on
            cohort_periods_{{ period_type }}.cohort_start_date
            = revenue_{{ period_type }}.cohort_start_date
            and cohort_periods_{{ period_type }}.periods_since_start
            = revenue_{{ period_type }}.periods_since_start
    where cohort_periods_{{ period_type }}.period_start_date <= {{ as_of_date() }}
),

{% endfor %}
all_retention as (
    {%- for period_type in period_types %}
    select * from retention_{{ period_type }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        cast(cohort_period_type as {{ dbt.type_string() }}) as cohort_period_type,
        cast(cohort_start_date as date) as cohort_start_date,
        cast(periods_since_start as integer) as periods_since_start,
        cast(period_start_date as date) as period_start_date,
        cast(period_end_date as date) as period_end_date,
        cast(is_complete as boolean) as is_complete,
        cast(cohort_size as bigint) as cohort_size,
        cast(retained_users as bigint) as retained_users,
        -- an open period is not a drop: its percentages stay NULL until it has ended
        cast(
            case when is_complete then {{ safe_pct('retained_users', 'cohort_size') }} end
            as {{ type_double() }}
        ) as logo_retention_pct,
        cast(revenue_accounts as bigint) as revenue_accounts,
        cast(starting_mrr as numeric(38, 6)) as starting_mrr,
        cast(retained_mrr as numeric(38, 6)) as retained_mrr,
        cast(
            case when is_complete then {{ safe_pct('retained_mrr', 'starting_mrr') }} end
            as {{ type_double() }}
        ) as revenue_retention_pct
    from all_retention
)

select * from final
