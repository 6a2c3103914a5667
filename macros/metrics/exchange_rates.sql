{#
    The project's one exchange-rate lookup: the USD value of one unit of a row's currency
    on a day, as the latest rate on or before that day. A currency whose rates begin later
    falls back to its first rate, so no row is ever dropped for want of a rate; USD is 1
    and needs no rate row.

    Renders a select with one row per row of `rows` (a CTE or relation name): its
    `key_column` and `usd_per_unit`. `rates` is the CTE or relation of
    stg_billing__exchange_rates (currency, rate_date, usd_per_unit).

        invoice_rates as (
            {{ usd_per_unit_on_or_before('invoices_dated', 'invoice_id', 'currency',
                                         'issued_date', 'exchange_rates') }}
        ),
#}
{% macro usd_per_unit_on_or_before(rows, key_column, currency_column, date_column, rates) -%}
    select
        rated_rows.{{ key_column }},
        case
            when rated_rows.{{ currency_column }} = 'USD' then 1
            else rates_ranked.usd_per_unit
        end as usd_per_unit
    from {{ rows }} as rated_rows
    left join (
        select
            ranked_rows.{{ key_column }},
            rate_rows.usd_per_unit,
            row_number() over (
                partition by ranked_rows.{{ key_column }}
                order by
                    case
                        when rate_rows.rate_date <= ranked_rows.{{ date_column }} then 0 else 1
                    end,
                    case
                        when rate_rows.rate_date <= ranked_rows.{{ date_column }}
                            then {{ days_between(
                                'rate_rows.rate_date', 'ranked_rows.' ~ date_column) }}
                        else {{ days_between(
                            'ranked_rows.' ~ date_column, 'rate_rows.rate_date') }}
                    end
            ) as rate_rank
        from {{ rows }} as ranked_rows
        inner join {{ rates }} as rate_rows
            on ranked_rows.{{ currency_column }} = rate_rows.currency
    ) as rates_ranked
        on
            rated_rows.{{ key_column }} = rates_ranked.{{ key_column }}
            and rates_ranked.rate_rank = 1
{%- endmacro %}
