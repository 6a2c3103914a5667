{{ config(enabled=loader_enabled('segment')) }}

-- Every row of Segment's users table (one per identified user, latest traits) with the
-- contract keys it maps to and what becomes of it: mapped, collapsed as a second copy of
-- a user id, or quarantined (no_user, no_account). Segment keeps one row per id, but a
-- reloaded table can hold copies: the latest received one wins.
{%- set account_trait = var('segment_account_trait', 'account_id') %}
{%- set role_trait = var('segment_role_trait', 'role') %}

with

users as (
    {{ raw_table_select('segment', 'users', warn=true) }}
),

users_ranked as (
    select
        id as segment_user_id,
        -- an empty trait is as good as none: the user cannot be tied to an account
        nullif(trim({{ account_trait }}), '') as account_key,
        nullif(lower(trim({{ role_trait }})), '') as role_trait,
        email,
        name as full_name,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(coalesce(uuid_ts, received_at) as {{ dbt.type_timestamp() }}) as loaded_at,
        case
            when id is null then 1
            else row_number() over (
                partition by id
                order by received_at desc, coalesce(uuid_ts, received_at) desc
            )
        end as copy_rank
    from users
),

final as (
    select
        segment_user_id,
        {{ text_key_to_id('segment_user_id') }} as user_id,
        account_key,
        {{ text_key_to_id('account_key') }} as account_id,
        -- a user without a role trait is an ordinary member unless the team says otherwise;
        -- a role outside admin/member/viewer goes on to staging, which quarantines it
        coalesce(role_trait, '{{ var("segment_default_role", "member") }}') as role,
        email,
        full_name,
        created_at,
        loaded_at,
        copy_rank > 1 as is_collapsed_copy,
        case
            when copy_rank > 1 then null
            when segment_user_id is null then 'no_user'
            when account_key is null then 'no_account'
        end as quarantine_reason,
        -- personal traits are hashed: quarantine text is readable by analysts
        'id=' || coalesce(segment_user_id, 'null')
        || ', {{ account_trait }}=' || coalesce(account_key, 'null')
        || ', {{ role_trait }}=' || coalesce(role_trait, 'null')
        || ', email=' || coalesce({{ hash_pii('email') }}, 'null')
        || ', name=' || coalesce({{ hash_pii('full_name') }}, 'null')
        || ', created_at=' || coalesce(cast(created_at as {{ dbt.type_string() }}), 'null')
            as record_text
    from users_ranked
)

select * from final
