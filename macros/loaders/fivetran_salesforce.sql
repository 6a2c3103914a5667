{#
    Helpers of the fivetran_salesforce loader mapping (models/loaders/fivetran_salesforce/,
    docs/loaders/fivetran_salesforce.md).
#}

{#
    A loader row as 'column=value, ...' text for the quarantine (columns: names of the
    CTE's columns, a table prefix is dropped from the label; leave personal values out). NULL reads 'null'.
#}
{% macro fivetran_salesforce_record_text(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("'" ~ column.split('.')[-1] ~ "=' || coalesce(cast(" ~ column ~ " as "
            ~ dbt.type_string() ~ "), 'null')") -%}
    {%- endfor -%}
    {{ parts | join(" || ', ' || ") }}
{%- endmacro %}


{#
    The contract value a Salesforce picklist value maps onto, through the seed
    fivetran_salesforce_value_mappings (a left join, aliased `alias`); case and
    surrounding spaces do not matter.
#}
{% macro fivetran_salesforce_join_value(alias, field, expression) -%}
    left join {{ ref('fivetran_salesforce_value_mappings') }} as {{ alias }}
        on
            {{ alias }}.field = '{{ field }}'
            and lower(trim({{ alias }}.salesforce_value)) = lower(trim({{ expression }}))
{%- endmacro %}


{# Whether a quarantine or set-aside reason quarantines the row (the rest are set aside). #}
{% macro fivetran_salesforce_disposition(reason_column) -%}
    case
        when {{ reason_column }} is null then 'mapped'
        when {{ reason_column }} in ('missing_parent', 'no_account', 'no_user', 'unmapped_value')
            then 'quarantined'
        else 'set_aside'
    end
{%- endmacro %}
