{#
    fivetran_ads mapping (models/loaders/fivetran_ads/, docs/loaders/fivetran_ads.md).

    fivetran_ads_record_text(columns): a loader row as 'column=value, ...' text for
    fivetran_ads__quarantined_rows. The ad platforms' rows hold ids, dates and counts, no
    personal values, so nothing needs hashing.
#}
{% macro fivetran_ads_record_text(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("'" ~ column ~ "=' || coalesce(cast(" ~ column ~ " as "
            ~ dbt.type_string() ~ "), 'null')") -%}
    {%- endfor -%}
    {{ parts | join(" || ', ' || ") }}
{%- endmacro %}


{# The loader row's key as text, its parts joined by '|' ('null' where missing). #}
{% macro fivetran_ads_record_key(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), 'null')") -%}
    {%- endfor -%}
    {{ parts | join(" || '|' || ") }}
{%- endmacro %}
