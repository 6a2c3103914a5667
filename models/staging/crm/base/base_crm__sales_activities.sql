-- Every raw row with its quarantine reason and version rank (rules: the raw contract).
-- The orphan check reads the parents' staging and base models:
-- depends_on: {{ ref('stg_crm__opportunities') }}
-- depends_on: {{ ref('stg_crm__sales_reps') }}
-- depends_on: {{ ref('base_crm__opportunities') }}
-- depends_on: {{ ref('base_crm__sales_reps') }}
{{ base_checked_rows('crm', 'sales_activities') }}
