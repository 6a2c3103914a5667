"""Row-level access on PostgreSQL: every public table shows each reader exactly the rows of
its scope, no more and no fewer, and nothing at all without a scope (deny by default).

The expected rows are computed here, independently of the policies and of
int_access_scope_entities: the account and rep dimension (staging) and the account owners
(int_accounts_assigned_to_reps) are read as the owner and the scope rule is applied in
Python, then each table is read as the owner and filtered by the rule this file writes
down per table. Readers are created with the `saas-metrics reader add` command.
Each table is compared as row counts per entity key (account, rep, entity), read with one
`group by` query per table and role.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

import psycopg2
import pytest
from typer.testing import CliRunner

from conftest import Warehouse
from saas_metrics.cli import app
from saas_metrics.quality.public_models import load_manifest, public_models
from saas_metrics.quality.roles import create_reader_login
from saas_metrics.quality.row_access import set_reader_scope
from saas_metrics.warehouse import connect_postgres

pytestmark = pytest.mark.postgres

ACCOUNT_TABLES = ("metrics_customer_success", "metrics_mrr_movements",
                  "metrics_mrr_movements_monthly")
COMPANY_WIDE_TABLES = ("marketing_landing_pages_daily", "metrics_marketing",
                       "metrics_cohort_retention", "metrics_experiments",
                       "metrics_product_analytics", "metrics_data_quality",
                       "sales_pipeline_by_stage", "metrics_company_overview")


class Visible:
    """What one reader may see: `all`, or sets of account ids and rep ids (as text)."""

    def __init__(self, everything: bool, accounts: set[str], reps: set[str]):
        self.everything, self.accounts, self.reps = everything, accounts, reps


# table -> (the key columns to count rows by, is a key visible to a reader?)
Rule = tuple[str, Callable[[tuple, Visible], bool]]
RULES: dict[str, Rule] = {
    **{table: ("account_id::text", lambda key, v: v.everything or key[0] in v.accounts)
       for table in ACCOUNT_TABLES},
    "metrics_sales": ("rep_id::text", lambda key, v: v.everything or key[0] in v.reps),
    "sales_open_deals": ("account_id::text, rep_id::text",
                         lambda key, v: v.everything or key[0] in v.accounts
                         or key[1] in v.reps),
    **{table: ("entity_type, entity_id", lambda key, v: v.everything
               or (key[0] == "account" and key[1] in v.accounts)
               or (key[0] == "sales_rep" and key[1] in v.reps))
       for table in ("metrics_unified_domains", "metrics_api")},
    # alerts: `scope` is the domain of an entity alert, or company
    "metrics_alerts": ("scope, entity_id", lambda key, v: v.everything
                       or (key[0] == "customer_success" and key[1] in v.accounts)
                       or (key[0] == "sales" and key[1] in v.reps)),
    **{table: ("'company'", lambda key, v: v.everything) for table in COMPANY_WIDE_TABLES},
}


def _counts(conn, table: str, keys: str) -> dict[tuple, int]:
    with conn.cursor() as cur:
        positions = ", ".join(str(index + 1) for index in range(keys.count(",") + 1))
        cur.execute(f"select {keys}, count(*) from metrics.{table} group by {positions}")
        return {tuple(row[:-1]): row[-1] for row in cur.fetchall()}


def _connect_as(warehouse: Warehouse, user: str, password: str):
    conn = psycopg2.connect(host=warehouse.env["PGHOST"], port=warehouse.env["PGPORT"],
                            dbname=warehouse.env["PGDATABASE"], user=user, password=password)
    conn.autocommit = True
    return conn


def _reader_add(warehouse: Warehouse, args: list[str], password: str = "") -> object:
    env = {**warehouse.env, "RLS_TEST_PASSWORD": password}
    return CliRunner().invoke(app, ["reader", "add", *args, "--target", "postgres",
                                    *(["--password-env", "RLS_TEST_PASSWORD"] if password
                                      else [])], env=env)


@pytest.fixture(scope="module")
def dimension(postgres_warehouse: Warehouse) -> dict[str, dict[str, dict]]:
    """Accounts and reps with their attributes, from staging (not the access model)."""
    accounts = {str(account_id): {"region": region, "segment": segment, "team": None}
                for account_id, region, segment in postgres_warehouse.query(
                    "select account_id, region, segment from staging.stg_billing__accounts")}
    reps = {str(rep_id): {"region": region, "team": team} for rep_id, region, team in
            postgres_warehouse.query("select rep_id, region, team "
                                     "from staging.stg_crm__sales_reps")}
    for account_id, rep_id in postgres_warehouse.query(
            "select account_id, rep_id from intermediate.int_accounts_assigned_to_reps"):
        accounts[str(account_id)]["team"] = reps[str(rep_id)]["team"]
    return {"accounts": accounts, "reps": reps}


def _visible(dimension, scope: dict[str, list[str]]) -> Visible:
    if "all" in scope:
        return Visible(True, set(dimension["accounts"]), set(dimension["reps"]))

    def names(attributes: dict, entity_id: str, kind: str) -> bool:
        return (attributes.get("region") in scope.get("region", ())
                or (kind == "account" and attributes.get("segment") in scope.get("segment", ()))
                or attributes.get("team") in scope.get("team", ())
                or (kind == "account" and entity_id in scope.get("account", ())))

    return Visible(False,
                   {i for i, a in dimension["accounts"].items() if names(a, i, "account")},
                   {i for i, a in dimension["reps"].items() if names(a, i, "rep")})


@pytest.fixture(scope="module")
def readers(postgres_warehouse: Warehouse, dimension) -> dict[str, tuple[dict, object]]:
    """Logins made with `saas-metrics reader add`: name -> (scope, connection)."""
    team = sorted({rep["team"] for rep in dimension["reps"].values()})[0]
    segment = sorted({account["segment"] for account in dimension["accounts"].values()})[-1]
    two_accounts = sorted(dimension["accounts"], key=int)[:2]
    scopes = {
        "rls_all": {"all": [""]},
        "rls_region_emea": {"region": ["emea"]},
        "rls_team": {"team": [team]},
        "rls_segment": {"segment": [segment]},
        "rls_two_accounts": {"account": two_accounts},
    }
    flags = {"all": "--all", "region": "--region", "team": "--team", "segment": "--segment",
             "account": "--account"}
    connections = {}
    for name, scope in scopes.items():
        password = secrets.token_hex(12)
        args = [name] + [part for kind, values in scope.items() for value in values
                         for part in ([flags[kind]] if kind == "all" else [flags[kind], value])]
        result = _reader_add(postgres_warehouse, args, password)
        assert result.exit_code == 0, result.output
        connections[name] = (scope, _connect_as(postgres_warehouse, name, password))
    # a group role with a scope, and a login that has it only through the group
    owner = connect_postgres(postgres_warehouse.env)
    with owner.cursor() as cur:
        cur.execute("do $$ begin if not exists (select 1 from pg_roles where rolname = "
                    "'rls_group_latam') then create role rls_group_latam nologin; end if; "
                    "end $$")
    owner.commit()
    set_reader_scope(owner, "rls_group_latam", {"region": ["latam"]})
    password = secrets.token_hex(12)
    create_reader_login("rls_group_member", env=postgres_warehouse.env, password=password)
    with owner.cursor() as cur:
        cur.execute("grant rls_group_latam to rls_group_member")
    owner.commit()
    owner.close()
    connections["rls_group_member"] = ({"region": ["latam"]},
                                       _connect_as(postgres_warehouse, "rls_group_member",
                                                   password))
    yield connections
    for _, conn in connections.values():
        conn.close()


def test_every_public_table_has_a_rule_here_and_a_policy(postgres_warehouse: Warehouse):
    public = {model.name for model in public_models(load_manifest(
        postgres_warehouse.target_path))}
    assert public == set(RULES), "classify each new public table in RULES"
    rows = postgres_warehouse.query(
        "select c.relname, c.relrowsecurity, count(p.polname) from pg_class as c "
        "join pg_namespace as n on n.oid = c.relnamespace "
        "left join pg_policy as p on p.polrelid = c.oid "
        "where n.nspname = 'metrics' and c.relkind = 'r' group by 1, 2")
    assert {name: (rls, policies) for name, rls, policies in rows} == {
        name: (True, 1) for name in public}


def test_each_reader_sees_exactly_the_rows_of_its_scope_in_every_public_table(
    postgres_warehouse: Warehouse, dimension, readers,
):
    owner = postgres_warehouse.connect()
    problems, shown = [], {}
    try:
        for table, (keys, is_visible) in sorted(RULES.items()):
            everything = _counts(owner, table, keys)
            for name, (scope, conn) in readers.items():
                visible = _visible(dimension, scope)
                expected = {key: n for key, n in everything.items()
                            if is_visible(key, visible)}
                seen = _counts(conn, table, keys)
                if seen != expected:
                    extra = sorted(set(seen) - set(expected), key=repr)[:5]
                    missing = sorted(set(expected) - set(seen), key=repr)[:5]
                    problems.append(f"{table} as {name}: {sum(seen.values())} rows, expected "
                                    f"{sum(expected.values())}; extra keys {extra}, "
                                    f"missing {missing}")
                shown[(table, name)] = (sum(seen.values()), sum(everything.values()))
    finally:
        owner.close()
    assert not problems, "\n".join(problems)
    # the comparison means something: scoped readers see some but not all of the long
    # and per-entity tables, and no company-wide row; `all` sees everything
    for name in readers:
        for table in ("metrics_unified_domains", "metrics_api", "metrics_customer_success"):
            seen, total = shown[(table, name)]
            assert (seen == total) if name == "rls_all" else (0 < seen < total), (table, name)
        for table in COMPANY_WIDE_TABLES:
            seen, total = shown[(table, name)]
            assert seen == (total if name == "rls_all" else 0), (table, name)
    for name in ("rls_region_emea", "rls_team"):
        seen, total = shown[("metrics_sales", name)]
        assert 0 < seen < total, name
    print({key: value for key, value in shown.items() if key[0] == "metrics_unified_domains"})


def test_a_reader_without_a_scope_row_reads_no_row_of_any_public_table(
    postgres_warehouse: Warehouse,
):
    password = secrets.token_hex(12)
    create_reader_login("rls_no_scope", env=postgres_warehouse.env, password=password)
    conn = _connect_as(postgres_warehouse, "rls_no_scope", password)
    try:
        with conn.cursor() as cur:
            for table in sorted(RULES):
                cur.execute(f"select count(*) from metrics.{table}")
                assert cur.fetchone()[0] == 0, table
    finally:
        conn.close()
    assert postgres_warehouse.query("select count(*) from metrics.metrics_api")[0][0] > 0


def test_a_reader_cannot_read_the_scopes_or_ask_what_another_reader_sees(readers):
    _, conn = readers["rls_region_emea"]
    with conn.cursor() as cur:
        cur.execute("select count(*) from metrics_access.visible_entity_ids('account', "
                    "current_user)")
        assert cur.fetchone()[0] > 0
        cur.execute("select count(*) from metrics_access.visible_entity_ids('account', "
                    "'rls_all')")
        assert cur.fetchone()[0] == 0
        cur.execute("select metrics_access.reader_sees_everything('rls_all')")
        assert cur.fetchone()[0] is False
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("select * from metrics_access.reader_scopes")


def test_reader_add_rejects_unknown_values_and_lists_the_valid_ones(
    postgres_warehouse: Warehouse, dimension,
):
    result = _reader_add(postgres_warehouse, ["rls_typo", "--region", "mars", "--team",
                                              "nobody"], "x")
    assert result.exit_code == 1
    regions = sorted({account["region"] for account in dimension["accounts"].values()})
    assert f"unknown region mars: valid values are {', '.join(regions)}" in result.output
    assert "unknown team nobody" in result.output
    assert not postgres_warehouse.query("select 1 from pg_roles where rolname = 'rls_typo'")
    builder = _reader_add(postgres_warehouse, [postgres_warehouse.env["PGUSER"], "--all"])
    assert builder.exit_code == 1 and "a reader must be a role of its own" in builder.output


def test_reader_list_shows_each_reader_and_its_scope(postgres_warehouse: Warehouse, readers):
    result = CliRunner().invoke(app, ["reader", "list", "--target", "postgres"],
                                env=postgres_warehouse.env, terminal_width=200)
    assert result.exit_code == 0, result.output
    lines = {line.split("│")[1].strip(): line for line in result.output.splitlines()
             if line.count("│") >= 4}
    assert "region emea" in lines["rls_region_emea"]
    assert " all " in lines["rls_all"]
    assert "group" in lines["rls_group_latam"] and "region latam" in lines["rls_group_latam"]
    assert "via rls_group_latam:" in lines["rls_group_member"]


def test_the_leak_comparison_catches_a_policy_that_lets_every_row_through(
    postgres_warehouse: Warehouse, dimension, readers,
):
    """Negative control: loosen one table's policy for a moment; the comparison above
    must then see extra rows for the regional reader."""
    table, (keys, is_visible) = "metrics_sales", RULES["metrics_sales"]
    scope, conn = readers["rls_region_emea"]
    original = postgres_warehouse.query(
        "select pg_get_expr(polqual, polrelid) from pg_policy "
        "where polrelid = 'metrics.metrics_sales'::regclass")[0][0]
    postgres_warehouse.query(f"alter policy metrics_reader_scope on metrics.{table} "
                             "using (true)")
    try:
        seen = _counts(conn, table, keys)
    finally:
        postgres_warehouse.query(f"alter policy metrics_reader_scope on metrics.{table} "
                                 f"using ({original})")
    owner = postgres_warehouse.connect()
    try:
        everything = _counts(owner, table, keys)
    finally:
        owner.close()
    visible = _visible(dimension, scope)
    expected = {key: n for key, n in everything.items() if is_visible(key, visible)}
    assert seen != expected and set(seen) > set(expected)
    assert _counts(conn, table, keys) == expected  # restored
