-- Every raw row with its quarantine reason and version rank (rules: the raw contract).
-- The orphan check reads the parents' staging and base models:
-- depends_on: {{ ref('stg_activity__devices') }}
-- depends_on: {{ ref('base_activity__devices') }}
{{ base_checked_rows('activity', 'device_daily_stats') }}
