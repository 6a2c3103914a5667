{#
    Trailing-window sums per entity and UTC day: the project's one way to write "the N days
    ending on the day" (spec: _7d is [d-6, d], _30d is [d-29, d], _90d is [d-89, d]).
    One rolling model per grain lists its fields once, as Fivetran's
    int_stripe__account_rolling_totals does:

        {{ trailing_window_sums(
            'spend_by_day', ['channel'],
            [('ad_spend_usd', 7, 'ad_spend_7d'), ('ad_spend_usd', 30, 'ad_spend_30d')],
            date_column='spend_date'
        ) }}

    daily_relation: a relation or CTE name with the entity columns, a date column and the
    columns to sum; rows may be sparse and repeat a day (they are summed per day first).
    Rows with a NULL entity key are left out. windows: a list of (column, days) or
    (column, days, output_name) (default output name: <column>_<days>d), or dicts with
    the keys column, days, name and reached_by.

    Returns SQL for one row per entity (that has any row) and day, from the first day in
    daily_relation to the as-of day, with date_day, every summed column on the day and
    every window; a window without rows is 0. The caller left-joins it to its own
    entity-day spine and treats a missing row as 0.

    Two ways to sum, the same result:
    - plain windows: window frames ("rows between N-1 preceding") over a dense entity x
      day spine, so the work is linear in entity-days whatever N is;
    - windows with reached_by (a date column of daily_relation): count only the rows
      whose reached_by day is on or before the window's day, e.g. emails sent in the 30
      days that were opened by the day's end. The condition depends on the window's own
      day, which a frame cannot see, so these use a range join of the entity-day spine
      to the pre-aggregated daily rows of the longest window (rows x N at most).
#}
{% macro trailing_window_sums(daily_relation, entity_columns, windows, date_column='date_day') -%}
    {%- set specs = [] -%}
    {%- for window in windows -%}
        {%- if window is mapping -%}
            {%- set spec = {
                'column': window['column'], 'days': window['days'],
                'name': window.get('name') or window['column'] ~ '_' ~ window['days'] ~ 'd',
                'reached_by': window.get('reached_by')} -%}
        {%- else -%}
            {%- set spec = {
                'column': window[0], 'days': window[1],
                'name': window[2] if window | length > 2 else window[0] ~ '_' ~ window[1] ~ 'd',
                'reached_by': none} -%}
        {%- endif -%}
        {%- do specs.append(spec) -%}
    {%- endfor -%}
    {%- set summed_columns = specs | map(attribute='column') | unique | list -%}
    {%- set reached_by_columns = specs | selectattr('reached_by') | map(attribute='reached_by')
        | unique | list -%}
    {%- set longest_window = specs | map(attribute='days') | max -%}
    {%- set entity_list = entity_columns | join(', ') -%}
    with

    daily_values as (
        select
            {% for column in entity_columns %}{{ column }},
            {% endfor -%}
            {{ date_column }} as date_day,
            {% for column in reached_by_columns %}{{ column }},
            {% endfor -%}
            {% for column in summed_columns %}sum({{ column }}) as {{ column }}{{ ',' if not loop.last }}
            {% endfor %}
        from {{ daily_relation }}
        where
            {% for column in entity_columns %}{{ column }} is not null and {% endfor %}
            {{ date_column }} is not null
        group by
            {% for column in entity_columns %}{{ column }}, {% endfor -%}
            {% for column in reached_by_columns %}{{ column }}, {% endfor -%}
            {{ date_column }}
    ),

    window_days as (
        {{ day_spine('(select min(date_day) from daily_values)', as_of_date()) }}
    ),

    entity_days as (
        select
            {% for column in entity_columns %}entities.{{ column }},
            {% endfor -%}
            window_days.date_day
        from (select distinct {{ entity_list }} from daily_values) as entities
        cross join window_days
    )

    {% if not reached_by_columns -%}
    ,

    dense_daily_values as (
        select
            entity_days.*,
            {% for column in summed_columns %}coalesce(daily_values.{{ column }}, 0) as {{ column }}{{ ',' if not loop.last }}
            {% endfor %}
        from entity_days
        left join daily_values
            on
                {% for column in entity_columns %}entity_days.{{ column }} = daily_values.{{ column }}
                and {% endfor %}entity_days.date_day = daily_values.date_day
    )

    select
        *,
        {% for spec in specs -%}
        sum({{ spec.column }}) over (
            partition by {{ entity_list }}
            order by date_day
            rows between {{ spec.days - 1 }} preceding and current row
        ) as {{ spec.name }}{{ ',' if not loop.last }}
        {% endfor %}
    from dense_daily_values

    {%- else %}

    select
        {% for column in entity_columns %}entity_days.{{ column }},
        {% endfor -%}
        entity_days.date_day,
        {% for column in summed_columns -%}
        sum(
            case when daily_values.date_day = entity_days.date_day then daily_values.{{ column }} else 0 end
        ) as {{ column }},
        {% endfor -%}
        {% for spec in specs -%}
        sum(
            case
                when
                    daily_values.date_day >= {{ add_days('entity_days.date_day', 1 - spec.days) }}
                    {%- if spec.reached_by %}
                    and daily_values.{{ spec.reached_by }} <= entity_days.date_day
                    {%- endif %}
                    then daily_values.{{ spec.column }}
                else 0
            end
        ) as {{ spec.name }}{{ ',' if not loop.last }}
        {% endfor %}
    from entity_days
    inner join daily_values
        on
            {% for column in entity_columns %}entity_days.{{ column }} = daily_values.{{ column }}
            and {% endfor %}daily_values.date_day <= entity_days.date_day
            and daily_values.date_day >= {{ add_days('entity_days.date_day', 1 - longest_window) }}
    group by
        {% for column in entity_columns %}entity_days.{{ column }}, {% endfor -%}
        entity_days.date_day

    {%- endif %}
{%- endmacro %}
