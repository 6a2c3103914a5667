{{ config(enabled=loader_enabled('fivetran_ads')) }}

-- Every daily performance row of the three platforms, in one shape, with the campaign it
-- counts for and the reason when it cannot count. The one model that reads the stats
-- tables. Rows are kept at the platform's grain (Google: campaign x day x network x
-- device; Facebook: ad x day; LinkedIn: campaign x day); fivetran_ads__ad_spend_daily
-- sums them per campaign and day.
--
-- Spend in USD: Google reports micros of the ad account's currency and Facebook the
-- account's currency; both are multiplied by a per-platform rate (vars
-- google_ads_usd_rate and facebook_ads_usd_rate, default 1: accounts billed in USD).
-- LinkedIn reports cost_in_usd itself. Null counts and spend are 0, as in Fivetran's own
-- packages, except a LinkedIn row with a local cost but no USD cost (unmapped_value).
with

google_campaign_stats as (
    {{ raw_table_select('fivetran_google_ads', 'campaign_stats', warn=true) }}
),

facebook_basic_ad as (
    {{ raw_table_select('fivetran_facebook_ads', 'basic_ad', warn=true) }}
),

linkedin_ad_analytics_by_campaign as (
    {{ raw_table_select('fivetran_linkedin_ads', 'ad_analytics_by_campaign', warn=true) }}
),

campaign_versions as (
    select * from {{ ref('fivetran_ads__campaign_versions') }}
),

facebook_ad_versions as (
    select * from {{ ref('fivetran_ads__facebook_ad_versions') }}
),

current_campaigns as (
    select campaign_key
    from campaign_versions
    where version_rank = 1
),

current_facebook_ads as (
    select
        ad_id,
        platform_campaign_id
    from facebook_ad_versions
    where version_rank = 1
),

google_rows as (
    select
        'fivetran_google_ads.campaign_stats' as source_table,
        {{ fivetran_ads_record_key(['customer_id', 'date', '_fivetran_id']) }} as record_key,
        {{ fivetran_ads_record_text(['customer_id', 'date', '_fivetran_id', 'id',
            'cost_micros', 'impressions', 'clicks']) }} as record_text,
        'google_ads:' || cast(id as {{ dbt.type_string() }}) as campaign_key,
        cast(date as date) as spend_date,
        cast(coalesce(cost_micros, 0) as {{ type_double() }}) / 1000000
        * {{ var('google_ads_usd_rate', 1) }} as spend_usd,
        cast(coalesce(impressions, 0) as bigint) as impressions,
        cast(coalesce(clicks, 0) as bigint) as clicks,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at,
        false as has_unmapped_value
    from google_campaign_stats
),

-- an ad's spend counts for the campaign of the ad's latest version
facebook_ads_joined_to_campaigns as (
    select
        facebook_basic_ad.*,
        current_facebook_ads.platform_campaign_id
    from facebook_basic_ad
    left join current_facebook_ads
        on cast(facebook_basic_ad.ad_id as {{ dbt.type_string() }}) = current_facebook_ads.ad_id
),

facebook_rows as (
    select
        'fivetran_facebook_ads.basic_ad' as source_table,
        {{ fivetran_ads_record_key(['ad_id', 'date', 'account_id']) }} as record_key,
        {{ fivetran_ads_record_text(['ad_id', 'date', 'account_id', 'spend', 'impressions',
            'inline_link_clicks']) }} as record_text,
        'facebook_ads:' || platform_campaign_id as campaign_key,
        cast(date as date) as spend_date,
        cast(coalesce(spend, 0) as {{ type_double() }})
        * {{ var('facebook_ads_usd_rate', 1) }} as spend_usd,
        cast(coalesce(impressions, 0) as bigint) as impressions,
        cast(coalesce(inline_link_clicks, 0) as bigint) as clicks,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at,
        false as has_unmapped_value
    from facebook_ads_joined_to_campaigns
),

linkedin_rows as (
    select
        'fivetran_linkedin_ads.ad_analytics_by_campaign' as source_table,
        {{ fivetran_ads_record_key(['campaign_id', 'day']) }} as record_key,
        {{ fivetran_ads_record_text(['campaign_id', 'day', 'cost_in_usd',
            'cost_in_local_currency', 'impressions', 'clicks']) }} as record_text,
        'linkedin_ads:' || cast(campaign_id as {{ dbt.type_string() }}) as campaign_key,
        cast(day as date) as spend_date,
        cast(coalesce(cost_in_usd, 0) as {{ type_double() }}) as spend_usd,
        cast(coalesce(impressions, 0) as bigint) as impressions,
        cast(coalesce(clicks, 0) as bigint) as clicks,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at,
        -- a cost LinkedIn did not convert to USD cannot be counted as 0
        (cost_in_usd is null and coalesce(cost_in_local_currency, 0) <> 0) as has_unmapped_value
    from linkedin_ad_analytics_by_campaign
),

unioned as (
    select * from google_rows
    union all
    select * from facebook_rows
    union all
    select * from linkedin_rows
),

final as (
    select
        unioned.source_table,
        unioned.record_key,
        unioned.record_text,
        unioned.campaign_key,
        unioned.spend_date,
        unioned.spend_usd,
        unioned.impressions,
        unioned.clicks,
        unioned.synced_at,
        -- the campaign (or, on Facebook, the ad's campaign) must be in the platform's
        -- campaign_history: spend of a campaign nobody knows cannot be given a channel
        case
            when current_campaigns.campaign_key is null then 'missing_parent'
            when unioned.has_unmapped_value then 'unmapped_value'
        end as quarantine_reason
    from unioned
    left join current_campaigns
        on unioned.campaign_key = current_campaigns.campaign_key
)

select * from final
