{#
    fivetran_stripe mapping (models/loaders/fivetran_stripe/, docs/loaders/fivetran_stripe.md).

    fivetran_stripe_record_text(columns, pii=[]): a Stripe row as 'column=value, ...' text
    for fivetran_stripe__quarantined_rows; the columns in pii (an email) are hashed with
    hash_pii, like staging does for the contract's personal columns.
#}
{% macro fivetran_stripe_record_text(columns, pii=[]) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- set value = hash_pii(column) if column in pii
            else 'cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')' -%}
        {%- do parts.append("'" ~ column.split('.')[-1] ~ "=' || coalesce(" ~ value ~ ", 'null')") -%}
    {%- endfor -%}
    {{ parts | join(" || ', ' || ") }}
{%- endmacro %}


{#
    A Stripe amount, an integer in the currency's smallest unit (cents), as a decimal
    amount of the currency. Stripe's zero-decimal currencies (JPY, KRW, ...) have no
    minor unit, so their integers are already whole units.
    https://docs.stripe.com/currencies#zero-decimal
#}
{% macro fivetran_stripe_major_units(amount, currency) -%}
    (cast({{ amount }} as numeric(38, 6)) / case
        when upper({{ currency }}) in (
            'BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX',
            'VND', 'VUV', 'XAF', 'XOF', 'XPF'
        ) then 1
        else 100
    end)
{%- endmacro %}


{#
    A price's amount per recurring interval as the contract's amount per month or per
    year (billing_interval is only month | year): N years -> a year's amount (/ N);
    N months, weeks or days -> a month's amount (x 1/N, x 52/12/N, x 365/12/N).
#}
{% macro fivetran_stripe_contract_interval(interval) -%}
    case when lower({{ interval }}) = 'year' then 'year' else 'month' end
{%- endmacro %}

{% macro fivetran_stripe_interval_factor(interval, interval_count) -%}
    (case lower({{ interval }})
        when 'year' then 1.0
        when 'month' then 1.0
        when 'week' then 52.0 / 12.0
        when 'day' then 365.0 / 12.0
    end / coalesce(nullif({{ interval_count }}, 0), 1))
{%- endmacro %}


{#
    The end of a coupon's discount from its start (Stripe's own `end` is start + duration
    for repeating coupons and null otherwise): forever never ends, repeating lasts
    duration_in_months months, once counts for one month (as Fivetran's dbt_stripe does:
    the first invoice, whatever the interval).
#}
{% macro fivetran_stripe_discount_end(started_at, duration, duration_in_months) -%}
    case
        when {{ duration }} = 'forever' then null
        when {{ duration }} = 'repeating'
            then {{ dbt.dateadd('month', 'coalesce(' ~ duration_in_months ~ ', 1)', started_at) }}
        else {{ dbt.dateadd('month', 1, started_at) }}
    end
{%- endmacro %}
