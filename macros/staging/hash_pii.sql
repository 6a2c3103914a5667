{#
    Salted hash of a personal value (email, name). Values are trimmed and lowercased
    first so the same person hashes the same everywhere. The salt comes from the var
    pii_salt (env METRICS_PII_SALT); without it the hash could be reversed by guessing.
#}
{% macro hash_pii(column) -%}
    case when {{ column }} is null then null else
        {{ dbt.hash("'" ~ var('pii_salt') ~ "' || lower(trim(" ~ column ~ "))") }}
    end
{%- endmacro %}
