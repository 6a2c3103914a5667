-- The signup-to-paid funnel per UTC day, the whole product: signups, activations, trials
-- started and paid conversions on the day, and the trailing-30-day parts of the
-- activation rate (signups of [d-29, d], and those of them activated by the end of d).
with

users as (
    select * from {{ ref('stg_activity__users') }}
),

subscriptions_priced as (
    select * from {{ ref('int_subscriptions_priced') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

-- funnel: one milestone date per user; a milestone after the as-of day has not happened
user_milestones as (
    select
        user_id,
        cast(signed_up_at as date) as signup_date,
        case
            when activated_at < {{ as_of_end() }} then cast(activated_at as date)
        end as activation_date,
        case
            when trial_started_at < {{ as_of_end() }} then cast(trial_started_at as date)
        end as trial_start_date
    from users
    where signed_up_at < {{ as_of_end() }}
),

signups_per_day as (
    select
        signup_date as date_day,
        count(*) as signups
    from user_milestones
    group by signup_date
),

activations_per_day as (
    select
        activation_date as date_day,
        count(*) as activated_users
    from user_milestones
    where activation_date is not null
    group by activation_date
),

trials_per_day as (
    select
        trial_start_date as date_day,
        count(*) as trials_started
    from user_milestones
    where trial_start_date is not null
    group by trial_start_date
),

-- a paid conversion is an account's first subscription with a price above zero
paid_conversions_per_day as (
    select
        first_paid_date as date_day,
        count(*) as paid_conversions
    from (
        select
            account_id,
            min(start_date) as first_paid_date
        from subscriptions_priced
        where monthly_amount_local > 0 and started_at < {{ as_of_end() }}
        group by account_id
    ) as first_paid_subscriptions
    group by first_paid_date
),

-- activation rate on d: of the users who signed up in [d-29, d], those activated by the
-- end of d. An activated user counts in the numerator from the later of signup and
-- activation day until their signup leaves the window
activated_signup_changes as (
    select
        change_date,
        sum(activated_signups_delta) as activated_signups_delta
    from (
        select
            greatest(signup_date, activation_date) as change_date,
            1 as activated_signups_delta
        from user_milestones
        where activation_date is not null and activation_date < {{ add_days('signup_date', 30) }}
        union all
        select
            {{ add_days('signup_date', 30) }} as change_date,
            -1 as activated_signups_delta
        from user_milestones
        where activation_date is not null and activation_date < {{ add_days('signup_date', 30) }}
    ) as activated_signup_edges
    group by change_date
),

final as (
    select
        calendar_days.date_day,
        coalesce(signups_per_day.signups, 0) as signups,
        coalesce(activations_per_day.activated_users, 0) as activated_users,
        coalesce(trials_per_day.trials_started, 0) as trials_started,
        coalesce(paid_conversions_per_day.paid_conversions, 0) as paid_conversions,
        sum(coalesce(signups_per_day.signups, 0)) over (
            order by calendar_days.date_day rows between 29 preceding and current row
        ) as signups_30d,
        sum(coalesce(activated_signup_changes.activated_signups_delta, 0)) over (
            order by calendar_days.date_day rows between unbounded preceding and current row
        ) as activated_signups_30d
    from calendar_days
    left join signups_per_day
        on calendar_days.date_day = signups_per_day.date_day
    left join activations_per_day
        on calendar_days.date_day = activations_per_day.date_day
    left join trials_per_day
        on calendar_days.date_day = trials_per_day.date_day
    left join paid_conversions_per_day
        on calendar_days.date_day = paid_conversions_per_day.date_day
    left join activated_signup_changes
        on calendar_days.date_day = activated_signup_changes.change_date
)

select * from final
