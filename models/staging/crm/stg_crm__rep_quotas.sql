with

source as (
    select * from {{ ref('base_crm__rep_quotas') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(rep_id as bigint) as rep_id,
        cast(quota_month as date) as quota_month,
        cast(quota_amount_usd as numeric(18, 2)) as quota_amount_usd,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
