{{ config(enabled=loader_enabled('fivetran_salesforce')) }}
{%- set billing_key_field = var('fivetran_salesforce_account_billing_key_field',
                                'stripe_customer_id_c') %}

-- Every Salesforce account row, with the billing account key (Stripe customer id) it
-- carries. Accounts are not a contract table: they give opportunities and converted leads
-- their billing account_id. An account without a key is a prospect (not a customer yet).
with

salesforce_accounts as (
    {{ raw_table_select('fivetran_salesforce', 'account', warn=true) }}
),

accounts_with_keys as (
    select
        id as account_key,
        -- an empty field is no key
        nullif(trim({{ billing_key_field }}), '') as billing_account_key,
        coalesce(is_deleted, false) or coalesce(_fivetran_deleted, false) as is_deleted,
        coalesce(_fivetran_active, true) as is_active_version,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at
    from salesforce_accounts
),

reasons as (
    select
        *,
        case
            when is_deleted then 'deleted'
            when not is_active_version then 'superseded_version'
        end as disposition_reason
    from accounts_with_keys
),

final as (
    select
        'fivetran_salesforce.account' as source_table,
        account_key as record_key,
        {{ fivetran_salesforce_disposition('disposition_reason') }} as row_disposition,
        disposition_reason,
        account_key,
        billing_account_key,
        -- the billing account_id the billing loader gives the same customer
        {{ text_key_to_id('billing_account_key') }} as account_id,
        synced_at
    from reasons
)

select * from final
