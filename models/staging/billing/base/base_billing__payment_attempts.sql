-- Every raw row with its quarantine reason and version rank (rules: the raw contract).
-- The orphan check reads the parents' staging and base models:
-- currencies other than USD need a rate (no_exchange_rate):
-- depends_on: {{ ref('stg_billing__exchange_rates') }}
-- depends_on: {{ ref('stg_billing__accounts') }}
-- depends_on: {{ ref('stg_billing__invoices') }}
-- depends_on: {{ ref('base_billing__accounts') }}
-- depends_on: {{ ref('base_billing__invoices') }}
{{ base_checked_rows('billing', 'payment_attempts') }}
