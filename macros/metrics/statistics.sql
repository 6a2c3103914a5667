{#
    Normal distribution helpers for significance tests in SQL. Neither DuckDB nor
    PostgreSQL has a normal CDF or erf built in, so erfc uses Abramowitz and Stegun
    7.1.26: erfc(x) ~ t (a1 + t (a2 + t (a3 + t (a4 + t a5)))) exp(-x^2), t = 1 / (1 + p x),
    for x >= 0, absolute error below 1.5e-7. tests/test_product_statistics.py checks it
    against Python's math.erfc on both engines.
#}

{# erfc(x) for x >= 0. Beyond x = 26 erfc is below 1e-290: 0, before exp() underflows
   (PostgreSQL raises an error on underflow instead of returning 0). #}
{% macro erfc_nonnegative(x) -%}
    {%- set value = 'cast(' ~ x ~ ' as ' ~ type_double() ~ ')' -%}
    {%- set t = '(1.0 / (1.0 + 0.3275911 * ' ~ value ~ '))' -%}
    (case
        when {{ value }} > 26 then cast(0 as {{ type_double() }})
        else {{ t }} * (0.254829592 + {{ t }} * (-0.284496736 + {{ t }} * (1.421413741
            + {{ t }} * (-1.453152027 + {{ t }} * 1.061405429))))
            * exp(-{{ value }} * {{ value }})
    end)
{%- endmacro %}


{# Standard normal CDF: P(Z <= x) = 1 - erfc(x / sqrt 2) / 2 for x >= 0, by symmetry below. #}
{% macro normal_cdf(x) -%}
    (case
        when cast({{ x }} as {{ type_double() }}) >= 0
            then 1.0 - 0.5 * {{ erfc_nonnegative('(' ~ x ~ ') / sqrt(2.0)') }}
        else 0.5 * {{ erfc_nonnegative('-(' ~ x ~ ') / sqrt(2.0)') }}
    end)
{%- endmacro %}


{# Two-sided p-value of a z statistic: P(|Z| >= |z|) = erfc(|z| / sqrt 2); NULL stays NULL. #}
{% macro two_sided_normal_p_value(z) -%}
    {{ erfc_nonnegative('abs(' ~ z ~ ') / sqrt(2.0)') }}
{%- endmacro %}
