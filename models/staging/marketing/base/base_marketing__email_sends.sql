-- Every raw row with its quarantine reason and version rank (rules: the raw contract).
-- The orphan check reads the parents' staging and base models:
-- depends_on: {{ ref('stg_marketing__campaigns') }}
-- depends_on: {{ ref('base_marketing__campaigns') }}
{{ base_checked_rows('marketing', 'email_sends') }}
