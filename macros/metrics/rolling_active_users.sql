{#
    Rolling distinct-user counts without a day x event cross join.

    A user active on day a counts in a window of N days ending on d when a <= d <= a+N-1.
    Between two active days a1 < a2 the covered days overlap, so each active day only
    "owns" the days up to the next active day: [a, min(next_a, a+N)). These intervals do
    not overlap per user, so the distinct count on d is the number of intervals covering
    d: +1 where an interval starts, -1 where it ends, then a running sum over the days.
    Work is O(user-days), whatever N is.

    active_days_relation: one row per (partition columns, user_id, activity_date) or more
    (duplicates are removed). Returns SQL for rows (partition columns, change_date,
    active_users_delta); the caller joins it to its day spine and takes a running sum
    (see running_active_users).
#}
{% macro active_user_interval_changes(active_days_relation, window_days, partition_by=[]) -%}
    {%- set partition_list = partition_by | join(', ') -%}
    {%- set user_partition = (partition_by + ['user_id']) | join(', ') -%}
    with

    distinct_active_days as (
        select distinct
            {% for column in partition_by %}{{ column }}, {% endfor %}
            user_id,
            activity_date
        from {{ active_days_relation }}
    ),

    covered_intervals as (
        select
            {% for column in partition_by %}{{ column }}, {% endfor %}
            activity_date as covered_from,
            least(
                coalesce(
                    lead(activity_date) over (partition by {{ user_partition }} order by activity_date),
                    {{ add_days('activity_date', window_days) }}
                ),
                {{ add_days('activity_date', window_days) }}
            ) as covered_until_exclusive
        from distinct_active_days
    ),

    interval_edges as (
        select
            {% for column in partition_by %}{{ column }}, {% endfor %}
            covered_from as change_date,
            1 as active_users_delta
        from covered_intervals
        union all
        select
            {% for column in partition_by %}{{ column }}, {% endfor %}
            covered_until_exclusive as change_date,
            -1 as active_users_delta
        from covered_intervals
    )

    select
        {% for column in partition_by %}{{ column }}, {% endfor %}
        change_date,
        sum(active_users_delta) as active_users_delta
    from interval_edges
    group by {% for column in partition_by %}{{ column }}, {% endfor %}change_date
{%- endmacro %}
