{{ config(enabled=loader_enabled('segment')) }}

-- Row accounting for each Segment table the mapping reads, counted from three places:
-- the loader table itself (raw rows and extra copies of a message or user id), the rows
-- the mapping used, and the quarantine model. raw - staged - collapsed - quarantined must
-- be 0. A track call that is not a feature use is still staged: it counts towards sessions.
{%- set loader_tables = ['users', 'identifies', 'tracks', 'pages'] %}

with

{% for table_name in loader_tables %}
    {{ table_name }}_raw as (
        select
            count(*) as raw_rows,
            -- copies of one id beyond the first: Segment delivers at least once
            count(id) - count(distinct id) as collapsed_duplicate_rows
        from ({{ raw_table_select('segment', table_name) }}) as loader_table
    ),

{% endfor %}
users_classified as (
    select * from {{ ref('segment__users_classified') }}
),

events_classified as (
    select * from {{ ref('segment__events_classified') }}
),

quarantined_rows as (
    select * from {{ ref('segment__quarantined_rows') }}
),

staged as (
    select
        'segment.users' as source_table,
        count(*) as staged_rows
    from users_classified
    where not is_collapsed_copy and quarantine_reason is null
    union all
    select
        source_table,
        count(*) as staged_rows
    from events_classified
    where not is_collapsed_copy and quarantine_reason is null
    group by source_table
),

quarantined as (
    select
        source_table,
        count(*) as quarantined_rows
    from quarantined_rows
    group by source_table
),

raw_counts as (
    {% for table_name in loader_tables %}
        select
            'segment.{{ table_name }}' as source_table,
            raw_rows,
            collapsed_duplicate_rows
        from {{ table_name }}_raw
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        cast(raw_counts.source_table as {{ dbt.type_string() }}) as source_table,
        cast(raw_counts.raw_rows as {{ dbt.type_bigint() }}) as raw_rows,
        cast(coalesce(staged.staged_rows, 0) as {{ dbt.type_bigint() }}) as staged_rows,
        cast(raw_counts.collapsed_duplicate_rows as {{ dbt.type_bigint() }})
            as collapsed_duplicate_rows,
        cast(coalesce(quarantined.quarantined_rows, 0) as {{ dbt.type_bigint() }})
            as quarantined_rows
    from raw_counts
    left join staged
        on raw_counts.source_table = staged.source_table
    left join quarantined
        on raw_counts.source_table = quarantined.source_table
)

select * from final
