"""Stripe as Fivetran lands it (models/loaders/fivetran_stripe/, docs/loaders/fivetran_stripe.md).

Real table and column names of Fivetran's Stripe connector (see Fivetran's dbt_stripe
package): amounts are integers in cents, timestamps naive UTC, metadata JSON, history
mode on subscription_history (_fivetran_active / _fivetran_start), soft deletes in
_fivetran_deleted. The connector here is a newer one: it has subscription_history and
subscription_discount but no `subscription` or `discount` table (both read as empty with
a warning), and a legacy `plan` beside `price`.

The story, with the MRR each piece must give (worked out in tests/test_loader_fivetran_stripe.py):
  cus_acme      annual EUR plan, 1,200 EUR/year, quantity 3, 20 % forever coupon, from 2024-01-10
  cus_globex    100 USD/month after a 14-day trial (2024-01-01 -> 01-15); cancelled on
                2024-02-20 at period end, so it ends on 2024-03-15; 4 history versions
  cus_initech   2 x 50 USD/month from 2024-01-05, upgraded on 2024-02-20 12:00 to 2 x 200
                (the old item is deleted: _fivetran_deleted; prorations mark the instant)
  cus_umbrella  500 GBP/month from 2024-01-01 with 100 GBP off for 2 months (an amount coupon)
  cus_hooli     a legacy plan billed every 3 months (300 USD) with 50 % off once, from 2024-02-01
  cus_stark     a subscription whose only item bills an unknown price, a one-off invoice
and rows that cannot be mapped, each with its quarantine reason.
"""

from __future__ import annotations

from typing import Any

from loader_warehouse import LoaderTable

SCHEMA = "stripe"
SYNCED = "2024-04-01 02:00:00"
LOADED = "2024-04-01 02:00:00+00"

CUSTOMER_COLUMNS = {
    "id": "text", "name": "text", "email": "text", "address_country": "text",
    "metadata": "jsonb", "created": "timestamp", "livemode": "boolean",
    "delinquent": "boolean", "_fivetran_synced": "timestamp",
}
SUBSCRIPTION_COLUMNS = {
    "id": "text", "customer_id": "text", "status": "text", "start_date": "timestamp",
    "created": "timestamp", "trial_start": "timestamp", "trial_end": "timestamp",
    "cancel_at_period_end": "boolean", "cancel_at": "timestamp", "canceled_at": "timestamp",
    "ended_at": "timestamp", "current_period_start": "timestamp",
    "current_period_end": "timestamp", "cancellation_details_feedback": "text",
    "livemode": "boolean", "metadata": "jsonb", "_fivetran_active": "boolean",
    "_fivetran_start": "timestamp", "_fivetran_end": "timestamp",
    "_fivetran_synced": "timestamp",
}
SUBSCRIPTION_ITEM_COLUMNS = {
    "id": "text", "subscription_id": "text", "plan_id": "text", "quantity": "integer",
    "created": "timestamp", "current_period_start": "timestamp",
    "current_period_end": "timestamp", "metadata": "jsonb", "_fivetran_deleted": "boolean",
    "_fivetran_synced": "timestamp",
}
PRICE_COLUMNS = {
    "id": "text", "active": "boolean", "billing_scheme": "text", "currency": "text",
    "unit_amount": "bigint", "recurring_interval": "text", "recurring_interval_count": "integer",
    "recurring_usage_type": "text", "product_id": "text", "metadata": "jsonb",
    "nickname": "text", "livemode": "boolean", "is_deleted": "boolean",
    "_fivetran_synced": "timestamp",
}
PLAN_COLUMNS = {
    "id": "text", "active": "boolean", "amount": "bigint", "currency": "text",
    "interval": "text", "interval_count": "integer", "usage_type": "text",
    "product_id": "text", "metadata": "jsonb", "nickname": "text", "livemode": "boolean",
    "is_deleted": "boolean", "_fivetran_synced": "timestamp",
}
PRODUCT_COLUMNS = {
    "id": "text", "name": "text", "active": "boolean", "metadata": "jsonb",
    "is_deleted": "boolean", "_fivetran_synced": "timestamp",
}
COUPON_COLUMNS = {
    "id": "text", "name": "text", "percent_off": "double precision", "amount_off": "bigint",
    "currency": "text", "duration": "text", "duration_in_months": "integer",
    "valid": "boolean", "_fivetran_synced": "timestamp",
}
SUBSCRIPTION_DISCOUNT_COLUMNS = {
    "id": "text", "subscription_id": "text", "customer_id": "text", "coupon_id": "text",
    "start": "timestamp", "end": "timestamp", "_fivetran_deleted": "boolean",
    "_fivetran_synced": "timestamp",
}
INVOICE_COLUMNS = {
    "id": "text", "customer_id": "text", "subscription_id": "text", "currency": "text",
    "amount_due": "bigint", "amount_paid": "bigint", "status": "text", "created": "timestamp",
    "due_date": "timestamp", "status_transitions_finalized_at": "timestamp",
    "status_transitions_paid_at": "timestamp", "billing_reason": "text",
    "livemode": "boolean", "is_deleted": "boolean", "_fivetran_synced": "timestamp",
}
INVOICE_LINE_ITEM_COLUMNS = {
    "id": "text", "invoice_id": "text", "subscription_id": "text",
    "subscription_item_id": "text", "price_id": "text", "plan_id": "text",
    "quantity": "integer", "amount": "bigint", "currency": "text", "description": "text",
    "period_start": "timestamp", "period_end": "timestamp", "proration": "boolean",
    "type": "text", "livemode": "boolean", "_fivetran_synced": "timestamp",
}
CHARGE_COLUMNS = {
    "id": "text", "customer_id": "text", "invoice_id": "text", "amount": "bigint",
    "currency": "text", "status": "text", "failure_code": "text", "paid": "boolean",
    "created": "timestamp", "livemode": "boolean", "_fivetran_synced": "timestamp",
}


CUSTOMERS = [
    {"id": "cus_acme", "name": "Acme GmbH", "email": "billing@acme.example",
     "address_country": "DE", "created": "2023-12-15 09:00:00",
     "metadata": {"segment": "mid_market", "signup_channel": "google_ads",
                  "company_size": "51-200", "credit_limit_usd": "5000"}},
    {"id": "cus_globex", "name": "Globex", "email": "ap@globex.example",
     "address_country": "US", "created": "2023-12-20 10:00:00", "metadata": {}},
    {"id": "cus_initech", "name": "Initech", "email": "finance@initech.example",
     "address_country": "US", "created": "2024-01-02 08:00:00",
     "metadata": {"plan_tier": "starter", "signup_channel": "referral"}},
    {"id": "cus_umbrella", "name": "Umbrella Ltd", "email": "accounts@umbrella.example",
     "address_country": "gb", "created": "2023-12-01 12:00:00",
     "metadata": {"segment": "enterprise", "company_size": "1000+"}},
    {"id": "cus_hooli", "name": "Hooli", "email": None, "address_country": "CA",
     "created": "2024-01-20 15:00:00", "metadata": None},
    # a region set by hand in metadata wins over the address country
    {"id": "cus_stark", "name": "Stark Industries", "email": "tony@stark.example",
     "address_country": "AU", "created": "2024-02-01 09:00:00", "metadata": {"region": "na"}},
    # a test-mode customer: set aside
    {"id": "cus_test", "name": "Test customer", "address_country": "US",
     "created": "2024-02-01 09:00:00", "livemode": False},
    # no region can be worked out (a country the seed does not list): unmapped_value
    {"id": "cus_nowhere", "name": "Nowhere Inc", "address_country": "ZZ",
     "created": "2024-02-01 09:00:00"},
]

PRODUCTS = [
    {"id": "prod_starter", "name": "Starter", "metadata": {"plan_tier": "starter"}},
    {"id": "prod_pro", "name": "Pro", "metadata": {"plan_tier": "professional"}},
    {"id": "prod_enterprise", "name": "Enterprise", "metadata": {"plan_tier": "enterprise"}},
]

PRICES = [
    {"id": "price_pro_eur_year", "currency": "eur", "unit_amount": 120000,
     "recurring_interval": "year", "recurring_interval_count": 1, "product_id": "prod_pro",
     "metadata": {"plan_tier": "professional"}},
    {"id": "price_starter_usd_50", "currency": "usd", "unit_amount": 5000,
     "recurring_interval": "month", "recurring_interval_count": 1,
     "product_id": "prod_starter", "metadata": {"plan_tier": "starter"}},
    {"id": "price_starter_usd_100", "currency": "usd", "unit_amount": 10000,
     "recurring_interval": "month", "recurring_interval_count": 1,
     "product_id": "prod_starter", "metadata": {"plan_tier": "starter"}},
    # no plan_tier on the price: the product's metadata gives professional
    {"id": "price_pro_usd_200", "currency": "usd", "unit_amount": 20000,
     "recurring_interval": "month", "recurring_interval_count": 1, "product_id": "prod_pro",
     "metadata": {}},
    {"id": "price_ent_gbp_500", "currency": "gbp", "unit_amount": 50000,
     "recurring_interval": "month", "recurring_interval_count": 1,
     "product_id": "prod_enterprise", "metadata": {"plan_tier": "enterprise"}},
]

PLANS = [
    # a legacy plan billed every 3 months: 300 USD a quarter = 100 USD a month
    {"id": "plan_hooli_quarterly", "amount": 30000, "currency": "usd", "interval": "month",
     "interval_count": 3, "product_id": "prod_starter", "metadata": {}},
    # Stripe mirrors a price as a plan with the same id: the price wins, this is set aside
    {"id": "price_starter_usd_50", "amount": 5000, "currency": "usd", "interval": "month",
     "interval_count": 1, "product_id": "prod_starter", "metadata": {}},
]

COUPONS = [
    {"id": "co_twenty_forever", "percent_off": 20.0, "duration": "forever"},
    {"id": "co_hundred_gbp_2m", "amount_off": 10000, "currency": "gbp",
     "duration": "repeating", "duration_in_months": 2},
    {"id": "co_half_once", "percent_off": 50.0, "duration": "once"},
]

SUBSCRIPTION_DISCOUNTS = [
    {"id": "di_acme", "subscription_id": "sub_acme", "customer_id": "cus_acme",
     "coupon_id": "co_twenty_forever", "start": "2024-01-10 00:00:00"},
    {"id": "di_umbrella", "subscription_id": "sub_umbrella", "customer_id": "cus_umbrella",
     "coupon_id": "co_hundred_gbp_2m", "start": "2024-01-01 00:00:00",
     "end": "2024-03-01 00:00:00"},
    {"id": "di_hooli", "subscription_id": "sub_hooli", "customer_id": "cus_hooli",
     "coupon_id": "co_half_once", "start": "2024-02-01 00:00:00"},
    # a discount removed before it ever counted: ignored (set aside)
    {"id": "di_removed", "subscription_id": "sub_globex", "customer_id": "cus_globex",
     "coupon_id": "co_half_once", "start": "2024-01-15 00:00:00", "_fivetran_deleted": True},
]


def _subscription(sub_id: str, customer: str, started: str, **fields: Any) -> dict[str, Any]:
    return {"id": sub_id, "customer_id": customer, "status": "active", "start_date": started,
            "created": started, "cancel_at_period_end": False, "_fivetran_active": True,
            "_fivetran_start": started, "metadata": {}, **fields}


GLOBEX = dict(start_date="2024-01-01 00:00:00", created="2024-01-01 00:00:00",
              trial_start="2024-01-01 00:00:00", trial_end="2024-01-15 00:00:00")

SUBSCRIPTION_HISTORY = [
    _subscription("sub_acme", "cus_acme", "2024-01-10 00:00:00",
                  current_period_start="2024-01-10 00:00:00",
                  current_period_end="2025-01-10 00:00:00"),
    # cus_globex: four versions, only the last is active (the others are set aside):
    # trialing, active, cancel requested on 02-20 for the period end, ended on 03-15
    {**_subscription("sub_globex", "cus_globex", "2024-01-01 00:00:00", **GLOBEX),
     "status": "trialing", "current_period_end": "2024-01-15 00:00:00",
     "_fivetran_active": False, "_fivetran_start": "2024-01-01 00:00:01",
     "_fivetran_end": "2024-01-15 00:00:00"},
    {**_subscription("sub_globex", "cus_globex", "2024-01-01 00:00:00", **GLOBEX),
     "current_period_start": "2024-01-15 00:00:00", "current_period_end": "2024-02-15 00:00:00",
     "_fivetran_active": False, "_fivetran_start": "2024-01-15 00:00:01",
     "_fivetran_end": "2024-02-20 10:00:00"},
    {**_subscription("sub_globex", "cus_globex", "2024-01-01 00:00:00", **GLOBEX),
     "current_period_start": "2024-02-15 00:00:00", "current_period_end": "2024-03-15 00:00:00",
     "cancel_at_period_end": True, "cancel_at": "2024-03-15 00:00:00",
     "canceled_at": "2024-02-20 10:00:00", "cancellation_details_feedback": "too_expensive",
     "_fivetran_active": False, "_fivetran_start": "2024-02-20 10:00:01",
     "_fivetran_end": "2024-03-15 00:00:01"},
    {**_subscription("sub_globex", "cus_globex", "2024-01-01 00:00:00", **GLOBEX),
     "status": "canceled", "current_period_start": "2024-02-15 00:00:00",
     "current_period_end": "2024-03-15 00:00:00", "cancel_at_period_end": True,
     "cancel_at": "2024-03-15 00:00:00", "canceled_at": "2024-02-20 10:00:00",
     "ended_at": "2024-03-15 00:00:00", "cancellation_details_feedback": "too_expensive",
     "_fivetran_start": "2024-03-15 00:00:02"},
    _subscription("sub_initech", "cus_initech", "2024-01-05 00:00:00",
                  current_period_start="2024-03-05 00:00:00",
                  current_period_end="2024-04-05 00:00:00"),
    _subscription("sub_umbrella", "cus_umbrella", "2024-01-01 00:00:00",
                  current_period_start="2024-03-01 00:00:00",
                  current_period_end="2024-04-01 00:00:00"),
    _subscription("sub_hooli", "cus_hooli", "2024-02-01 00:00:00",
                  current_period_start="2024-02-01 00:00:00",
                  current_period_end="2024-05-01 00:00:00"),
    _subscription("sub_stark", "cus_stark", "2024-02-01 00:00:00"),
    # the first payment never went through: set aside
    {**_subscription("sub_stark_incomplete", "cus_stark", "2024-02-03 00:00:00"),
     "status": "incomplete_expired"},
]

SUBSCRIPTION_ITEMS = [
    {"id": "si_acme", "subscription_id": "sub_acme", "plan_id": "price_pro_eur_year",
     "quantity": 3, "created": "2024-01-10 00:00:00"},
    {"id": "si_globex", "subscription_id": "sub_globex", "plan_id": "price_starter_usd_100",
     "quantity": 1, "created": "2024-01-01 00:00:00"},
    # the upgrade replaced the starter item by a pro item: the old one is deleted
    {"id": "si_initech_starter", "subscription_id": "sub_initech",
     "plan_id": "price_starter_usd_50", "quantity": 2, "created": "2024-01-05 00:00:00",
     "_fivetran_deleted": True},
    {"id": "si_initech_pro", "subscription_id": "sub_initech", "plan_id": "price_pro_usd_200",
     "quantity": 2, "created": "2024-02-20 12:00:00"},
    {"id": "si_umbrella", "subscription_id": "sub_umbrella", "plan_id": "price_ent_gbp_500",
     "quantity": 1, "created": "2024-01-01 00:00:00"},
    {"id": "si_hooli", "subscription_id": "sub_hooli", "plan_id": "plan_hooli_quarterly",
     "quantity": 1, "created": "2024-02-01 00:00:00"},
    # unmappable: a price nobody knows (unknown_price), a subscription that is not there
    # (missing_parent)
    {"id": "si_stark", "subscription_id": "sub_stark", "plan_id": "price_gone",
     "quantity": 1, "created": "2024-02-01 00:00:00"},
    {"id": "si_orphan", "subscription_id": "sub_missing", "plan_id": "price_starter_usd_50",
     "quantity": 1, "created": "2024-02-01 00:00:00"},
]


def _invoice(invoice_id: str, customer: str, subscription: str | None, currency: str,
             amount_due: int, created: str, status: str = "paid",
             paid_at: str | None = None) -> dict[str, Any]:
    return {"id": invoice_id, "customer_id": customer, "subscription_id": subscription,
            "currency": currency, "amount_due": amount_due,
            "amount_paid": amount_due if status == "paid" else 0, "status": status,
            "created": created, "status_transitions_finalized_at": created,
            "status_transitions_paid_at": (paid_at or created) if status == "paid" else None,
            "billing_reason": "subscription_cycle" if subscription else "manual"}


INVOICES = [
    _invoice("in_acme_1", "cus_acme", "sub_acme", "eur", 288000, "2024-01-10 00:00:00",
             paid_at="2024-01-10 01:05:00"),
    _invoice("in_globex_0", "cus_globex", "sub_globex", "usd", 0, "2024-01-01 00:00:00"),
    _invoice("in_globex_1", "cus_globex", "sub_globex", "usd", 10000, "2024-01-15 00:00:00",
             paid_at="2024-01-15 01:00:00"),
    _invoice("in_globex_2", "cus_globex", "sub_globex", "usd", 10000, "2024-02-15 00:00:00",
             paid_at="2024-02-18 09:00:00"),
    # a draft is not issued yet: set aside
    _invoice("in_globex_draft", "cus_globex", "sub_globex", "usd", 500, "2024-03-20 00:00:00",
             status="draft"),
    _invoice("in_initech_1", "cus_initech", "sub_initech", "usd", 10000, "2024-01-05 00:00:00"),
    _invoice("in_initech_2", "cus_initech", "sub_initech", "usd", 10000, "2024-02-05 00:00:00"),
    # prorations of the 02-20 upgrade plus the new period: 400 + 186.21 - 46.55
    _invoice("in_initech_3", "cus_initech", "sub_initech", "usd", 53966, "2024-03-05 00:00:00",
             status="open"),
    _invoice("in_umbrella_1", "cus_umbrella", "sub_umbrella", "gbp", 40000,
             "2024-01-01 00:00:00"),
    _invoice("in_umbrella_2", "cus_umbrella", "sub_umbrella", "gbp", 40000,
             "2024-02-01 00:00:00"),
    _invoice("in_umbrella_3", "cus_umbrella", "sub_umbrella", "gbp", 50000,
             "2024-03-01 00:00:00"),
    _invoice("in_hooli_1", "cus_hooli", "sub_hooli", "usd", 15000, "2024-02-01 00:00:00"),
    # a one-off invoice: the contract bills subscriptions only (missing_parent)
    _invoice("in_stark_oneoff", "cus_stark", None, "usd", 5000, "2024-03-10 00:00:00",
             status="open"),
]


def _line(line_id: str, invoice: str, subscription: str | None, item: str | None,
          price: str | None, quantity: int, amount: int, start: str, end: str, *,
          proration: bool = False, currency: str = "usd",
          plan: str | None = None) -> dict[str, Any]:
    return {"id": line_id, "invoice_id": invoice, "subscription_id": subscription,
            "subscription_item_id": item, "price_id": price, "plan_id": plan or price,
            "quantity": quantity, "amount": amount, "currency": currency,
            "period_start": start, "period_end": end, "proration": proration,
            "type": "invoiceitem" if proration or subscription is None else "subscription"}


INVOICE_LINE_ITEMS = [
    _line("il_acme_1", "in_acme_1", "sub_acme", "si_acme", "price_pro_eur_year", 3, 360000,
          "2024-01-10 00:00:00", "2025-01-10 00:00:00", currency="eur"),
    # the trial's $0 line: the paid period starts when the trial ends
    _line("il_globex_0", "in_globex_0", "sub_globex", "si_globex", "price_starter_usd_100", 1,
          0, "2024-01-01 00:00:00", "2024-01-15 00:00:00"),
    _line("il_globex_1", "in_globex_1", "sub_globex", "si_globex", "price_starter_usd_100", 1,
          10000, "2024-01-15 00:00:00", "2024-02-15 00:00:00"),
    _line("il_globex_2", "in_globex_2", "sub_globex", "si_globex", "price_starter_usd_100", 1,
          10000, "2024-02-15 00:00:00", "2024-03-15 00:00:00"),
    _line("il_initech_1", "in_initech_1", "sub_initech", "si_initech_starter",
          "price_starter_usd_50", 2, 10000, "2024-01-05 00:00:00", "2024-02-05 00:00:00"),
    _line("il_initech_2", "in_initech_2", "sub_initech", "si_initech_starter",
          "price_starter_usd_50", 2, 10000, "2024-02-05 00:00:00", "2024-03-05 00:00:00"),
    # the upgrade on 02-20 12:00: a credit for the unused starter time, a charge for pro
    _line("il_initech_3a", "in_initech_3", "sub_initech", "si_initech_starter",
          "price_starter_usd_50", 2, -4655, "2024-02-20 12:00:00", "2024-03-05 00:00:00",
          proration=True),
    _line("il_initech_3b", "in_initech_3", "sub_initech", "si_initech_pro",
          "price_pro_usd_200", 2, 18621, "2024-02-20 12:00:00", "2024-03-05 00:00:00",
          proration=True),
    _line("il_initech_3c", "in_initech_3", "sub_initech", "si_initech_pro",
          "price_pro_usd_200", 2, 40000, "2024-03-05 00:00:00", "2024-04-05 00:00:00"),
    _line("il_umbrella_1", "in_umbrella_1", "sub_umbrella", "si_umbrella", "price_ent_gbp_500",
          1, 50000, "2024-01-01 00:00:00", "2024-02-01 00:00:00", currency="gbp"),
    _line("il_umbrella_2", "in_umbrella_2", "sub_umbrella", "si_umbrella", "price_ent_gbp_500",
          1, 50000, "2024-02-01 00:00:00", "2024-03-01 00:00:00", currency="gbp"),
    _line("il_umbrella_3", "in_umbrella_3", "sub_umbrella", "si_umbrella", "price_ent_gbp_500",
          1, 50000, "2024-03-01 00:00:00", "2024-04-01 00:00:00", currency="gbp"),
    # a legacy line: the plan id only
    _line("il_hooli_1", "in_hooli_1", "sub_hooli", "si_hooli", None, 1, 30000,
          "2024-02-01 00:00:00", "2024-05-01 00:00:00", plan="plan_hooli_quarterly"),
    # a one-off line (no subscription): set aside
    _line("il_stark_oneoff", "in_stark_oneoff", None, None, None, 1, 5000,
          "2024-03-10 00:00:00", "2024-03-10 00:00:00"),
    # a line of a subscription that is not there: missing_parent
    _line("il_orphan", "in_stark_oneoff", "sub_missing", "si_orphan", "price_starter_usd_50", 1,
          0, "2024-03-10 00:00:00", "2024-04-10 00:00:00"),
]


def _charge(charge_id: str, customer: str | None, invoice: str | None, amount: int,
            currency: str, status: str, created: str,
            failure_code: str | None = None) -> dict[str, Any]:
    return {"id": charge_id, "customer_id": customer, "invoice_id": invoice, "amount": amount,
            "currency": currency, "status": status, "failure_code": failure_code,
            "paid": status == "succeeded", "created": created}


CHARGES = [
    _charge("ch_acme_1", "cus_acme", "in_acme_1", 288000, "eur", "succeeded",
            "2024-01-10 01:05:00"),
    _charge("ch_globex_1", "cus_globex", "in_globex_1", 10000, "usd", "succeeded",
            "2024-01-15 01:00:00"),
    # a dunning retry: the first attempt fails, the second one pays
    _charge("ch_globex_2a", "cus_globex", "in_globex_2", 10000, "usd", "failed",
            "2024-02-15 01:00:00", failure_code="card_declined"),
    _charge("ch_globex_2b", "cus_globex", "in_globex_2", 10000, "usd", "succeeded",
            "2024-02-18 09:00:00"),
    _charge("ch_initech_3", "cus_initech", "in_initech_3", 53966, "usd", "failed",
            "2024-03-05 01:00:00", failure_code="insufficient_funds"),
    _charge("ch_umbrella_1", "cus_umbrella", "in_umbrella_1", 40000, "gbp", "succeeded",
            "2024-01-01 01:00:00"),
    # unmappable: no customer (no_account); still pending (unmapped_value)
    _charge("ch_no_customer", None, None, 1000, "usd", "succeeded", "2024-03-12 10:00:00"),
    _charge("ch_pending", "cus_hooli", "in_hooli_1", 15000, "usd", "pending",
            "2024-02-01 01:00:00"),
]


def _table(name: str, columns: dict[str, str], rows: list[dict[str, Any]]) -> LoaderTable:
    defaults: dict[str, Any] = {"_fivetran_synced": SYNCED}
    if "livemode" in columns:
        defaults["livemode"] = True
    if "_fivetran_deleted" in columns:
        defaults["_fivetran_deleted"] = False
    return LoaderTable(SCHEMA, name, columns, [{**defaults, **row} for row in rows])


TABLES = [
    _table("customer", CUSTOMER_COLUMNS, CUSTOMERS),
    _table("subscription_history", SUBSCRIPTION_COLUMNS, SUBSCRIPTION_HISTORY),
    _table("subscription_item", SUBSCRIPTION_ITEM_COLUMNS, SUBSCRIPTION_ITEMS),
    _table("price", PRICE_COLUMNS, PRICES),
    _table("plan", PLAN_COLUMNS, PLANS),
    _table("product", PRODUCT_COLUMNS, PRODUCTS),
    _table("coupon", COUPON_COLUMNS, COUPONS),
    _table("subscription_discount", SUBSCRIPTION_DISCOUNT_COLUMNS, SUBSCRIPTION_DISCOUNTS),
    _table("invoice", INVOICE_COLUMNS, INVOICES),
    _table("invoice_line_item", INVOICE_LINE_ITEM_COLUMNS, INVOICE_LINE_ITEMS),
    _table("charge", CHARGE_COLUMNS, CHARGES),
]

# Stripe lands no daily exchange rates: the team loads the contract's table by hand.
# EUR: 1.10 from 2023-12-01, 1.20 from 2024-02-01; GBP: 1.25, then 1.30 from 2024-02-15.
CONTRACT_TABLES = {
    "billing.exchange_rates": [
        {"currency": currency, "rate_date": day, "usd_per_unit": rate, "_loaded_at": LOADED}
        for currency, day, rate in [
            ("EUR", "2023-12-01", 1.10), ("EUR", "2024-02-01", 1.20),
            ("GBP", "2023-12-01", 1.25), ("GBP", "2024-02-15", 1.30),
        ]
    ],
}
