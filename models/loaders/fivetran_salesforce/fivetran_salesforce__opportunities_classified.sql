{{ config(enabled=loader_enabled('fivetran_salesforce')) }}

-- Every Salesforce opportunity row with what the mapping does with it: a deal (mapped),
-- set aside (deleted, an older history-mode version) or quarantined: a stage, type or
-- currency with no contract equivalent (unmapped_value), or an expansion or renewal whose
-- account carries no billing account key (no_account).
with

salesforce_opportunities as (
    {{ raw_table_select('fivetran_salesforce', 'opportunity', warn=true) }}
),

accounts_classified as (
    select * from {{ ref('fivetran_salesforce__accounts_classified') }}
    where row_disposition = 'mapped'
),

leads_classified as (
    select * from {{ ref('fivetran_salesforce__leads_classified') }}
    where row_disposition = 'mapped' and converted_opportunity_key is not null
),

-- the lead a deal came from: the lead whose conversion created it (the earliest, should
-- two leads name the same opportunity)
originating_leads as (
    select
        converted_opportunity_key as opportunity_key,
        min(lead_key) as lead_key
    from leads_classified
    group by converted_opportunity_key
),

opportunities_with_values as (
    select
        salesforce_opportunities.id as opportunity_key,
        salesforce_opportunities.account_id as account_key,
        salesforce_opportunities.owner_id as owner_user_key,
        salesforce_opportunities.type,
        salesforce_opportunities.stage_name,
        salesforce_opportunities.currency_iso_code,
        originating_leads.lead_key,
        accounts_classified.account_id,
        -- a null Type is common in Salesforce: var, default new_business
        case
            when salesforce_opportunities.type is null
                then '{{ var("fivetran_salesforce_default_opportunity_type", "new_business") }}'
            else type_mappings.contract_value
        end as opportunity_type,
        -- is_won and is_closed are Salesforce's own verdict on the stage, so they win over
        -- the seed (an org's custom closed stages need no seed row)
        case
            when salesforce_opportunities.is_won then 'closed_won'
            when salesforce_opportunities.is_closed then 'closed_lost'
            else stage_mappings.contract_value
        end as current_stage,
        -- an opportunity without an amount yet is worth 0 in the pipeline
        coalesce(salesforce_opportunities.amount, 0) as amount,
        salesforce_opportunities.created_date,
        salesforce_opportunities.close_date,
        coalesce(salesforce_opportunities.is_deleted, false)
        or coalesce(salesforce_opportunities._fivetran_deleted, false) as is_deleted,
        coalesce(salesforce_opportunities._fivetran_active, true) as is_active_version,
        cast(salesforce_opportunities._fivetran_synced as {{ dbt.type_timestamp() }})
            as synced_at
    from salesforce_opportunities
    {{ fivetran_salesforce_join_value('type_mappings', 'opportunity_type',
                                      'salesforce_opportunities.type') }}
    {{ fivetran_salesforce_join_value('stage_mappings', 'stage_name',
                                      'salesforce_opportunities.stage_name') }}
    left join accounts_classified
        on salesforce_opportunities.account_id = accounts_classified.account_key
    left join originating_leads
        on salesforce_opportunities.id = originating_leads.opportunity_key
),

reasons as (
    select
        *,
        case
            when is_deleted then 'deleted'
            when not is_active_version then 'superseded_version'
            when current_stage is null or opportunity_type is null then 'unmapped_value'
            -- amounts are taken as USD: a deal in another currency is not converted
            when coalesce(currency_iso_code, 'USD') <> 'USD' then 'unmapped_value'
            -- new business may come from a prospect (no customer account yet); an
            -- expansion or renewal is of a customer, who must map to billing
            when opportunity_type <> 'new_business' and account_id is null then 'no_account'
        end as disposition_reason
    from opportunities_with_values
),

final as (
    select
        'fivetran_salesforce.opportunity' as source_table,
        opportunity_key as record_key,
        {{ fivetran_salesforce_disposition('disposition_reason') }} as row_disposition,
        disposition_reason,
        opportunity_key,
        lead_key,
        account_id,
        owner_user_key,
        opportunity_type,
        amount,
        created_date,
        close_date,
        current_stage,
        synced_at,
        {{ fivetran_salesforce_record_text(['opportunity_key', 'account_key', 'owner_user_key',
                                            'type', 'stage_name', 'currency_iso_code',
                                            'amount', 'created_date', 'close_date']) }}
            as record_text
    from reasons
)

select * from final
