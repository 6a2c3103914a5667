{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- billing.accounts from Stripe customers (docs/loaders/fivetran_stripe.md). Stripe holds
-- no plan tier, channel, segment, size or credit limit: they come from the customer's
-- metadata keys with var defaults; the plan tier otherwise from the customer's first
-- paid period; the region from metadata or the address country.
with

customers as (
    select * from {{ ref('fivetran_stripe__customer_rows') }}
    where row_status = 'used'
),

periods as (
    select * from {{ ref('fivetran_stripe__subscription_periods') }}
),

first_plans as (
    select
        customer_id,
        plan_tier,
        row_number() over (
            partition by customer_id order by started_at, contract_subscription_id
        ) as plan_rank
    from periods
),

final as (
    select
        cast({{ text_key_to_id('customers.customer_id') }} as bigint) as account_id,
        cast(customers.customer_name as text) as account_name,
        cast(coalesce(
            customers.metadata_plan_tier,
            first_plans.plan_tier,
            '{{ var("fivetran_stripe_default_plan_tier", "starter") }}'
        ) as text) as plan_tier,
        cast(customers.signup_channel as text) as signup_channel,
        cast(customers.region as text) as region,
        cast(customers.company_size as text) as company_size,
        cast(customers.segment as text) as segment,
        cast(customers.credit_limit_text as numeric(18, 2)) as credit_limit_usd,
        cast(customers.email as text) as billing_email,
        {{ utc_timestamp_to_tz('customers.created_at') }} as created_at,
        {{ utc_timestamp_to_tz('customers.synced_at') }} as _loaded_at
    from customers
    left join first_plans
        on
            customers.customer_id = first_plans.customer_id
            and first_plans.plan_rank = 1
)

select * from final
