-- Every raw row with its quarantine reason and version rank (rules: the raw contract).
-- The orphan check reads the parents' staging and base models:
-- depends_on: {{ ref('stg_crm__opportunities') }}
-- depends_on: {{ ref('base_crm__opportunities') }}
{{ base_checked_rows('crm', 'opportunity_stage_history') }}
