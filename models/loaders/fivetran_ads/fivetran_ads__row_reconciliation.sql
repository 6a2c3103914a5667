{{ config(enabled=loader_enabled('fivetran_ads')) }}

-- Row accounting per loader table the fivetran_ads mapping reads (stg_row_reconciliation
-- unions it in): raw rows = rows used + rows set aside by rule + rows quarantined, each
-- counted in its own place (the loader table, the model that uses it, the quarantine).
--   campaign_history  used: the campaigns produced for the platform's channel; set aside:
--                     older versions of a campaign (its latest version wins)
--   ad_history        used: each ad's latest version; set aside: older versions
--   stats tables      used: rows summed into ad_spend_daily; nothing is set aside
{%- set tables = [
    {'source': 'fivetran_google_ads', 'table': 'campaign_history', 'kind': 'campaigns',
     'channel': 'google_ads'},
    {'source': 'fivetran_google_ads', 'table': 'campaign_stats', 'kind': 'stats'},
    {'source': 'fivetran_facebook_ads', 'table': 'campaign_history', 'kind': 'campaigns',
     'channel': 'meta_ads'},
    {'source': 'fivetran_facebook_ads', 'table': 'ad_history', 'kind': 'ads'},
    {'source': 'fivetran_facebook_ads', 'table': 'basic_ad', 'kind': 'stats'},
    {'source': 'fivetran_linkedin_ads', 'table': 'campaign_history', 'kind': 'campaigns',
     'channel': 'linkedin_ads'},
    {'source': 'fivetran_linkedin_ads', 'table': 'ad_analytics_by_campaign', 'kind': 'stats'},
] %}

with

{% for entry in tables %}
    {%- set source_table = entry.source ~ '.' ~ entry.table %}
    {{ entry.source }}__{{ entry.table }} as (
        select
            cast('{{ source_table }}' as {{ dbt.type_string() }}) as source_table,
            (
                select count(*)
                from ({{ raw_table_select(entry.source, entry.table) }}) as loader_table
            ) as raw_rows,
            {%- if entry.kind == 'campaigns' %}
                (
                    select count(*) from {{ ref('fivetran_ads__campaigns') }}
                    where channel = '{{ entry.channel }}'
                ) as staged_rows,
                (
                    select count(*) from {{ ref('fivetran_ads__campaign_versions') }}
                    where source_table = '{{ source_table }}' and version_rank > 1
                ) as collapsed_duplicate_rows,
            {%- elif entry.kind == 'ads' %}
                (
                    select count(*) from {{ ref('fivetran_ads__facebook_ad_versions') }}
                    where version_rank = 1 and quarantine_reason is null
                ) as staged_rows,
                (
                    select count(*) from {{ ref('fivetran_ads__facebook_ad_versions') }}
                    where version_rank > 1
                ) as collapsed_duplicate_rows,
            {%- else %}
                (
                    select count(*) from {{ ref('fivetran_ads__spend_rows') }}
                    where source_table = '{{ source_table }}' and quarantine_reason is null
                ) as staged_rows,
                0 as collapsed_duplicate_rows,
            {%- endif %}
            (
                select count(*) from {{ ref('fivetran_ads__quarantined_rows') }}
                where source_table = '{{ source_table }}'
            ) as quarantined_rows
    ),

{% endfor %}
unioned as (
    {% for entry in tables %}
        select * from {{ entry.source }}__{{ entry.table }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        source_table,
        cast(raw_rows as bigint) as raw_rows,
        cast(staged_rows as bigint) as staged_rows,
        cast(collapsed_duplicate_rows as bigint) as collapsed_duplicate_rows,
        cast(quarantined_rows as bigint) as quarantined_rows
    from unioned
)

select * from final
