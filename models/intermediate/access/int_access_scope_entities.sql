-- Every account and sales rep with the attributes a reader scope can name (region,
-- segment, sales team): the dimension the row-level security policies and `saas-metrics
-- reader add` read (macros/postgres/row_access.sql). An account belongs to the team of the
-- rep who owns it, so a sales manager's team scope covers their reps' customers too.
with

accounts as (
    select * from {{ ref('stg_billing__accounts') }}
),

sales_reps as (
    select * from {{ ref('stg_crm__sales_reps') }}
),

accounts_assigned_to_reps as (
    select * from {{ ref('int_accounts_assigned_to_reps') }}
),

account_entities as (
    select
        'account' as entity_type,
        cast(accounts.account_id as {{ dbt.type_string() }}) as entity_id,
        accounts.region,
        accounts.segment,
        sales_reps.team
    from accounts
    left join accounts_assigned_to_reps
        on accounts.account_id = accounts_assigned_to_reps.account_id
    left join sales_reps
        on accounts_assigned_to_reps.rep_id = sales_reps.rep_id
),

-- reps have a region and a team but no customer segment
sales_rep_entities as (
    select
        'sales_rep' as entity_type,
        cast(rep_id as {{ dbt.type_string() }}) as entity_id,
        region,
        cast(null as {{ dbt.type_string() }}) as segment,
        team
    from sales_reps
),

final as (
    select * from account_entities
    union all
    select * from sales_rep_entities
)

select * from final
