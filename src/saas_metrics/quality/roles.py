"""Login users for the metrics_reader role (macros/postgres/roles.sql) on PostgreSQL.

dbt creates the NOLOGIN group role metrics_reader and grants it select on the public marts.
People and Superset log in as members of it. The password comes from the environment
(METRICS_READER_PASSWORD) and is sent as a bound parameter, never written to a file or
to dbt's logs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from psycopg2 import sql

from saas_metrics.warehouse import connect_postgres

READER_ROLE = os.environ.get("METRICS_READER_ROLE", "metrics_reader")


def create_reader_login(user: str, env: Mapping[str, str] | None = None,
                        password: str | None = None, schema: str | None = None) -> None:
    """Create (or update) a login user that is a member of metrics_reader only.

    Its search_path is the public marts' schema, so Superset and seed 003's queries name
    tables unqualified.
    """
    merged = {**os.environ, **(env or {})}
    password = password if password is not None else merged.get("METRICS_READER_PASSWORD")
    if not password:
        raise ValueError("set METRICS_READER_PASSWORD for the reader login")
    schema = schema or merged.get("METRICS_PG_SCHEMA", "metrics")
    conn = connect_postgres(env)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("select 1 from pg_roles where rolname = %s", (user,))
            verb = "alter" if cur.fetchone() else "create"
            # inherit: the login has the reader's privileges, and no others of its own
            cur.execute(sql.SQL(verb + " role {} with login inherit nocreatedb nocreaterole "
                                "password %s").format(sql.Identifier(user)), (password,))
            cur.execute(sql.SQL("grant {} to {}").format(
                sql.Identifier(READER_ROLE), sql.Identifier(user)))
            cur.execute(sql.SQL("alter role {} set search_path = {}").format(
                sql.Identifier(user), sql.Identifier(schema)))
    finally:
        conn.close()
