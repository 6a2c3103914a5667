"""The segment loader's fixture: a Segment source's warehouse tables (users, identifies,
tracks, pages) in Segment's real shape and column names, for the hand-worked tests in
tests/test_loader_segment.py (docs/loaders/segment.md has the same example).

Users (traits as columns; the account trait holds the Stripe customer id of ACCOUNT_KEYS):
    u_ada  cus_acme    admin    signed up 2024-01-10 (createdAt trait)
    u_bob  cus_acme    (none -> member)  no createdAt: signed up at his first identify,
                                         2024-03-29 23:45; activated 23:55
    u_cy   cus_globex  Viewer -> viewer  2024-02-15
    u_eve  cus_globex  member            2024-02-28 (two copies of her row: the latest wins)
    u_dee  no account trait              -> quarantined no_account, and her calls too

Calls of mapped users, and the sessions they make (30 min inactivity gap, per platform):
    u_ada desktop  03-30 10:00 page, 10:20 report_exported  -> session 1, 1200 s
                   03-30 11:05 report_scheduled (45 min gap) -> session 2, 0 s
                   03-31 10:05 page                          -> session 3, 0 s
    u_ada mobile   03-31 10:00 alert_created (Android)       -> session 4, 0 s
    u_bob mobile   03-29 23:50 alert_created, 23:55 onboarding_completed,
                   03-30 00:10 app_opened (iOS)              -> session 5 on 03-29, 1200 s
    u_bob desktop  03-31 08:00 page                          -> session 6, 0 s
    u_cy desktop   03-05 12:00 page                          -> session 7, 0 s
                   03-31 09:00 page, 09:30 report_exported (exactly 30 min: same session)
                                                             -> session 8, 1800 s
    u_eve desktop  03-01 12:00 page                          -> session 9, 0 s

Rows that cannot be mapped: anonymous calls (no user_id) -> no_user; u_dee's calls ->
no_account; a track of u_ghost, who is not in users -> missing_parent. One track is
delivered twice (same message id) and collapses.
"""

from __future__ import annotations

import hashlib

from loader_warehouse import ACCOUNT_KEYS, LoaderTable, selected_loaders

SCHEMA = "segment"
ACME, GLOBEX = ACCOUNT_KEYS[0], ACCOUNT_KEYS[1]

DESKTOP_AGENT = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
                 "(KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36")
WINDOWS_AGENT = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                 "(KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36")
IOS = {"context_device_type": "ios", "context_os_name": "iOS",
       "context_library_name": "analytics-ios"}
ANDROID = {"context_device_type": "android", "context_os_name": "Android",
           "context_library_name": "analytics-android"}
WEB = {"context_user_agent": DESKTOP_AGENT, "context_library_name": "analytics.js"}


def text_key_to_id(key: str) -> int:
    """The contract id a Segment or Stripe key maps to (macros/loaders/loaders.sql)."""
    return int(hashlib.md5(key.encode()).hexdigest()[:15], 16)


def _received(timestamp: str, seconds: int = 2) -> str:
    """Segment receives a call a moment after it happens (same minute in the fixture)."""
    return f"{timestamp[:17]}{seconds:02d}"


USERS_COLUMNS = {
    "id": "text", "received_at": "timestamp", "uuid_ts": "timestamp",
    "account_id": "text", "role": "text", "email": "text", "name": "text",
    "created_at": "timestamp", "plan": "text", "context_library_name": "text",
}
USERS_ROWS = [
    {"id": "u_ada", "account_id": ACME, "role": "admin", "email": "ada@acme.example",
     "name": "Ada Lovelace", "created_at": "2024-01-10 09:00:00", "plan": "professional",
     "received_at": "2024-03-30 09:59:02", "uuid_ts": "2024-03-30 10:30:00"},
    {"id": "u_bob", "account_id": ACME, "email": "bob@acme.example", "name": "Bob Byte",
     "received_at": "2024-03-31 07:59:02", "uuid_ts": "2024-03-31 08:30:00"},
    {"id": "u_cy", "account_id": GLOBEX, "role": "Viewer", "email": "cy@globex.example",
     "created_at": "2024-02-15 12:00:00",
     "received_at": "2024-03-05 11:59:02", "uuid_ts": "2024-03-05 12:30:00"},
    # the older copy says viewer; the latest received one (member) wins
    {"id": "u_eve", "account_id": GLOBEX, "role": "viewer", "created_at": "2024-02-28 08:00:00",
     "received_at": "2024-02-28 08:00:02", "uuid_ts": "2024-02-28 08:30:00"},
    {"id": "u_eve", "account_id": GLOBEX, "role": "member", "created_at": "2024-02-28 08:00:00",
     "received_at": "2024-03-01 11:59:02", "uuid_ts": "2024-03-01 12:30:00"},
    # no account trait: cannot be tied to a billing account
    {"id": "u_dee", "role": "member", "email": "dee@nowhere.example",
     "created_at": "2024-03-20 09:00:00",
     "received_at": "2024-03-20 10:00:02", "uuid_ts": "2024-03-20 10:30:00"},
]

CALL_COLUMNS = {
    "id": "text", "anonymous_id": "text", "user_id": "text", "timestamp": "timestamp",
    "received_at": "timestamp", "sent_at": "timestamp", "original_timestamp": "timestamp",
    "uuid_ts": "timestamp", "context_library_name": "text", "context_ip": "text",
    "context_user_agent": "text", "context_device_type": "text", "context_os_name": "text",
}


def _call(message_id: str, user_id: str | None, timestamp: str, context: dict,
          received_seconds: int = 2, **columns) -> dict:
    return {"id": message_id, "anonymous_id": f"anon-{user_id or 'visitor'}",
            "user_id": user_id, "timestamp": timestamp,
            "received_at": _received(timestamp, received_seconds),
            "sent_at": _received(timestamp, 1), "original_timestamp": timestamp,
            "uuid_ts": _received(timestamp, 30), "context_ip": "203.0.113.7",
            **context, **columns}


IDENTIFIES_ROWS = [
    # u_bob's first identify is his signup (no createdAt trait)
    _call("idf-1", "u_bob", "2024-03-29 23:45:00", IOS, email="bob@acme.example"),
    _call("idf-2", "u_bob", "2024-03-31 07:59:00", WEB, email="bob@acme.example"),
    _call("idf-3", "u_ada", "2024-03-30 09:59:00", WEB, email="ada@acme.example"),
    _call("idf-4", "u_dee", "2024-03-20 10:00:00", WEB, email="dee@nowhere.example"),
    # an anonymous identify (traits of a visitor, no user id)
    _call("idf-5", None, "2024-03-28 14:00:00", WEB),
]


def _track(message_id: str, user_id: str | None, timestamp: str, event: str, context: dict,
           **columns) -> dict:
    event_text = event.replace("_", " ").title()
    return _call(message_id, user_id, timestamp, context, event=event, event_text=event_text,
                 **columns)


TRACKS_ROWS = [
    _track("trk-1", "u_ada", "2024-03-30 10:20:00", "report_exported", WEB),
    _track("trk-2", "u_ada", "2024-03-30 11:05:00", "report_scheduled", WEB),
    # Segment delivered trk-2 twice: the second copy collapses
    _track("trk-2", "u_ada", "2024-03-30 11:05:00", "report_scheduled", WEB,
           received_seconds=9),
    _track("trk-3", "u_bob", "2024-03-29 23:50:00", "alert_created", IOS),
    _track("trk-4", "u_bob", "2024-03-29 23:55:00", "onboarding_completed", IOS),
    _track("trk-5", "u_bob", "2024-03-30 00:10:00", "app_opened", IOS),
    _track("trk-6", "u_cy", "2024-03-31 09:30:00", "report_exported", WEB),
    _track("trk-7", "u_ada", "2024-03-31 10:00:00", "alert_created", ANDROID),
    # cannot be mapped
    _track("trk-8", None, "2024-03-31 07:00:00", "signup_started", WEB),
    _track("trk-9", "u_dee", "2024-03-20 10:05:00", "report_exported", WEB),
    _track("trk-10", "u_ghost", "2024-03-31 11:00:00", "report_exported", WEB),
]


def _page(message_id: str, user_id: str | None, timestamp: str, path: str,
          context: dict | None = None) -> dict:
    return _call(message_id, user_id, timestamp, context or WEB, path=path,
                 url=f"https://app.example.com{path}", title=path.strip("/").title(),
                 name=path.strip("/").title(), referrer=None)


PAGES_ROWS = [
    _page("pg-1", "u_ada", "2024-03-30 10:00:00", "/dashboard"),
    _page("pg-2", "u_bob", "2024-03-31 08:00:00", "/alerts",
          {"context_user_agent": WINDOWS_AGENT, "context_library_name": "analytics.js"}),
    _page("pg-3", "u_cy", "2024-03-31 09:00:00", "/reports"),
    _page("pg-4", "u_cy", "2024-03-05 12:00:00", "/home"),
    _page("pg-5", "u_eve", "2024-03-01 12:00:00", "/home"),
    _page("pg-6", "u_ada", "2024-03-31 10:05:00", "/dashboard"),
    # an anonymous visitor on the pricing page
    _page("pg-7", None, "2024-03-31 06:55:00", "/pricing"),
]

TABLES = [
    LoaderTable(SCHEMA, "users", USERS_COLUMNS, USERS_ROWS),
    LoaderTable(SCHEMA, "identifies", {**CALL_COLUMNS, "email": "text"}, IDENTIFIES_ROWS),
    LoaderTable(SCHEMA, "tracks", {**CALL_COLUMNS, "event": "text", "event_text": "text"},
                TRACKS_ROWS),
    LoaderTable(SCHEMA, "pages", {**CALL_COLUMNS, "path": "text", "url": "text",
                                  "title": "text", "name": "text", "referrer": "text"},
                PAGES_ROWS),
]

# the product's activation checklist ends with this track event
DBT_VARS = {"segment_activation_event": "onboarding_completed"}

# Users and sessions point at billing accounts. With the Stripe loader in the same build
# they come from Stripe; built alone, the two accounts are loaded by hand.
CONTRACT_TABLES = {} if "fivetran_stripe" in selected_loaders() else {
    "billing.accounts": [
        {"account_id": text_key_to_id(key), "account_name": name, "plan_tier": "professional",
         "signup_channel": "organic", "region": "na", "segment": "smb",
         "created_at": "2023-12-01 00:00:00+00", "_loaded_at": "2024-03-31 23:00:00+00"}
        for key, name in [(ACME, "Acme"), (GLOBEX, "Globex")]
    ],
}
