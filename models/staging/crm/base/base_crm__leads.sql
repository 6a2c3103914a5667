-- Every raw row with its quarantine reason and version rank (rules: the raw contract).
-- The orphan check reads the parents' staging models:
-- depends_on: {{ ref('stg_billing__accounts') }}
-- depends_on: {{ ref('stg_crm__sales_reps') }}
{{ base_checked_rows('crm', 'leads') }}
