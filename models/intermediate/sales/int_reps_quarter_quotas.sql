-- The quota of a quarter is the sum of the rep's monthly quotas: a plan set in advance,
-- so the months still ahead in the quarter count from its first day.
with

rep_quotas as (
    select * from {{ ref('stg_crm__rep_quotas') }}
),

final as (
    select
        rep_id,
        cast({{ dbt.date_trunc('quarter', 'quota_month') }} as date) as quarter_start_date,
        sum(quota_amount_usd) as quarter_quota_usd
    from rep_quotas
    group by rep_id, cast({{ dbt.date_trunc('quarter', 'quota_month') }} as date)
)

select * from final
