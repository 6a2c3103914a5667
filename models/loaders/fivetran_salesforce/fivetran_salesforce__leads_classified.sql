{{ config(enabled=loader_enabled('fivetran_salesforce')) }}
{%- set mql_field = var('fivetran_salesforce_lead_mql_field', 'mql_date_c') %}
{%- set sql_field = var('fivetran_salesforce_lead_sql_field', 'sql_date_c') %}

-- Every Salesforce lead row with what the mapping does with it: a lead (mapped), set
-- aside (deleted, an older history-mode version) or quarantined (a lead source with no
-- contract channel).
with

salesforce_leads as (
    {{ raw_table_select('fivetran_salesforce', 'lead', warn=true) }}
),

accounts_classified as (
    select * from {{ ref('fivetran_salesforce__accounts_classified') }}
    where row_disposition = 'mapped'
),

users_classified as (
    select * from {{ ref('fivetran_salesforce__users_classified') }}
),

-- system, chatter and portal users (web-to-lead owners and the like) own leads no rep has
users_not_reps as (
    select distinct user_key
    from users_classified
    where disposition_reason = 'not_an_internal_user'
),

leads_with_values as (
    select
        salesforce_leads.id as lead_key,
        salesforce_leads.email,
        salesforce_leads.name as full_name,
        salesforce_leads.company as company_name,
        salesforce_leads.lead_source,
        -- a lead without a source still needs a channel: var, default direct
        case
            when salesforce_leads.lead_source is null
                then '{{ var("fivetran_salesforce_default_source_channel", "direct") }}'
            else source_mappings.contract_value
        end as source_channel,
        salesforce_leads.owner_id,
        -- a lead owned by a queue (or by a user who is not a rep) is not assigned yet;
        -- an owner that is a rep, or a user who cannot be mapped, keeps its id (staging
        -- then quarantines the lead as orphan_fk if that rep is missing)
        case
            when users_not_reps.user_key is not null then null
            when salesforce_leads.owner_id like '00G%' then null
            else salesforce_leads.owner_id
        end as owner_user_key,
        salesforce_leads.created_date,
        salesforce_leads.{{ mql_field }} as mql_at,
        -- converting a lead hands it to sales: without an SQL field the conversion counts
        case
            when salesforce_leads.{{ sql_field }} is not null
                then salesforce_leads.{{ sql_field }}
            when salesforce_leads.is_converted
                then cast(salesforce_leads.converted_date as {{ dbt.type_timestamp() }})
        end as sql_at,
        -- a lead becomes a customer when it converted into an account that is a billing
        -- customer; converted into a prospect account, it is not a customer yet
        case
            when salesforce_leads.is_converted and accounts_classified.account_id is not null
                then cast(salesforce_leads.converted_date as {{ dbt.type_timestamp() }})
        end as converted_at,
        case
            when salesforce_leads.is_converted then accounts_classified.account_id
        end as converted_account_id,
        salesforce_leads.converted_account_id as converted_account_key,
        salesforce_leads.converted_opportunity_id as converted_opportunity_key,
        coalesce(salesforce_leads.is_deleted, false)
        or coalesce(salesforce_leads._fivetran_deleted, false) as is_deleted,
        coalesce(salesforce_leads._fivetran_active, true) as is_active_version,
        cast(salesforce_leads._fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at
    from salesforce_leads
    {{ fivetran_salesforce_join_value('source_mappings', 'lead_source',
                                      'salesforce_leads.lead_source') }}
    left join accounts_classified
        on salesforce_leads.converted_account_id = accounts_classified.account_key
    left join users_not_reps
        on salesforce_leads.owner_id = users_not_reps.user_key
),

reasons as (
    select
        *,
        case
            when is_deleted then 'deleted'
            when not is_active_version then 'superseded_version'
            when source_channel is null then 'unmapped_value'
        end as disposition_reason
    from leads_with_values
),

final as (
    select
        'fivetran_salesforce.lead' as source_table,
        lead_key as record_key,
        {{ fivetran_salesforce_disposition('disposition_reason') }} as row_disposition,
        disposition_reason,
        lead_key,
        email,
        full_name,
        company_name,
        source_channel,
        owner_user_key,
        created_date,
        mql_at,
        sql_at,
        converted_at,
        converted_account_id,
        converted_opportunity_key,
        synced_at,
        -- the lead's name and email are left out: personal data
        {{ fivetran_salesforce_record_text(['lead_key', 'lead_source', 'owner_id',
                                            'created_date', 'converted_account_key']) }}
            as record_text
    from reasons
)

select * from final
