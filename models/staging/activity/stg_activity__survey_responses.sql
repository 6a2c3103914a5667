with

source as (
    select * from {{ ref('base_activity__survey_responses') }}
    -- quarantined rows go to stg_quarantined_rows; older versions and copies collapse
    where quarantine_reason is null and version_rank = 1
),

renamed as (
    select
        cast(response_id as bigint) as response_id,
        cast(account_id as bigint) as account_id,
        cast(user_id as bigint) as user_id,
        cast(survey_type as {{ dbt.type_string() }}) as survey_type,
        cast(score as integer) as score,
        {{ to_utc('responded_at') }} as responded_at,
        {{ to_utc('_loaded_at') }} as loaded_at
    from source
)

select * from renamed
