{#
    Cohort periods for metrics_cohort_retention, where one query holds monthly and weekly
    cohorts side by side: period_type_column holds 'month' or 'week' (weeks start on
    Monday on both engines).
#}

{# First day of the month or week containing date_expression. #}
{% macro cohort_period_start(period_type_column, date_expression) -%}
    case
        when {{ period_type_column }} = 'month'
            then cast({{ dbt.date_trunc('month', date_expression) }} as date)
        else cast({{ dbt.date_trunc('week', date_expression) }} as date)
    end
{%- endmacro %}


{# date_expression moved forward by a number of months or weeks. #}
{% macro cohort_periods_after(period_type_column, periods, date_expression) -%}
    case
        when {{ period_type_column }} = 'month'
            then cast({{ dbt.dateadd('month', periods, date_expression) }} as date)
        else cast({{ dbt.dateadd('week', periods, date_expression) }} as date)
    end
{%- endmacro %}
