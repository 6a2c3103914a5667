-- Every raw row with its quarantine reason and version rank (rules: the raw contract).
-- The orphan check reads the parents' staging models:
-- depends_on: {{ ref('stg_activity__users') }}
-- depends_on: {{ ref('stg_billing__accounts') }}
{{ base_checked_rows('activity', 'data_exports') }}
