{{ config(enabled=loader_enabled('fivetran_ads')) }}

-- marketing.campaigns from the three platforms' campaign_history: one row per campaign,
-- as its latest version has it (a renamed campaign keeps its id and takes the new name).
-- Contract columns only, in contract order (docs/raw_contract.md).
with

campaign_versions as (
    select * from {{ ref('fivetran_ads__campaign_versions') }}
),

spend_rows as (
    select * from {{ ref('fivetran_ads__spend_rows') }}
),

current_campaigns as (
    select * from campaign_versions
    where version_rank = 1
),

first_spend_days as (
    select
        campaign_key,
        min(spend_date) as first_spend_date
    from spend_rows
    where quarantine_reason is null
    group by campaign_key
),

-- started_at: the platform's scheduled start; without one, the first day with spend;
-- without spend either, the first time the platform recorded the campaign.
-- ended_at: the scheduled end; a campaign the platform has since removed, deleted,
-- archived, completed or cancelled ended when that version was recorded (if before the
-- scheduled end). Otherwise NULL: still running.
scheduled as (
    select
        current_campaigns.campaign_key,
        current_campaigns.platform,
        current_campaigns.campaign_name,
        current_campaigns.synced_at,
        coalesce(
            current_campaigns.scheduled_start_at,
            cast(first_spend_days.first_spend_date as {{ dbt.type_timestamp() }}),
            current_campaigns.first_recorded_at
        ) as started_at,
        case
            when
                current_campaigns.campaign_status
                in ('REMOVED', 'DELETED', 'ARCHIVED', 'COMPLETED', 'CANCELED')
                and (
                    current_campaigns.scheduled_end_at is null
                    or current_campaigns.updated_at < current_campaigns.scheduled_end_at
                )
                then current_campaigns.updated_at
            else current_campaigns.scheduled_end_at
        end as ended_at
    from current_campaigns
    left join first_spend_days
        on current_campaigns.campaign_key = first_spend_days.campaign_key
),

final as (
    select
        {{ text_key_to_id('campaign_key') }} as campaign_id,
        cast(
            case platform
                when 'google_ads' then 'google_ads'
                when 'facebook_ads' then 'meta_ads'
                when 'linkedin_ads' then 'linkedin_ads'
            end
            as {{ dbt.type_string() }}
        ) as channel,
        cast(campaign_name as {{ dbt.type_string() }}) as campaign_name,
        {{ utc_timestamp_to_tz('started_at') }} as started_at,
        {{ utc_timestamp_to_tz('ended_at') }} as ended_at,
        {{ utc_timestamp_to_tz('synced_at') }} as _loaded_at
    from scheduled
)

select * from final
