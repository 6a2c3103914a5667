-- Every raw row with its quarantine reason and version rank (rules: the raw contract).
-- The orphan check reads the parents' staging models:
-- depends_on: {{ ref('stg_marketing__campaigns') }}
{{ base_checked_rows('marketing', 'email_sends') }}
