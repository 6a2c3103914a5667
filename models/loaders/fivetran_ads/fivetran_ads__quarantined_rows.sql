{{ config(enabled=loader_enabled('fivetran_ads')) }}

-- Loader rows the fivetran_ads mapping cannot put in the contract, with the reason
-- (stg_quarantined_rows unions them in):
--   missing_parent  a stats row whose campaign is not in the platform's campaign_history;
--                   a Facebook ad row whose ad is unknown or names no campaign; an ad
--                   whose latest version names no campaign
--   unmapped_value  a LinkedIn row with a cost in local currency but none in USD
with

spend_rows as (
    select * from {{ ref('fivetran_ads__spend_rows') }}
),

facebook_ad_versions as (
    select * from {{ ref('fivetran_ads__facebook_ad_versions') }}
),

unioned as (
    select
        source_table,
        record_key,
        quarantine_reason,
        record_text,
        synced_at
    from spend_rows
    where quarantine_reason is not null
    union all
    select
        source_table,
        record_key,
        quarantine_reason,
        record_text,
        synced_at
    from facebook_ad_versions
    where quarantine_reason is not null
),

final as (
    select
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(record_key as {{ dbt.type_string() }}) as record_key,
        cast(quarantine_reason as {{ dbt.type_string() }}) as quarantine_reason,
        cast(record_text as {{ dbt.type_string() }}) as record_text,
        -- Fivetran's sync time is naive UTC already, like stg_quarantined_rows.loaded_at
        cast(synced_at as {{ dbt.type_timestamp() }}) as loaded_at
    from unioned
)

select * from final
