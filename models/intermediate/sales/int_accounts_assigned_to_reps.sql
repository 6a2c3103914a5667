-- The sales rep who owns each customer account: the owner of the lead that converted
-- into the account, else the owner of the account's first opportunity. Used to credit
-- renewals (billing data) to reps. The CRM keeps no ownership history, so this is the
-- assignment as loaded.
with

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

lead_owners as (
    select
        converted_account_id as account_id,
        owner_rep_id,
        row_number() over (
            partition by converted_account_id order by converted_at, lead_id
        ) as lead_rank
    from leads
    where converted_account_id is not null and owner_rep_id is not null
),

opportunity_owners as (
    select
        account_id,
        owner_rep_id,
        row_number() over (
            partition by account_id order by created_at, opportunity_id
        ) as opportunity_rank
    from opportunities
    where account_id is not null and owner_rep_id is not null
),

accounts_with_owner as (
    select account_id from lead_owners
    union
    select account_id from opportunity_owners
),

final as (
    select
        accounts_with_owner.account_id,
        coalesce(lead_owners.owner_rep_id, opportunity_owners.owner_rep_id) as rep_id,
        case
            when lead_owners.owner_rep_id is not null then 'lead_owner'
            else 'first_opportunity_owner'
        end as assignment_source
    from accounts_with_owner
    left join lead_owners
        on
            accounts_with_owner.account_id = lead_owners.account_id
            and lead_owners.lead_rank = 1
    left join opportunity_owners
        on
            accounts_with_owner.account_id = opportunity_owners.account_id
            and opportunity_owners.opportunity_rank = 1
)

select * from final
