{#
    Loader mappings (models/loaders/<loader>/): dbt models that turn the tables a loader
    lands (Fivetran's Stripe and Salesforce connectors, a Segment event stream, Fivetran's
    ad platforms) into the raw contract's tables. A var per raw source switches one on:

        billing_loader:   contract | fivetran_stripe
        crm_loader:       contract | fivetran_salesforce
        activity_loader:  contract | segment
        marketing_loader: contract | fivetran_ads

    With a loader on, the contract tables it maps are read from its models instead of the
    raw schema (raw_table_select); the contract tables it does not map are still read from
    the raw schema, so a team can load those by hand. Staging, quarantine, reconciliation
    and every metric then run unchanged.

    Each loader also has two models that staging unions in:
      <loader>__quarantined_rows   loader rows that cannot be mapped, with the reason
                                   (same columns as stg_quarantined_rows)
      <loader>__row_reconciliation one row per loader table it reads (same columns as
                                   stg_row_reconciliation): raw = mapped + set aside by
                                   rule + quarantined
#}
{% macro loader_mappings() -%}
    {{ return({
        'fivetran_stripe': {
            'source': 'billing',
            'loader_sources': {'fivetran_stripe': 'fivetran_stripe_schema'},
            'docs': 'docs/loaders/fivetran_stripe.md',
            'tables': ['accounts', 'subscriptions', 'invoices', 'payment_attempts'],
        },
        'fivetran_salesforce': {
            'source': 'crm',
            'loader_sources': {'fivetran_salesforce': 'fivetran_salesforce_schema'},
            'docs': 'docs/loaders/fivetran_salesforce.md',
            'tables': ['sales_reps', 'rep_quotas', 'leads', 'opportunities',
                       'opportunity_stage_history', 'sales_activities'],
        },
        'segment': {
            'source': 'activity',
            'loader_sources': {'segment': 'segment_schema'},
            'docs': 'docs/loaders/segment.md',
            'tables': ['users', 'sessions', 'features', 'feature_events'],
        },
        'fivetran_ads': {
            'source': 'marketing',
            'loader_sources': {'fivetran_google_ads': 'google_ads_schema',
                               'fivetran_facebook_ads': 'facebook_ads_schema',
                               'fivetran_linkedin_ads': 'linkedin_ads_schema'},
            'docs': 'docs/loaders/fivetran_ads.md',
            'tables': ['campaigns', 'ad_spend_daily'],
        },
    }) }}
{%- endmacro %}


{# The loader chosen for a raw source ('contract' when none), checked against the list. #}
{% macro loader_of(source_name) -%}
    {%- set chosen = var(source_name ~ '_loader', 'contract') -%}
    {%- set valid = ['contract'] -%}
    {%- for loader, mapping in loader_mappings().items() -%}
        {%- if mapping.source == source_name -%}
            {%- do valid.append(loader) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if chosen not in valid -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ source_name ~ "_loader is '" ~ chosen ~ "', which is not a loader of the "
            ~ source_name ~ " source. Valid values: " ~ valid | join(', ')
            ~ " (docs/loaders/).") }}
    {%- endif -%}
    {{ return(chosen) }}
{%- endmacro %}


{# Loaders switched on, as names (the same at parse time and at run time: vars only). #}
{% macro enabled_loaders() -%}
    {%- set enabled = [] -%}
    {%- for loader, mapping in loader_mappings().items() -%}
        {%- if loader_of(mapping.source) == loader -%}
            {%- do enabled.append(loader) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(enabled) }}
{%- endmacro %}


{# True when the loader's models should build; use in their config(enabled=...). #}
{% macro loader_enabled(loader) -%}
    {{ return(loader in enabled_loaders()) }}
{%- endmacro %}


{# The model that produces a contract table from the chosen loader, or none. #}
{% macro mapped_model(source_name, table_name) -%}
    {%- set loader = loader_of(source_name) -%}
    {%- if loader != 'contract' and table_name in loader_mappings()[loader].tables -%}
        {{ return(loader ~ '__' ~ table_name) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}


{#
    For a dbt source that a loader mapping reads (models/loaders/<loader>/_<loader>__sources.yml),
    {loader, schema_var, docs}; none for the raw contract's sources.
#}
{% macro loader_of_loader_source(source_name) -%}
    {%- for loader, mapping in loader_mappings().items() -%}
        {%- if source_name in mapping.loader_sources -%}
            {{ return({'loader': loader, 'schema_var': mapping.loader_sources[source_name],
                       'docs': mapping.docs}) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}


{#
    A loader's text key (a Stripe customer id, a Salesforce id, a Segment user id) as the
    contract's bigint id: the first 60 bits of its md5, the same on every engine. Keys that
    must join across loaders (a Stripe customer id kept on the Salesforce account) hash to
    the same id because they are the same text. NULL stays NULL.
#}
{% macro text_key_to_id(expression) -%}
    {{ return(adapter.dispatch('text_key_to_id', 'saas_metrics')(expression)) }}
{%- endmacro %}

{% macro default__text_key_to_id(expression) -%}
    ('x' || lpad(substr(md5(cast({{ expression }} as {{ dbt.type_string() }})), 1, 15), 16, '0'))::bit(64)::bigint
{%- endmacro %}

{% macro duckdb__text_key_to_id(expression) -%}
    cast(('0x' || substr(md5(cast({{ expression }} as {{ dbt.type_string() }})), 1, 15)) as bigint)
{%- endmacro %}


{#
    A loader's naive timestamp, which Fivetran and Segment write in UTC, as the contract's
    timestamptz. A timestamptz column passes through unchanged on either engine.
#}
{% macro utc_timestamp_to_tz(expression) -%}
    {{ return(adapter.dispatch('utc_timestamp_to_tz', 'saas_metrics')(expression)) }}
{%- endmacro %}

{% macro default__utc_timestamp_to_tz(expression) -%}
    (cast({{ expression }} as timestamp) at time zone 'UTC')
{%- endmacro %}

{% macro duckdb__utc_timestamp_to_tz(expression) -%}
    timezone('UTC', cast({{ expression }} as timestamp))
{%- endmacro %}


{#
    One key of a JSON object column (Stripe's metadata, Segment's properties) as text;
    NULL when the key is absent. Loaders land JSON as text, json or jsonb.
#}
{% macro json_text(column, key) -%}
    {{ return(adapter.dispatch('json_text', 'saas_metrics')(column, key)) }}
{%- endmacro %}

{% macro default__json_text(column, key) -%}
    (cast({{ column }} as jsonb) ->> '{{ key }}')
{%- endmacro %}

{% macro duckdb__json_text(column, key) -%}
    json_extract_string(cast({{ column }} as json), '$.{{ key }}')
{%- endmacro %}


{#
    The loaders' own quarantined rows and row accounting, for stg_quarantined_rows and
    stg_row_reconciliation to union in (refs resolve at parse time: vars only).
#}
{% macro loader_models(suffix) -%}
    {%- set models = [] -%}
    {%- for loader in enabled_loaders() -%}
        {%- do models.append(loader ~ '__' ~ suffix) -%}
    {%- endfor -%}
    {{ return(models) }}
{%- endmacro %}
