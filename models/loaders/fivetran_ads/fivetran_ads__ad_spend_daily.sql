{{ config(enabled=loader_enabled('fivetran_ads')) }}

-- marketing.ad_spend_daily from the three platforms' daily stats: the rows of a campaign
-- and day summed (Google's network and device segments, Facebook's ads of the campaign).
-- Rows that cannot be tied to a known campaign are in fivetran_ads__quarantined_rows.
-- The platforms report days in the ad account's time zone; they are taken as UTC days.
-- Contract columns only, in contract order (docs/raw_contract.md).
with

spend_rows as (
    select * from {{ ref('fivetran_ads__spend_rows') }}
    where quarantine_reason is null
),

campaign_days as (
    select
        campaign_key,
        spend_date,
        sum(spend_usd) as spend_usd,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        max(synced_at) as synced_at
    from spend_rows
    group by campaign_key, spend_date
),

final as (
    select
        {{ text_key_to_id('campaign_key') }} as campaign_id,
        cast(spend_date as date) as spend_date,
        cast(spend_usd as numeric(18, 2)) as spend_usd,
        cast(impressions as bigint) as impressions,
        cast(clicks as bigint) as clicks,
        {{ utc_timestamp_to_tz('synced_at') }} as _loaded_at
    from campaign_days
)

select * from final
