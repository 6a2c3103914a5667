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
    {#- each rate holds from its day until the currency's next rate; the first one also
        back to the beginning of time (the fallback above). A row then matches exactly
        one interval: an equality and a range condition, no sort of every row against
        every rate (which took 23 of 26 s for the medium preset's invoices) -#}
    select
        rated_rows.{{ key_column }},
        case
            when rated_rows.{{ currency_column }} = 'USD' then 1
            else rate_intervals.usd_per_unit
        end as usd_per_unit
    from {{ rows }} as rated_rows
    left join (
        select
            currency,
            usd_per_unit,
            case
                when row_number() over (partition by currency order by rate_date) = 1
                    then cast('1900-01-01' as date)
                else rate_date
            end as valid_from_date,
            coalesce(
                lead(rate_date) over (partition by currency order by rate_date),
                cast('9999-12-31' as date)
            ) as valid_until_date
        from {{ rates }}
    ) as rate_intervals
        on
            rated_rows.{{ currency_column }} = rate_intervals.currency
            and rated_rows.{{ date_column }} >= rate_intervals.valid_from_date
            and rated_rows.{{ date_column }} < rate_intervals.valid_until_date
{%- endmacro %}
