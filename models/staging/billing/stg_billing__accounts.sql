with

source as (
    select * from {{ ref('base_billing__accounts') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(account_id as bigint) as account_id,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        cast(plan_tier as {{ dbt.type_string() }}) as plan_tier,
        cast(signup_channel as {{ dbt.type_string() }}) as signup_channel,
        cast(region as {{ dbt.type_string() }}) as region,
        cast(company_size as {{ dbt.type_string() }}) as company_size,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(credit_limit_usd as numeric(18, 2)) as credit_limit_usd,
        {{ hash_pii('billing_email') }} as billing_email_hash,
        {{ to_utc('created_at') }} as created_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
