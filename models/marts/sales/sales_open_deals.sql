-- The deals open at the end of the as-of day, with stage, owner and age: the Sales
-- dashboard's open-deals table. Stage and age come from the stage history, like the mart.
with

opportunity_days_snapshotted as (
    select * from {{ ref('int_opportunity_days_snapshotted') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

sales_reps as (
    select * from {{ ref('stg_crm__sales_reps') }}
),

stage_probabilities as (
    select * from {{ ref('stage_probabilities') }}
),

open_on_as_of_day as (
    select *
    from opportunity_days_snapshotted
    where date_day = {{ as_of_date() }} and is_open
),

final as (
    select
        open_on_as_of_day.date_day as as_of_date,
        open_on_as_of_day.opportunity_id,
        cast(opportunities.opportunity_type as {{ dbt.type_string() }}) as opportunity_type,
        opportunities.account_id,
        open_on_as_of_day.owner_rep_id as rep_id,
        cast(sales_reps.rep_name as {{ dbt.type_string() }}) as rep_name,
        cast(sales_reps.team as {{ dbt.type_string() }}) as team,
        cast(open_on_as_of_day.stage as {{ dbt.type_string() }}) as stage,
        cast(open_on_as_of_day.amount_usd as numeric(38, 6)) as amount_usd,
        cast(
            open_on_as_of_day.amount_usd * stage_probabilities.win_probability
            as numeric(38, 6)
        ) as forecast_amount,
        cast(open_on_as_of_day.created_at as date) as created_date,
        open_on_as_of_day.expected_close_date,
        cast(open_on_as_of_day.days_since_created as bigint) as age_days,
        cast(open_on_as_of_day.days_in_stage as bigint) as days_in_stage,
        open_on_as_of_day.days_in_stage >= 30 as is_stalled
    from open_on_as_of_day
    inner join opportunities
        on open_on_as_of_day.opportunity_id = opportunities.opportunity_id
    inner join stage_probabilities
        on open_on_as_of_day.stage = stage_probabilities.stage
    left join sales_reps
        on open_on_as_of_day.owner_rep_id = sales_reps.rep_id
)

select * from final
