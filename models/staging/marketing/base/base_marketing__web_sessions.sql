-- Every raw row with its quarantine reason and version rank (rules: the raw contract).
{{ base_checked_rows('marketing', 'web_sessions') }}
