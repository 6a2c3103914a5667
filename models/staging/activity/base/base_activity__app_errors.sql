-- Every raw row with its quarantine reason and version rank (rules: the raw contract).
-- The orphan check reads the parents' staging and base models:
-- depends_on: {{ ref('stg_activity__sessions') }}
-- depends_on: {{ ref('stg_activity__users') }}
-- depends_on: {{ ref('base_activity__sessions') }}
-- depends_on: {{ ref('base_activity__users') }}
{{ base_checked_rows('activity', 'app_errors') }}
