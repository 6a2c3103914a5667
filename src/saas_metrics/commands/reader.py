"""`saas-metrics reader add|list`: PostgreSQL reader logins and the scope each one sees.

A reader is a login role in metrics_reader (macros/postgres/roles.sql). Its scope (all,
regions, segments, sales teams or accounts) is a set of rows in the managed table
metrics_access.reader_scopes, which the public marts' row-level security policies read
(macros/postgres/row_access.sql, docs/row-level-access.md). No scope row, no rows.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.table import Table

from saas_metrics.commands import console, fail
from saas_metrics.commands.options import TargetOption
from saas_metrics.dbt_runner import Target

reader_app = typer.Typer(
    help="Reader logins on PostgreSQL and the rows each may see (row-level access).",
    no_args_is_help=True,
)

ScopeValues = list[str] | None


def _require_postgres(target: Target) -> None:
    if target != Target.postgres:
        raise fail("reader scopes apply on PostgreSQL and in Superset only: DuckDB is an "
                   "embedded, single-user file with no logins, so whoever opens it sees every "
                   "row. Use --target postgres (PG* variables), or declare Superset scopes in "
                   "seeds/reader_scopes.csv (docs/row-level-access.md).")


def _connect():
    from saas_metrics.warehouse import connect_postgres

    try:
        return connect_postgres()
    except Exception as error:  # psycopg2.OperationalError and friends
        raise fail(f"target 'postgres': cannot connect ({str(error).strip()})") from None


def _load_entities(conn):
    import psycopg2

    from saas_metrics.quality.row_access import load_entities

    try:
        return load_entities(conn)
    except psycopg2.errors.UndefinedTable:
        raise fail("target 'postgres': intermediate.int_access_scope_entities is missing: "
                   "run `saas-metrics build --target postgres` first (the valid regions, "
                   "segments, teams and accounts come from the built data)") from None


@reader_app.command("add")
def reader_add(
    login: Annotated[str, typer.Argument(help="The PostgreSQL login to create or update.")],
    password_env: Annotated[str | None, typer.Option(
        "--password-env", metavar="VAR",
        help="Environment variable holding the login's password (never a command-line "
             "argument). Needed to create a login; omit it to change only the scope.")] = None,
    all_rows: Annotated[bool, typer.Option(
        "--all", help="Every row, company-wide rows included.")] = False,
    region: Annotated[ScopeValues, typer.Option(
        "--region", help="Accounts and sales reps of this region (repeatable).")] = None,
    segment: Annotated[ScopeValues, typer.Option(
        "--segment", help="Accounts of this customer segment (repeatable).")] = None,
    team: Annotated[ScopeValues, typer.Option(
        "--team", help="Sales reps of this team and the accounts they own (repeatable).")
    ] = None,
    account: Annotated[ScopeValues, typer.Option(
        "--account", help="This account id (repeatable).")] = None,
    target: TargetOption = Target.duckdb,
) -> None:
    """Create or update a reader login in metrics_reader and set its scope (replacing the
    previous one). Several --region/--segment/--team/--account values add up."""
    from psycopg2 import sql

    from saas_metrics.quality.roles import READER_ROLE, create_reader_login
    from saas_metrics.quality.row_access import ScopeError, set_reader_scope, validate_scopes

    _require_postgres(target)
    requested = {name: values for name, values in (
        ("region", region), ("segment", segment), ("team", team), ("account", account))
        if values}
    if all_rows and requested:
        raise fail("--all already covers every row: give it alone, or drop it and list "
                   "regions, segments, teams or accounts")
    if not all_rows and not requested:
        raise fail("choose a scope: --all, or one or more of --region, --segment, --team, "
                   "--account (a reader with no scope sees no rows)")
    conn = _connect()
    try:
        try:
            validate_scopes(requested, _load_entities(conn))
        except ScopeError as error:
            raise fail(str(error)) from None
        with conn.cursor() as cur:
            cur.execute("select rolsuper or rolcreaterole or rolcreatedb or "
                        "rolname = current_user from pg_roles where rolname = %s", (login,))
            found = cur.fetchone()
        exists = found is not None
        if exists and found[0]:
            # create_reader_login strips such rights: never do that to the builder or an admin
            raise fail(f"{login} is the builder, a superuser or may create roles or "
                       "databases: a reader must be a role of its own (pick another name)")
        password = os.environ.get(password_env) if password_env else None
        if password_env and not password:
            raise fail(f"--password-env {password_env}: the variable is not set or empty")
        if password:
            create_reader_login(login, password=password)
        elif not exists:
            raise fail(f"login {login} does not exist: give --password-env VAR to create it")
        else:
            # an existing role keeps its password; make sure it can read at all
            with conn.cursor() as cur:
                cur.execute(sql.SQL("grant {} to {}").format(
                    sql.Identifier(READER_ROLE), sql.Identifier(login)))
        set_reader_scope(conn, login, {"all": [""]} if all_rows else requested)
    finally:
        conn.close()
    scope = "all" if all_rows else "; ".join(
        f"{name} {', '.join(values)}" for name, values in requested.items())
    console.print(f"{'Updated' if exists else 'Created'} reader [bold]{login}[/]: {scope}")


@reader_app.command("list")
def reader_list(target: TargetOption = Target.duckdb) -> None:
    """Every login in metrics_reader and every role with a scope row, with its scope."""
    from saas_metrics.quality.roles import READER_ROLE
    from saas_metrics.quality.row_access import load_scope_rows, scopes_by_reader

    _require_postgres(target)
    conn = _connect()
    try:
        scopes = scopes_by_reader(load_scope_rows(conn))
        with conn.cursor() as cur:
            cur.execute("select member.rolname, member.rolcanlogin from pg_auth_members as m "
                        "join pg_roles as grp on grp.oid = m.roleid "
                        "join pg_roles as member on member.oid = m.member "
                        "where grp.rolname = %s", (READER_ROLE,))
            members = dict(cur.fetchall())
            cur.execute("select rolname, rolcanlogin from pg_roles where rolname = any(%s)",
                        (list(scopes),))
            roles = dict(cur.fetchall())
            # the groups with a scope each role belongs to (the policies follow membership)
            cur.execute("select reader.rolname, grp.rolname from pg_roles as reader "
                        "cross join pg_roles as grp where grp.rolname = any(%s) "
                        "and reader.rolname <> grp.rolname "
                        "and pg_has_role(reader.oid, grp.oid, 'MEMBER')", (list(scopes),))
            groups: dict[str, list[str]] = {}
            for reader, group in cur.fetchall():
                groups.setdefault(reader, []).append(group)
    finally:
        conn.close()

    def describe(rows) -> str:
        return "; ".join(sorted(row.scope_type + (f" {row.scope_value}" if row.scope_value
                                                  else "") for row in rows))

    table = Table("reader", "kind", f"in {READER_ROLE}", "scope")
    for name in sorted(set(members) | set(scopes)):
        can_login = members.get(name, roles.get(name))
        kind = "missing role" if can_login is None else ("login" if can_login else "group")
        parts = [describe(scopes[name])] if name in scopes else []
        parts += [f"via {group}: {describe(scopes[group])}"
                  for group in sorted(groups.get(name, []))]
        table.add_row(name, kind, "yes" if name in members else "no",
                      "; ".join(parts) or "none (sees no rows)")
    console.print(table)
