{#
    Quarantine rules, generated from the raw contract (the sources YAML), so a rule is
    written once and staging and quarantine can never disagree.

    base_checked_rows(source_name, table_name) selects every raw row with:
      - quarantine_reason: the first rule the row breaks, or null
          null_key                  a primary-key column is null
          null_required             a meta.required column is null
          future_timestamp          the table's event time (meta.event_time) is after the
                                    as-of day
          unknown_enum              a value outside meta.accepted_values
          negative_amount           a meta.non_negative amount or quantity below 0
          out_of_range              a column's meta.valid_when condition is false
          period_ends_before_start  the table's period (meta.period) ends before it starts
          empty_period              the period ends the instant it starts
          conflicting_versions      two rows of one key loaded at the same _loaded_at
                                    disagree, so neither can be called the latest
          orphan_fk                 a meta.foreign_key value with no valid row in the
                                    parent's staging (a parent quarantined only as
                                    future_timestamp still counts; a parent table with no
                                    rows at all checks nothing)
          no_exchange_rate          a meta.needs_exchange_rate currency other than USD with
                                    no rate at all in billing.exchange_rates
        The last two read other tables; cross_table=false leaves them out (the doctor
        checks a raw table on its own).
      - version_rank: 1 for the latest _loaded_at of each primary key; higher ranks are
        older versions and exact copies, which staging collapses.
      - record_key and record_text: the key and the whole row as text, for quarantine.
#}

{% macro raw_table_contract(source_name, table_name) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == source_name and node.name == table_name -%}
            {{ return(node) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        "No raw contract for source table " ~ source_name ~ "." ~ table_name
        ~ ": add it to models/staging/" ~ source_name ~ "/_" ~ source_name ~ "__sources.yml") }}
{%- endmacro %}


{% macro primary_key_of(source_name, table_name) -%}
    {%- set node = raw_table_contract(source_name, table_name) -%}
    {%- set keys = node.meta.get('primary_key') if node else [] -%}
    {%- if node and not keys -%}
        {{ exceptions.raise_compiler_error(
            "Raw table " ~ source_name ~ "." ~ table_name ~ " has no meta.primary_key in its sources YAML") }}
    {%- endif -%}
    {{ return(keys) }}
{%- endmacro %}


{% macro quarantine_reason(source_name, table_name, cross_table=true) -%}
    {%- set node = raw_table_contract(source_name, table_name) -%}
    {%- set checks = [] -%}
    {%- for key in primary_key_of(source_name, table_name) -%}
        {%- do checks.append((key ~ ' is null', 'null_key')) -%}
    {%- endfor -%}
    {%- for column in node.columns.values() -%}
        {%- if column.meta.get('required') and column.name not in primary_key_of(source_name, table_name) -%}
            {%- do checks.append((column.name ~ ' is null', 'null_required')) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set event_time = node.meta.get('event_time') -%}
    {%- if event_time -%}
        {%- set event_type = node.columns[event_time].data_type -%}
        {%- if event_type == 'date' -%}
            {%- do checks.append((event_time ~ ' > ' ~ as_of_date(), 'future_timestamp')) -%}
        {%- else -%}
            {%- do checks.append((to_utc(event_time) ~ ' >= ' ~ as_of_end(), 'future_timestamp')) -%}
        {%- endif -%}
    {%- endif -%}
    {%- for column in node.columns.values() -%}
        {%- set accepted = column.meta.get('accepted_values') -%}
        {%- if accepted -%}
            {%- set quoted = [] -%}
            {%- for value in accepted -%}{%- do quoted.append("'" ~ value ~ "'") -%}{%- endfor -%}
            {%- do checks.append((column.name ~ ' not in (' ~ quoted | join(', ') ~ ')', 'unknown_enum')) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for column in node.columns.values() -%}
        {%- if column.meta.get('non_negative') -%}
            {%- do checks.append((column.name ~ ' < 0', 'negative_amount')) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for column in node.columns.values() -%}
        {%- if column.meta.get('valid_when') -%}
            {%- do checks.append(('not (' ~ column.meta.get('valid_when') ~ ')', 'out_of_range')) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set period = node.meta.get('period') -%}
    {%- if period -%}
        {%- do checks.append((period.ends ~ ' < ' ~ period.starts, 'period_ends_before_start')) -%}
        {%- do checks.append((period.ends ~ ' = ' ~ period.starts, 'empty_period')) -%}
    {%- endif -%}
    {%- set key_match = [] -%}
    {%- for key in primary_key_of(source_name, table_name) -%}
        {%- do key_match.append('conflicting_versions.' ~ key ~ ' = checked_source.' ~ key) -%}
    {%- endfor -%}
    {%- do checks.append((
        'exists (select 1 from conflicting_versions where ' ~ key_match | join(' and ')
        ~ ' and conflicting_versions._loaded_at = checked_source._loaded_at)',
        'conflicting_versions')) -%}
    {%- for column in node.columns.values() if cross_table -%}
        {%- set parent = column.meta.get('foreign_key') -%}
        {%- if parent -%}
            {%- set parent_source, parent_table = parent.split('.') -%}
            {%- set parent_key = primary_key_of(parent_source, parent_table)[0] -%}
            {%- set parent_model = 'stg_' ~ parent_source ~ '__' ~ parent_table -%}
            {%- set parent_base = 'base_' ~ parent_source ~ '__' ~ parent_table -%}
            {#- a parent held back only because it lies after the as-of day is not missing:
                the child keeps its key, so a rebuild at an earlier as-of keeps the child.
                A parent table with no rows at all (a team without that source) checks
                nothing: the link cannot be verified, and the child's own metrics stand -#}
            {%- do checks.append((
                column.name ~ ' is not null'
                ~ ' and exists (select 1 from ' ~ ref(parent_model) ~ ')'
                ~ ' and not exists (select 1 from ' ~ ref(parent_model)
                ~ ' as parent where parent.' ~ parent_key ~ ' = checked_source.' ~ column.name ~ ')'
                ~ ' and not exists (select 1 from ' ~ ref(parent_base) ~ ' as future_parent'
                ~ ' where future_parent.' ~ parent_key ~ ' = checked_source.' ~ column.name
                ~ " and future_parent.quarantine_reason = 'future_timestamp')",
                'orphan_fk')) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for column in node.columns.values() if cross_table -%}
        {%- if column.meta.get('needs_exchange_rate') -%}
            {#- the rate lookup falls back to a currency's first rate, so only a currency
                with no rate at all cannot be converted -#}
            {%- do checks.append((
                column.name ~ " <> 'USD' and not exists (select 1 from "
                ~ ref('stg_billing__exchange_rates') ~ ' as rates where rates.currency = checked_source.'
                ~ column.name ~ ')',
                'no_exchange_rate')) -%}
        {%- endif -%}
    {%- endfor -%}
    case
        {%- for condition, reason in checks %}
        when {{ condition }} then '{{ reason }}'
        {%- endfor %}
    end
{%- endmacro %}


{% macro record_text(source_name, table_name) -%}
    {%- set node = raw_table_contract(source_name, table_name) -%}
    {%- set parts = [] -%}
    {%- for column in node.columns.values() -%}
        {%- if column.meta.get('pii') -%}
            {%- do parts.append("'" ~ column.name ~ "=' || coalesce(" ~ hash_pii(column.name) ~ ", 'null')") -%}
        {%- else -%}
            {%- do parts.append("'" ~ column.name ~ "=' || coalesce(cast(" ~ column.name ~ " as "
                ~ dbt.type_string() ~ "), 'null')") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ parts | join(" || ', ' || ") }}
{%- endmacro %}


{% macro base_checked_rows(source_name, table_name, cross_table=true) -%}
    {%- if not execute -%}
        {#- parsing: only register the source dependency; the rules need the graph -#}
        {{ raw_table_select(source_name, table_name) }}
        {{ return('') }}
    {%- endif -%}
    {%- set keys = primary_key_of(source_name, table_name) -%}
    {%- set key_text = [] -%}
    {%- for key in keys -%}
        {%- do key_text.append("coalesce(cast(" ~ key ~ " as " ~ dbt.type_string() ~ "), 'null')") -%}
    {%- endfor -%}
with

checked_source as (
    {{ raw_table_select(source_name, table_name, warn=cross_table) }}
),

-- rows of one key loaded at the same instant: fine when they are exact copies, a
-- conflict when they differ (only these few rows are turned into text)
version_ties as (
    select
        {{ keys | join(', ') }},
        _loaded_at
    from checked_source
    group by {{ keys | join(', ') }}, _loaded_at
    having count(*) > 1
),

tied_rows as (
    select
        {{ keys | join(', ') }},
        _loaded_at,
        {{ record_text(source_name, table_name) }} as row_text
    from checked_source
    where exists (
        select 1 from version_ties
        where
            {%- for key in keys %}
            version_ties.{{ key }} = checked_source.{{ key }} and
            {%- endfor %}
            version_ties._loaded_at = checked_source._loaded_at
    )
),

conflicting_versions as (
    select
        {{ keys | join(', ') }},
        _loaded_at
    from tied_rows
    group by {{ keys | join(', ') }}, _loaded_at
    having count(distinct row_text) > 1
),

checked as (
    select
        checked_source.*,
        {{ quarantine_reason(source_name, table_name, cross_table) }} as quarantine_reason,
        {{ key_text | join(" || '|' || ") }} as record_key
    from checked_source
),

described as (
    select
        checked.*,
        -- only quarantined rows need their text; building it for every row is costly
        case when quarantine_reason is not null then
            {{ record_text(source_name, table_name) }}
        end as record_text
    from checked
),

-- Most keys have one raw row (event tables: all but a few). Ranking versions needs a
-- sort by key over every row, half the model's time on 2.9 M sessions, so only the keys
-- with more than one row are ranked; a key's only row is its latest version.
keys_with_versions as (
    select {{ keys | join(', ') }}
    from checked_source
    group by {{ keys | join(', ') }}
    having count(*) > 1
),

{%- set same_key %}
    select 1 from keys_with_versions
    where
        {%- for key in keys %}
        keys_with_versions.{{ key }} = described.{{ key }}{{ ' and' if not loop.last }}
        {%- endfor %}
{%- endset %}

single_rows_ranked as (
    select
        described.*,
        case when quarantine_reason is null then 1 end as version_rank
    from described
    where not exists ({{ same_key }})
),

versions_ranked as (
    select
        described.*,
        -- valid rows only: a quarantined copy must not outrank the row staging keeps
        case when quarantine_reason is null then
            row_number() over (
                partition by {{ keys | join(', ') }}, quarantine_reason
                order by _loaded_at desc
            )
        end as version_rank
    from described
    where exists ({{ same_key }})
),

ranked as (
    select * from single_rows_ranked
    union all
    select * from versions_ranked
)

select * from ranked
{%- endmacro %}
