"""Salesforce as Fivetran's Salesforce connector lands it (schema `salesforce`): the
objects' fields in snake_case, custom fields Foo__c as foo_c, `_fivetran_synced`, and
`is_deleted` / `_fivetran_deleted` for deleted rows. Ids carry Salesforce's key prefixes
(005 user, 001 account, 006 opportunity, 008 opportunity history, 017 field history,
00Q lead, 00G queue, 00T task, 00U event, 0J9 forecasting quota).

Two reps: Ada (Enterprise Sales, US -> enterprise, na) and Bo (SMB Sales, GB -> smb,
emea). Hand-worked metrics: tests/test_loader_fivetran_salesforce.py.

Ada's deals, stage over time from opportunity_history (stage at the end of each day):
  ACME_NEW   new business on Acme (cus_acme), 12,000, created 2024-01-02 10:00:
             prospecting 01-02..01-09, proposal 01-10..01-31 (an amount change the same
             afternoon keeps the stage), qualification 02-01..02-19 (moved back),
             proposal 02-20..03-09, closed won 03-10
  GLOBEX_UP  expansion on Globex (cus_globex), 5,000, created 2024-02-05 09:00:
             qualification 02-05..02-29, negotiation from 03-01 (open)
  PROSPECT   new business on a prospect account (no Stripe id: account_id NULL), 3,000,
             created 2024-01-15 08:00: prospecting 01-15..02-14, closed lost 02-15
Bo's deal, stage from opportunity_field_history only (no opportunity_history rows):
  GLOBEX_REN renewal on Globex, 8,000, created 2024-02-01 09:00: qualification (the first
             change's old value) 02-01..03-04, negotiation 03-05..03-19, closed won 03-20
Rows the mapping cannot use: an opportunity in a stage no seed row maps (unmapped_value),
a renewal on an account without a billing key (no_account), a history row of an
opportunity that is not there (missing_parent), a deleted opportunity and its history
(set aside), a user of a department with no team (unmapped_value), a lead source with no
channel (unmapped_value), a quota for a half month (unmapped_value).
"""

from __future__ import annotations

from loader_warehouse import LoaderTable

SCHEMA = "salesforce"
SYNCED = "2024-03-31 06:00:00"

# users
ADA = "0055e000001AdaAAA"
BO = "0055e000001BoxAAA"
CAL = "0055e000001CalAAA"  # Customer Success: no team mapping -> unmapped_value
INTEGRATION = "0055e000001IntAAA"  # AutomatedProcess user: not a rep (set aside)
GONE = "0055e000001GonAAA"  # deleted user (set aside)
LEAD_QUEUE = "00G5e000001QueAAA"

# accounts
ACME = "0015e000001AcmAAA"
GLOBEX = "0015e000001GloAAA"
PROSPECT = "0015e000001ProAAA"
DELETED_ACCOUNT = "0015e000001DelAAA"

# opportunities
ACME_NEW = "0065e000001AcmAAA"
GLOBEX_UP = "0065e000001GupAAA"
PROSPECT_DEAL = "0065e000001ProAAA"
GLOBEX_REN = "0065e000001GrnAAA"
LEGAL_REVIEW = "0065e000001LegAAA"  # stage 'Legal Review': no seed row
NO_KEY_RENEWAL = "0065e000001NokAAA"  # renewal on the prospect account: no_account
DELETED_DEAL = "0065e000001DelAAA"
MISSING_DEAL = "0065e000001MisAAA"  # referenced by history only

USERS = LoaderTable(SCHEMA, "user", {
    "id": "text", "name": "text", "first_name": "text", "last_name": "text",
    "email": "text", "username": "text", "department": "text", "title": "text",
    "country_code": "text", "user_type": "text", "is_active": "boolean",
    "user_role_id": "text", "manager_id": "text", "created_date": "timestamp",
    "_fivetran_deleted": "boolean", "_fivetran_synced": "timestamp",
}, [
    {"id": ADA, "name": "Ada Lovelace", "first_name": "Ada", "last_name": "Lovelace",
     "email": "ada@example.com", "department": "Enterprise Sales", "country_code": "US",
     "user_type": "Standard", "is_active": True, "created_date": "2023-06-01 09:00:00",
     "_fivetran_deleted": False, "_fivetran_synced": SYNCED},
    {"id": BO, "name": "Bo Peep", "first_name": "Bo", "last_name": "Peep",
     "email": "bo@example.com", "department": "SMB Sales", "country_code": "GB",
     "user_type": "Standard", "is_active": True, "created_date": "2023-09-01 09:00:00",
     "_fivetran_deleted": False, "_fivetran_synced": SYNCED},
    {"id": CAL, "name": "Cal Success", "department": "Customer Success",
     "country_code": "US", "user_type": "Standard", "is_active": True,
     "created_date": "2023-09-01 09:00:00", "_fivetran_deleted": False,
     "_fivetran_synced": SYNCED},
    {"id": INTEGRATION, "name": "Integration User", "department": None,
     "user_type": "AutomatedProcess", "is_active": True,
     "created_date": "2023-01-01 00:00:00", "_fivetran_deleted": False,
     "_fivetran_synced": SYNCED},
    {"id": GONE, "name": "Gone Rep", "department": "SMB Sales", "country_code": "US",
     "user_type": "Standard", "is_active": False, "created_date": "2023-02-01 09:00:00",
     "_fivetran_deleted": True, "_fivetran_synced": SYNCED},
])

ACCOUNTS = LoaderTable(SCHEMA, "account", {
    "id": "text", "name": "text", "type": "text", "billing_country_code": "text",
    "owner_id": "text", "stripe_customer_id_c": "text", "is_deleted": "boolean",
    "created_date": "timestamp", "_fivetran_synced": "timestamp",
}, [
    {"id": ACME, "name": "Acme", "type": "Customer", "billing_country_code": "US",
     "owner_id": ADA, "stripe_customer_id_c": "cus_acme", "is_deleted": False,
     "created_date": "2023-12-01 10:00:00", "_fivetran_synced": SYNCED},
    {"id": GLOBEX, "name": "Globex", "type": "Customer", "billing_country_code": "GB",
     "owner_id": BO, "stripe_customer_id_c": "cus_globex", "is_deleted": False,
     "created_date": "2023-12-01 10:00:00", "_fivetran_synced": SYNCED},
    {"id": PROSPECT, "name": "Prospect Corp", "type": "Prospect", "owner_id": ADA,
     "stripe_customer_id_c": None, "is_deleted": False,
     "created_date": "2024-01-15 08:00:00", "_fivetran_synced": SYNCED},
    {"id": DELETED_ACCOUNT, "name": "Duplicate Acme", "owner_id": ADA,
     "stripe_customer_id_c": "cus_acme", "is_deleted": True,
     "created_date": "2024-01-01 08:00:00", "_fivetran_synced": SYNCED},
])


def _opportunity(opportunity_id, name, account_id, owner_id, opportunity_type, amount,
                 stage_name, created, close_date, *, is_closed=False, is_won=False,
                 is_deleted=False):
    return {"id": opportunity_id, "name": name, "account_id": account_id,
            "owner_id": owner_id, "type": opportunity_type, "amount": amount,
            "stage_name": stage_name, "is_closed": is_closed, "is_won": is_won,
            "close_date": close_date, "created_date": created, "probability": None,
            "lead_source": None, "is_deleted": is_deleted, "_fivetran_synced": SYNCED}


OPPORTUNITIES = LoaderTable(SCHEMA, "opportunity", {
    "id": "text", "name": "text", "account_id": "text", "owner_id": "text", "type": "text",
    "amount": "double precision", "stage_name": "text", "is_closed": "boolean",
    "is_won": "boolean", "close_date": "date", "created_date": "timestamp",
    "probability": "double precision", "lead_source": "text", "is_deleted": "boolean",
    "_fivetran_synced": "timestamp",
}, [
    _opportunity(ACME_NEW, "Acme platform", ACME, ADA, "New Business", 12000,
                 "Closed Won", "2024-01-02 10:00:00", "2024-03-10", is_closed=True,
                 is_won=True),
    _opportunity(GLOBEX_UP, "Globex upgrade", GLOBEX, ADA, "Existing Customer - Upgrade",
                 5000, "Negotiation/Review", "2024-02-05 09:00:00", "2024-04-30"),
    _opportunity(PROSPECT_DEAL, "Prospect pilot", PROSPECT, ADA, "New Business", 3000,
                 "Closed Lost", "2024-01-15 08:00:00", "2024-02-15", is_closed=True),
    _opportunity(GLOBEX_REN, "Globex renewal", GLOBEX, BO, "Renewal", 8000, "Closed Won",
                 "2024-02-01 09:00:00", "2024-03-20", is_closed=True, is_won=True),
    _opportunity(LEGAL_REVIEW, "Acme add-on", ACME, ADA, "Existing Customer - Upgrade", 999,
                 "Legal Review", "2024-03-01 09:00:00", "2024-04-15"),
    _opportunity(NO_KEY_RENEWAL, "Prospect renewal", PROSPECT, ADA, "Renewal", 700,
                 "Prospecting", "2024-03-01 09:00:00", "2024-05-01"),
    _opportunity(DELETED_DEAL, "Duplicate deal", ACME, ADA, "New Business", 50000,
                 "Prospecting", "2024-01-03 09:00:00", "2024-06-01", is_deleted=True),
])


def _history(history_id, opportunity_id, stage_name, created, amount=None):
    return {"id": history_id, "opportunity_id": opportunity_id, "stage_name": stage_name,
            "amount": amount, "created_date": created, "created_by_id": ADA,
            "is_deleted": False, "_fivetran_synced": SYNCED}


OPPORTUNITY_HISTORY = LoaderTable(SCHEMA, "opportunity_history", {
    "id": "text", "opportunity_id": "text", "stage_name": "text",
    "amount": "double precision", "close_date": "date", "probability": "double precision",
    "forecast_category": "text", "created_date": "timestamp", "created_by_id": "text",
    "is_deleted": "boolean", "_fivetran_synced": "timestamp",
}, [
    _history("0085e00000AcmA01", ACME_NEW, "Prospecting", "2024-01-02 10:00:00", 10000),
    _history("0085e00000AcmA02", ACME_NEW, "Proposal/Price Quote", "2024-01-10 09:00:00",
             10000),
    # the amount changes the same afternoon: OpportunityHistory writes a row, same stage
    _history("0085e00000AcmA03", ACME_NEW, "Proposal/Price Quote", "2024-01-10 15:00:00",
             12000),
    _history("0085e00000AcmA04", ACME_NEW, "Qualification", "2024-02-01 11:00:00", 12000),
    _history("0085e00000AcmA05", ACME_NEW, "Proposal/Price Quote", "2024-02-20 12:00:00",
             12000),
    _history("0085e00000AcmA06", ACME_NEW, "Closed Won", "2024-03-10 16:00:00", 12000),
    _history("0085e00000GupA01", GLOBEX_UP, "Qualification", "2024-02-05 09:00:00", 5000),
    _history("0085e00000GupA02", GLOBEX_UP, "Negotiation/Review", "2024-03-01 10:00:00",
             5000),
    _history("0085e00000ProA01", PROSPECT_DEAL, "Prospecting", "2024-01-15 08:00:00", 3000),
    _history("0085e00000ProA02", PROSPECT_DEAL, "Closed Lost", "2024-02-15 14:00:00", 3000),
    _history("0085e00000LegA01", LEGAL_REVIEW, "Legal Review", "2024-03-01 09:00:00", 999),
    _history("0085e00000DelA01", DELETED_DEAL, "Prospecting", "2024-01-03 09:00:00", 50000),
    _history("0085e00000MisA01", MISSING_DEAL, "Prospecting", "2024-01-04 09:00:00", 100),
])


def _field_change(history_id, opportunity_id, field, old_value, new_value, created):
    return {"id": history_id, "opportunity_id": opportunity_id, "field": field,
            "old_value": old_value, "new_value": new_value, "data_type": "Text",
            "created_date": created, "created_by_id": BO, "is_deleted": False,
            "_fivetran_synced": SYNCED}


OPPORTUNITY_FIELD_HISTORY = LoaderTable(SCHEMA, "opportunity_field_history", {
    "id": "text", "opportunity_id": "text", "field": "text", "old_value": "text",
    "new_value": "text", "data_type": "text", "created_date": "timestamp",
    "created_by_id": "text", "is_deleted": "boolean", "_fivetran_synced": "timestamp",
}, [
    _field_change("0175e00000Grn001", GLOBEX_REN, "StageName", "Qualification",
                  "Negotiation/Review", "2024-03-05 10:00:00"),
    # not a stage change: set aside
    _field_change("0175e00000Grn002", GLOBEX_REN, "Amount", "7000", "8000",
                  "2024-03-06 10:00:00"),
    _field_change("0175e00000Grn003", GLOBEX_REN, "StageName", "Negotiation/Review",
                  "Closed Won", "2024-03-20 11:00:00"),
    # ACME_NEW's stages come from opportunity_history: its field history is set aside
    _field_change("0175e00000Acm001", ACME_NEW, "StageName", "Negotiation/Review",
                  "Closed Won", "2024-03-10 16:00:00"),
])


def _lead(lead_id, owner_id, source, created, *, mql=None, sql=None, converted_date=None,
          converted_account=None, converted_opportunity=None, is_deleted=False):
    return {"id": lead_id, "first_name": "Pat", "last_name": lead_id[-6:],
            "name": f"Pat {lead_id[-6:]}", "email": f"{lead_id[-6:].lower()}@example.org",
            "company": "Acme" if converted_account == ACME else "Somewhere Inc",
            "status": "Converted" if converted_date else "Working",
            "lead_source": source, "owner_id": owner_id, "created_date": created,
            "mql_date_c": mql, "sql_date_c": sql, "is_converted": converted_date is not None,
            "converted_date": converted_date, "converted_account_id": converted_account,
            "converted_contact_id": None, "converted_opportunity_id": converted_opportunity,
            "is_deleted": is_deleted, "_fivetran_synced": SYNCED}


LEADS = LoaderTable(SCHEMA, "lead", {
    "id": "text", "first_name": "text", "last_name": "text", "name": "text",
    "email": "text", "company": "text", "status": "text", "lead_source": "text",
    "owner_id": "text", "created_date": "timestamp", "mql_date_c": "timestamp",
    "sql_date_c": "timestamp", "is_converted": "boolean", "converted_date": "date",
    "converted_account_id": "text", "converted_contact_id": "text",
    "converted_opportunity_id": "text", "is_deleted": "boolean",
    "_fivetran_synced": "timestamp",
}, [
    # Acme's lead: MQL 2023-12-28, converted 2024-01-02 into Acme (a customer) and its deal
    _lead("00Q5e00000LAcme1", ADA, "Web", "2023-12-20 09:00:00", mql="2023-12-28 09:00:00",
          converted_date="2024-01-02", converted_account=ACME, converted_opportunity=ACME_NEW),
    _lead("00Q5e00000LRef01", ADA, "Partner Referral", "2024-03-01 09:00:00",
          mql="2024-03-05 12:00:00"),
    _lead("00Q5e00000LSql01", ADA, "Phone Inquiry", "2024-02-01 09:00:00",
          mql="2024-02-10 12:00:00", sql="2024-02-12 12:00:00"),
    _lead("00Q5e00000LQueue", LEAD_QUEUE, "Web", "2024-03-10 09:00:00"),
    _lead("00Q5e00000LPigeo", ADA, "Carrier Pigeon", "2024-03-11 09:00:00"),
    _lead("00Q5e00000LDel01", ADA, "Web", "2024-03-12 09:00:00", mql="2024-03-12 10:00:00",
          is_deleted=True),
])


def _task(task_id, owner_id, what_id, subtype, task_type, completed, *, is_closed=True,
          is_deleted=False):
    return {"id": task_id, "owner_id": owner_id, "what_id": what_id, "who_id": None,
            "subject": f"{task_type or subtype} {task_id[-4:]}", "task_subtype": subtype,
            "type": task_type, "status": "Completed" if is_closed else "Not Started",
            "is_closed": is_closed,
            "activity_date": completed[:10] if completed else "2024-03-29",
            "completed_date_time": completed if is_closed else None,
            "created_date": completed or "2024-03-01 09:00:00", "is_deleted": is_deleted,
            "_fivetran_synced": SYNCED}


TASKS = LoaderTable(SCHEMA, "task", {
    "id": "text", "owner_id": "text", "what_id": "text", "who_id": "text",
    "subject": "text", "task_subtype": "text", "type": "text", "status": "text",
    "is_closed": "boolean", "activity_date": "date", "completed_date_time": "timestamp",
    "created_date": "timestamp", "is_deleted": "boolean", "_fivetran_synced": "timestamp",
}, [
    _task("00T5e00000T00001", ADA, GLOBEX_UP, "Call", "Call", "2024-03-20 15:00:00"),
    _task("00T5e00000T00002", ADA, ACME, "Email", "Email", "2024-03-25 10:00:00"),
    # a plain task whose Type says Call: a call
    _task("00T5e00000T00003", ADA, GLOBEX_UP, "Task", "Call", "2024-03-28 16:00:00"),
    # a to-do: not a call, email or meeting (set aside)
    _task("00T5e00000T00004", ADA, GLOBEX_UP, "Task", "Other", "2024-03-27 16:00:00"),
    # a call not made yet (set aside)
    _task("00T5e00000T00005", ADA, GLOBEX_UP, "Task", "Call", None, is_closed=False),
    _task("00T5e00000T00006", ADA, GLOBEX_UP, "Call", "Call", "2024-03-26 16:00:00",
          is_deleted=True),
    # outside the 30 days ending 03-31
    _task("00T5e00000T00007", ADA, ACME_NEW, "Call", "Call", "2024-02-15 10:00:00"),
])

EVENTS = LoaderTable(SCHEMA, "event", {
    "id": "text", "owner_id": "text", "what_id": "text", "subject": "text", "type": "text",
    "start_date_time": "timestamp", "end_date_time": "timestamp",
    "duration_in_minutes": "integer", "is_deleted": "boolean",
    "_fivetran_synced": "timestamp",
}, [
    {"id": "00U5e00000E00001", "owner_id": ADA, "what_id": GLOBEX_UP, "subject": "Demo",
     "type": "Meeting", "start_date_time": "2024-03-22 14:00:00",
     "end_date_time": "2024-03-22 15:00:00", "duration_in_minutes": 60,
     "is_deleted": False, "_fivetran_synced": SYNCED},
    {"id": "00U5e00000E00002", "owner_id": ADA, "what_id": GLOBEX_UP, "subject": "Cancelled",
     "type": "Meeting", "start_date_time": "2024-03-23 14:00:00",
     "end_date_time": "2024-03-23 15:00:00", "duration_in_minutes": 60,
     "is_deleted": True, "_fivetran_synced": SYNCED},
])


def _quota(quota_id, owner_id, start_date, amount, *, is_amount=True):
    return {"id": quota_id, "quota_owner_id": owner_id, "start_date": start_date,
            "quota_amount": amount, "quota_quantity": None if is_amount else 5,
            "is_amount": is_amount, "is_quantity": not is_amount,
            "forecasting_type_id": "0Db5e000000OppRev", "_fivetran_deleted": False,
            "_fivetran_synced": SYNCED}


FORECASTING_QUOTAS = LoaderTable(SCHEMA, "forecasting_quota", {
    "id": "text", "quota_owner_id": "text", "start_date": "date",
    "quota_amount": "double precision", "quota_quantity": "double precision",
    "is_amount": "boolean", "is_quantity": "boolean", "forecasting_type_id": "text",
    "_fivetran_deleted": "boolean", "_fivetran_synced": "timestamp",
}, [
    _quota("0J95e00000Q00001", ADA, "2024-01-01", 10000),
    _quota("0J95e00000Q00002", ADA, "2024-02-01", 10000),
    _quota("0J95e00000Q00003", ADA, "2024-03-01", 10000),
    # a quantity quota (set aside) and a half-month period (unmapped_value)
    _quota("0J95e00000Q00004", ADA, "2024-03-01", None, is_amount=False),
    _quota("0J95e00000Q00005", BO, "2024-03-15", 4000),
])

TABLES = [USERS, ACCOUNTS, OPPORTUNITIES, OPPORTUNITY_HISTORY, OPPORTUNITY_FIELD_HISTORY,
          LEADS, TASKS, EVENTS, FORECASTING_QUOTAS]
