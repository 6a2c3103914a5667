{{ config(enabled=loader_enabled('fivetran_salesforce')) }}

-- crm.opportunities from Salesforce opportunities (mapping:
-- fivetran_salesforce__opportunities_classified). Amounts are taken as USD.
with

opportunities_classified as (
    select * from {{ ref('fivetran_salesforce__opportunities_classified') }}
),

final as (
    select
        cast({{ text_key_to_id('opportunity_key') }} as bigint) as opportunity_id,
        cast({{ text_key_to_id('lead_key') }} as bigint) as lead_id,
        cast(account_id as bigint) as account_id,
        cast({{ text_key_to_id('owner_user_key') }} as bigint) as owner_rep_id,
        cast(opportunity_type as {{ dbt.type_string() }}) as opportunity_type,
        cast(amount as numeric(18, 2)) as amount_usd,
        {{ utc_timestamp_to_tz('created_date') }} as created_at,
        cast(close_date as date) as expected_close_date,
        cast(current_stage as {{ dbt.type_string() }}) as current_stage,
        {{ utc_timestamp_to_tz('synced_at') }} as _loaded_at
    from opportunities_classified
    where row_disposition = 'mapped'
)

select * from final
