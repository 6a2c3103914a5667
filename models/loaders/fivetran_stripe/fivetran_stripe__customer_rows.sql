{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- Every row of Stripe's customer table, classified: used (a billing account), set aside
-- (a test-mode customer) or quarantined (no region can be worked out: unmapped_value).
-- A customer deleted in Stripe stays an account: its past subscriptions and invoices
-- still count. Stripe holds no plan tier, channel, segment, size or
-- credit limit, so those come from the customer's metadata keys, with var defaults.
with

customer as (
    {{ raw_table_select('fivetran_stripe', 'customer', warn=true) }}
),

country_regions as (
    select * from {{ ref('loader_country_regions') }}
),

{%- set default_region = var('fivetran_stripe_default_region', none) %}

mapped as (
    select
        customer.id as customer_id,
        customer.name as customer_name,
        customer.email,
        customer.address_country,
        {{ json_text('customer.metadata', 'plan_tier') }} as metadata_plan_tier,
        coalesce(
            {{ json_text('customer.metadata', 'signup_channel') }},
            '{{ var("fivetran_stripe_default_signup_channel", "direct") }}'
        ) as signup_channel,
        -- a region set by hand in metadata wins over the address country
        coalesce(
            {{ json_text('customer.metadata', 'region') }},
            country_regions.region,
            {{ "'" ~ default_region ~ "'" if default_region else 'null' }}
        ) as region,
        {{ json_text('customer.metadata', 'company_size') }} as company_size,
        coalesce(
            {{ json_text('customer.metadata', 'segment') }},
            '{{ var("fivetran_stripe_default_segment", "smb") }}'
        ) as segment,
        {{ json_text('customer.metadata', 'credit_limit_usd') }} as credit_limit_text,
        customer.created as created_at,
        customer._fivetran_synced as synced_at,
        coalesce(customer.livemode, true) as is_livemode
    from customer
    left join country_regions
        on upper(customer.address_country) = country_regions.country_code
),

final as (
    select
        'fivetran_stripe.customer' as source_table,
        coalesce(customer_id, 'null') as record_key,
        case
            when not is_livemode then 'set_aside'
            when region is null then 'quarantined'
            else 'used'
        end as row_status,
        case
            when not is_livemode then null
            when region is null then 'unmapped_value'
        end as quarantine_reason,
        {{ fivetran_stripe_record_text(
            ['customer_id', 'email', 'address_country', 'created_at', 'synced_at'],
            pii=['email']) }} as record_text,
        cast(synced_at as {{ dbt.type_timestamp() }}) as loaded_at,
        customer_id,
        customer_name,
        email,
        metadata_plan_tier,
        signup_channel,
        region,
        company_size,
        segment,
        credit_limit_text,
        created_at,
        synced_at
    from mapped
)

select * from final
