{{ config(enabled=loader_enabled('fivetran_salesforce')) }}

-- crm.rep_quotas from Salesforce's ForecastingQuota (mapping:
-- fivetran_salesforce__quotas_classified): monthly revenue quotas, taken as USD.
with

quotas_classified as (
    select * from {{ ref('fivetran_salesforce__quotas_classified') }}
),

final as (
    select
        cast({{ text_key_to_id('owner_user_key') }} as bigint) as rep_id,
        cast(start_date as date) as quota_month,
        cast(quota_amount as numeric(18, 2)) as quota_amount_usd,
        {{ utc_timestamp_to_tz('synced_at') }} as _loaded_at
    from quotas_classified
    where row_disposition = 'mapped'
)

select * from final
