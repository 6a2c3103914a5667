{{ config(enabled=loader_enabled('fivetran_salesforce')) }}

-- Every Salesforce ForecastingQuota row with what the mapping does with it: a monthly
-- revenue quota (mapped), set aside (deleted, a quantity-only quota) or quarantined as
-- unmapped_value (a period that does not start on the first of a month, as quarterly
-- forecasts do, or a currency other than USD).
with

forecasting_quotas as (
    {{ raw_table_select('fivetran_salesforce', 'forecasting_quota', warn=true) }}
),

reasons as (
    select
        id as quota_key,
        quota_owner_id as owner_user_key,
        start_date,
        quota_amount,
        currency_iso_code,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at,
        case
            when coalesce(_fivetran_deleted, false) then 'deleted'
            when not coalesce(is_amount, true) then 'quantity_quota'
            when extract(day from start_date) <> 1 then 'unmapped_value'
            when coalesce(currency_iso_code, 'USD') <> 'USD' then 'unmapped_value'
        end as disposition_reason
    from forecasting_quotas
),

final as (
    select
        'fivetran_salesforce.forecasting_quota' as source_table,
        quota_key as record_key,
        {{ fivetran_salesforce_disposition('disposition_reason') }} as row_disposition,
        disposition_reason,
        owner_user_key,
        start_date,
        quota_amount,
        synced_at,
        {{ fivetran_salesforce_record_text(['quota_key', 'owner_user_key', 'start_date',
                                            'quota_amount', 'currency_iso_code']) }}
            as record_text
    from reasons
)

select * from final
