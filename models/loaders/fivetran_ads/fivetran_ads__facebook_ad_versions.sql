{{ config(enabled=loader_enabled('fivetran_ads')) }}

-- Every version of every Facebook ad, ranked newest first per ad. Facebook reports spend
-- per ad (basic_ad); the latest version of the ad says which campaign it belongs to (an
-- ad never moves to another campaign, so older versions add nothing and are set aside).
-- An ad whose latest version names no campaign cannot be tied to one: missing_parent.
with

facebook_ad_history as (
    {{ raw_table_select('fivetran_facebook_ads', 'ad_history', warn=true) }}
),

ranked as (
    select
        {{ fivetran_ads_record_key(['id', 'updated_time']) }} as record_key,
        {{ fivetran_ads_record_text(['id', 'updated_time', 'campaign_id']) }} as record_text,
        cast(id as {{ dbt.type_string() }}) as ad_id,
        cast(campaign_id as {{ dbt.type_string() }}) as platform_campaign_id,
        cast(updated_time as {{ dbt.type_timestamp() }}) as updated_at,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at,
        row_number() over (
            partition by id
            order by updated_time desc, _fivetran_synced desc, campaign_id asc
        ) as version_rank
    from facebook_ad_history
),

final as (
    select
        'fivetran_facebook_ads.ad_history' as source_table,
        record_key,
        record_text,
        ad_id,
        platform_campaign_id,
        updated_at,
        synced_at,
        version_rank,
        case
            when version_rank = 1 and platform_campaign_id is null then 'missing_parent'
        end as quarantine_reason
    from ranked
)

select * from final
