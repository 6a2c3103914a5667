{{ config(enabled=loader_enabled('fivetran_ads')) }}

-- Every version of every campaign of the three platforms, in one shape, ranked newest
-- first per campaign: version_rank 1 is the campaign as it is now, older versions are set
-- aside (row reconciliation counts them as collapsed). The one model that reads the
-- campaign_history tables, so a missing platform warns once per table.
with

google_campaign_history as (
    {{ raw_table_select('fivetran_google_ads', 'campaign_history', warn=true) }}
),

facebook_campaign_history as (
    {{ raw_table_select('fivetran_facebook_ads', 'campaign_history', warn=true) }}
),

linkedin_campaign_history as (
    {{ raw_table_select('fivetran_linkedin_ads', 'campaign_history', warn=true) }}
),

-- Google's schedule is a pair of dates in the account's time zone, read as UTC days: the
-- campaign runs from the start of start_date to the end of end_date (so ended_at is the
-- midnight after it). 2037-12-30 is Google's "no end date".
google_versions as (
    select
        'fivetran_google_ads.campaign_history' as source_table,
        'google_ads' as platform,
        cast(id as {{ dbt.type_string() }}) as platform_campaign_id,
        cast(name as {{ dbt.type_string() }}) as campaign_name,
        upper(cast(status as {{ dbt.type_string() }})) as campaign_status,
        cast(cast(start_date as date) as {{ dbt.type_timestamp() }}) as scheduled_start_at,
        case
            when cast(end_date as date) < cast('2037-12-30' as date)
                then cast({{ add_days('cast(end_date as date)', 1) }} as {{ dbt.type_timestamp() }})
        end as scheduled_end_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at,
        -- history mode marks the current version inactive=false on older ones; it wins
        -- over updated_at
        case when coalesce(_fivetran_active, true) then 1 else 0 end as is_active_version
    from google_campaign_history
),

facebook_versions as (
    select
        'fivetran_facebook_ads.campaign_history' as source_table,
        'facebook_ads' as platform,
        cast(id as {{ dbt.type_string() }}) as platform_campaign_id,
        cast(name as {{ dbt.type_string() }}) as campaign_name,
        upper(cast(status as {{ dbt.type_string() }})) as campaign_status,
        cast(start_time as {{ dbt.type_timestamp() }}) as scheduled_start_at,
        cast(stop_time as {{ dbt.type_timestamp() }}) as scheduled_end_at,
        cast(updated_time as {{ dbt.type_timestamp() }}) as updated_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at,
        1 as is_active_version
    from facebook_campaign_history
),

linkedin_versions as (
    select
        'fivetran_linkedin_ads.campaign_history' as source_table,
        'linkedin_ads' as platform,
        cast(id as {{ dbt.type_string() }}) as platform_campaign_id,
        cast(name as {{ dbt.type_string() }}) as campaign_name,
        upper(cast(status as {{ dbt.type_string() }})) as campaign_status,
        cast(run_schedule_start as {{ dbt.type_timestamp() }}) as scheduled_start_at,
        cast(run_schedule_end as {{ dbt.type_timestamp() }}) as scheduled_end_at,
        cast(last_modified_time as {{ dbt.type_timestamp() }}) as updated_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at,
        1 as is_active_version
    from linkedin_campaign_history
),

unioned as (
    select * from google_versions
    union all
    select * from facebook_versions
    union all
    select * from linkedin_versions
),

final as (
    select
        source_table,
        platform,
        platform_campaign_id,
        -- '<platform>:<id>', which text_key_to_id turns into the contract's campaign_id:
        -- the three platforms' ids never collide
        platform || ':' || platform_campaign_id as campaign_key,
        campaign_name,
        campaign_status,
        scheduled_start_at,
        scheduled_end_at,
        updated_at,
        synced_at,
        -- the first time the platform recorded the campaign: its start when it has
        -- neither a schedule nor spend
        min(updated_at) over (partition by platform, platform_campaign_id) as first_recorded_at,
        row_number() over (
            partition by platform, platform_campaign_id
            order by is_active_version desc, updated_at desc, synced_at desc, campaign_name asc
        ) as version_rank
    from unioned
)

select * from final
