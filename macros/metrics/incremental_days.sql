{#
    Helpers for intermediate models that are incremental by day (unique_key date_day,
    delete+insert). A full build computes every day from all history; an incremental run
    recomputes the days from incremental_start_date('date_day') (the last built day minus
    the late-data lookback, or a backfill's first day) to the as-of day, reading only the
    history its windows need.

    recomputed_days_filter(column, history_days): the condition that keeps the rows a run
    needs: on an incremental run, column within [first recomputed day - history_days,
    last recomputed day]; on a full build, everything ("1 = 1"), so a full build never
    depends on var metrics_start_date.
#}
{% macro recomputed_days_filter(column, history_days=0, date_column='date_day') -%}
    {%- if is_incremental() -%}
        {{ column }} >= {{ add_days(incremental_start_date(date_column), -1 * history_days) }}
        and {{ column }} <= {{ incremental_end_date() }}
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}


{#
    Running totals of day-level changes per entity (user counts, adopted features...):
    totals is a list of (change_column, total_column). A full build sums every change from
    the beginning. An incremental run carries the totals forward instead of re-summing
    history: it starts from the entity's totals on the day before the first recomputed day,
    read from the table itself, and adds the changes of the recomputed days. The result is
    the same; `daily_changes` must then hold only the recomputed days (a new entity has no
    row the day before and starts from 0, as in a full build).
#}
{% macro running_totals(daily_changes, entity_column, totals, date_column='date_day') -%}
    select
        daily_changes.{{ entity_column }},
        daily_changes.{{ date_column }},
        {%- for change, total in totals %}
            {% if is_incremental() -%}
                coalesce(opening_totals.{{ total }}, 0) +
            {%- endif %}
            sum(daily_changes.{{ change }}) over (
                partition by daily_changes.{{ entity_column }}
                order by daily_changes.{{ date_column }}
                rows between unbounded preceding and current row
            ) as {{ total }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ daily_changes }} as daily_changes
    {%- if is_incremental() %}
        left join {{ this }} as opening_totals
            on
                daily_changes.{{ entity_column }} = opening_totals.{{ entity_column }}
                and opening_totals.{{ date_column }}
                = {{ add_days(incremental_start_date(date_column), -1) }}
    {%- endif %}
{%- endmacro %}
