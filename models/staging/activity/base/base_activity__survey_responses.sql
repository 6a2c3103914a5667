-- Every raw row with its quarantine reason and version rank (rules: the raw contract).
-- The orphan check reads the parents' staging and base models:
-- depends_on: {{ ref('stg_activity__users') }}
-- depends_on: {{ ref('stg_billing__accounts') }}
-- depends_on: {{ ref('base_activity__users') }}
-- depends_on: {{ ref('base_billing__accounts') }}
{{ base_checked_rows('activity', 'survey_responses') }}
