-- Ad spend per channel and UTC day across the channel's campaigns, and over the 7 and 30
-- days ending on the day. Spend is counted up to the as-of day.
with

campaigns as (
    select * from {{ ref('stg_marketing__campaigns') }}
),

ad_spend_daily as (
    select * from {{ ref('stg_marketing__ad_spend_daily') }}
),

campaign_spend as (
    select
        campaigns.channel,
        ad_spend_daily.spend_date,
        ad_spend_daily.spend_usd as ad_spend_usd
    from ad_spend_daily
    inner join campaigns
        on ad_spend_daily.campaign_id = campaigns.campaign_id
    where ad_spend_daily.spend_date <= {{ as_of_date() }}
),

final as (
    {{ trailing_window_sums('campaign_spend', ['channel'], [
        ('ad_spend_usd', 7, 'ad_spend_7d'), ('ad_spend_usd', 30, 'ad_spend_30d'),
    ], date_column='spend_date') }}
)

select * from final
