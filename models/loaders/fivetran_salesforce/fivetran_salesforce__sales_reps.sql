{{ config(enabled=loader_enabled('fivetran_salesforce')) }}

-- crm.sales_reps from Salesforce users: every internal user whose team and region map
-- onto the contract. hired_at is when the user was created in Salesforce.
with

users_classified as (
    select * from {{ ref('fivetran_salesforce__users_classified') }}
),

final as (
    select
        cast({{ text_key_to_id('user_key') }} as bigint) as rep_id,
        cast(rep_name as {{ dbt.type_string() }}) as rep_name,
        cast(email as {{ dbt.type_string() }}) as email,
        cast(team as {{ dbt.type_string() }}) as team,
        cast(region as {{ dbt.type_string() }}) as region,
        {{ utc_timestamp_to_tz('created_date') }} as hired_at,
        {{ utc_timestamp_to_tz('synced_at') }} as _loaded_at
    from users_classified
    where row_disposition = 'mapped'
)

select * from final
