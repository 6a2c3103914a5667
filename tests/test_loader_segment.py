"""The segment loader mapping (docs/loaders/segment.md), end to end on both engines.

A Segment source's warehouse tables (tests/loaders/segment.py, whose docstring lists every
call and the session it falls in) go through the mapping, staging and the marts. Every
expected value below is worked out by hand from that fixture: sessions are cut at gaps of
more than 30 minutes per user and platform, count on the day they start, and last from
their first call to their last (0 s for a single call).
"""

from __future__ import annotations

import datetime as dt

import pytest
from loader_warehouse import AS_OF, LoaderTable, load_loader_tables, loaders_warehouse
from loaders import segment as fixture

from conftest import Warehouse

pytestmark = pytest.mark.slow

D = dt.date


@pytest.fixture(params=["duckdb", "postgres"])
def engine(request) -> str:
    return request.param


@pytest.fixture
def warehouse(request, tmp_path_factory, engine) -> Warehouse:
    return loaders_warehouse(request, tmp_path_factory, engine)


def _product(warehouse: Warehouse, day: dt.date, *columns: str) -> tuple:
    mark = "%s" if warehouse.target == "postgres" else "?"
    rows = warehouse.query(f"select {', '.join(columns)} from metrics_product_analytics "
                           f"where metric_date = {mark}", (day,))
    assert len(rows) == 1, f"no product metrics row for {day}"
    return tuple(rows[0])


# day -> (DAU, WAU, MAU). Active days: u_eve 03-01; u_cy 03-05 and 03-31; u_bob 03-29
# (his 03-30 00:10 call belongs to the session that started 03-29 23:50) and 03-31;
# u_ada 03-30 and 03-31. WAU is the 7 days ending on the day, MAU the 30 days.
ACTIVE_USERS = {
    D(2024, 3, 1): (1, 1, 1),    # u_eve
    D(2024, 3, 5): (1, 2, 2),    # u_cy; week 02-28..03-05 also has u_eve
    D(2024, 3, 29): (1, 1, 3),   # u_bob; month 02-29..03-29: u_eve, u_cy, u_bob
    D(2024, 3, 30): (1, 2, 4),   # u_ada alone (not u_bob); week: u_bob, u_ada; month: all 4
    D(2024, 3, 31): (3, 3, 3),   # u_ada, u_bob, u_cy; month 03-02..03-31 drops u_eve
}


@pytest.mark.parametrize("day", sorted(ACTIVE_USERS))
def test_dau_wau_mau_count_the_users_of_gap_split_sessions(warehouse, day):
    assert _product(warehouse, day, "daily_active_users", "weekly_active_users",
                    "monthly_active_users") == ACTIVE_USERS[day]


# day -> (sessions per user, average session minutes, desktop %, mobile %)
SESSIONS = {
    # u_bob's mobile session 23:50 -> 00:10 (gaps of 5 and 15 min): 1 session of 1200 s
    D(2024, 3, 29): (1.0, 20.0, 0.0, 100.0),
    # u_ada: 10:00, 10:20, then 11:05 after 45 min -> 2 sessions (1200 s, 0 s) / 1 user
    D(2024, 3, 30): (2.0, 10.0, 100.0, 0.0),
    # u_ada desktop 10:05 (0 s) and mobile 10:00 (0 s) are two sessions; u_bob 08:00 (0 s);
    # u_cy 09:00 and 09:30, exactly 30 min apart, stay one session (1800 s):
    # 4 sessions / 3 users; 1800 / 4 = 450 s = 7.5 min; 3 of 4 on desktop
    D(2024, 3, 31): (4 / 3, 7.5, 75.0, 25.0),
}


@pytest.mark.parametrize("day", sorted(SESSIONS))
def test_sessions_per_user_and_durations_follow_the_inactivity_gap(warehouse, day):
    actual = _product(warehouse, day, "sessions_per_user", "avg_session_duration",
                      "desktop_usage_pct", "mobile_usage_pct")
    assert actual == pytest.approx(SESSIONS[day])


def test_every_call_of_a_mapped_user_lands_in_one_session(warehouse):
    # 9 sessions (fixture docstring); their durations add up to 1200 + 1200 + 1800 s
    sessions, seconds = warehouse.query(
        "select count(*), sum(duration_seconds) from staging.stg_activity__sessions")[0]
    assert (sessions, seconds) == (9, 4200)


# day -> average distinct features used per active user. The seed maps report_exported and
# report_scheduled to reports, alert_created to alerts; other events are no feature use.
FEATURES_USED = {
    D(2024, 3, 29): 1.0,     # u_bob: alert_created (onboarding_completed is not a feature)
    D(2024, 3, 30): 1.0,     # u_ada: report_exported + report_scheduled = reports only
    D(2024, 3, 31): 2 / 3,   # u_ada alerts, u_cy reports, u_bob nothing
}


@pytest.mark.parametrize("day", sorted(FEATURES_USED))
def test_feature_use_comes_from_track_events_mapped_through_the_seed(warehouse, day):
    assert _product(warehouse, day, "avg_features_used_per_user")[0] == pytest.approx(
        FEATURES_USED[day])


def test_features_are_the_seeds_distinct_feature_keys(warehouse):
    rows = warehouse.query(
        "select feature_key, feature_name, is_core from staging.stg_activity__features "
        "order by feature_key")
    assert [tuple(row) for row in rows] == [("alerts", "Alerts", False),
                                            ("reports", "Reports", True)]
    # trk-1, trk-2 (its second copy collapsed), trk-3, trk-6, trk-7
    events = warehouse.query(
        "select feature_key, count(*) from staging.stg_activity__feature_events "
        "group by feature_key order by feature_key")
    assert [tuple(row) for row in events] == [("alerts", 2), ("reports", 3)]


def test_signup_falls_back_to_the_first_identify_and_activation_to_the_named_event(warehouse):
    # u_bob has no createdAt trait: he signed up at his first identify (03-29 23:45) and
    # activated with onboarding_completed at 23:55; nobody else signed up or activated then
    assert _product(warehouse, D(2024, 3, 29), "signups", "activated_users") == (1, 1)
    # u_eve (createdAt 2024-02-28) signed up once although her users row came twice
    assert _product(warehouse, D(2024, 2, 28), "signups", "activated_users") == (1, 0)


def test_user_roles_come_from_the_role_trait_with_member_by_default(warehouse):
    rows = warehouse.query("select role, count(*) from staging.stg_activity__users group by role "
                           "order by role")
    # u_ada admin; u_bob no trait -> member; u_eve member (latest copy); u_cy Viewer -> viewer
    assert [tuple(row) for row in rows] == [("admin", 1), ("member", 2), ("viewer", 1)]


def test_users_belong_to_the_billing_account_of_their_account_trait(warehouse):
    rows = warehouse.query("select account_id, count(*) from staging.stg_activity__users "
                           "group by account_id")
    assert dict(rows) == {fixture.text_key_to_id(fixture.ACME): 2,
                          fixture.text_key_to_id(fixture.GLOBEX): 2}


EXPECTED_QUARANTINE = sorted([
    ("segment.users", "u_dee", "no_account"),
    ("segment.identifies", "idf-4", "no_account"),
    ("segment.identifies", "idf-5", "no_user"),
    ("segment.tracks", "trk-8", "no_user"),
    ("segment.tracks", "trk-9", "no_account"),
    ("segment.tracks", "trk-10", "missing_parent"),
    ("segment.pages", "pg-7", "no_user"),
])


def test_unmappable_segment_rows_are_quarantined_with_their_reason(warehouse):
    rows = warehouse.query(
        "select source_table, record_key, quarantine_reason from staging.stg_quarantined_rows "
        "where source_table like 'segment.%'")
    assert sorted(tuple(row) for row in rows) == EXPECTED_QUARANTINE


def test_quarantine_text_hashes_personal_traits(warehouse):
    text = warehouse.query(
        "select record_text from staging.stg_quarantined_rows where source_table = 'segment.users'")[0][0]
    assert "dee@nowhere.example" not in text and "email=" in text


def test_the_mapping_produces_rows_staging_accepts(warehouse):
    # every contract row the mapping writes passes staging's rules
    rows = warehouse.query(
        "select source_table, quarantine_reason from staging.stg_quarantined_rows "
        "where source_table in ('activity.users', 'activity.sessions', 'activity.features', "
        "'activity.feature_events')")
    assert rows == []


# loader table -> (raw, staged, collapsed, quarantined), counted by hand from the fixture
RECONCILIATION = {
    "segment.users": (6, 4, 1, 1),        # u_eve twice; u_dee no account
    "segment.identifies": (5, 3, 0, 2),   # idf-4 (u_dee), idf-5 (anonymous)
    "segment.tracks": (11, 7, 1, 3),      # trk-2 twice; trk-8, trk-9, trk-10
    "segment.pages": (7, 6, 0, 1),        # pg-7 anonymous
}


def test_row_reconciliation_accounts_for_every_segment_row(warehouse):
    rows = warehouse.query(
        "select source_table, raw_rows, staged_rows, collapsed_duplicate_rows, "
        "quarantined_rows, unaccounted_rows from staging.stg_row_reconciliation "
        "where source_table like 'segment.%' or source_table in "
        "('activity.users', 'activity.sessions', 'activity.features', 'activity.feature_events')")
    by_table = {row[0]: tuple(row[1:]) for row in rows}
    for table, counts in RECONCILIATION.items():
        assert by_table[table] == (*counts, 0), table
    # the contract tables the mapping writes: 4 users, 9 sessions, 2 features, 5 uses
    assert by_table["activity.users"] == (4, 4, 0, 0, 0)
    assert by_table["activity.sessions"] == (9, 9, 0, 0, 0)
    assert by_table["activity.features"] == (2, 2, 0, 0, 0)
    assert by_table["activity.feature_events"] == (5, 5, 0, 0, 0)


def test_a_missing_table_reads_as_empty_and_the_account_trait_is_named_by_a_var(tmp_path):
    """A small DuckDB build of the mapping alone: without a pages table it still builds
    (sessions come from tracks alone), and a team whose account trait is another column
    (billing_customer_id) names it with var segment_account_trait."""
    env = {"METRICS_DUCKDB_PATH": str(tmp_path / "warehouse.duckdb")}
    renamed = {"account_id": "billing_customer_id"}
    users = next(table for table in fixture.TABLES if table.name == "users")
    users = LoaderTable(
        users.schema, users.name,
        {renamed.get(name, name): data_type for name, data_type in users.columns.items()},
        [{renamed.get(name, name): value for name, value in row.items()} for row in users.rows])
    calls = [table for table in fixture.TABLES if table.name not in ("pages", "users")]
    load_loader_tables("duckdb", env, [users, *calls])
    warehouse = Warehouse(name="segment_no_pages", target="duckdb", env=env,
                          target_path=tmp_path / "target", manifest={}, as_of=AS_OF,
                          dbt_vars={"activity_loader": "segment",
                                    "segment_account_trait": "billing_customer_id",
                                    **fixture.DBT_VARS})
    result = warehouse.dbt(["build", "--select", "segment_event_features",
                            "models/loaders/segment"])
    assert "Raw table segment.pages" in result.stdout and "does not exist" in result.stdout
    # the same 4 users as with the default trait name (u_dee still has no account)
    users_by_account = warehouse.query(
        "select account_id, count(*) from loaders.segment__users group by account_id")
    assert dict(users_by_account) == {fixture.text_key_to_id(fixture.ACME): 2,
                                      fixture.text_key_to_id(fixture.GLOBEX): 2}
    # without pages: u_ada desktop 10:20 and 11:05 (2 sessions), u_ada mobile (1), u_bob
    # mobile (1), u_cy 09:30 (1); the page-only sessions of u_bob, u_cy and u_eve are gone
    sessions = warehouse.query("select count(*) from loaders.segment__sessions")[0][0]
    assert sessions == 5
    reconciliation = warehouse.query(
        "select source_table, raw_rows, staged_rows, collapsed_duplicate_rows, "
        "quarantined_rows from loaders.segment__row_reconciliation order by source_table")
    assert [tuple(row) for row in reconciliation] == [
        ("segment.identifies", 5, 3, 0, 2), ("segment.pages", 0, 0, 0, 0),
        ("segment.tracks", 11, 7, 1, 3), ("segment.users", 6, 4, 1, 1)]
