{#
    The one time rule for every period in the project (subscriptions, opportunity stages,
    devices, campaigns): a period counts on day d when it covers the END of d, i.e.

        started_at < start of d+1  and  (ended_at is null or ended_at >= start of d+1)

    In UTC days that is from the start's day to the day before the end's day; an open
    period (ended_at null) counts up to the as-of day. So a subscription cancelled at
    10:00 on the 5th counts through the 4th, and a plan change on the 5th counts the new
    plan from the 5th and the old one through the 4th: never both on one day. A period
    that starts and ends within one day counts on no day at all.
#}
{% macro period_first_day(started_at) -%}
    cast({{ started_at }} as date)
{%- endmacro %}

{% macro period_last_day(ended_at, open_until=none) -%}
    case
        when {{ ended_at }} is null then {{ open_until or as_of_date() }}
        else {{ add_days('cast(' ~ ended_at ~ ' as date)', -1) }}
    end
{%- endmacro %}
