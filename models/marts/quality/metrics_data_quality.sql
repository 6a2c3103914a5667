-- Data quality for Superset, one row per raw table and issue: rows quarantined by staging
-- (per rule), older versions and copies collapsed, and rows that arrived late, i.e.
-- loaded more than var late_data_lookback_days after their last change. Incremental runs
-- recompute only the lookback window, so late rows are named here instead of being
-- silently left out; a full refresh or a backfill over their days takes them in.
with

quarantined_rows as (
    select * from {{ ref('stg_quarantined_rows') }}
),

row_reconciliation as (
    select * from {{ ref('stg_row_reconciliation') }}
),

{% for source_name, table_name in raw_tables() %}
    {%- set temporal_columns = [] -%}
    {%- if execute -%}
        {%- for column in raw_table_contract(source_name, table_name).columns.values() -%}
            {%- if column.data_type in ('date', 'timestamptz') and column.name != '_loaded_at' -%}
                {%- do temporal_columns.append('cast(' ~ column.name ~ ' as date)') -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif %}
    late_{{ source_name }}__{{ table_name }} as (
        select
            '{{ source_name }}.{{ table_name }}' as source_table,
            count(*) as late_rows,
            min(loaded_at) as first_loaded_at,
            max(loaded_at) as last_loaded_at
        from {{ ref('stg_' ~ source_name ~ '__' ~ table_name) }}
        {%- if temporal_columns %}
            -- late: loaded more than the lookback after the row's last change (its latest
            -- date or time), so a record updated later (a ticket resolved) is not late;
            -- and loaded after the table's first load day: a first historical load brings
            -- years of old rows at once, and none of them arrived late
            where
                cast(loaded_at as date) > {{ add_days(
                    'greatest(' ~ temporal_columns | join(', ') ~ ')',
                    var('late_data_lookback_days')) }}
                and cast(loaded_at as date) > (
                    select cast(min(first_load.loaded_at) as date)
                    from {{ ref('stg_' ~ source_name ~ '__' ~ table_name) }} as first_load
                )
        {%- else %}
            where 1 = 0
        {%- endif %}
    ),

{% endfor %}
late_rows as (
    {% for source_name, table_name in raw_tables() %}
        select * from late_{{ source_name }}__{{ table_name }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

quarantine_counts as (
    select
        source_table,
        quarantine_reason as issue,
        count(*) as issue_rows,
        min(loaded_at) as first_loaded_at,
        max(loaded_at) as last_loaded_at
    from quarantined_rows
    group by source_table, quarantine_reason
),

collapsed_counts as (
    select
        source_table,
        'collapsed_duplicate' as issue,
        collapsed_duplicate_rows as issue_rows,
        cast(null as {{ dbt.type_timestamp() }}) as first_loaded_at,
        cast(null as {{ dbt.type_timestamp() }}) as last_loaded_at
    from row_reconciliation
    where collapsed_duplicate_rows > 0
),

late_counts as (
    select
        source_table,
        'late_outside_lookback' as issue,
        late_rows as issue_rows,
        first_loaded_at,
        last_loaded_at
    from late_rows
    where late_rows > 0
),

-- must stay empty: a raw row neither staged, collapsed nor quarantined
unaccounted_counts as (
    select
        source_table,
        'unaccounted' as issue,
        unaccounted_rows as issue_rows,
        cast(null as {{ dbt.type_timestamp() }}) as first_loaded_at,
        cast(null as {{ dbt.type_timestamp() }}) as last_loaded_at
    from row_reconciliation
    where unaccounted_rows <> 0
),

issues as (
    select * from quarantine_counts
    union all
    select * from collapsed_counts
    union all
    select * from late_counts
    union all
    select * from unaccounted_counts
),

final as (
    select
        {{ as_of_date() }} as as_of_date,
        cast(issues.source_table as {{ dbt.type_string() }}) as source_table,
        cast(issues.issue as {{ dbt.type_string() }}) as issue,
        cast(
            case
                when issues.issue = 'late_outside_lookback' then 'late'
                when issues.issue = 'collapsed_duplicate' then 'collapsed'
                when issues.issue = 'unaccounted' then 'lost'
                else 'quarantined'
            end as {{ dbt.type_string() }}
        ) as issue_kind,
        cast(issues.issue_rows as bigint) as issue_rows,
        cast(row_reconciliation.raw_rows as bigint) as raw_rows,
        cast(
            {{ safe_divide('100.0 * issues.issue_rows', 'row_reconciliation.raw_rows') }}
            as {{ type_double() }}
        ) as issue_pct,
        cast(issues.first_loaded_at as {{ dbt.type_timestamp() }}) as first_loaded_at,
        cast(issues.last_loaded_at as {{ dbt.type_timestamp() }}) as last_loaded_at
    from issues
    inner join row_reconciliation
        on issues.source_table = row_reconciliation.source_table
)

select * from final
