"""Commands for people and schedulers: build, backfill, export, alerts.

Each module holds one command function; ``saas_metrics.cli`` registers them on the app.
Shared here: errors, dates, warehouse connections and the list of public tables; the
options several commands take are in saas_metrics.commands.options.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

console = Console()
err_console = Console(stderr=True)

def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a clear error on stderr and return the Exit to raise (non-zero)."""
    # soft_wrap: a scheduler's log keeps the line whole; escape: dbt output has [brackets]
    err_console.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    return typer.Exit(code)


def parse_date(value: str | None, argument: str) -> dt.date | None:
    """A YYYY-MM-DD option value as a date; a bad value names the argument."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"{argument} '{value}' is not a date (expected YYYY-MM-DD)") from None


def today_utc() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def public_schema() -> str:
    """Schema of the public marts on Postgres (profiles.yml: METRICS_PG_SCHEMA)."""
    return os.environ.get("METRICS_PG_SCHEMA", "metrics")


def connect(target: str) -> Any:
    """A read connection where the public tables resolve unqualified."""
    from saas_metrics.warehouse import connect_duckdb, connect_postgres, duckdb_path

    if target == "duckdb":
        path = duckdb_path()
        if not path.exists():
            raise fail(f"target 'duckdb': no warehouse file at {path} (set METRICS_DUCKDB_PATH "
                       "or run `saas-metrics generate` and `saas-metrics build`)")
        return connect_duckdb(path, read_only=True)
    try:
        conn = connect_postgres()
    except Exception as error:  # psycopg2.OperationalError and friends
        raise fail(f"target 'postgres': cannot connect ({str(error).strip()})") from None
    with conn.cursor() as cursor:
        cursor.execute(f"set search_path to {public_schema()}, public")
    conn.commit()
    return conn


def marts_schema(target: str) -> str:
    """The schema of the public marts: everything in it is public (generate_schema_name)."""
    return "main" if target == "duckdb" else public_schema()


def public_tables(conn: Any, target: str) -> list[str]:
    """The tables and views of the public marts schema, by name."""
    _, rows = fetch_all(conn, target, "select table_name from information_schema.tables "
                        "where table_schema = ? order by table_name", [marts_schema(target)])
    return [row[0] for row in rows]


def table_columns(conn: Any, target: str, table: str) -> list[str]:
    """Column names of a public table in order; [] when the table does not exist."""
    schema = marts_schema(target)
    sql = ("select column_name from information_schema.columns "
           "where table_schema = {p} and table_name = {p} order by ordinal_position")
    if target == "duckdb":
        rows = conn.execute(sql.format(p="?"), [schema, table]).fetchall()
    else:
        with conn.cursor() as cursor:
            cursor.execute(sql.format(p="%s"), (schema, table))
            rows = cursor.fetchall()
    return [row[0] for row in rows]


def fetch_all(conn: Any, target: str, sql: str, params: list[Any]) -> tuple[list[str], list]:
    """Run a query written with `?` placeholders on either engine: (columns, rows)."""
    if target == "duckdb":
        cursor = conn.execute(sql, params)
        return [column[0] for column in cursor.description], cursor.fetchall()
    with conn.cursor() as cursor:
        cursor.execute(sql.replace("?", "%s"), tuple(params))
        return [column.name for column in cursor.description], cursor.fetchall()
