{{ config(enabled=loader_enabled('segment')) }}

-- activity.users from Segment: one row per identified user with an account trait. The
-- funnel milestones are the first track call of the events the team names in vars
-- (segment_activation_event, segment_trial_started_event, segment_first_value_event);
-- a milestone whose var is unset is NULL, which the contract reads as "not reached".
{#- each milestone event as a SQL literal; an unset var compares with null: never reached #}
{%- set milestone_events = {} %}
{%- for column, var_name in [('activated_at', 'segment_activation_event'),
                             ('trial_started_at', 'segment_trial_started_event'),
                             ('first_value_at', 'segment_first_value_event')] %}
    {%- set event = var(var_name, none) %}
    {%- do milestone_events.update({column: ("'" ~ event ~ "'") if event
        else 'cast(null as ' ~ dbt.type_string() ~ ')'}) %}
{%- endfor %}

with

users_classified as (
    select * from {{ ref('segment__users_classified') }}
),

events_classified as (
    select * from {{ ref('segment__events_classified') }}
),

users_mapped as (
    select *
    from users_classified
    where not is_collapsed_copy and quarantine_reason is null
),

calls_mapped as (
    select *
    from events_classified
    where not is_collapsed_copy and quarantine_reason is null
),

-- the signup is the createdAt trait; a product that does not send it signed the user up
-- at their first identify call
first_identifies as (
    select
        user_id,
        min(occurred_at) as first_identified_at
    from calls_mapped
    where source_table = 'segment.identifies'
    group by user_id
),

milestones as (
    select
        user_id,
        min(case when event = {{ milestone_events.activated_at }} then occurred_at end)
            as activated_at,
        min(case when event = {{ milestone_events.trial_started_at }} then occurred_at end)
            as trial_started_at,
        min(case when event = {{ milestone_events.first_value_at }} then occurred_at end)
            as first_value_at
    from calls_mapped
    where source_table = 'segment.tracks'
    group by user_id
),

final as (
    select
        cast(users_mapped.user_id as {{ dbt.type_bigint() }}) as user_id,
        cast(users_mapped.account_id as {{ dbt.type_bigint() }}) as account_id,
        cast(users_mapped.email as {{ dbt.type_string() }}) as email,
        cast(users_mapped.full_name as {{ dbt.type_string() }}) as full_name,
        cast(users_mapped.role as {{ dbt.type_string() }}) as role,
        {{ utc_timestamp_to_tz(
            'coalesce(users_mapped.created_at, first_identifies.first_identified_at)') }}
            as signed_up_at,
        {{ utc_timestamp_to_tz('milestones.activated_at') }} as activated_at,
        {{ utc_timestamp_to_tz('milestones.trial_started_at') }} as trial_started_at,
        {{ utc_timestamp_to_tz('milestones.first_value_at') }} as first_value_at,
        {{ utc_timestamp_to_tz('users_mapped.loaded_at') }} as _loaded_at
    from users_mapped
    left join first_identifies
        on users_mapped.user_id = first_identifies.user_id
    left join milestones
        on users_mapped.user_id = milestones.user_id
)

select * from final
