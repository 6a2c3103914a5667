{{ config(enabled=loader_enabled('fivetran_salesforce')) }}
{%- set team_field = var('fivetran_salesforce_rep_team_field', 'department') %}

-- Every Salesforce user row with what the mapping does with it: a rep (mapped), set aside
-- by rule (deleted, an older history-mode version, not an internal user) or quarantined
-- (a team or country value with no contract equivalent).
with

salesforce_users as (
    {{ raw_table_select('fivetran_salesforce', 'user', warn=true) }}
),

loader_country_regions as (
    select * from {{ ref('loader_country_regions') }}
),

users_with_values as (
    select
        salesforce_users.id as user_key,
        salesforce_users.name as rep_name,
        salesforce_users.email,
        salesforce_users.{{ team_field }} as team_value,
        salesforce_users.country_code,
        coalesce(salesforce_users.user_type, 'Standard') as user_type,
        team_mappings.contract_value as team,
        loader_country_regions.region,
        salesforce_users.created_date,
        coalesce(salesforce_users._fivetran_deleted, false) as is_deleted,
        coalesce(salesforce_users._fivetran_active, true) as is_active_version,
        cast(salesforce_users._fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at
    from salesforce_users
    {{ fivetran_salesforce_join_value('team_mappings', 'rep_team',
                                      'salesforce_users.' ~ team_field) }}
    left join loader_country_regions
        on loader_country_regions.country_code = upper(trim(salesforce_users.country_code))
),

reasons as (
    select
        *,
        case
            when is_deleted then 'deleted'
            when not is_active_version then 'superseded_version'
            -- system, chatter and portal users own no deals: they are not reps
            when user_type <> 'Standard' then 'not_an_internal_user'
            when team is null or region is null then 'unmapped_value'
        end as disposition_reason
    from users_with_values
),

final as (
    select
        'fivetran_salesforce.user' as source_table,
        user_key as record_key,
        {{ fivetran_salesforce_disposition('disposition_reason') }} as row_disposition,
        disposition_reason,
        user_key,
        rep_name,
        email,
        team,
        region,
        created_date,
        synced_at,
        -- the user's name and email are left out: personal data
        {{ fivetran_salesforce_record_text(['user_key', 'team_value', 'country_code',
                                            'user_type', 'created_date']) }} as record_text
    from reasons
)

select * from final
