-- One row per annual subscription per contract anniversary reached by the as-of day
-- while the subscription was still running: the moment it "came up for renewal".
-- renewed: the subscription ran past the anniversary day, or the account started another
-- subscription on that day (a plan change at renewal). Not renewed: it ended on the
-- anniversary day with no successor. The outcome is known at the end of the renewal day,
-- so a day's renewal_rate never uses later data. Monthly plans renew every month without
-- a contract decision and are left out.
with

subscriptions as (
    select * from {{ ref('stg_billing__subscriptions') }}
),

accounts_assigned_to_reps as (
    select * from {{ ref('int_accounts_assigned_to_reps') }}
),

contract_years as (
    {% for contract_year in range(1, 21) -%}
        select {{ contract_year }} as contract_year
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}
),

annual_subscriptions as (
    select
        subscription_id,
        account_id,
        started_at,
        ended_at
    from subscriptions
    where billing_interval = 'year'
),

anniversaries as (
    select
        annual_subscriptions.subscription_id,
        annual_subscriptions.account_id,
        annual_subscriptions.ended_at,
        contract_years.contract_year,
        cast(
            {{ dbt.dateadd('month', '12 * contract_years.contract_year',
                           'annual_subscriptions.started_at') }}
            as date
        ) as renewal_date
    from annual_subscriptions
    cross join contract_years
),

anniversaries_reached as (
    select *
    from anniversaries
    where
        renewal_date <= {{ as_of_date() }}
        -- a subscription cancelled mid-term never comes up for this renewal
        and (ended_at is null or cast(ended_at as date) >= renewal_date)
),

successors as (
    select distinct
        account_id,
        cast(started_at as date) as start_date
    from subscriptions
),

final as (
    select
        anniversaries_reached.subscription_id,
        anniversaries_reached.account_id,
        accounts_assigned_to_reps.rep_id,
        anniversaries_reached.contract_year,
        anniversaries_reached.renewal_date,
        (
            anniversaries_reached.ended_at is null
            or cast(anniversaries_reached.ended_at as date) > anniversaries_reached.renewal_date
            or successors.account_id is not null
        ) as is_renewed
    from anniversaries_reached
    left join accounts_assigned_to_reps
        on anniversaries_reached.account_id = accounts_assigned_to_reps.account_id
    left join successors
        on
            anniversaries_reached.account_id = successors.account_id
            and anniversaries_reached.renewal_date = successors.start_date
            and cast(anniversaries_reached.ended_at as date) = successors.start_date
)

select * from final
